"""integrity: the utilization part's services.

Rules: a DHCS approver adds, ends and supersedes statewide utilization rules; a county billing supervisor
does the same for stricter limits in their own county. A rule whose period overlaps another current one
of the same scope, kind, code(s) and delivery system is refused; so is a county limit above a statewide
one in force in its period. Ending sets the last day; superseding ends the old version the day before
the new one starts and links them, so history keeps every version.

Reviews: county billing staff open a review of the county's paid lines in a period: a reproducible random
sample (the seed and the rate from ProgramRules) and every outlier (a peer over the daily limit across
providers; units at least the rule's multiple of the county's median for the code), written with one
INSERT ... SELECT per kind. A reviewer records one finding per line; a paid line found not supported is
announced with integrity.signals.line_found_unsupported after commit.
"""

import datetime
import math
import random
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import (
    BooleanField,
    Count,
    F,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    Window,
)
from django.db.models.functions import Coalesce, RowNumber
from django.utils.translation import gettext_noop

from peercert.core import clock
from peercert.core.audit import audit_record
from peercert.core.errors import ApplicationError
from peercert.core.rules import rules_on
from peercert.core.transitions import check_transition, transition
from peercert.core.types import Actor
from peercert.integrity import permissions, signals
from peercert.integrity.audit import AuditAction
from peercert.integrity.models.utilization import (
    FINDING_CATEGORIES,
    RULE_TRANSITIONS,
    UTILIZATION_REVIEW_TRANSITIONS,
    LineFinding,
    LineFindingOutcome,
    ReviewLine,
    RuleKind,
    RuleStatus,
    UtilizationReview,
    UtilizationReviewStatus,
    UtilizationRule,
)
from peercert.integrity.selectors.utilization import PAID_OUTCOMES, PASSING_STATUSES

__all__ = [
    "MAX_REVIEW_DAYS",
    "line_finding_record",
    "utilization_review_close",
    "utilization_review_open",
    "utilization_rule_add",
    "utilization_rule_end",
    "utilization_rule_supersede",
]

RULE = gettext_noop("utilization rule")
REVIEW = gettext_noop("utilization review")
SYSTEMS = ("", "smhs", "dmc", "dmc_ods")
MAX_REVIEW_DAYS = 366


def _rule_snapshot(rule: UtilizationRule) -> dict:
    return {
        "county_id": rule.county_id,
        "kind": rule.kind,
        "name": rule.name,
        "code": rule.code,
        "other_code": rule.other_code,
        "limit": rule.limit,
        "delivery_system": rule.delivery_system,
        "effective_from": rule.effective_from.isoformat(),
        "effective_to": rule.effective_to.isoformat() if rule.effective_to else None,
        "version": rule.version,
        "status": rule.status,
    }


def _overlapping(qs, start: datetime.date, end: datetime.date | None):
    qs = qs.filter(Q(effective_to__isnull=True) | Q(effective_to__gte=start))
    return qs if end is None else qs.filter(effective_from__lte=end)


def _clean_fields(data: dict) -> dict:
    kind = data.get("kind") or ""
    if kind not in RuleKind.values:
        raise ApplicationError("Choose the kind of rule.", field="kind")
    code = (data.get("code") or "").strip().upper()
    other = (data.get("other_code") or "").strip().upper()
    limit = data.get("limit")
    system = data.get("delivery_system") or ""
    name = (data.get("name") or "").strip()
    if not name:
        raise ApplicationError("Give the rule a name people will recognize.", field="name")
    if len(name) > 120:
        raise ApplicationError("The name is longer than 120 characters.", field="name")
    if system not in SYSTEMS:
        raise ApplicationError("Choose a delivery system, or every system.", field="delivery_system")
    for value, field in ((code, "code"), (other, "other_code")):
        if value and not (len(value) == 5 and value[0].isalpha() and value[1:].isdigit()):
            raise ApplicationError("A HCPCS code is a letter and four digits, such as H0038.", field=field)
    if kind == RuleKind.LOCKOUT:
        if not code or not other:
            raise ApplicationError("A lockout names two codes.", field="other_code")
        if code == other:
            raise ApplicationError("A lockout names two different codes.", field="other_code")
        code, other, limit = min(code, other), max(code, other), None
    else:
        if limit is None or not (0 < int(limit) <= 10000):
            raise ApplicationError("Give a limit between 1 and 10,000.", field="limit")
        limit, other = int(limit), ""
        if kind == RuleKind.PEER_DAY_UNITS:
            code = ""
        elif not code:
            raise ApplicationError("Name the HCPCS code the limit is for.", field="code")
    start, end = data.get("effective_from"), data.get("effective_to")
    if start is None:
        raise ApplicationError("Give the first day the rule is in force.", field="effective_from")
    if end is not None and end < start:
        raise ApplicationError("The last day is before the first day.", field="effective_to")
    source = (data.get("source") or "").strip()[:200]
    return {
        "kind": kind,
        "name": name,
        "code": code,
        "other_code": other,
        "limit": limit,
        "delivery_system": system,
        "effective_from": start,
        "effective_to": end,
        "source": source,
    }


def _check_rule(*, county_id: int | None, fields: dict, ignore_pk: int | None = None) -> None:
    """Overlap within the same scope, and (for a county) no looser than the statewide rule in force."""
    same = UtilizationRule.objects.filter(
        county_id=county_id,
        kind=fields["kind"],
        code=fields["code"],
        other_code=fields["other_code"],
        delivery_system=fields["delivery_system"],
    )
    if ignore_pk is not None:
        same = same.exclude(pk=ignore_pk)
    clash = _overlapping(same, fields["effective_from"], fields["effective_to"]).order_by("effective_from").first()
    if clash is not None:
        raise ApplicationError(
            "This rule's period overlaps %(name)s (version %(version)s, from %(start)s): end or supersede that "
            "rule instead.",
            params={"name": clash.name, "version": clash.version, "start": clash.effective_from},
            field="effective_from",
        )
    if county_id is None or fields["kind"] == RuleKind.LOCKOUT:
        return
    # A county rule for every system is compared with every statewide rule; one for a system, with the
    # statewide rules for that system or for every system.
    statewide = UtilizationRule.objects.filter(
        county__isnull=True, kind=fields["kind"], code=fields["code"], limit__lt=fields["limit"]
    )
    if fields["delivery_system"]:
        statewide = statewide.filter(Q(delivery_system="") | Q(delivery_system=fields["delivery_system"]))
    looser = _overlapping(statewide, fields["effective_from"], fields["effective_to"]).order_by("limit").first()
    if looser is not None:
        raise ApplicationError(
            "A county may only be stricter than the state: the statewide rule %(name)s allows %(limit)s, so a "
            "county limit of %(mine)s is refused.",
            params={"name": looser.name, "limit": looser.limit, "mine": fields["limit"]},
            field="limit",
        )


def _county_pk(county) -> int | None:
    if county is None or county == "":
        return None
    return int(getattr(county, "pk", county))


@transaction.atomic
def utilization_rule_add(*, actor: Actor, county=None, data: dict) -> UtilizationRule:
    """Add a utilization rule, statewide (county None) or for one county.

    Preconditions: a DHCS approver (statewide) or the county's billing supervisor; the fields fit the kind;
    no overlap with a rule of the same scope, kind, code(s) and system; a county limit no looser than a
    statewide one in force in its period. Side effects: audit event."""
    county_id = _county_pk(county)
    if actor is not None and not permissions.can_edit_rule_scope(actor, county_id):
        raise ApplicationError("You may not change these utilization rules.", code="forbidden")
    fields = _clean_fields(data)
    # Serialize adds of the same scope so two overlapping rules cannot both pass the check.
    # (order_by: the model's default ordering joins the county, and PostgreSQL cannot lock an outer join.)
    list(
        UtilizationRule.objects.select_for_update()
        .filter(county_id=county_id, kind=fields["kind"])
        .order_by("pk")
        .values("pk")
    )
    _check_rule(county_id=county_id, fields=fields)
    rule = UtilizationRule.objects.create(county_id=county_id, created_by=_user(actor), **fields)
    audit_record(actor=actor, action=AuditAction.UTILIZATION_RULE_ADD, obj=rule, after=_rule_snapshot(rule))
    return rule


def _user(actor):
    return actor if getattr(actor, "pk", None) else None


def _lock_rule(actor, rule) -> UtilizationRule:
    rule = UtilizationRule.objects.select_for_update().get(pk=rule.pk)
    if actor is not None and not permissions.can_edit_rule_scope(actor, rule.county_id):
        raise ApplicationError("You may not change these utilization rules.", code="forbidden")
    return rule


@transaction.atomic
def utilization_rule_end(*, actor: Actor, rule: UtilizationRule, last_day: datetime.date, reason: str):
    """End a current rule on last_day (kept as history).

    Preconditions: may edit its scope; the rule is current; a reason; last_day on or after its first day and
    not after a last day it already has. Side effects: audit event with the reason."""
    rule = _lock_rule(actor, rule)
    reason = (reason or "").strip()
    if not reason:
        raise ApplicationError("Say why the rule ends.", field="reason")
    if last_day is None or last_day < rule.effective_from:
        raise ApplicationError(
            "The last day cannot be before the rule's first day, %(start)s.",
            params={"start": rule.effective_from},
            field="last_day",
        )
    if rule.effective_to is not None and last_day > rule.effective_to:
        raise ApplicationError("The rule already ends on %(end)s.", params={"end": rule.effective_to}, field="last_day")
    before = _rule_snapshot(rule)
    transition(rule, RuleStatus.ENDED, allowed=RULE_TRANSITIONS, noun=RULE)
    rule.effective_to, rule.end_reason, rule.ended_by, rule.ended_at = (
        last_day,
        reason[:2000],
        _user(actor),
        clock.now(),
    )
    rule.save(update_fields=["status", "effective_to", "end_reason", "ended_by", "ended_at", "updated_at"])
    audit_record(
        actor=actor,
        action=AuditAction.UTILIZATION_RULE_END,
        obj=rule,
        before=before,
        after=_rule_snapshot(rule),
        reason=reason,
    )
    return rule


@transaction.atomic
def utilization_rule_supersede(*, actor: Actor, rule: UtilizationRule, data: dict, reason: str) -> UtilizationRule:
    """Replace a current rule by a new version from data["effective_from"]: the old one ends the day before.

    The new version keeps the scope, kind and code(s); its limit, name, system filter and last day may
    change. Preconditions: as for adding, plus a reason and a start after the old rule's first day.
    Side effects: audit events on both versions."""
    rule = _lock_rule(actor, rule)
    reason = (reason or "").strip()
    if not reason:
        raise ApplicationError("Say why the rule changes.", field="reason")
    check_transition(rule, RuleStatus.SUPERSEDED, allowed=RULE_TRANSITIONS, noun=RULE)
    merged = {
        "kind": rule.kind,
        "code": rule.code,
        "other_code": rule.other_code,
        "name": data.get("name") or rule.name,
        "limit": data.get("limit", rule.limit),
        "delivery_system": data.get("delivery_system", rule.delivery_system),
        "effective_from": data.get("effective_from"),
        "effective_to": data.get("effective_to"),
        "source": data.get("source", rule.source),
    }
    fields = _clean_fields(merged)
    start = fields["effective_from"]
    if start <= rule.effective_from:
        raise ApplicationError(
            "The new version must start after this one's first day, %(start)s.",
            params={"start": rule.effective_from},
            field="effective_from",
        )
    if rule.effective_to is not None and start > rule.effective_to + datetime.timedelta(days=1):
        raise ApplicationError(
            "This rule already ended on %(end)s: add a new rule instead.",
            params={"end": rule.effective_to},
            field="effective_from",
        )
    before = _rule_snapshot(rule)
    transition(rule, RuleStatus.SUPERSEDED, allowed=RULE_TRANSITIONS, noun=RULE)
    rule.effective_to = start - datetime.timedelta(days=1)
    rule.end_reason, rule.ended_by, rule.ended_at = reason[:2000], _user(actor), clock.now()
    rule.save(update_fields=["status", "effective_to", "end_reason", "ended_by", "ended_at", "updated_at"])
    _check_rule(county_id=rule.county_id, fields=fields, ignore_pk=rule.pk)
    new = UtilizationRule.objects.create(
        county_id=rule.county_id, version=rule.version + 1, supersedes=rule, created_by=_user(actor), **fields
    )
    audit_record(
        actor=actor,
        action=AuditAction.UTILIZATION_RULE_SUPERSEDE,
        obj=rule,
        before=before,
        after=_rule_snapshot(rule),
        reason=reason,
    )
    audit_record(
        actor=actor, action=AuditAction.UTILIZATION_RULE_ADD, obj=new, after=_rule_snapshot(new), reason=reason
    )
    return new


# ---- Reviews -------------------------------------------------------------------------------------

# A multiplicative hash of (line id + seed), the same in SQLite and PostgreSQL (64-bit integers): ordering
# by it gives a reproducible pseudo-random order, so the same seed draws the same sample.
_HASH_MULTIPLIER = 2654435761
_HASH_MODULUS = 4294967296


def _line_model():
    return ReviewLine._meta.get_field("line").related_model


def _insert_review_lines(review_id: int, qs, flag: str) -> int:
    """INSERT INTO reviewline (review_id, line_id, <flag>, ...) SELECT ...: one statement for the set; lines
    already in the review are left (they are flagged by the later UPDATE)."""
    flags = {"sampled": False, "peer_day": False, "units_above_median": False, flag: True}
    rows = qs.annotate(
        r_review=Value(review_id, output_field=IntegerField()),
        **{f"r_{name}": Value(value, output_field=BooleanField()) for name, value in flags.items()},
    ).values_list("r_review", "pk", *[f"r_{name}" for name in flags])
    sql, params = rows.query.sql_with_params()
    table = connection.ops.quote_name(ReviewLine._meta.db_table)
    columns = ", ".join(["review_id", "line_id", *flags])
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {table} ({columns}) {sql}", params)  # noqa: S608 - our own SQL
        return cursor.rowcount


def _paid_lines(county_id: int, start: datetime.date, end: datetime.date):
    return _line_model().objects.filter(
        county_id=county_id,
        service_date__gte=start,
        service_date__lte=end,
        status__in=PASSING_STATUSES,
        remittance_status__in=PAID_OUTCOMES,
    )


def _medians(paid) -> dict[str, Decimal]:
    """The county's median units per code in the period, from one windowed query (at most two rows per
    code come back: the middle one or two)."""
    ranked = paid.annotate(
        rn=Window(RowNumber(), partition_by=[F("code")], order_by=[F("units").asc(), F("pk").asc()]),
        n=Window(Count("pk"), partition_by=[F("code")]),
    ).values("code", "units", "rn", "n")
    middle: dict[str, list[int]] = {}
    for row in ranked.filter(Q(rn=(F("n") + 1) / 2) | Q(rn=(F("n") + 2) / 2)):
        middle.setdefault(row["code"], []).append(row["units"])
    return {code: Decimal(sum(units)) / len(units) for code, units in middle.items()}


@transaction.atomic
def utilization_review_open(
    *,
    actor: Actor,
    county,
    period_start: datetime.date,
    period_end: datetime.date,
    seed: int | None = None,
) -> UtilizationReview:
    """Open a utilization review of the county's paid lines with dates of service in the period.

    The sample: ceil(rate x paid lines) lines in the order of a hash of (id, seed), rate from ProgramRules
    (utilization_review_sample_rate). Outliers: every paid line of a peer-day over the peer's daily limit
    across providers and counties; every line whose units are at least utilization_outlier_median_multiple
    times the county's median for its code in the period. Preconditions: the county's billing staff (or the
    system, actor None: the demo, a scheduled review); a period of at most a year, not in the future. Side effects: review lines; audit event."""
    county_id = _county_pk(county)
    if actor is not None and not permissions.can_work_utilization_review(actor, county_id):
        raise ApplicationError("Only this county's billing staff may open its utilization reviews.", code="forbidden")
    today = clock.today()
    if period_start is None or period_end is None or period_end < period_start:
        raise ApplicationError("The period's last day is before its first day.", field="period_end")
    if period_end > today:
        raise ApplicationError("The period cannot end after today.", field="period_end")
    if (period_end - period_start).days >= MAX_REVIEW_DAYS:
        raise ApplicationError(
            "A review covers at most %(days)s days.", params={"days": MAX_REVIEW_DAYS}, field="period_start"
        )
    if seed is None:
        seed = random.SystemRandom().randrange(1, 2**31)  # noqa: S311 - recorded, so the draw is reproducible
    if not (0 < int(seed) < 2**31):
        raise ApplicationError("The seed is a whole number from 1 to 2,147,483,647.", field="seed")
    rules = rules_on(today)
    rate, multiple = rules.utilization_review_sample_rate, rules.utilization_outlier_median_multiple
    paid = _paid_lines(county_id, period_start, period_end)
    total = paid.count()
    review = UtilizationReview.objects.create(
        county_id=county_id,
        period_start=period_start,
        period_end=period_end,
        seed=int(seed),
        sample_rate=rate,
        outlier_multiple=multiple,
        rules_version=rules.version,
        paid_lines=total,
        created_by=_user(actor),
    )
    size = math.ceil(Decimal(total) * rate) if total else 0
    if size:
        order = ((F("pk") + Value(int(seed))) * Value(_HASH_MULTIPLIER)) % Value(_HASH_MODULUS)
        sample = paid.annotate(draw=order).order_by("draw", "pk")[:size]
        _insert_review_lines(review.pk, paid.filter(pk__in=sample.values("pk")), "sampled")
    # A peer over the daily limit across providers: the day's units over every paid or billable line of the
    # person, anywhere, against the strictest peer-day rule in force for the line (as the gate counts it).
    Line = _line_model()
    day_total = (
        Line.objects.filter(
            employment__person_id=OuterRef("employment__person_id"),
            service_date=OuterRef("service_date"),
            status__in=PASSING_STATUSES,
        )
        .order_by()
        .values("employment__person_id")
        .annotate(s=Sum("units"))
        .values("s")[:1]
    )
    limit = (
        UtilizationRule.objects.filter(kind=RuleKind.PEER_DAY_UNITS, effective_from__lte=OuterRef("service_date"))
        .filter(Q(effective_to__isnull=True) | Q(effective_to__gte=OuterRef("service_date")))
        .filter(Q(county__isnull=True) | Q(county_id=OuterRef("county_id")))
        .filter(Q(delivery_system="") | Q(delivery_system=OuterRef("delivery_system")))
        .order_by("limit")
        .values("limit")[:1]
    )
    peer_over = (
        paid.filter(employment__isnull=False)
        .annotate(
            day_units=Coalesce(Subquery(day_total, output_field=IntegerField()), Value(0)),
            day_limit=Subquery(limit, output_field=IntegerField()),
        )
        .filter(day_limit__isnull=False, day_units__gt=F("day_limit"))
    )
    _flag(review.pk, peer_over, "peer_day")
    medians = _medians(paid)
    if medians:
        condition = Q(pk__in=[])
        for code, median in sorted(medians.items()):
            condition |= Q(code=code, units__gte=median * multiple)
        _flag(review.pk, paid.filter(condition), "units_above_median")
    audit_record(
        actor=actor,
        action=AuditAction.UTILIZATION_REVIEW_OPEN,
        obj=review,
        after={
            "county_id": county_id,
            "period": [period_start.isoformat(), period_end.isoformat()],
            "seed": review.seed,
            "sample_rate": str(rate),
            "outlier_multiple": str(multiple),
            "paid_lines": total,
            "review_lines": ReviewLine.objects.filter(review=review).count(),
            "rules_version": rules.version,
        },
    )
    return review


def _flag(review_id: int, qs, flag: str) -> None:
    """Flag lines already in the review (one UPDATE), then add the others (one INSERT ... SELECT)."""
    ReviewLine.objects.filter(review_id=review_id, line_id__in=qs.values("pk")).update(**{flag: True})
    present = ReviewLine.objects.filter(review_id=review_id).values("line_id")
    _insert_review_lines(review_id, qs.exclude(pk__in=present), flag)


@transaction.atomic
def line_finding_record(
    *, actor: Actor, review_line: ReviewLine, outcome: str, category: str = "", note: str = ""
) -> LineFinding:
    """Record the finding on one line of an open review.

    Preconditions: the county's billing staff; not the line's own peer; the review open; no finding yet;
    not supported needs a category and a note. Side effects: audit event; when not supported and the line
    was paid, integrity.signals.line_found_unsupported after commit."""
    review_line = ReviewLine.objects.select_for_update().select_related("review").get(pk=review_line.pk)
    line = _line_model().objects.select_related("employment").get(pk=review_line.line_id)
    if actor is None or not permissions.can_work_utilization_review(actor, review_line.review.county_id):
        raise ApplicationError("Only this county's billing staff may record findings.", code="forbidden")
    if not permissions.can_review_line(actor, line):
        raise ApplicationError("You rendered this service, so someone else must review it.", code="own_matter")
    if review_line.review.status != UtilizationReviewStatus.OPEN:
        raise ApplicationError("This review is closed.", code="closed")
    if LineFinding.objects.filter(review_line=review_line).exists():
        raise ApplicationError("This line already has a finding.", code="duplicate")
    note = (note or "").strip()
    if len(note) > 2000:
        raise ApplicationError("The note is longer than 2,000 characters.", field="note")
    if outcome == LineFindingOutcome.SUPPORTED:
        category = ""
    elif outcome == LineFindingOutcome.NOT_SUPPORTED:
        if category not in FINDING_CATEGORIES:
            raise ApplicationError(
                "Say why it is not supported: documentation, medical necessity or other.", field="category"
            )
        if not note:
            raise ApplicationError("Write a note on what is missing or wrong.", field="note")
    else:
        raise ApplicationError("Choose supported or not supported.", field="outcome")
    finding = LineFinding.objects.create(
        review_line=review_line, line_id=line.pk, outcome=outcome, category=category, note=note, reviewer=actor
    )
    audit_record(
        actor=actor,
        action=AuditAction.UTILIZATION_FINDING_RECORD,
        obj=finding,
        after={"review_id": review_line.review_id, "line_id": line.pk, "outcome": outcome, "category": category},
        reason=note,
    )
    if outcome == LineFindingOutcome.NOT_SUPPORTED and line.remittance_status in PAID_OUTCOMES:
        line_ids, finding_ids = [line.pk], [finding.pk]
        transaction.on_commit(
            lambda: signals.line_found_unsupported.send(
                sender=LineFinding, line_ids=line_ids, finding_ids=finding_ids, actor=actor
            )
        )
    return finding


@transaction.atomic
def utilization_review_close(*, actor: Actor, review: UtilizationReview) -> UtilizationReview:
    """Close a review once every line has a finding. Preconditions: the county's billing supervisor.
    Side effects: audit event with the counts."""
    review = UtilizationReview.objects.select_for_update().get(pk=review.pk)
    if actor is None or review.county_id not in permissions.county_rule_editor_ids(actor):
        raise ApplicationError("Only this county's billing supervisor may close its reviews.", code="forbidden")
    left = ReviewLine.objects.filter(review=review, finding__isnull=True).count()
    if left:
        raise ApplicationError("%(n)s lines have no finding yet.", params={"n": left})
    before = transition(review, UtilizationReviewStatus.CLOSED, allowed=UTILIZATION_REVIEW_TRANSITIONS, noun=REVIEW)
    review.closed_at = clock.now()
    review.save(update_fields=["status", "closed_at", "updated_at"])
    outcomes = dict(
        LineFinding.objects.filter(review_line__review=review).values_list("outcome").annotate(n=Count("pk")).order_by()
    )
    audit_record(
        actor=actor,
        action=AuditAction.UTILIZATION_REVIEW_CLOSE,
        obj=review,
        before={"status": before},
        after={"status": review.status, "findings": outcomes},
    )
    return review
