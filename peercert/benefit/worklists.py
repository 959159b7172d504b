"""Home-page queues for county staff and DHCS."""

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from peercert.accounts.roles import Role
from peercert.core.text import fill
from peercert.core.worklists import WorkItem, WorkList, register


# --- workforce ---
def _overdue_supervisor_training(user, assignment):
    """Supervisors past their training window, untrained: their peers count as having no trained supervisor."""
    from peercert.benefit import selectors

    county_id = getattr(assignment, "county_id", None)
    if county_id is None:
        return None
    qs = selectors.overdue_training_assignments([county_id])
    return WorkList(
        title=_("Supervisor training overdue"),
        items=[
            WorkItem(
                label=f"{a.supervisor.full_name} · {a.employment.person.full_name}",
                url=reverse("benefit:employment_detail", args=[a.employment_id]),
                detail=fill(gettext_noop("was due %(day)s"), {"day": a.training_due_on}),
            )
            for a in qs[:5]
        ],
        count=qs.count(),
        more_url=reverse("benefit:supervision") + f"?county={county_id}",
        empty_text=_("Every supervisor is trained or still within the training window."),
    )


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
    register(Role.COUNTY_STAFF, _overdue_supervisor_training)
    # --- rates ---
    register(Role.DHCS_APPROVER, _rates_awaiting_decision)
    register(Role.COUNTY_STAFF, _rates_returned)
    # --- alerts ---
    register(Role.COUNTY_STAFF, _open_alerts)
    register(Role.COUNTY_BILLING, _open_alerts)
    register(Role.COUNTY_STAFF, _failing_webhooks)
