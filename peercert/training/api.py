import datetime
from decimal import Decimal

from django.http import Http404
from ninja import Router, Schema

from peercert.accounts.permissions import has_role
from peercert.accounts.roles import Role
from peercert.training import selectors
from peercert.training.permissions import person_of

router = Router(tags=["training"])


class ApprovalOut(Schema):
    training_type: str
    language: str
    approved_until: datetime.date


class OfferingOut(Schema):
    id: int
    title: str
    starts_on: datetime.date
    ends_on: datetime.date
    hours: Decimal
    language: str
    modality: str
    location: str
    seats: int
    enrolled: int
    cost: Decimal


class ProviderOut(Schema):
    id: int
    name: str
    city: str
    email: str
    phone: str
    approvals: list[ApprovalOut]
    upcoming: list[OfferingOut]


@router.get(
    "/providers",
    response=list[ProviderOut],
    auth=None,
    summary="Approved training entities and their upcoming courses (public)",
)
def providers(request):
    out = []
    for p in selectors.approved_providers():
        e = p["entity"]
        out.append(
            ProviderOut(
                id=e.pk,
                name=e.name,
                city=e.city,
                email=e.email,
                phone=e.phone,
                approvals=[
                    ApprovalOut(training_type=a.training_type, language=a.language, approved_until=a.approved_until)
                    for a in p["approvals"]
                ],
                upcoming=[
                    OfferingOut(
                        id=o.pk,
                        title=o.display_title,
                        starts_on=o.starts_on,
                        ends_on=o.ends_on,
                        hours=o.hours,
                        language=o.language,
                        modality=o.modality,
                        location=o.location,
                        seats=o.capacity,
                        enrolled=o.enrolled,
                        cost=o.cost,
                    )
                    for o in p["offerings"]
                ],
            )
        )
    return out


class LedgerLine(Schema):
    kind: str
    date: datetime.date
    title: str
    provider: str
    hours: Decimal
    category: str
    status: str


class CycleOut(Schema):
    start: datetime.date
    end: datetime.date
    total: Decimal
    general: Decimal
    law_ethics: Decimal


class LedgerOut(Schema):
    cycles: list[CycleOut]
    lines: list[LedgerLine]


@router.get("/ce-ledger", response=LedgerOut, summary="The signed-in peer's continuing-education ledger")
def ce_ledger(request):
    if not has_role(request.auth, Role.PEER):
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied
    person = person_of(request.auth)
    if person is None:
        raise Http404
    cycles = [
        CycleOut(start=c["start"], end=c["end"], total=c["total"], general=c["general"], law_ethics=c["law_ethics"])
        for c in selectors.ce_totals_by_cycle(person, selectors.ce_cycles_for(person))
    ]
    lines = [
        LedgerLine(
            kind=r["kind"],
            date=r["date"],
            title=r["title"],
            provider=r["provider"],
            hours=r["hours"],
            category=r["category"],
            status=r["status"],
        )
        for r in selectors.ce_ledger(person)
    ]
    return LedgerOut(cycles=cycles, lines=lines)
