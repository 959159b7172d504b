"""Access-matrix rows for integrity's utilization part. Written out by hand, not imported from permissions.py.

The world's rule is statewide; its review is in Los Angeles, the county of the matrix's county users."""

from peercert.accounts.roles import Role

READERS = {Role.COUNTY_BILLING, Role.COUNTY_BILLING_SUPERVISOR, Role.DHCS_ANALYST, Role.DHCS_APPROVER, Role.AUDITOR}
RULE_EDITORS = {Role.DHCS_APPROVER, Role.COUNTY_BILLING_SUPERVISOR}
STATEWIDE_EDITOR = {Role.DHCS_APPROVER}
SUPERVISOR = {Role.COUNTY_BILLING_SUPERVISOR}


def _rule(w):
    return {"rule_id": w["utilization_rule"].pk}


def _review(w):
    return {"review_id": w["utilization_review"].pk}


def _review_line(w):
    return {"review_line_id": w["utilization_review_line"].pk}


ACCESS: dict = {
    "integrity:utilization_rules": {"allow": READERS},
    "integrity:utilization_rule_new": {"allow": RULE_EDITORS},
    "integrity:utilization_rule": {"allow": READERS, "kwargs": _rule},
    "integrity:utilization_rule_end": {"allow": STATEWIDE_EDITOR, "kwargs": _rule},
    "integrity:utilization_rule_supersede": {"allow": STATEWIDE_EDITOR, "kwargs": _rule},
    "integrity:utilization_reviews": {"allow": READERS},
    "integrity:utilization_review": {"allow": READERS, "kwargs": _review},
    "integrity:utilization_review_close": {"allow": SUPERVISOR, "kwargs": _review},
    "integrity:review_line": {"allow": READERS, "kwargs": _review_line},
    "integrity:utilization_findings": {"allow": READERS},
}


def build_world(w) -> dict:
    """A statewide H0038 rule, and an open Los Angeles review holding billing's world line (Los Angeles)."""
    import datetime
    from decimal import Decimal

    from peercert.integrity.models.utilization import ReviewLine, UtilizationReview
    from peercert.integrity.tests.factories import UtilizationRuleFactory

    rule = UtilizationRuleFactory(name="H0038 units per beneficiary per day (matrix)")
    line = w["gate_line"]
    review = UtilizationReview.objects.create(
        county_id=line.county_id,
        period_start=datetime.date(2026, 9, 1),
        period_end=datetime.date(2026, 10, 31),
        seed=11,
        sample_rate=Decimal("0.05"),
        outlier_multiple=Decimal("3"),
        paid_lines=1,
    )
    row = ReviewLine.objects.create(review=review, line_id=line.pk, sampled=True)
    return {"utilization_rule": rule, "utilization_review": review, "utilization_review_line": row}
