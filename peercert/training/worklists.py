from django.urls import reverse
from django.utils.translation import gettext as _

from peercert.accounts.roles import Role
from peercert.core.worklists import WorkItem, WorkList, register
from peercert.training import selectors


def _provider_reviews(user, assignment):
    qs = selectors.applications_waiting_for_review(actor=user)
    return WorkList(
        title=_("Training entity applications to review"),
        items=[
            WorkItem(
                label=str(a), url=reverse("training:application_detail", args=[a.pk]), detail=a.get_status_display()
            )
            for a in qs[:5]
        ],
        count=qs.count(),
        more_url=reverse("training:applications"),
        empty_text=_("No training entity applications are waiting."),
    )


def _ce_reviews(user, assignment):
    qs = selectors.ce_activities_waiting(actor=user)
    return WorkList(
        title=_("Continuing education to review"),
        items=[
            WorkItem(
                label=f"{a.person} · {a.title}",
                url=reverse("training:ce_activity_detail", args=[a.pk]),
                detail=f"{a.hours} h",
            )
            for a in qs[:5]
        ],
        count=qs.count(),
        more_url=reverse("training:ce_review"),
        empty_text=_("No reported continuing education is waiting."),
    )


def _dhcs_curricula(user, assignment):
    qs = selectors.versions_waiting_for_dhcs(actor=user)
    return WorkList(
        title=_("Curricula waiting for a DHCS decision"),
        items=[
            WorkItem(label=str(v), url=reverse("training:curriculum_detail", args=[v.curriculum_id])) for v in qs[:5]
        ],
        count=qs.count(),
        more_url=reverse("training:curricula"),
        empty_text=_("No curricula are waiting."),
    )


def _accommodations(user, assignment):
    qs = selectors.accommodations_waiting(actor=user)
    return WorkList(
        title=_("Accommodation requests to decide"),
        items=[
            WorkItem(
                label=a.offering.display_title,
                url=reverse("training:accommodation_detail", args=[a.pk]),
                detail=f"{a.created_at:%Y-%m-%d}",
            )
            for a in qs[:5]
        ],
        count=qs.count(),
        empty_text=_("No accommodation requests are waiting."),
    )


def _entity_courses(user, assignment):
    from peercert.core import clock

    qs = selectors.offering_list_for_staff(actor=user).filter(ends_on__gte=clock.today())
    return WorkList(
        title=_("Your upcoming courses"),
        items=[
            WorkItem(
                label=str(o),
                url=reverse("training:offering_manage", args=[o.pk]),
                detail=_("%(n)s enrolled") % {"n": o.enrolled},
            )
            for o in qs[:5]
        ],
        count=qs.count(),
        more_url=reverse("training:offerings"),
        empty_text=_("No upcoming courses. Schedule one from Courses."),
    )


for _role in (Role.PROGRAM_REVIEWER, Role.PROGRAM_MANAGER):
    register(_role, _provider_reviews)
    register(_role, _ce_reviews)
    register(_role, _accommodations)
register(Role.DHCS_APPROVER, _dhcs_curricula)
register(Role.TRAINING_STAFF, _entity_courses)
register(Role.TRAINING_STAFF, _accommodations)
