"""Home-page queues: the peer's renewal reminder, and renewals, CE audits and name changes for staff."""

from django.urls import reverse
from django.utils.translation import gettext as _

from peercert.accounts.roles import Role
from peercert.core import clock
from peercert.core.worklists import WorkItem, WorkList, register
from peercert.renewal import selectors


def _peer(user, assignment):
    person = selectors.person_of(user)
    if person is None:
        return None
    situation = selectors.renewal_situation(person)
    cert = situation["certification"]
    if cert is None:
        return None
    items = []
    renewal = situation["open_renewal"]
    if renewal is not None:
        items.append(
            WorkItem(
                label=_("Your renewal: %(s)s") % {"s": renewal.get_status_display()},
                url=reverse("renewal:detail", args=[renewal.pk]),
            )
        )
    elif situation["can_start"] or situation["kind"] == "vacated":
        items.append(WorkItem(label=situation["message"], url=reverse("renewal:mine")))
    elif cert.status == "active":
        days = (cert.expires_on - clock.today()).days
        rules = situation["rules"]
        if days <= max(rules.renewal_reminder_days):
            items.append(
                WorkItem(
                    label=_("Your certification expires in %(d)s days") % {"d": days},
                    url=reverse("renewal:mine"),
                    detail=situation["message"],
                )
            )
    if not items:
        return None
    return WorkList(title=_("Renewal"), items=items, more_url=reverse("renewal:mine"))


def _staff(user, assignment):
    queue = selectors.review_queue(actor=user)
    items = [
        WorkItem(
            label=f"{r.person} · {r.certification.number}",
            url=reverse("renewal:review", args=[r.pk]),
            detail=r.get_kind_display(),
        )
        for r in queue[:5]
    ]
    return WorkList(
        title=_("Renewals waiting for review"),
        items=items,
        count=queue.count(),
        more_url=reverse("renewal:queue"),
        empty_text=_("No renewals are waiting."),
    )


def _name_changes(user, assignment):
    waiting = selectors.name_changes_waiting(actor=user)
    if not waiting.exists():
        return None
    return WorkList(
        title=_("Name changes to decide"),
        count=waiting.count(),
        more_url=reverse("renewal:name_changes"),
        items=[
            WorkItem(label=f"{c.old_name} → {c.new_name}", url=reverse("renewal:name_change_detail", args=[c.pk]))
            for c in waiting[:5]
        ],
    )


register(Role.PEER, _peer)
register(Role.PROGRAM_REVIEWER, _staff)
register(Role.PROGRAM_MANAGER, _staff)
register(Role.PROGRAM_MANAGER, _name_changes)
register(Role.SYSTEM_ADMINISTRATOR, _name_changes)
