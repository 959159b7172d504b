"""Start-up wiring for integrity's utilization part: the gate's utilization check and its reason codes,
and the home-page worklist of lines to review."""

from django.utils.translation import gettext_lazy as _

REASONS = {
    "utilization_beneficiary_day_units": _("Over the most units for this code for one beneficiary in a day."),
    "utilization_peer_day_units": _("Over the most units the peer may bill in a day, across providers."),
    "utilization_lockout": _("Another code billed for this beneficiary on the same day locks this one out."),
    "utilization_monthly_frequency": _("Over the most services of this code for one beneficiary in a month."),
}


def connect() -> None:
    from peercert.accounts.roles import Role
    from peercert.billing.hooks import register_utilization_check, register_utilization_reason
    from peercert.core.worklists import register
    from peercert.integrity.selectors.utilization import utilization_check

    for code, message in REASONS.items():
        register_utilization_reason(code, message)
    register_utilization_check(utilization_check)
    register(Role.COUNTY_BILLING, lines_to_review_worklist)
    register(Role.COUNTY_BILLING_SUPERVISOR, lines_to_review_worklist)


def lines_to_review_worklist(user, assignment):
    """Lines of the county's open utilization reviews with no finding yet."""
    from django.urls import reverse
    from django.utils.translation import gettext as _

    from peercert.core.worklists import WorkItem, WorkList
    from peercert.integrity.selectors.utilization import lines_to_review

    qs = lines_to_review(user, getattr(assignment, "county_id", None))
    return WorkList(
        title=_("Lines to review"),
        items=[
            WorkItem(
                label=_("Review %(review)s, line %(line)s") % {"review": row.review_id, "line": row.line_id},
                url=reverse("integrity:review_line", args=[row.pk]),
            )
            for row in qs[:5]
        ],
        count=qs.count(),
        more_url=reverse("integrity:utilization_reviews"),
        empty_text=_("No line is waiting for a utilization review."),
    )
