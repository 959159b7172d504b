"""Factories and helpers that build applications the way an applicant would, through the services."""

import datetime

import factory
from django.core.files.uploadedfile import SimpleUploadedFile

from peercert.accounts.roles import Role
from peercert.accounts.tests.factories import PersonFactory, statewide_program, user_with_role
from peercert.certification import services
from peercert.certification.models import Certification, CertificationStatus, DocumentKind, Pathway
from peercert.core import clock, samples

PDF = samples.PDF
PNG = samples.PNG


def pdf(name="scan.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def applicant(first="María José", last="Hernández", born=datetime.date(1988, 3, 14)):
    user = user_with_role(Role.PEER, with_person=False)
    PersonFactory(user=user, email=user.email, legal_first_name=first, legal_last_name=last, date_of_birth=born)
    user.refresh_from_db()
    return user


def reviewer(role=Role.PROGRAM_REVIEWER):
    return user_with_role(role)


PATHWAY_ANSWERS = {
    Pathway.STANDARD: {},
    Pathway.GRANDPARENTING: {
        "employed_as_peer_on_cutoff": True,
        "peer_work_hours": 2000,
        "ce_hours": 24,
        "ce_law_ethics_hours": 6,
    },
    Pathway.RECIPROCITY_OUT_OF_STATE: {
        "out_of_state_state": "OR",
        "out_of_state_number": "OR-PSS-4411",
        "out_of_state_no_pending_discipline": True,
        "peer_work_hours": 1600,
        "ce_hours": 20,
        "ce_law_ethics_hours": 6,
    },
    Pathway.TRANSFER_IN_STATE: {
        "prior_program_name": "Condado de Fresno Peer Program",
        "prior_certification_number": "FRE-0042",
    },
}


def pathway_answers(pathway) -> dict:
    """PATHWAY_ANSWERS with the work and CE periods dated from the (travelled) clock: inside the windows."""
    today = clock.today()
    answers = dict(PATHWAY_ANSWERS[pathway])
    if pathway in (Pathway.GRANDPARENTING, Pathway.RECIPROCITY_OUT_OF_STATE):
        answers |= {"peer_work_from": today - datetime.timedelta(days=700), "peer_work_to": today}
    if pathway == Pathway.RECIPROCITY_OUT_OF_STATE:
        answers["ce_earned_since"] = today - datetime.timedelta(days=400)
    return answers


def started_application(user, pathway=Pathway.STANDARD):
    return services.application_start(
        actor=user,
        person=user.person,
        pathway=pathway,
        program=statewide_program(),
        orientation_acknowledged_at=clock.now(),
    )


def filled_application(user, pathway=Pathway.STANDARD, *, born=None, id_name=None, answers=None):
    """A draft with every step done, ready to submit."""
    application = started_application(user, pathway)
    person = user.person
    services.application_save_step(
        actor=user,
        application=application,
        step="about",
        data={
            "legal_first_name": person.legal_first_name,
            "legal_middle_name": "",
            "legal_last_name": person.legal_last_name,
            "date_of_birth": born or person.date_of_birth,
            "county": None,
        },
    )
    services.application_save_step(
        actor=user,
        application=application,
        step="experience",
        data={"lived_experience": "self", "experience_area": "both", "willing_to_share": True},
    )
    if pathway != Pathway.STANDARD:
        services.application_save_step(
            actor=user, application=application, step="pathway", data={**pathway_answers(pathway), **(answers or {})}
        )
    services.application_document_add(
        actor=user,
        application=application,
        kind=DocumentKind.PHOTO_ID,
        upload=pdf("id.pdf"),
        name_on_document=id_name or person.full_name.upper(),
    )
    if pathway != Pathway.TRANSFER_IN_STATE:
        services.application_document_add(actor=user, application=application, kind=DocumentKind.DIPLOMA, upload=pdf())
    if pathway == Pathway.GRANDPARENTING:
        services.application_document_add(
            actor=user, application=application, kind=DocumentKind.EMPLOYMENT_VERIFICATION, upload=pdf()
        )
        services.application_document_add(actor=user, application=application, kind=DocumentKind.LETTER, upload=pdf())
    if pathway == Pathway.RECIPROCITY_OUT_OF_STATE:
        services.application_document_add(
            actor=user, application=application, kind=DocumentKind.OUT_OF_STATE_CERTIFICATE, upload=pdf()
        )
        for _ in range(3):
            services.application_document_add(
                actor=user, application=application, kind=DocumentKind.LETTER, upload=pdf()
            )
    services.application_save_step(actor=user, application=application, step="documents", data={})
    services.application_save_step(
        actor=user, application=application, step="ethics", data={"ethics_signed_name": person.full_name}
    )
    application.refresh_from_db()
    return application


def decide_all(actor, application, outcome="met"):
    for row in application.requirements.exclude(outcome=outcome):
        services.requirement_decide(
            actor=actor,
            application=application,
            code=row.code,
            outcome=outcome,
            notes="checked" if outcome == "met" else "please fix",
        )


class CertificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Certification

    number = factory.Sequence(lambda n: f"PSS-8{n:05d}")
    person = factory.SubFactory(PersonFactory)
    program = factory.LazyFunction(statewide_program)
    status = CertificationStatus.ACTIVE
    issued_on = datetime.date(2025, 1, 15)
    expires_on = datetime.date(2027, 1, 15)
