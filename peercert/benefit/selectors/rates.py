"""Reads for the benefit's rates: the code table, county and interim rates, federal authorities.

Two answers billing will ask for every service line:
- rate_in_force(county, system, code, day): the approved county rate covering the day, else the
  county's approved interim rate, else a statewide approved interim rate (one query).
- authority_in_force(system, code, day): is a State Plan amendment or waiver in force for it.

Both have a set-based form for querysets (rate_in_force_subquery, authority_in_force_exists), so a
batch of claims is priced and checked in one statement, not a query per line.
"""

import datetime

from django.db.models import Case, Exists, IntegerField, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.expressions import BaseExpression
from django.http import Http404

from peercert.benefit import permissions
from peercert.benefit.models import (
    SYSTEM_FIELDS,
    AuthorityCode,
    BillingCode,
    DeliverySystem,
    FederalAuthority,
    Rate,
    RateKind,
    RateStatus,
)
from peercert.core.models import AuditEvent

__all__ = [
    "access_authority",
    "access_rate",
    "authorities_in_force",
    "authority_for",
    "authority_history",
    "authority_in_force",
    "authority_in_force_exists",
    "authority_list",
    "billing_codes",
    "code_allowed",
    "code_allowed_exists",
    "code_allowed_throughout",
    "code_choices",
    "codes_on",
    "interim_rate_list",
    "known_codes",
    "overlapping_approved_rates",
    "rate_history",
    "rate_in_force",
    "rate_in_force_subquery",
    "rate_list",
    "rates_awaiting_decision",
    "rates_returned_to",
    "rates_visible_to",
]


def _covering(day, start: str = "effective_from", end: str = "effective_to") -> Q:
    """Rows whose [start, end] period (end empty: no end) contains day (a date or an expression)."""
    return Q(**{f"{start}__lte": day}) & (Q(**{f"{end}__isnull": True}) | Q(**{f"{end}__gte": day}))


# ---- Billing codes ----------------------------------------------------------------------------


def billing_codes() -> QuerySet[BillingCode]:
    """Every row of the code table, current and past, for the read-only codes page."""
    return BillingCode.objects.order_by("code", "effective_from")


def known_codes() -> list[str]:
    """Every code the table has ever held."""
    return sorted(set(BillingCode.objects.values_list("code", flat=True)))


def code_choices() -> list[tuple[str, str]]:
    """(code, "code description") for a form's select: the latest row's description of each code."""
    latest: dict[str, str] = {}
    for code, description in BillingCode.objects.order_by("code", "effective_from").values_list("code", "description"):
        latest[code] = description
    return [(code, f"{code} · {description}") for code, description in latest.items()]


def codes_on(day: datetime.date) -> QuerySet[BillingCode]:
    """The code rows in force on a day (each tells its delivery systems)."""
    return BillingCode.objects.filter(_covering(day)).order_by("code")


def code_allowed(code: str, system: str, day: datetime.date) -> bool:
    """Whether the state allows a peer to bill this code in this delivery system on this day."""
    field = SYSTEM_FIELDS.get(system)
    if field is None:
        return False
    return codes_on(day).filter(code=code, **{field: True}).exists()


def code_allowed_throughout(code: str, system: str, start: datetime.date, end: datetime.date | None) -> bool:
    """Whether the code is allowed in the system on every day from start to end (None: with no end).

    A code may be superseded by dated rows; the allowing rows must follow each other with no gap.
    """
    field = SYSTEM_FIELDS.get(system)
    if field is None:
        return False
    rows = BillingCode.objects.filter(code=code, **{field: True}).order_by("effective_from")
    rows = rows.filter(Q(effective_to__isnull=True) | Q(effective_to__gte=start))
    if end is not None:
        rows = rows.filter(effective_from__lte=end)
    covered_until = start - datetime.timedelta(days=1)
    for row in rows.values("effective_from", "effective_to"):
        if row["effective_from"] > covered_until + datetime.timedelta(days=1):
            return False  # a gap before this row
        if row["effective_to"] is None:
            return True
        covered_until = max(covered_until, row["effective_to"])
        if end is not None and covered_until >= end:
            return True
    return False


# ---- Rates ------------------------------------------------------------------------------------


def rates_visible_to(actor) -> QuerySet[Rate]:
    """The rates an actor may read.

    DHCS and the auditor read every rate. County users read their counties' county rates, and the
    approved interim rates that apply to them (their county's and the statewide ones).
    """
    qs = Rate.objects.select_related("county", "proposed_by", "decided_by")
    if not permissions.can_read_benefit(actor):
        return qs.none()
    ids = permissions.readable_county_ids(actor)
    if ids is None:
        return qs
    interim = Q(kind=RateKind.INTERIM, status=RateStatus.APPROVED) & (Q(county_id__in=ids) | Q(county__isnull=True))
    return qs.filter(Q(kind=RateKind.COUNTY, county_id__in=ids) | interim)


def access_rate(actor, rate_id) -> Rate:
    """One rate the actor may read; any other (another county's, or none) is a 404."""
    try:
        return rates_visible_to(actor).get(pk=int(rate_id))
    except (Rate.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404 from None


def rate_list(
    actor, *, kind: str = RateKind.COUNTY, county_id: int | None = None, system: str = "", status: str = ""
) -> QuerySet[Rate]:
    """Rates of one kind the actor may read, filtered; newest period first within each code."""
    qs = rates_visible_to(actor).filter(kind=kind)
    if county_id:
        qs = qs.filter(county_id=county_id)
    if system:
        qs = qs.filter(delivery_system=system)
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("county__name", "delivery_system", "code", "-effective_from", "-id")


def interim_rate_list(actor, *, status: str = "", system: str = "") -> QuerySet[Rate]:
    return rate_list(actor, kind=RateKind.INTERIM, status=status, system=system)


def rates_awaiting_decision(actor) -> QuerySet[Rate]:
    """Submitted rates, county and interim, that this DHCS approver may decide: not their own proposals."""
    if not permissions.can_decide_rate(actor):
        return Rate.objects.none()
    return (
        Rate.objects.filter(status=RateStatus.SUBMITTED)
        .exclude(proposed_by=actor)
        .select_related("county")
        .order_by("submitted_at", "id")
    )


def rates_returned_to(actor) -> QuerySet[Rate]:
    """County rates DHCS returned to the counties this user keeps, waiting for a change."""
    ids = permissions.writable_county_ids(actor)
    return (
        Rate.objects.filter(kind=RateKind.COUNTY, county_id__in=ids, status=RateStatus.RETURNED)
        .select_related("county")
        .order_by("decided_at", "id")
    )


def rate_history(rate: Rate) -> QuerySet[AuditEvent]:
    """The rate's audit events, oldest first: proposed, changed, submitted, decided."""
    return AuditEvent.objects.filter(object_type="benefit.rate", object_id=str(rate.pk)).order_by("at", "id")


def _same_key(*, kind: str, county_id: int | None, system: str, code: str) -> Q:
    return Q(kind=kind, delivery_system=system, code=code) & (
        Q(county_id=county_id) if county_id is not None else Q(county__isnull=True)
    )


def overlapping_approved_rates(
    *,
    kind: str,
    county_id: int | None,
    system: str,
    code: str,
    start: datetime.date,
    end: datetime.date | None,
    exclude_id: int | None = None,
) -> QuerySet[Rate]:
    """Approved rates of the same county (or statewide), kind, system and code whose period meets [start, end].

    An empty end runs forever, on either side.
    """
    qs = Rate.objects.filter(
        _same_key(kind=kind, county_id=county_id, system=system, code=code), status=RateStatus.APPROVED
    )
    qs = qs.filter(Q(effective_to__isnull=True) | Q(effective_to__gte=start))
    if end is not None:
        qs = qs.filter(effective_from__lte=end)
    if exclude_id is not None:
        qs = qs.exclude(pk=exclude_id)
    return qs.order_by("effective_from", "id")


def _precedence() -> Case:
    # The county's own approved rate first, then the county's interim rate, then the statewide one.
    return Case(
        When(kind=RateKind.COUNTY, then=Value(0)),
        When(county__isnull=False, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )


def rate_in_force(county, system: str, code: str, day: datetime.date) -> Rate | None:
    """The rate that prices a unit of this code in this system for this county on this day, or None.

    The county's approved county rate covering the day; else the county's approved interim rate;
    else a statewide approved interim rate. One query. county may be a County or its id.
    """
    county_id = getattr(county, "pk", county)
    return (
        Rate.objects.filter(status=RateStatus.APPROVED, delivery_system=system, code=code)
        .filter(_covering(day))
        .filter(Q(county_id=county_id) | Q(kind=RateKind.INTERIM, county__isnull=True))
        .annotate(precedence=_precedence())
        .order_by("precedence", "-effective_from", "-id")
        .first()
    )


def _ref(value) -> BaseExpression:
    """A field name of the outer query, or an expression/value as given."""
    if isinstance(value, str):
        return OuterRef(value)
    if isinstance(value, BaseExpression | OuterRef):
        return value
    return Value(value)


def rate_in_force_subquery(
    *, county="county_id", system="delivery_system", code="code", day="service_date", field: str = "pk"
) -> Subquery:
    """rate_in_force for every row of a queryset at once, as a subquery to annotate with.

    Each argument names a field of the outer queryset (a string) or is an expression or a plain
    value for every row (Value("smhs"), a date). `field` is what the subquery returns: the rate's
    "pk" (default) or "amount". Rows with no rate in force get None.

        lines.annotate(rate_id=rate_in_force_subquery(county="claim__county_id", day="service_on"))
        County.objects.annotate(amount=rate_in_force_subquery(
            county="pk", system=Value("smhs"), code=Value("H0038"), day=Value(day), field="amount"))
    """
    county_ref, day_ref = _ref(county), _ref(day)
    rates = (
        Rate.objects.filter(status=RateStatus.APPROVED, delivery_system=_ref(system), code=_ref(code))
        .filter(_covering(day_ref))
        .filter(Q(county_id=county_ref) | Q(kind=RateKind.INTERIM, county__isnull=True))
        .annotate(precedence=_precedence())
        .order_by("precedence", "-effective_from", "-id")
        .values(field)[:1]
    )
    return Subquery(rates)


# ---- Federal authorities ----------------------------------------------------------------------


def authority_list() -> QuerySet[FederalAuthority]:
    """Every federal authority, newest first. Anyone with a benefit role reads them all."""
    return FederalAuthority.objects.prefetch_related("code_rows").order_by("-effective_from", "number")


def access_authority(actor, authority_id) -> FederalAuthority:
    if not permissions.can_read_benefit(actor):
        raise Http404
    try:
        return FederalAuthority.objects.prefetch_related("code_rows").get(pk=int(authority_id))
    except (FederalAuthority.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404 from None


def authority_history(authority: FederalAuthority) -> QuerySet[AuditEvent]:
    return AuditEvent.objects.filter(object_type="benefit.federalauthority", object_id=str(authority.pk)).order_by(
        "at", "id"
    )


def authorities_in_force(system: str, code: str, day: datetime.date) -> QuerySet[FederalAuthority]:
    """The authorities that cover this code in this delivery system on this day."""
    field = SYSTEM_FIELDS.get(system)
    if field is None or system not in DeliverySystem.values:
        return FederalAuthority.objects.none()
    return (
        FederalAuthority.objects.filter(_covering(day), code_rows__code=code, **{field: True})
        .distinct()
        .order_by("-effective_from", "number")
    )


def authority_in_force(system: str, code: str, day: datetime.date) -> bool:
    """Whether a State Plan amendment or waiver in force on the day covers this code in this system."""
    return authorities_in_force(system, code, day).exists()


def authority_for(system: str, code: str, day: datetime.date) -> FederalAuthority | None:
    """The authority to show for it (the most recent in force), or None."""
    return authorities_in_force(system, code, day).first()


def authority_in_force_exists(*, system: str, code="code", day="service_date") -> Exists:
    """authority_in_force for every row of a queryset at once (system fixed; code and day as in
    rate_in_force_subquery: an outer field name, or an expression)."""
    field = SYSTEM_FIELDS[system]
    day_ref = _ref(day)
    return Exists(
        AuthorityCode.objects.filter(
            code=_ref(code),
            authority__effective_from__lte=day_ref,
            **{f"authority__{field}": True},
        ).filter(Q(authority__effective_to__isnull=True) | Q(authority__effective_to__gte=day_ref))
    )


# --- gate (billing's set-based forms) ---


def code_allowed_exists(*, system: str, code="code", day="service_date") -> Exists:
    """code_allowed for every row of a queryset at once (system fixed; code and day as in
    rate_in_force_subquery: an outer field name, or an expression)."""
    field = SYSTEM_FIELDS[system]
    return Exists(BillingCode.objects.filter(_covering(_ref(day)), code=_ref(code), **{field: True}))
