"""Technical-assistance queue on program staff home pages."""

from django.urls import reverse
from django.utils.translation import gettext as _

from peercert.accounts.roles import Role
from peercert.assistance import selectors
from peercert.assistance.models import AssistanceStatus
from peercert.core.worklists import WorkItem, WorkList, register


def _questions(user, assignment):
    qs = selectors.assistance_queue(actor=user, status=AssistanceStatus.OPEN)
    if not qs.exists():
        return None
    return WorkList(
        title=_("Questions waiting for an answer"),
        items=[
            WorkItem(
                label=f"{q.number}: {q.subject}",
                url=reverse("assistance:question", args=[q.pk]),
                detail=_("answer by %(d)s") % {"d": f"{q.respond_by:%Y-%m-%d}"},
            )
            for q in qs[:5]
        ],
        count=qs.count(),
        more_url=reverse("assistance:queue"),
    )


def register_all() -> None:
    for role in (Role.PROGRAM_REVIEWER, Role.PROGRAM_MANAGER):
        register(role, _questions)
