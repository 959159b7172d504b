"""Demo data for oversight's plan part. Safe to run again.

The program's manager submitted version 1 of the implementation plan; DHCS's approver returned it with
comments on two sections; version 2 answered them and is approved and in force."""

from django.core.files.uploadedfile import SimpleUploadedFile

from peercert.accounts.models import User
from peercert.core import samples
from peercert.oversight import selectors, services

MANAGER = "manager@demo.peercert.example"
APPROVER = "approver@demo.peercert.example"

TEXT = {
    "governance": "The statewide certifying entity, a joint powers authority of California counties, runs the "
    "program from Sacramento with a program manager, four reviewers and an exam administrator.",
    "certification": "Applications are reviewed within 30 days of submission; reviewers may ask for revisions "
    "once. The exam is offered online and in person in Los Angeles, Fresno, Oakland and Redding.",
    "training": "Training entities apply per training type and language. The 80-hour core curriculum covers "
    "the 17 core competencies and is offered in English and Spanish.",
    "renewal": "Certifications renew every 2 years with 20 CE hours, 6 in law and ethics. Reminders go out at "
    "90, 60, 30 and 7 days.",
    "discipline": "Complaints are acknowledged within 5 business days and investigated within 90 days, "
    "extendable once by 30.",
    "data": "The program sends certification data to DHCS each quarter and publishes an open-data dashboard.",
}
ANSWERS = {
    "data": "The program sends certification data to DHCS by the 15th of the month after each quarter, and "
    "publishes an open-data dashboard where counts from 1 to 10 are suppressed.",
    "discipline": "Complaints are acknowledged within 5 business days and investigated within 90 days, "
    "extendable once by 30 with the complainant told why. Appeals are heard by a panel within 90 days.",
}


def _sections(text: dict, with_attachment: bool) -> dict:
    out = {}
    for code, body in text.items():
        attachment = None
        if with_attachment and code == "governance":
            attachment = SimpleUploadedFile("organization-chart.pdf", samples.PDF, content_type="application/pdf")
        out[code] = {"body": body, "attachment": attachment}
    return out


def seed(stdout) -> None:
    manager = User.objects.filter(email=MANAGER).first()
    approver = User.objects.filter(email=APPROVER).first()
    if manager is None or approver is None:
        stdout.write("  oversight: no demo manager or approver; plan skipped\n")
        return
    if selectors.plan_versions(manager).exists():
        stdout.write("  oversight: implementation plan already there\n")
        return
    first = services.plan_submit(actor=manager, sections=_sections(TEXT, True), summary="The program's first plan.")
    services.plan_return(
        actor=approver,
        version=first,
        comment="Close, but two sections need dates DHCS can monitor.",
        section_comments={
            "data": "Say by which day after each quarter the data reaches DHCS, and how small counts are protected.",
            "discipline": "Say how complainants are told of an extension, and how appeals are heard.",
        },
    )
    second = services.plan_submit(
        actor=manager,
        sections=_sections({**TEXT, **ANSWERS}, True),
        summary="Answers DHCS's comments on data and discipline.",
    )
    services.plan_approve(actor=approver, version=second, comment="Approved.")
    stdout.write("  oversight: implementation plan v1 returned, v2 approved and in force\n")
