"""Discipline queues on program staff home pages."""

from django.urls import reverse
from django.utils.translation import gettext as _

from peercert.accounts.roles import Role
from peercert.core.worklists import WorkItem, WorkList, register
from peercert.discipline import selectors


def _cases(user, assignment):
    counts = selectors.staff_counts(actor=user)
    items = [
        WorkItem(
            label=_("Acknowledgements overdue: %(n)s") % {"n": counts["ack_overdue"]},
            url=reverse("discipline:case_list") + "?status=received&overdue=1",
        ),
        WorkItem(
            label=_("Investigations overdue: %(n)s") % {"n": counts["investigation_overdue"]},
            url=reverse("discipline:case_list") + "?overdue=1",
        ),
        WorkItem(
            label=_("Corrective actions overdue: %(n)s") % {"n": counts["escalated"]},
            url=reverse("discipline:case_list"),
        ),
        WorkItem(
            label=_("Appeals waiting for a decision: %(n)s") % {"n": counts["appeals"]},
            url=reverse("discipline:appeal_list"),
        ),
    ]
    total = counts["ack_overdue"] + counts["investigation_overdue"] + counts["escalated"] + counts["appeals"]
    new = selectors.complaint_queue(actor=user, status="received").count()
    if not (total or new):
        return None  # nothing waits: keep the home page short
    items.insert(
        0,
        WorkItem(
            label=_("New complaints to acknowledge: %(n)s") % {"n": new},
            url=reverse("discipline:case_list") + "?status=received",
        ),
    )
    # No single total: one case can be both new and overdue; each line gives its own count.
    return WorkList(title=_("Complaints and appeals"), items=items, more_url=reverse("discipline:case_list"))


def register_all() -> None:
    for role in (Role.PROGRAM_REVIEWER, Role.PROGRAM_MANAGER):
        register(role, _cases)
