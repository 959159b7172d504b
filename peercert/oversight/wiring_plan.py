"""Start-up wiring for oversight's plan part: the home-page queues (a version awaiting DHCS's decision for
approvers; a returned version to answer for the program's manager)."""

from django.urls import reverse
from django.utils.translation import gettext as _


def _awaiting_decision(user, assignment):
    from peercert.oversight import selectors

    version = selectors.plan_awaiting_decision()
    items = []
    if version is not None and version.submitted_by_id != user.pk:
        from peercert.core.worklists import WorkItem

        items.append(
            WorkItem(
                label=_("Implementation plan, version %(n)s") % {"n": version.number},
                url=reverse("oversight:plan_version", args=[version.pk]),
                detail=_("waiting for your decision"),
            )
        )
    from peercert.core.worklists import WorkList

    return WorkList(
        title=_("Implementation plan to decide"),
        items=items,
        count=len(items),
        more_url=reverse("oversight:plan_versions"),
        empty_text=_("No version of the implementation plan is waiting for a decision."),
    )


def _returned_to_program(user, assignment):
    from peercert.core.worklists import WorkItem, WorkList
    from peercert.oversight import selectors
    from peercert.oversight.models.plan import PlanStatus

    latest = selectors.plan_versions(user).first()
    if latest is None or latest.status != PlanStatus.RETURNED:
        return None
    return WorkList(
        title=_("Implementation plan returned by DHCS"),
        items=[
            WorkItem(
                label=_("Implementation plan, version %(n)s") % {"n": latest.number},
                url=reverse("oversight:plan_version", args=[latest.pk]),
                detail=_("read DHCS's comments and submit a new version"),
            )
        ],
        count=1,
        more_url=reverse("oversight:plan_versions"),
    )


def connect() -> None:
    from peercert.accounts.roles import Role
    from peercert.core.worklists import register

    register(Role.DHCS_APPROVER, _awaiting_decision)
    register(Role.PROGRAM_MANAGER, _returned_to_program)
