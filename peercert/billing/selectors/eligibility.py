"""Reads of beneficiaries, their access events and their monthly eligibility, scoped to the actor.

Beneficiaries are protected health information: the only ways to read one here write an access event
(`access_beneficiary` for one record, `beneficiary_search` for a list, one event per record shown, in
one insert). A county billing user reads only their own county's beneficiaries (another county's by id
is a 404); DHCS and the auditor read every county.
"""

import datetime

from django.db.models import DateField, Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Cast, TruncMonth
from django.http import Http404

from peercert.accounts.models import County
from peercert.billing.models import (
    AccessChannel,
    Beneficiary,
    BeneficiaryAccess,
    EligibilityImport,
    EligibilityMonth,
    ServiceLine,
)
from peercert.billing.permissions import billing_county_ids, readable_county_ids
from peercert.core import clock

__all__ = [
    "log_beneficiary_reads",
    "access_beneficiary",
    "access_eligibility_import",
    "access_eligibility_month",
    "beneficiary_access_events",
    "beneficiary_search",
    "eligibility_history",
    "eligibility_import_list",
    "eligible_month_exists",
    "inquiry_beneficiaries",
    "working_counties",
]

SEARCH_LIMIT = 50


def _int_or_none(value) -> int | None:
    try:
        number = int(str(value))
    except (TypeError, ValueError):
        return None
    return number if 0 < number < 2**31 else None


def _scope(qs: QuerySet, actor, field: str = "county_id") -> QuerySet:
    ids = readable_county_ids(actor)
    if ids is None:
        return qs
    return qs.filter(**{f"{field}__in": ids})


def _log(actor, beneficiaries, *, channel: str, what: str) -> None:
    """One access event per beneficiary read, in one statement."""
    if not beneficiaries:
        return
    at = clock.now()
    user_id = getattr(actor, "pk", None)
    BeneficiaryAccess.objects.bulk_create(
        [
            BeneficiaryAccess(at=at, user_id=user_id, beneficiary_id=b.pk, channel=channel, what=what[:100])
            for b in beneficiaries
        ]
    )


def log_beneficiary_reads(actor, beneficiary_ids, *, what: str, channel: str = AccessChannel.PAGE) -> None:
    """An access event for each beneficiary a page or export of another part shows (service lines name the
    beneficiary by CIN), in one statement per thousand."""
    ids = sorted({i for i in beneficiary_ids if i})
    if not ids:
        return
    at, user_id = clock.now(), getattr(actor, "pk", None)
    BeneficiaryAccess.objects.bulk_create(
        [BeneficiaryAccess(at=at, user_id=user_id, beneficiary_id=i, channel=channel, what=what[:100]) for i in ids],
        batch_size=1000,
    )


def working_counties(actor) -> QuerySet[County]:
    """The counties whose beneficiaries and eligibility the actor records."""
    return County.objects.filter(id__in=billing_county_ids(actor)).order_by("name")


def access_beneficiary(actor, beneficiary_id, *, what: str, channel: str = AccessChannel.PAGE) -> Beneficiary:
    """The beneficiary if the actor may read its county (404 otherwise), the read written as an access event."""
    pk = _int_or_none(beneficiary_id)
    if pk is None:
        raise Http404
    try:
        beneficiary = _scope(Beneficiary.objects.select_related("county"), actor).get(pk=pk)
    except Beneficiary.DoesNotExist:
        raise Http404 from None
    _log(actor, [beneficiary], channel=channel, what=what)
    return beneficiary


def beneficiary_search(
    actor,
    *,
    cin: str = "",
    last_name: str = "",
    date_of_birth: datetime.date | None = None,
    what: str,
    channel: str = AccessChannel.PAGE,
) -> list[Beneficiary]:
    """Beneficiaries found by exact CIN, or by exact last name and date of birth; each one shown is logged.

    No browsing: without a CIN, or a last name with a date of birth, nothing is returned.
    """
    cin = (cin or "").strip().upper()[:9]
    last_name = (last_name or "").strip()[:100]
    if cin:
        condition = Q(cin=cin)
    elif last_name and date_of_birth:
        condition = Q(legal_last_name__iexact=last_name, date_of_birth=date_of_birth)
    else:
        return []
    found = list(_scope(Beneficiary.objects.select_related("county"), actor).filter(condition)[:SEARCH_LIMIT])
    _log(actor, found, channel=channel, what=what)
    return found


def eligibility_history(beneficiary: Beneficiary) -> list[EligibilityMonth]:
    """Every verification of a beneficiary already read through access_beneficiary, newest month first."""
    return list(
        EligibilityMonth.objects.filter(beneficiary=beneficiary)
        .select_related("verified_by", "imported_from")
        .order_by("-month", "superseded_at", "-verified_at", "-id")
    )


def access_eligibility_month(actor, month_id, *, what: str) -> EligibilityMonth:
    """A current verification the actor may read; its beneficiary's read is logged."""
    pk = _int_or_none(month_id)
    if pk is None:
        raise Http404
    try:
        row = _scope(
            EligibilityMonth.objects.select_related("beneficiary__county"), actor, "beneficiary__county_id"
        ).get(pk=pk)
    except EligibilityMonth.DoesNotExist:
        raise Http404 from None
    _log(actor, [row.beneficiary], channel=AccessChannel.PAGE, what=what)
    return row


def eligible_month_exists(beneficiary_ref: str, day_ref: str) -> Exists:
    """For annotating rows set-based: the beneficiary (field beneficiary_ref of the outer query) has a
    current verification saying eligible for the month of the day in field day_ref."""
    return Exists(
        EligibilityMonth.objects.filter(
            beneficiary_id=OuterRef(beneficiary_ref),
            superseded_at__isnull=True,
            eligible=True,
            month=TruncMonth(Cast(OuterRef(day_ref), DateField()), output_field=DateField()),
        )
    )


def eligibility_import_list(actor) -> QuerySet[EligibilityImport]:
    return _scope(EligibilityImport.objects.select_related("county", "uploaded_by"), actor)


def access_eligibility_import(actor, import_id) -> EligibilityImport:
    pk = _int_or_none(import_id)
    if pk is None:
        raise Http404
    try:
        return eligibility_import_list(actor).get(pk=pk)
    except EligibilityImport.DoesNotExist:
        raise Http404 from None


def inquiry_beneficiaries(county_id: int, month: datetime.date) -> QuerySet[Beneficiary]:
    """The county's beneficiaries with service lines in the month and no current verification for it
    (the members of a 270 inquiry). The caller logs the export."""
    start = month.replace(day=1)
    end = (start + datetime.timedelta(days=32)).replace(day=1)
    served = ServiceLine.objects.filter(beneficiary_id=OuterRef("pk"), service_date__gte=start, service_date__lt=end)
    verified = EligibilityMonth.objects.filter(beneficiary_id=OuterRef("pk"), month=start, superseded_at__isnull=True)
    return (
        Beneficiary.objects.filter(county_id=county_id).filter(Exists(served)).exclude(Exists(verified)).order_by("cin")
    )


def beneficiary_access_events(
    actor,
    *,
    cin: str = "",
    user_email: str = "",
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
) -> QuerySet[BeneficiaryAccess]:
    """Access events for the auditor's page, newest first; a beneficiary is named by CIN only."""
    qs = _scope(BeneficiaryAccess.objects.select_related("user", "beneficiary"), actor, "beneficiary__county_id")
    cin = (cin or "").strip().upper()[:9]
    if cin:
        qs = qs.filter(beneficiary__cin=cin)
    user_email = (user_email or "").strip()[:254]
    if user_email:
        qs = qs.filter(user__email__iexact=user_email)
    if date_from:
        qs = qs.filter(at__date__gte=date_from)
    if date_to:
        qs = qs.filter(at__date__lte=date_to)
    return qs.order_by("-at", "-id")
