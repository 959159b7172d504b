"""Exam work queues on role home pages."""

from django.urls import reverse
from django.utils.translation import gettext as _

from peercert.accounts.roles import Role
from peercert.core.worklists import WorkItem, WorkList, register
from peercert.exams import selectors


def _items_waiting(user, assignment):
    qs = selectors.items_waiting_for(user)
    return WorkList(
        title=_("Exam items waiting for you"),
        items=[WorkItem(label=str(i), url=reverse("exams:item_detail", args=[i.pk]), detail=i.get_content_area_display())
               for i in qs[:5]],
        count=qs.count(), more_url=reverse("exams:item_list"), empty_text=_("No exam items are waiting."),
    )


def _accommodations(user, assignment):
    qs = selectors.waiting_accommodations(user)
    return WorkList(
        title=_("Exam accommodation requests"),
        items=[WorkItem(label=str(r.person), url=reverse("exams:accommodation_detail", args=[r.pk]))
               for r in qs[:5]],
        count=qs.count(), more_url=reverse("exams:accommodation_list"), empty_text=_("No requests are waiting."),
    )


def _grading(user, assignment):
    qs = selectors.grading_queue(user)
    return WorkList(title=_("Practical tasks to grade"), items=[], count=qs.count(),
                    more_url=reverse("exams:grading_queue"), empty_text=_("Nothing to grade."))


register(Role.EXAM_ADMINISTRATOR, _items_waiting)
register(Role.EXAM_ADMINISTRATOR, _accommodations)
register(Role.EXAM_ADMINISTRATOR, _grading)
register(Role.PROGRAM_REVIEWER, _items_waiting)
register(Role.PROGRAM_MANAGER, _items_waiting)
register(Role.DHCS_APPROVER, _items_waiting)
