import datetime

from django.core.exceptions import PermissionDenied
from ninja import Router, Schema

from peercert.accounts.models import Person
from peercert.assistance import selectors as assistance_selectors
from peercert.assistance.api import FaqOut
from peercert.core.apitypes import RowId, text
from peercert.discipline import selectors
from peercert.discipline.permissions import can_handle_cases

router = Router(tags=["discipline"])


class PublicActionOut(Schema):
    kind: str
    kind_label: str
    status: str
    status_label: str
    effective_on: datetime.date
    ends_on: datetime.date | None
    summary: str
    case_number: str


class RespondentActionOut(Schema):
    id: int
    kind: str
    status: str
    effective_on: datetime.date
    ends_on: datetime.date | None
    until_condition: str
    due_on: datetime.date | None
    public_summary: str


class RespondentCaseOut(Schema):
    """A case as its respondent sees it: never who complained."""

    id: int
    number: str
    status: str
    received_on: datetime.date
    incident_on: datetime.date
    incident_description: str
    outcome_label: str
    findings: str
    provisions: list[str]
    decided_on: datetime.date | None
    actions: list[RespondentActionOut]


class StaffCaseOut(Schema):
    id: int
    number: str
    status: str
    respondent_kind: str
    respondent: str
    received_on: datetime.date
    ack_due_on: datetime.date
    investigation_due_on: datetime.date
    investigator: str | None
    outcome: str
    complainant_name: str
    complainant_email: str
    complainant_phone: str


def _staff_case(c) -> StaffCaseOut:
    return StaffCaseOut(
        id=c.pk,
        number=c.number,
        status=c.status,
        respondent_kind=c.respondent_kind,
        respondent=str(c.respondent),
        received_on=c.received_on,
        ack_due_on=c.ack_due_on,
        investigation_due_on=c.investigation_due_on,
        investigator=str(c.investigator) if c.investigator_id else None,
        outcome=c.outcome,
        complainant_name=c.complainant_name,
        complainant_email=c.complainant_email,
        complainant_phone=c.complainant_phone,
    )


@router.get(
    "/public-actions",
    response=list[PublicActionOut],
    auth=None,
    summary="Public disciplinary actions for a certification number (what the registry shows)",
)
def public_actions(request, number: text(40) = ""):
    match = selectors.peer_by_number(number)
    if match is None:
        return []
    return selectors.public_actions_for(Person.objects.get(pk=match.person_id))


# The FAQ moved to /api/v1/assistance/faq; this address stays for clients written before the move.
@router.get(
    "/faq", response=list[FaqOut], auth=None, deprecated=True, summary="The public FAQ (moved to /assistance/faq)"
)
def faq(request):
    return list(assistance_selectors.faq_published())


@router.get("/my/cases", response=list[RespondentCaseOut], summary="Complaints about me (or my training entity)")
def my_cases(request):
    return selectors.respondent_cases(actor=request.auth)


@router.get("/cases", response=list[StaffCaseOut], summary="Open complaints (program staff)")
def cases(request, status: text(30) = "", overdue: bool = False):
    if not can_handle_cases(request.auth):
        raise PermissionDenied
    return [_staff_case(c) for c in selectors.complaint_queue(actor=request.auth, status=status, overdue=overdue)[:500]]


@router.get("/cases/{complaint_id}", response=StaffCaseOut, summary="One complaint (program staff)")
def case(request, complaint_id: RowId):
    if not can_handle_cases(request.auth):
        raise PermissionDenied
    return _staff_case(selectors.access_complaint(request.auth, complaint_id))
