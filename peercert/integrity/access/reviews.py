"""Access-matrix rows for integrity's reviews part. Written out by hand, not imported from permissions.py.

County roles in the matrix are Los Angeles's, and the sample review is of Los Angeles: its county staff,
billing and billing supervisor read it and answer its plan; program staff (another party) get a 404;
DHCS runs it and the auditor reads it."""

from peercert.accounts.roles import Role

DHCS = {Role.DHCS_ANALYST, Role.DHCS_APPROVER}
LA_PARTY = {Role.COUNTY_STAFF, Role.COUNTY_BILLING, Role.COUNTY_BILLING_SUPERVISOR}
READ_LA = DHCS | {Role.AUDITOR} | LA_PARTY
LISTERS = READ_LA | {Role.PROGRAM_MANAGER, Role.PROGRAM_REVIEWER}


def _review(w):
    return {"review_id": w["reviews_review"].pk}


def _record(w):
    return {"record_id": w["reviews_record"].pk}


def _item(w):
    return {"item_id": w["reviews_item"].pk}


def _evidence(w):
    return {"evidence_id": w["reviews_evidence"].pk}


ACCESS: dict = {
    "integrity:monitoring_list": {"allow": LISTERS},
    "integrity:monitoring_new": {"allow": DHCS},
    "integrity:monitoring_detail": {"allow": READ_LA, "kwargs": _review},
    "integrity:monitoring_sample": {"allow": DHCS, "kwargs": _review},
    "integrity:monitoring_finding": {"allow": DHCS, "kwargs": _record},
    "integrity:monitoring_item_new": {"allow": DHCS, "kwargs": _review},
    "integrity:monitoring_issue_plan": {"allow": DHCS, "kwargs": _review},
    "integrity:monitoring_item_respond": {"allow": LA_PARTY, "kwargs": _item},
    "integrity:monitoring_item_decide": {"allow": DHCS, "kwargs": _item},
    "integrity:monitoring_evidence": {"allow": READ_LA, "kwargs": _evidence},
    "integrity:monitoring_close": {"allow": DHCS, "kwargs": _review},
    "integrity:monitoring_cancel": {"allow": DHCS, "kwargs": _review},
    "GET /api/v1/integrity/reviews": {"allow": LISTERS},
}


def build_world(w) -> dict:
    """A Los Angeles review in corrective action: one employment found not compliant, one plan item the
    county staff member answered with a PDF."""
    from peercert.integrity.models.reviews import CorrectiveActionStatus
    from peercert.integrity.tests.factories.reviews import evidence_for, review_with_plan

    owner = w["users"][Role.COUNTY_STAFF]
    review, record, item = review_with_plan(
        owner=owner,
        employment=w["benefit_employment"],  # benefit's world: a Los Angeles employment
        created_by=w["users"][Role.DHCS_ANALYST],
        item_status=CorrectiveActionStatus.RESPONDED,
    )
    return {
        "reviews_review": review,
        "reviews_record": record,
        "reviews_item": item,
        "reviews_evidence": evidence_for(item, uploaded_by=owner),
    }
