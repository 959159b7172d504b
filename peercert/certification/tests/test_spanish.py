"""With Spanish chosen, the applicant's pages speak Spanish (and English stays the default)."""

import datetime

import pytest
import time_machine
from django.utils import translation

from peercert.accounts.roles import Role
from peercert.accounts.tests.factories import statewide_program
from peercert.certification import services
from peercert.certification.tests.factories import (
    CertificationFactory,
    applicant,
    decide_all,
    filled_application,
    reviewer,
    started_application,
)
from peercert.core import clock
from peercert.core.errors import ApplicationError

pytestmark = pytest.mark.django_db


def test_orientation_and_an_application_step_render_in_spanish(client):
    user = applicant()
    client.force_login(user)

    orientation = client.get("/certification/apply/", HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "<h1>Antes de presentar su solicitud: orientación</h1>" in orientation

    application = started_application(user)

    # The step indicator's heading is the step's label, kept in the steps registry (certification/steps.py).
    step = client.get(
        f"/certification/applications/{application.pk}/step/about/", HTTP_ACCEPT_LANGUAGE="es"
    ).content.decode()
    assert "<h1>Su solicitud</h1>" in step
    assert '<span class="usa-step-indicator__heading-text">Sobre usted</span>' in step


def test_english_stays_the_default(client):
    client.force_login(applicant())
    assert "<h1>Before you apply: orientation</h1>" in client.get("/certification/apply/").content.decode()


def test_a_refused_start_reads_in_spanish():
    user = applicant()
    with translation.override("es"), pytest.raises(ApplicationError) as refused:
        services.application_start(
            actor=user,
            person=user.person,
            pathway="shortcut",
            program=statewide_program(),
            orientation_acknowledged_at=clock.now(),
        )
    assert refused.value.message == "Elija una de las vías de la lista."


def test_a_refusal_with_a_value_reads_in_spanish():
    user = applicant()
    application = started_application(user)
    with translation.override("es"), pytest.raises(ApplicationError) as refused:
        services.application_submit(actor=user, application=application)
    assert refused.value.message.startswith("Primero termine estos pasos: Sobre usted, ")


@time_machine.travel(datetime.datetime(2026, 11, 30, 10, tzinfo=datetime.UTC), tick=False)
def test_a_spanish_reader_is_told_of_approval_and_status_changes_in_spanish(pay):
    user = applicant()
    user.person.preferred_language = "es"
    user.person.save()
    staff = reviewer(Role.PROGRAM_MANAGER)
    application = filled_application(user)
    services.application_submit(actor=user, application=application)
    services.application_assign(actor=staff, application=application, reviewer=staff)
    pay(application)
    decide_all(staff, application)
    with translation.override("en"):  # the reviewer works in English
        services.application_approve(actor=staff, application=application)
        approved = user.notifications.get(subject="Su solicitud de certificación fue aprobada")
        assert "a más tardar el 30 de noviembre de 2027." in approved.body

        certification = CertificationFactory(person=user.person)
        services.certification_change_status(
            actor=staff, certification=certification, to_status="suspended", reason="Queja confirmada"
        )
    changed = user.notifications.get(subject="Su certificación ahora está suspendida")
    assert changed.body == f"Certificación {certification.number}: Queja confirmada"


def test_an_english_reader_keeps_the_english_wording():
    user = applicant()
    certification = CertificationFactory(person=user.person)
    services.certification_change_status(
        actor=reviewer(Role.PROGRAM_MANAGER),
        certification=certification,
        to_status="suspended",
        reason="Complaint upheld",
    )
    assert user.notifications.filter(subject="Your certification is now suspended").exists()
