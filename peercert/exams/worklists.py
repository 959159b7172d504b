"""Exam work queues on role home pages."""

from django.urls import reverse
from django.utils.translation import gettext as _

from peercert.accounts.roles import Role
from peercert.core.worklists import WorkItem, WorkList, register
from peercert.exams import selectors


def _items_waiting(user, assignment):
    qs = selectors.items_waiting_for(user)
    count = qs.count()
    # Exam content is a side duty for reviewers, managers and DHCS: show the queue only when it holds something.
    if count == 0 and (assignment is None or assignment.role != Role.EXAM_ADMINISTRATOR):
        return None
    return WorkList(
        title=_("Exam items waiting for you"),
        items=[
            WorkItem(label=str(i), url=reverse("exams:item_detail", args=[i.pk]), detail=i.get_content_area_display())
            for i in qs[:5]
        ],
        count=count,
        more_url=reverse("exams:item_list"),
        empty_text=_("No exam items are waiting."),
    )


def _accommodations(user, assignment):
    qs = selectors.waiting_accommodations(user)
    return WorkList(
        title=_("Exam accommodation requests"),
        items=[WorkItem(label=str(r.person), url=reverse("exams:accommodation_detail", args=[r.pk])) for r in qs[:5]],
        count=qs.count(),
        more_url=reverse("exams:accommodation_list"),
        empty_text=_("No requests are waiting."),
    )


def _grading(user, assignment):
    qs = selectors.grading_queue(user)
    return WorkList(
        title=_("Practical tasks to grade"),
        items=[],
        count=qs.count(),
        more_url=reverse("exams:grading_queue"),
        empty_text=_("Nothing to grade."),
    )


def _my_exam(user, assignment):
    from peercert.accounts.selectors import person_for_user

    person = person_for_user(user)
    auth = selectors.current_authorization(person)
    if person is None or auth is None:
        return None
    items = []
    for attempt in selectors.attempts_of(person).filter(status__in=["checked_in", "in_progress"])[:1]:
        items.append(
            WorkItem(label=_("Take the written part now"), url=reverse("exams:attempt_take", args=[attempt.pk]))
        )
    seat = selectors.open_registration(person)
    if seat is not None:
        items.append(WorkItem(label=_("Your exam session"), url=reverse("exams:my_exam"), detail=str(seat.session)))
    elif not items:
        items.append(
            WorkItem(
                label=_("Choose an exam session"),
                url=reverse("exams:session_list"),
                detail=_("Authorized until %(day)s") % {"day": auth.valid_until.isoformat()},
            )
        )
    return WorkList(title=_("Your certification exam"), items=items, more_url=reverse("exams:my_exam"))


register(Role.PEER, _my_exam)
register(Role.EXAM_ADMINISTRATOR, _items_waiting)
register(Role.EXAM_ADMINISTRATOR, _accommodations)
register(Role.EXAM_ADMINISTRATOR, _grading)
register(Role.PROGRAM_REVIEWER, _items_waiting)
register(Role.PROGRAM_MANAGER, _items_waiting)
register(Role.DHCS_APPROVER, _items_waiting)
