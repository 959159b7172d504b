"""integrity: reads of the utilization part, and the utilization check the billing gate runs.

The check (utilization_check) is set-based: for each kind of rule it returns one queryset of the lines
that breach, which the gate writes as holds with one INSERT ... SELECT each. Counting follows one order,
so the result is the same every time: lines already billed (billable, overridden or paid, in any other
batch) come first, then the lines being decided by id; a line breaches when the running total up to and
including it passes the strictest limit in force on its date of service (statewide or its county's).
The running total is a correlated SUM over the lines before it (no Python loop over lines).
"""

import datetime

from django.db.models import (
    CharField,
    Count,
    DateField,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Cast, Coalesce, Concat, Substr, TruncMonth
from django.http import Http404

from peercert.billing import selectors as billing_selectors
from peercert.integrity import permissions
from peercert.integrity.models.utilization import (
    LineFinding,
    ReviewLine,
    RuleKind,
    RuleStatus,
    UtilizationReview,
    UtilizationReviewStatus,
    UtilizationRule,
)

__all__ = [
    "PASSING_STATUSES",
    "UTILIZATION_CODES",
    "access_utilization_review",
    "access_review_line",
    "access_rule",
    "finding_list",
    "review_line_list",
    "utilization_review_list",
    "rule_list",
    "rules_in_force_on",
    "utilization_check",
    "lines_to_review",
]

# Lines that count as billed when the gate counts what came before (billing's PASSING).
PASSING_STATUSES = ("billable", "overridden")
PAID_OUTCOMES = ("paid", "adjusted")

# One hold code per kind of rule (registered with billing's hooks in wiring_utilization).
UTILIZATION_CODES = {
    RuleKind.BENEFICIARY_DAY_UNITS: "utilization_beneficiary_day_units",
    RuleKind.PEER_DAY_UNITS: "utilization_peer_day_units",
    RuleKind.LOCKOUT: "utilization_lockout",
    RuleKind.MONTHLY_FREQUENCY: "utilization_monthly_frequency",
}


def _line_model():
    """billing's ServiceLine, found through our foreign key (billing's models are not a public module)."""
    return ReviewLine._meta.get_field("line").related_model


def _in_force(day="service_date") -> Q:
    return Q(effective_from__lte=OuterRef(day)) & (Q(effective_to__isnull=True) | Q(effective_to__gte=OuterRef(day)))


def _applicable(kind: str) -> QuerySet:
    """The rules of a kind that apply to the outer line: in force on its date of service, statewide or its
    county's, for its delivery system (or every system). Strictest first, statewide before county, by id."""
    qs = (
        UtilizationRule.objects.filter(kind=kind)
        .filter(_in_force())
        .filter(Q(county__isnull=True) | Q(county_id=OuterRef("county_id")))
        .filter(Q(delivery_system="") | Q(delivery_system=OuterRef("delivery_system")))
    )
    if kind in (RuleKind.BENEFICIARY_DAY_UNITS, RuleKind.MONTHLY_FREQUENCY):
        qs = qs.filter(code=OuterRef("code"))
    return qs.order_by(F("limit").asc(nulls_last=True), F("county_id").asc(nulls_first=True), "pk")


def _detail(rules: QuerySet) -> Subquery:
    """The hold's detail: the rule's id, version, name and limit."""
    text = Concat(
        Value("Rule "),
        Cast("pk", CharField()),
        Value(" v"),
        Cast("version", CharField()),
        Value(": "),
        "name",
        Value(" (limit "),
        Coalesce(Cast("limit", CharField()), Value("-")),
        Value(")"),
        output_field=CharField(),
    )
    return Subquery(rules.annotate(d=Substr(text, 1, 300)).values("d")[:1], output_field=CharField())


def _before(lines: QuerySet) -> Q:
    """Lines counted before the outer line: billed elsewhere (not being decided now), or decided now with a
    smaller id."""
    deciding = lines.values("pk")
    return (Q(status__in=PASSING_STATUSES) & ~Q(pk__in=deciding)) | (Q(pk__in=deciding) & Q(pk__lt=OuterRef("pk")))


def _sum_before(lines: QuerySet, key: dict, what) -> Coalesce:
    """SUM(what) over the lines before the outer one that share its key, 0 when none."""
    Line = _line_model()
    pool = Line.objects.filter(**key).filter(_before(lines))
    group = next(iter(key))
    total = pool.order_by().values(group).annotate(s=what).values("s")[:1]
    return Coalesce(Subquery(total, output_field=IntegerField()), Value(0), output_field=IntegerField())


def _units_breach(lines: QuerySet, kind: str, key: dict) -> tuple[QuerySet, Subquery]:
    rules = _applicable(kind)
    breaching = (
        lines.filter(units__gt=0)
        .annotate(
            rule_limit=Subquery(rules.values("limit")[:1], output_field=IntegerField()),
            units_before=_sum_before(lines, key, Sum("units")),
        )
        .filter(rule_limit__isnull=False)
        .filter(rule_limit__lt=F("units_before") + F("units"))
    )
    return breaching, _detail(rules)


def _beneficiary_day(lines: QuerySet):
    key = {
        "beneficiary_id": OuterRef("beneficiary_id"),
        "service_date": OuterRef("service_date"),
        "code": OuterRef("code"),
    }
    return _units_breach(lines.filter(beneficiary__isnull=False), RuleKind.BENEFICIARY_DAY_UNITS, key)


def _peer_day(lines: QuerySet):
    # The peer is the Person: their day counts across beneficiaries, providers and counties.
    key = {"employment__person_id": OuterRef("employment__person_id"), "service_date": OuterRef("service_date")}
    return _units_breach(lines.filter(employment__isnull=False), RuleKind.PEER_DAY_UNITS, key)


def _monthly(lines: QuerySet):
    rules = _applicable(RuleKind.MONTHLY_FREQUENCY)
    Line = _line_model()
    month = TruncMonth("service_date", output_field=DateField())
    pool = (
        Line.objects.annotate(m=month)
        .filter(beneficiary_id=OuterRef("beneficiary_id"), code=OuterRef("code"), m=OuterRef("service_month"))
        .filter(_before(lines))
    )
    count = pool.order_by().values("beneficiary_id").annotate(n=Count("pk")).values("n")[:1]
    breaching = (
        lines.filter(beneficiary__isnull=False, units__gt=0)
        .annotate(service_month=month)
        .annotate(
            rule_limit=Subquery(rules.values("limit")[:1], output_field=IntegerField()),
            services_before=Coalesce(Subquery(count, output_field=IntegerField()), Value(0)),
        )
        .filter(rule_limit__isnull=False)
        .filter(rule_limit__lte=F("services_before"))
    )
    return breaching, _detail(rules)


def _lockout(lines: QuerySet):
    """A line breaches when a line before it (same beneficiary, same day) has the other code of a lockout in
    force for it: the first of the pair is billed, the later one held."""
    Line = _line_model()
    other = Line.objects.filter(
        beneficiary_id=OuterRef(OuterRef("beneficiary_id")),
        service_date=OuterRef(OuterRef("service_date")),
    )
    # A lockout rule applies to the outer line when its code is one of the pair and a line before it has the
    # other one.
    deciding = lines.values("pk")
    before = (Q(status__in=PASSING_STATUSES) & ~Q(pk__in=deciding)) | (
        Q(pk__in=deciding) & Q(pk__lt=OuterRef(OuterRef("pk")))
    )
    rules = (
        UtilizationRule.objects.filter(kind=RuleKind.LOCKOUT)
        .filter(_in_force())
        .filter(Q(county__isnull=True) | Q(county_id=OuterRef("county_id")))
        .filter(Q(delivery_system="") | Q(delivery_system=OuterRef("delivery_system")))
        .filter(
            (Q(code=OuterRef("code")) & Exists(other.filter(before).filter(code=OuterRef("other_code"))))
            | (Q(other_code=OuterRef("code")) & Exists(other.filter(before).filter(code=OuterRef("code"))))
        )
        .order_by(F("county_id").asc(nulls_first=True), "pk")
    )
    breaching = lines.filter(beneficiary__isnull=False).filter(Exists(rules))
    return breaching, _detail(rules)


def utilization_check(lines: QuerySet) -> list[tuple[str, QuerySet, Subquery]]:
    """billing.hooks' utilization check: (code, breaching lines, hold detail) for each kind of rule."""
    return [
        (UTILIZATION_CODES[RuleKind.BENEFICIARY_DAY_UNITS], *_beneficiary_day(lines)),
        (UTILIZATION_CODES[RuleKind.PEER_DAY_UNITS], *_peer_day(lines)),
        (UTILIZATION_CODES[RuleKind.LOCKOUT], *_lockout(lines)),
        (UTILIZATION_CODES[RuleKind.MONTHLY_FREQUENCY], *_monthly(lines)),
    ]


# ---- Rules ---------------------------------------------------------------------------------------


def _rule_scope(qs: QuerySet, actor) -> QuerySet:
    if not permissions.can_read_utilization_rules(actor):
        return qs.none()
    counties = permissions.utilization_readable_county_ids(actor)
    return qs if counties is None else qs.filter(Q(county__isnull=True) | Q(county_id__in=counties))


def rule_list(actor, *, scope: str = "", when: str = "", today: datetime.date | None = None) -> QuerySet:
    """The rules the actor may read. scope: "statewide", a county id, or all; when: "current" (in force today
    or later and not ended) or "past" (ended, superseded or over)."""
    qs = _rule_scope(UtilizationRule.objects.select_related("county", "supersedes"), actor)
    if scope == "statewide":
        qs = qs.filter(county__isnull=True)
    elif scope.isdigit():
        qs = qs.filter(county_id=int(scope))
    if today is not None and when == "current":
        qs = qs.filter(status=RuleStatus.CURRENT).filter(Q(effective_to__isnull=True) | Q(effective_to__gte=today))
    elif today is not None and when == "past":
        qs = qs.filter(~Q(status=RuleStatus.CURRENT) | Q(effective_to__lt=today))
    return qs.order_by(F("county__name").asc(nulls_first=True), "kind", "code", "-effective_from", "-version")


def rules_in_force_on(day: datetime.date, *, county_id: int | None = None) -> QuerySet:
    qs = UtilizationRule.objects.filter(effective_from__lte=day).filter(
        Q(effective_to__isnull=True) | Q(effective_to__gte=day)
    )
    return qs.filter(Q(county__isnull=True) | Q(county_id=county_id))


def _get(qs: QuerySet, pk):
    try:
        return qs.get(pk=int(pk))
    except (qs.model.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404 from None


def access_rule(actor, rule_id) -> UtilizationRule:
    return _get(_rule_scope(UtilizationRule.objects.select_related("county"), actor), rule_id)


# ---- Reviews -------------------------------------------------------------------------------------


def _review_scope(qs: QuerySet, actor, field: str = "county_id") -> QuerySet:
    if not permissions.can_read_utilization_reviews(actor):
        return qs.none()
    counties = permissions.utilization_readable_county_ids(actor)
    return qs if counties is None else qs.filter(**{f"{field}__in": counties})


def utilization_review_list(actor) -> QuerySet:
    qs = _review_scope(UtilizationReview.objects.select_related("county"), actor)
    return qs.annotate(
        line_total=Count("lines", distinct=True),
        reviewed=Count("lines__finding", distinct=True),
    ).order_by("-period_end", "-id")


def access_utilization_review(actor, review_id) -> UtilizationReview:
    return _get(_review_scope(UtilizationReview.objects.select_related("county"), actor), review_id)


def review_line_list(review: UtilizationReview, *, todo: bool = False) -> list:
    """The review's lines with their service line and finding (one query each way, no beneficiary data
    beyond the CIN billing's pages show)."""
    qs = ReviewLine.objects.filter(review=review).select_related("finding").order_by("id")
    if todo:
        qs = qs.filter(finding__isnull=True)
    rows = list(qs)
    Line = _line_model()
    lines = Line.objects.select_related("employment__person", "employment__provider").in_bulk([r.line_id for r in rows])
    for row in rows:
        row.service_line = lines.get(row.line_id)
    return rows


def access_review_line(actor, review_line_id) -> ReviewLine:
    qs = ReviewLine.objects.select_related("review", "review__county")
    row = _get(_review_scope(qs, actor, field="review__county_id"), review_line_id)
    Line = _line_model()
    row.service_line = Line.objects.select_related("employment__person", "employment__provider", "batch").get(
        pk=row.line_id
    )
    return row


def finding_list(actor, *, outcome: str = "") -> QuerySet:
    qs = _review_scope(
        LineFinding.objects.select_related("review_line__review__county", "reviewer"),
        actor,
        field="review_line__review__county_id",
    )
    if outcome:
        qs = qs.filter(outcome=outcome)
    return qs.order_by("-created_at", "-id")


def lines_to_review(actor, county_id: int | None = None) -> QuerySet:
    """Review lines of open reviews with no finding yet, in the actor's counties."""
    qs = _review_scope(ReviewLine.objects.select_related("review"), actor, field="review__county_id").filter(
        review__status=UtilizationReviewStatus.OPEN, finding__isnull=True
    )
    if county_id is not None:
        qs = qs.filter(review__county_id=county_id)
    return qs.order_by("review_id", "id")


def log_review_reads(actor, rows, *, what: str) -> None:
    billing_selectors.log_beneficiary_reads(
        actor, [getattr(r.service_line, "beneficiary_id", None) for r in rows if r.service_line], what=what
    )


__all__ += ["PAID_OUTCOMES", "log_review_reads"]
