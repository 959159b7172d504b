from django.urls import reverse
from django.utils.translation import gettext as _

from peercert.accounts.roles import Role
from peercert.accounts.selectors import person_for_user
from peercert.certification import selectors
from peercert.core.worklists import WorkItem, WorkList, register


def _reviewer_queue(user, assignment):
    qs = selectors.review_queue(actor=user)
    if not qs.exists():
        return None  # home pages show queues only when something waits
    mine = qs.filter(assigned_to=user)
    return WorkList(
        title=_("Applications waiting for review"),
        items=[
            WorkItem(
                label=a.legal_name or str(a.person),
                url=reverse("certification:review", args=[a.pk]),
                detail=f"{a.get_pathway_display()} · {a.get_status_display()}",
            )
            for a in (mine or qs)[:5]
        ],
        count=qs.count(),
        more_url=reverse("certification:queue"),
        empty_text=_("No applications are waiting."),
    )


def _applicant(user, assignment):
    person = person_for_user(user)
    if person is None:
        return None
    application = selectors.open_application_of(person)
    cert = selectors.current_certification(person)
    items = []
    if cert:
        items.append(
            WorkItem(
                label=_("Certification %(n)s: %(s)s") % {"n": cert.number, "s": cert.get_status_display()},
                url=reverse("certification:mine"),
            )
        )
    if application:
        items.append(
            WorkItem(
                label=_("Your application: %(s)s") % {"s": application.get_status_display()},
                url=reverse("certification:application_status", args=[application.pk]),
            )
        )
    if not items:
        return None  # the header's "My certification" leads to starting an application
    return WorkList(
        title=_("Your certification"),
        items=items,
        more_url=reverse("certification:mine"),
        empty_text=_("Ready to apply? Start your application."),
    )


register(Role.PROGRAM_REVIEWER, _reviewer_queue)
register(Role.PROGRAM_MANAGER, _reviewer_queue)
register(Role.PEER, _applicant)
