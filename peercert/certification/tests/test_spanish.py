"""With Spanish chosen, the applicant's pages speak Spanish (and English stays the default)."""

import pytest

from peercert.certification.tests.factories import applicant, started_application

pytestmark = pytest.mark.django_db


def test_orientation_and_an_application_step_render_in_spanish(client):
    user = applicant()
    client.force_login(user)

    orientation = client.get("/certification/apply/", HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "<h1>Antes de presentar su solicitud: orientación</h1>" in orientation

    application = started_application(user)

    # The step indicator's heading is the step's label, kept in services.STEP_LABELS.
    step = client.get(f"/certification/applications/{application.pk}/step/about/",
                      HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "<h1>Su solicitud</h1>" in step
    assert '<span class="usa-step-indicator__heading-text">Sobre usted</span>' in step


def test_english_stays_the_default(client):
    client.force_login(applicant())
    assert "<h1>Before you apply: orientation</h1>" in client.get("/certification/apply/").content.decode()
