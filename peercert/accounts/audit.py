"""What the audit trail says about users, people, roles, API tokens and signing in.

Values are the action names already on record. A person is an accounts record whichever app
creates one, so PERSON_CREATE is here for training and the legacy import to use too: two
lists claiming one value make registered_actions() refuse to start the auditor's filter.
"""

from django.utils.translation import gettext_lazy as _

from peercert.core import audit


class AccountsAuditAction(audit.AuditAction):
    USER_REGISTER = "user.register", _("Account registered")
    USER_REGISTER_EXISTING_EMAIL = "user.register_existing_email", _("Registration tried with an existing email")
    USER_CREATE = "user.create", _("User created by staff")
    USER_ACTIVATE = "user.activate", _("Account reactivated")
    USER_DEACTIVATE = "user.deactivate", _("Account deactivated")
    ROLE_GRANT = "role.grant", _("Role granted")
    ROLE_REVOKE = "role.revoke", _("Role removed")
    PERSON_CREATE = "person.create", _("Person record created")
    PERSON_UPDATE = "person.update", _("Personal details changed")
    API_TOKEN_CREATE = "api_token.create", _("API token made")
    API_TOKEN_REVOKE = "api_token.revoke", _("API token revoked")
    AUTH_SIGN_IN = "auth.sign_in", _("Signed in")
    AUTH_SIGN_OUT = "auth.sign_out", _("Signed out")
    AUTH_SIGN_IN_FAILED = "auth.sign_in_failed", _("Sign-in failed")
    AUTH_LOCKED_OUT = "auth.locked_out", _("Sign-in locked after failures")
    AUTH_PASSWORD_RESET_REQUESTED = "auth.password_reset_requested", _("Password reset asked for")
    AUTH_PASSWORD_RESET_COMPLETED = "auth.password_reset_completed", _("Password reset completed")
