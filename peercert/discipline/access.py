"""This app's rows of the access matrix (see peercert/web/tests/test_access_matrix.py)."""

from peercert.accounts.roles import Role
from peercert.core.access import PUBLIC, SIGNED_IN

# Written out by hand, not imported from permissions.py: the matrix checks the permissions, so it
# must not take its expectations from them (a role added there by mistake would pass unnoticed).
STAFF = {Role.PROGRAM_REVIEWER, Role.PROGRAM_MANAGER, Role.SYSTEM_ADMINISTRATOR}
# The state and auditors read the record.
RECORDS = STAFF | {Role.AUDITOR, Role.DHCS_ANALYST, Role.DHCS_APPROVER}
RESPONDENTS = {Role.PEER, Role.TRAINING_STAFF}


def build_world(w) -> dict:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from peercert.discipline.models import CaseEntry, ComplaintStatus
    from peercert.discipline.tests.factories import (
        ActionFactory,
        AppealFactory,
        ComplaintFactory,
        RequiredClassFactory,
    )

    peer_person = w["peer"].person
    complaint = ComplaintFactory(respondent_person=peer_person, status=ComplaintStatus.ACKNOWLEDGED)
    action = ActionFactory(complaint__respondent_person=peer_person)
    required = RequiredClassFactory(action__complaint__respondent_person=peer_person)
    appeal = AppealFactory(action=action)
    evidence = CaseEntry.objects.create(
        complaint=complaint,
        kind="evidence",
        from_complainant=True,
        document=SimpleUploadedFile("letter.pdf", b"%PDF-1.4 matrix"),
        document_name="letter.pdf",
    )
    return {
        "complaint": complaint,
        "action": action,
        "required_class": required,
        "appeal": appeal,
        "evidence": evidence,
    }


def _case(w):
    return {"complaint_id": w["complaint"].pk}


ACCESS = {
    # Public forms and pages
    "discipline:complaint_new": {"allow": PUBLIC},
    "discipline:complaint_filed": {"allow": PUBLIC},
    "discipline:peer_search": {"allow": PUBLIC},
    # Respondents, scoped to their own records
    "discipline:my_cases": {"allow": SIGNED_IN},
    "discipline:my_case": {"allow": {Role.PEER}, "kwargs": _case},
    "discipline:appeal_new": {"allow": RESPONDENTS | STAFF},
    # Program staff
    "discipline:case_list": {"allow": STAFF},
    "discipline:case_new": {"allow": STAFF},
    "discipline:case_detail": {"allow": STAFF, "kwargs": _case},
    "discipline:case_acknowledge": {"allow": STAFF, "kwargs": _case},
    "discipline:case_assign": {"allow": STAFF, "kwargs": _case},
    "discipline:case_investigate": {"allow": STAFF, "kwargs": _case},
    "discipline:case_screen_out": {"allow": STAFF, "kwargs": _case},
    "discipline:case_extend": {"allow": STAFF, "kwargs": _case},
    "discipline:case_entry_add": {"allow": STAFF, "kwargs": _case},
    "discipline:case_decide": {"allow": STAFF, "kwargs": _case},
    "discipline:case_entry_file": {"allow": STAFF, "kwargs": lambda w: {"entry_id": w["evidence"].pk}},
    "discipline:action_detail": {"allow": STAFF, "kwargs": lambda w: {"action_id": w["action"].pk}},
    "discipline:action_check_training": {"allow": STAFF, "kwargs": lambda w: {"action_id": w["action"].pk}},
    "discipline:action_lift": {"allow": STAFF, "kwargs": lambda w: {"action_id": w["action"].pk}},
    "discipline:class_complete": {"allow": STAFF, "kwargs": lambda w: {"class_id": w["required_class"].pk}},
    "discipline:appeal_list": {"allow": STAFF},
    "discipline:appeal_detail": {"allow": STAFF, "kwargs": lambda w: {"appeal_id": w["appeal"].pk}},
    "discipline:records": {"allow": RECORDS},
    "discipline:records_export": {"allow": RECORDS},
    # API
    "GET /api/v1/discipline/public-actions": {"allow": PUBLIC},
    "GET /api/v1/discipline/faq": {"allow": PUBLIC},
    "GET /api/v1/discipline/my/cases": {"allow": SIGNED_IN},
    "GET /api/v1/discipline/cases": {"allow": STAFF},
    "GET /api/v1/discipline/cases/{complaint_id}": {"allow": STAFF, "kwargs": _case},
}
