"""Home-page queues for county staff and DHCS."""

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext as _

from peercert.accounts.roles import Role
from peercert.core.worklists import WorkItem, WorkList, register


# --- alerts ---
def _open_alerts(user, assignment):
    from peercert.benefit import selectors

    labels = selectors.certification_status_labels()
    qs = selectors.open_alerts(user)
    return WorkList(
        title=_("Workforce alerts"),
        items=[
            WorkItem(
                label=f"{a.person} · {a.certification.number}",
                url=reverse("benefit:alert_detail", args=[a.pk]),
                detail=labels.get(a.to_status, a.to_status),
            )
            for a in qs[:5]
        ],
        count=qs.count(),
        more_url=reverse("benefit:alert_list") + "?status=open",
        empty_text=_("No peer your county employs has had a certification change to look at."),
    )


def _failing_webhooks(user, assignment):
    from peercert.benefit import selectors

    qs = selectors.failing_webhooks(user)
    count = qs.count()
    if not count:
        return None
    return WorkList(
        title=_("Failing webhooks"),
        items=[
            WorkItem(
                label=w.url,
                url=reverse("benefit:webhook_detail", args=[w.pk]),
                detail=_("Failing since %(day)s")
                % {"day": date_format(localtime(w.failing_since).date(), "DATE_FORMAT")},
            )
            for w in qs[:5]
        ],
        count=count,
        more_url=reverse("benefit:webhook_list"),
        empty_text="",
    )


def register_all() -> None:
    # --- alerts ---
    register(Role.COUNTY_STAFF, _open_alerts)
    register(Role.COUNTY_BILLING, _open_alerts)
    register(Role.COUNTY_STAFF, _failing_webhooks)
