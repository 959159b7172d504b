from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    PEER = "peer", _("Applicant or peer")
    PROGRAM_REVIEWER = "program_reviewer", _("Program reviewer")
    PROGRAM_MANAGER = "program_manager", _("Program manager")
    EXAM_ADMINISTRATOR = "exam_administrator", _("Exam administrator")
    TRAINING_STAFF = "training_staff", _("Training entity staff")
    COUNTY_STAFF = "county_staff", _("County staff")
    COUNTY_BILLING = "county_billing", _("County billing")
    COUNTY_BILLING_SUPERVISOR = "county_billing_supervisor", _("County billing supervisor")
    # Signs the county's attestations to the state (an overpayment report); a named officer, not a clerk.
    COUNTY_AUTHORIZED_SIGNER = "county_authorized_signer", _("County authorized signer")
    DHCS_ANALYST = "dhcs_analyst", _("DHCS analyst")
    DHCS_APPROVER = "dhcs_approver", _("DHCS approver")
    AUDITOR = "auditor", _("Auditor (read-only)")
    SYSTEM_ADMINISTRATOR = "system_administrator", _("System administrator")


# Which scope each role must carry. A scoped role means nothing without its scope.
ROLE_SCOPE: dict[str, str | None] = {
    Role.PEER: None,
    Role.PROGRAM_REVIEWER: "program",
    Role.PROGRAM_MANAGER: "program",
    Role.EXAM_ADMINISTRATOR: "program",
    Role.TRAINING_STAFF: "training_entity",
    Role.COUNTY_STAFF: "county",
    Role.COUNTY_BILLING: "county",
    Role.COUNTY_BILLING_SUPERVISOR: "county",
    Role.COUNTY_AUTHORIZED_SIGNER: "county",
    Role.DHCS_ANALYST: None,
    Role.DHCS_APPROVER: None,
    Role.AUDITOR: None,
    Role.SYSTEM_ADMINISTRATOR: None,
}

PROGRAM_STAFF_ROLES = frozenset({Role.PROGRAM_REVIEWER, Role.PROGRAM_MANAGER, Role.EXAM_ADMINISTRATOR})
DHCS_ROLES = frozenset({Role.DHCS_ANALYST, Role.DHCS_APPROVER})
COUNTY_ROLES = frozenset(
    {Role.COUNTY_STAFF, Role.COUNTY_BILLING, Role.COUNTY_BILLING_SUPERVISOR, Role.COUNTY_AUTHORIZED_SIGNER}
)
STAFF_ROLES = frozenset(set(Role) - {Role.PEER})
