from django.urls import reverse
from django.utils.translation import gettext as _

from peercert.accounts.roles import Role
from peercert.core.duties import exclude_own_matters
from peercert.core.worklists import WorkItem, WorkList, register
from peercert.scholarships import selectors


def _waiting_applications(user, assignment):
    qs = exclude_own_matters(selectors.waiting_applications(), user, "person").order_by("created_at", "id")
    return WorkList(
        title=_("Scholarship applications to decide"),
        items=[
            WorkItem(
                label=f"{a.person} · {a.fund}",
                url=reverse("scholarships:application_detail", args=[a.pk]),
                detail=selectors.fee_names(a.fee_codes),
            )
            for a in qs[:5]
        ],
        count=qs.count(),
        more_url=reverse("scholarships:applications") + "?status=submitted",
        empty_text=_("No scholarship applications are waiting."),
    )


def register_all() -> None:
    for role in (Role.PROGRAM_MANAGER, Role.SYSTEM_ADMINISTRATOR):
        register(role, _waiting_applications)
