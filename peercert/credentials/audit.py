"""What the audit trail says the credentials app did."""

from django.utils.translation import gettext_lazy as _

from peercert.core import audit


class AuditAction(audit.AuditAction):
    CREDENTIAL_ISSUE = "credential.issue", _("Digital credential issued")
    STATUS_LIST_SIGN = "status_list.sign", _("Credential status list signed")
