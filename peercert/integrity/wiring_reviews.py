"""Start-up wiring for integrity's reviews part: the daily escalation of overdue corrective actions and
the home-page worklists ("Reviews to follow up" for DHCS, "Corrective actions due" for the reviewed party)."""


def connect() -> None:
    from peercert.core.jobs import register_daily_job
    from peercert.core.worklists import register
    from peercert.integrity.permissions import REVIEW_COUNTY_PARTY, REVIEW_PROGRAM_PARTY, REVIEW_RUNNERS
    from peercert.integrity.services.reviews import corrective_actions_escalate

    register_daily_job(
        "integrity.corrective_actions_escalate",
        corrective_actions_escalate,
        order=60,
        description="Escalate overdue corrective actions of DHCS monitoring reviews (once per item).",
    )
    for role in REVIEW_RUNNERS:
        register(role, reviews_to_follow_up)
    for role in (*REVIEW_COUNTY_PARTY, *REVIEW_PROGRAM_PARTY):
        register(role, corrective_actions_due)


def reviews_to_follow_up(user, assignment):
    from django.urls import reverse
    from django.utils.translation import gettext as _

    from peercert.core.worklists import WorkItem, WorkList
    from peercert.integrity.selectors.reviews import reviews_to_follow_up as waiting

    qs = waiting(user)
    count = qs.count()
    if not count:
        return None
    return WorkList(
        title=_("Reviews to follow up"),
        items=[
            WorkItem(
                label=review.title,
                url=reverse("integrity:monitoring_detail", args=[review.pk]),
                detail=f"{review.reviewed} · {review.get_status_display()}",
            )
            for review in qs[:5]
        ],
        count=count,
        more_url=reverse("integrity:monitoring_list"),
        empty_text=_("No monitoring review is waiting for you."),
    )


def corrective_actions_due(user, assignment):
    from django.urls import reverse
    from django.utils.formats import date_format
    from django.utils.translation import gettext as _

    from peercert.core.worklists import WorkItem, WorkList
    from peercert.integrity.selectors.reviews import corrective_actions_due as due

    qs = due(
        user,
        county_id=getattr(assignment, "county_id", None),
        program_id=getattr(assignment, "program_id", None),
    )
    if not qs.exists():
        return None
    return WorkList(
        title=_("Corrective actions due"),
        items=[
            WorkItem(
                label=item.description[:80],
                url=reverse("integrity:monitoring_item_respond", args=[item.pk]),
                detail=_("Due %(day)s · %(title)s")
                % {"day": date_format(item.due_on, "DATE_FORMAT"), "title": item.review.title},
            )
            for item in qs[:5]
        ],
        count=qs.count(),
        more_url=reverse("integrity:monitoring_list"),
        empty_text=_("No corrective action is due."),
    )
