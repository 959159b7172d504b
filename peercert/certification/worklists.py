from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from peercert.accounts.roles import Role
from peercert.accounts.selectors import person_for_user
from peercert.certification import selectors
from peercert.core import clock
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


def _training_certificates(user, assignment):
    qs = selectors.training_certificate_queue(actor=user)
    if not qs.exists():
        return None
    today = clock.today()
    items = []
    for c in qs[:5]:
        overdue = today > c.due_on
        items.append(
            WorkItem(
                label=c.application.legal_name or str(c.application.person),
                url=reverse("certification:training_review", args=[c.pk]),
                detail=(_("Overdue since %(d)s") if overdue else _("Due %(d)s"))
                % {"d": date_format(c.due_on, "DATE_FORMAT")},
            )
        )
    return WorkList(
        title=_("Training certificates waiting for review"),
        items=items,
        count=qs.count(),
        more_url=reverse("certification:training_queue"),
        empty_text=_("No training certificates are waiting."),
    )


def _applicant(user, assignment):
    person = person_for_user(user)
    if person is None:
        return None
    cert = selectors.current_certification(person)
    # The open application, else an approved one still on its way to a certification (training, exam).
    application = selectors.open_application_of(person) or (
        selectors.applications_of(person).filter(status="approved", certifications__isnull=True).first()
    )
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
                label=_("Your application %(r)s: %(s)s")
                % {"r": application.reference_id, "s": application.get_status_display()},
                url=reverse("certification:application_status", args=[application.pk]),
                detail=selectors.application_next_step(application)["text"],
            )
        )
    if not items:
        # A new account: the first step, said on the home page.
        items.append(WorkItem(label=_("Start your application"), url=reverse("certification:start")))
    return WorkList(
        title=_("Your certification"),
        items=items,
        more_url=reverse("certification:mine"),
        empty_text=_("Ready to apply? Start your application."),
    )


register(Role.PROGRAM_REVIEWER, _reviewer_queue)
register(Role.PROGRAM_MANAGER, _reviewer_queue)
register(Role.PEER, _applicant)
register(Role.PROGRAM_REVIEWER, _training_certificates)
register(Role.PROGRAM_MANAGER, _training_certificates)
