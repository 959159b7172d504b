"""Council applications waiting for review, on program staff home pages."""

from django.urls import reverse
from django.utils.translation import gettext as _

from peercert.accounts.roles import Role
from peercert.core.worklists import WorkItem, WorkList, register
from peercert.council import selectors
from peercert.council.models import ApplicationStatus


def _applications(user, assignment):
    qs = selectors.applications(user, status=ApplicationStatus.RECEIVED)
    if not qs.exists():
        return None
    return WorkList(
        title=_("Council applications to review"),
        items=[
            WorkItem(
                label=a.name,
                url=reverse("council:application", args=[a.pk]),
                detail=str(a.get_population_display()),
            )
            for a in qs[:5]
        ],
        count=qs.count(),
        more_url=reverse("council:staff"),
    )


def register_all() -> None:
    for role in (Role.PROGRAM_REVIEWER, Role.PROGRAM_MANAGER):
        register(role, _applications)
