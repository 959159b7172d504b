import pytest

from peercert.web.tests.spanish import get_in_spanish

pytestmark = pytest.mark.django_db


def test_the_verification_page_in_spanish(client):
    body = get_in_spanish(client, "/credentials/verify/").content.decode()
    assert "<h1>Verifique una credencial digital</h1>" in body
    assert "Pegue la credencial" in body


def test_a_verdict_in_spanish(client):
    from django.utils import translation

    with translation.override(translation.get_language()):
        body = client.post(
            "/credentials/verify/", {"credential": "a.b.c"}, headers={"accept-language": "es"}
        ).content.decode()
    assert "No es auténtica" in body


def test_the_peers_downloads_in_spanish(client, settings):
    from peercert.certification.tests.factories import CertificationFactory, applicant

    user = applicant()
    CertificationFactory(person=user.person, number="PSS-000555")
    client.force_login(user)
    body = get_in_spanish(client, "/credentials/mine/").content.decode()
    assert "<h1>Sus credenciales digitales</h1>" in body
    assert "Descargar la credencial: Certificación de Especialista en Apoyo entre Pares" in body
