"""Home-page queues for county staff and DHCS."""

from django.urls import reverse
from django.utils.translation import gettext as _

from peercert.accounts.roles import Role
from peercert.core.worklists import WorkItem, WorkList, register

# --- rates ---


def _rates_awaiting_decision(user, assignment):
    from peercert.benefit.selectors import rates_awaiting_decision

    qs = rates_awaiting_decision(user)
    return WorkList(
        title=_("Rates awaiting decision"),
        items=[
            WorkItem(
                label=f"{r.code} · {r.get_delivery_system_display()} · {r.county.name if r.county else _('Statewide')}",
                url=reverse("benefit:rate_detail", args=[r.pk]),
                detail=f"${r.amount}",
            )
            for r in qs[:5]
        ],
        count=qs.count(),
        more_url=reverse("benefit:rates") + "?status=submitted",
        empty_text=_("No rate is waiting for your decision."),
    )


def _rates_returned(user, assignment):
    from peercert.benefit.selectors import rates_returned_to

    qs = rates_returned_to(user)
    return WorkList(
        title=_("Rates returned to you"),
        items=[
            WorkItem(
                label=f"{r.code} · {r.get_delivery_system_display()} · ${r.amount}",
                url=reverse("benefit:rate_detail", args=[r.pk]),
                detail=r.decision_comment[:120],
            )
            for r in qs[:5]
        ],
        count=qs.count(),
        more_url=reverse("benefit:rates"),
        empty_text=_("No rate was returned to your county."),
    )


def register_all() -> None:
    # --- rates ---
    register(Role.DHCS_APPROVER, _rates_awaiting_decision)
    register(Role.COUNTY_STAFF, _rates_returned)
