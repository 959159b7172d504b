"""Demo data for integrity's utilization part. Safe to run again.

A few statewide and Los Angeles utilization rules (one Los Angeles rule with two versions), and a Los
Angeles utilization review of the billing demo's paid lines (the seeded sample and the outliers) with two
findings (or, when billing's demo paid no Los Angeles line, the county it paid, for DHCS). Runs after
billing's demo; reviews nothing when billing left no paid line."""

import datetime

from django.db.models import Max, Min

from peercert.accounts.models import County, User
from peercert.core import clock
from peercert.integrity import services
from peercert.integrity.models.utilization import (
    LineFinding,
    LineFindingOutcome,
    ReviewLine,
    RuleKind,
    UtilizationReview,
    UtilizationRule,
)
from peercert.integrity.selectors.utilization import PAID_OUTCOMES, PASSING_STATUSES

SINCE = datetime.date(2025, 7, 1)
DEMO_SEED = 2026

STATEWIDE = [
    {
        "kind": RuleKind.BENEFICIARY_DAY_UNITS,
        "name": "Peer support (H0038): 6 hours per beneficiary per day",
        "code": "H0038",
        "limit": 24,
        "source": "Demo: SMHS billing manual, peer support services",
    },
    {
        "kind": RuleKind.LOCKOUT,
        "name": "Peer support and prevention education not on the same day",
        "code": "H0025",
        "other_code": "H0038",
        "source": "Demo: DMC-ODS billing manual, same-day services",
    },
    {
        "kind": RuleKind.MONTHLY_FREQUENCY,
        "name": "Prevention education groups (H0025): 12 per beneficiary per month",
        "code": "H0025",
        "limit": 12,
        "source": "Demo: billing manual",
    },
]
LOS_ANGELES = {
    "kind": RuleKind.BENEFICIARY_DAY_UNITS,
    "name": "Los Angeles: H0038 at most 4 hours per beneficiary per day",
    "code": "H0038",
    "limit": 16,
    "source": "Demo: LA County DMH utilization policy",
}


def _user(email):
    return User.objects.filter(email=email).first()


def seed(stdout) -> None:
    approver = _user("approver@demo.peercert.example")
    supervisor = _user("billing.supervisor@demo.peercert.example")
    billing = _user("billing@demo.peercert.example")
    los_angeles = County.objects.get(name="Los Angeles")
    added = 0
    for spec in STATEWIDE:
        exists = UtilizationRule.objects.filter(
            county__isnull=True, kind=spec["kind"], code=spec["code"], other_code=spec.get("other_code", "")
        ).exists()
        if not exists:
            services.utilization_rule_add(actor=approver, data={**spec, "effective_from": SINCE})
            added += 1
    if not UtilizationRule.objects.filter(county=los_angeles).exists():
        first = services.utilization_rule_add(
            actor=supervisor, county=los_angeles, data={**LOS_ANGELES, "limit": 20, "effective_from": SINCE}
        )
        services.utilization_rule_supersede(
            actor=supervisor,
            rule=first,
            data={**LOS_ANGELES, "effective_from": datetime.date(2026, 1, 1)},
            reason="The county's utilization committee lowered the limit from 5 to 4 hours.",
        )
        added += 2
    stdout.write(f"  integrity utilization: {added} rules added")
    _review(stdout, los_angeles, billing, supervisor)


def _review(stdout, county, billing, supervisor) -> None:
    """Los Angeles's paid lines when billing's demo paid some there (findings by its billing staff); else the
    county whose lines billing's demo 835 paid, opened by the system, for DHCS to see (no findings: that
    county has no demo billing user)."""
    if UtilizationReview.objects.filter(seed=DEMO_SEED).exists():
        stdout.write("  integrity utilization: the demo review is already there")
        return
    Line = ReviewLine._meta.get_field("line").related_model
    paid = Line.objects.filter(status__in=PASSING_STATUSES, remittance_status__in=PAID_OUTCOMES)
    if not paid.filter(county=county).exists():
        other = paid.order_by("county_id").values_list("county_id", flat=True).first()
        if other is None:
            stdout.write("  integrity utilization: billing's demo paid no line, so no demo review")
            return
        county, billing, supervisor = County.objects.get(pk=other), None, None
    span = paid.filter(county=county).aggregate(first=Min("service_date"), last=Max("service_date"))
    last = min(span["last"], clock.today())
    first = max(span["first"], last - datetime.timedelta(days=services.MAX_REVIEW_DAYS - 1))
    review = services.utilization_review_open(
        actor=billing, county=county, period_start=first, period_end=last, seed=DEMO_SEED
    )
    rows = list(ReviewLine.objects.filter(review=review).order_by("id")[:2]) if billing else []
    if rows:
        services.line_finding_record(
            actor=billing, review_line=rows[0], outcome=LineFindingOutcome.SUPPORTED, note="Progress note matches."
        )
    if len(rows) > 1:
        services.line_finding_record(
            actor=supervisor or billing,
            review_line=rows[1],
            outcome=LineFindingOutcome.NOT_SUPPORTED,
            category="documentation",
            note="No signed progress note for this date of service in SmartCare.",
        )
    count = ReviewLine.objects.filter(review=review).count()
    stdout.write(
        f"  integrity utilization: review {review.pk} of {county.name}, {count} lines, "
        f"{LineFinding.objects.filter(review_line__review=review).count()} findings"
    )
