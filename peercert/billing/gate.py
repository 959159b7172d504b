"""The certification-to-claim gate: every rule a peer service line must pass before it is billed.

One set-based evaluation per batch, a constant number of statements whatever its size:
1. the lines still to decide (pending, billable, held; an override stands) lose their holds (one DELETE);
2. one INSERT ... SELECT per reason writes a LineHold for every line the rule fails;
3. one UPDATE decides and prices them: held when a hold exists, billable otherwise, charge = units x
   the rate in force (set-based: pending, billable or held lines move straight to their new status);
4. aggregates count the result by reason, by provider and by peer.

No Python loop over lines. Each reason is a stable code with a plain message (REASONS).
"""

import datetime
from collections.abc import Callable

from django.db import connection
from django.db.models import (
    Case,
    CharField,
    DateField,
    DecimalField,
    Exists,
    ExpressionWrapper,
    F,
    Max,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext_lazy as _

from peercert.benefit import selectors as benefit_selectors
from peercert.billing import hooks, partitions
from peercert.billing.models import EligibilityMonth, LineHold, LineStatus, ServiceLine
from peercert.certification import selectors as certification_selectors
from peercert.core import clock
from peercert.core.dates import add_months
from peercert.core.rules import rules_on

SYSTEMS = ("smhs", "dmc", "dmc_ods")

# The stable codes, in the order the gate writes them and pages show them.
REASONS: dict[str, object] = {
    "unknown_rendering_npi": _("No employment in this county holds the rendering provider's NPI."),
    "unknown_beneficiary": _("No beneficiary of this county has this CIN: add the beneficiary or correct the CIN."),
    "zero_units": _("The service is 7 minutes or less, so it bills no unit."),
    "certification_not_active": _("The peer's certification was not active on the date of service."),
    "not_hired": _("The peer was not formally hired by a provider of this county on the date of service."),
    "no_trained_supervisor": _("No trained supervisor was assigned to the peer on the date of service."),
    "no_directing_professional": _("No directing professional covered the peer on the date of service."),
    "not_eligible": _("The beneficiary is not verified eligible for the month of service."),
    "no_rate": _("No approved rate is in force for this county, delivery system and code on the date."),
    "no_federal_authority": _("No State Plan amendment or waiver covers this code and system on the date."),
    "code_not_allowed": _("This code is not allowed in this delivery system on the date of service."),
    "duplicate": _("Same beneficiary, peer, date, code and units as a line already billable or billed."),
    "utilization": _("Over a utilization limit."),
    "past_timely_filing": _("Past the timely filing limit for the month of service."),
}
# Lines the gate decides; an overridden line stands until it is corrected.
DECIDED = (LineStatus.PENDING, LineStatus.BILLABLE, LineStatus.HELD)
# Lines that count as billed for the duplicate rule.
PASSING = (LineStatus.BILLABLE, LineStatus.OVERRIDDEN)


def all_reasons() -> dict[str, object]:
    """The gate's own reasons, then the utilization reasons a higher app registered (billing/hooks.py)."""
    return {**REASONS, **hooks.UTILIZATION_REASONS}


def reason_label(code: str) -> str:
    return str(all_reasons().get(code, code))


def reason_choices() -> list[tuple[str, str]]:
    return [(code, str(message)) for code, message in all_reasons().items()]


def timely_filing_cutoff(today: datetime.date | None = None) -> datetime.date:
    """The first month of service still within the limit: services before it are past it."""
    today = today or clock.today()
    months = rules_on(today).claim_timely_filing_months
    return add_months(today.replace(day=1), -months)


def eligible_month_exists(beneficiary="beneficiary_id", month="service_month") -> Exists:
    """The beneficiary's current verification for the month says eligible, for every row at once.

    month names the outer query's first-of-month (annotate it: service_month=TruncMonth("service_date")).
    (The eligibility part writes its own in selectors/eligibility.py; the lead keeps one.)"""
    return Exists(
        EligibilityMonth.objects.filter(
            beneficiary_id=OuterRef(beneficiary), month=OuterRef(month), eligible=True, superseded_at__isnull=True
        )
    )


def _by_system(exists_for: Callable[[str], Exists]) -> Q:
    """True where the rule holds for the line's own delivery system (an unknown system: never)."""
    condition = Q(pk__in=[])
    for system in SYSTEMS:
        condition |= Q(delivery_system=system) & Q(exists_for(system))
    return condition


def _hired() -> Q:
    return (
        Q(employment__county_id=F("county_id"), employment__hired_on__lte=F("service_date"))
        & (Q(employment__end_on__isnull=True) | Q(employment__end_on__gte=F("service_date")))
        & Q(employment__status__in=["hired", "ended"])
    )


def _duplicate_exists() -> Exists:
    same = ServiceLine.objects.filter(
        beneficiary_id=OuterRef("beneficiary_id"),
        employment__person_id=OuterRef("employment__person_id"),
        service_date=OuterRef("service_date"),
        code=OuterRef("code"),
        units=OuterRef("units"),
    )
    elsewhere = ~Q(batch_id=OuterRef("batch_id")) & Q(status__in=PASSING)
    earlier_here = Q(batch_id=OuterRef("batch_id"), pk__lt=OuterRef("pk"))
    return Exists(same.filter(elsewhere | earlier_here))


# The rules a fact recorded after payment can break (a back-dated revocation, a corrected hire date or
# eligibility month, a supervisor's training found missing); the others are fixed by the line itself.
FACT_RULES = (
    "certification_not_active",
    "not_hired",
    "no_trained_supervisor",
    "no_directing_professional",
    "not_eligible",
    "no_rate",
    "no_federal_authority",
    "code_not_allowed",
)


def rule_querysets(lines: QuerySet, codes=None, today: datetime.date | None = None) -> list[tuple[str, QuerySet]]:
    """(code, the lines of `lines` that fail the rule) for each rule named in codes (all when None).

    `lines` is any queryset of service lines (a batch's, or the paid lines a changed fact touches), so
    the integrity checks re-run the same rules the gate applied. Each is one SELECT."""
    known = lines.filter(employment__isnull=False)
    batch_rules = {
        "unknown_rendering_npi": lambda: lines.filter(employment__isnull=True),
        "unknown_beneficiary": lambda: lines.filter(beneficiary__isnull=True),
        "zero_units": lambda: lines.filter(units=0),
        "certification_not_active": lambda: known.filter(
            ~certification_selectors.certified_on_exists("employment__person_id", "service_date")
        ),
        "not_hired": lambda: known.exclude(_hired()),
        "no_trained_supervisor": lambda: known.filter(~benefit_selectors.trained_supervisor_exists()),
        "no_directing_professional": lambda: known.filter(~benefit_selectors.directing_professional_exists()),
        "not_eligible": lambda: (
            lines.filter(beneficiary__isnull=False)
            .annotate(service_month=TruncMonth("service_date", output_field=DateField()))
            .filter(~eligible_month_exists())
        ),
        "no_rate": lambda: lines.annotate(rate_id=benefit_selectors.rate_in_force_subquery()).filter(
            rate_id__isnull=True
        ),
        "no_federal_authority": lambda: lines.exclude(
            _by_system(lambda s: benefit_selectors.authority_in_force_exists(system=s))
        ),
        "code_not_allowed": lambda: lines.exclude(
            _by_system(lambda s: benefit_selectors.code_allowed_exists(system=s))
        ),
        "duplicate": lambda: lines.filter(beneficiary__isnull=False, employment__isnull=False).filter(
            _duplicate_exists()
        ),
        "past_timely_filing": lambda: lines.filter(service_date__lt=timely_filing_cutoff(today)),
    }
    wanted = [code for code in batch_rules if codes is None or code in codes]
    return [(code, batch_rules[code]()) for code in wanted]


def batch_lines(batch_id: int) -> QuerySet:
    """The batch's lines, with the batch's service-date range spelled out where the table is partitioned,
    so every statement of the gate names the months it needs and the planner reads only their partitions
    (billing/partitions.py). One aggregate finds the range; on SQLite (plain tables) the batch is enough."""
    lines = ServiceLine.objects.filter(batch_id=batch_id)
    if not partitions.partitioned(ServiceLine._meta.db_table):
        return lines
    window = lines.aggregate(first=Min("service_date"), last=Max("service_date"))
    if window["first"] is None:
        return lines
    return lines.filter(service_date__gte=window["first"], service_date__lte=window["last"])


def reason_querysets(
    batch_id: int, today: datetime.date | None = None, lines: QuerySet | None = None
) -> list[tuple[str, QuerySet]]:
    """(code, the batch's pending lines that fail the rule) for every reason. Each is one SELECT."""
    lines = batch_lines(batch_id) if lines is None else lines
    return rule_querysets(lines.filter(status__in=DECIDED), today=today)


def _insert_holds(code: str, qs: QuerySet, detail=None) -> int:
    """INSERT INTO linehold (line_id, code, detail) SELECT ... : one statement for the whole set."""
    rows = qs.annotate(
        hold_code=Value(code, output_field=CharField()),
        hold_detail=detail if detail is not None else Value("", output_field=CharField()),
    ).values_list("pk", "hold_code", "hold_detail")
    sql, params = rows.query.sql_with_params()
    table = connection.ops.quote_name(LineHold._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {table} (line_id, code, detail) {sql}", params)  # noqa: S608 - our own SQL
        return cursor.rowcount


def steps(batch_id: int, today: datetime.date | None = None) -> list[tuple[str, Callable[[], int]]]:
    """The gate as a list of (name, callable) steps, so a task can report progress between them."""
    lines = batch_lines(batch_id)

    def reset() -> int:
        # Only the holds go: the lines keep their status until the one UPDATE at the end decides them
        # (a full-table UPDATE is the gate's dearest statement, so it happens once). LineHold has no
        # dependants, so Django deletes in one statement.
        return LineHold.objects.filter(line_id__in=lines.filter(status__in=DECIDED).values("pk")).delete()[0]

    def hold(code: str, qs: QuerySet) -> Callable[[], int]:
        return lambda: _insert_holds(code, qs)

    def utilization() -> int:
        written = 0
        for check in hooks.UTILIZATION_CHECKS:
            for code, breaching, detail in check(lines.filter(status__in=DECIDED)):
                written += _insert_holds(code, breaching, detail)
        return written

    def decide() -> int:
        """One UPDATE: held where a hold exists, else billable; priced at units x the rate in force."""
        held = Exists(LineHold.objects.filter(line_id=OuterRef("pk")))
        amount = benefit_selectors.rate_in_force_subquery(field="amount")
        return lines.filter(status__in=DECIDED).update(
            status=Case(When(held, then=Value(LineStatus.HELD)), default=Value(LineStatus.BILLABLE)),
            charge=ExpressionWrapper(F("units") * amount, output_field=DecimalField(max_digits=10, decimal_places=2)),
        )

    result = [("reset", reset)]
    result += [(code, hold(code, qs)) for code, qs in reason_querysets(batch_id, today, lines)]
    result += [("utilization", utilization), ("decide", decide)]
    return result


def counts(batch_id: int) -> dict:
    """The batch's result in four aggregate queries: by status, by reason, by provider, by peer."""
    from django.db.models import Count

    lines = ServiceLine.objects.filter(batch_id=batch_id)
    by_status = {row["status"]: row["n"] for row in lines.values("status").annotate(n=Count("id")).order_by()}
    by_reason = {
        row["code"]: row["n"]
        for row in LineHold.objects.filter(line__batch_id=batch_id).values("code").annotate(n=Count("id")).order_by()
    }
    held = Count("id", filter=Q(status=LineStatus.HELD))
    by_provider = [
        {
            "provider_id": r["employment__provider_id"],
            "name": r["employment__provider__name"],
            "lines": r["n"],
            "held": r["h"],
        }
        for r in lines.values("employment__provider_id", "employment__provider__name")
        .annotate(n=Count("id"), h=held)
        .order_by("employment__provider__name")
    ]
    by_peer = [
        {
            "person_id": r["employment__person_id"],
            "name": " ".join(
                x for x in (r["employment__person__legal_first_name"], r["employment__person__legal_last_name"]) if x
            ),
            "lines": r["n"],
            "held": r["h"],
        }
        for r in lines.values(
            "employment__person_id", "employment__person__legal_first_name", "employment__person__legal_last_name"
        )
        .annotate(n=Count("id"), h=held)
        .order_by("employment__person__legal_last_name", "employment__person__legal_first_name")
    ]
    return {
        "total": sum(by_status.values()),
        "by_status": by_status,
        "by_reason": {code: by_reason[code] for code in all_reasons() if code in by_reason},
        "by_provider": by_provider,
        "by_peer": by_peer,
    }


def evaluate(
    batch_id: int, today: datetime.date | None = None, progress: Callable[[int, int], None] | None = None
) -> dict:
    """Run every step of the gate over the batch and return its counts. The caller holds the transaction
    (or, for a task, commits between steps and reports progress(done, total))."""
    all_steps = steps(batch_id, today)
    for done, (_name, step) in enumerate(all_steps, start=1):
        step()
        if progress is not None:
            progress(done, len(all_steps))
    return counts(batch_id)
