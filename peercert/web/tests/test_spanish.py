import pytest

from peercert.web.tests.spanish import get_in_spanish

pytestmark = pytest.mark.django_db


def test_landing_and_404_in_spanish_while_english_stays_the_default(client):
    body = get_in_spanish(client, "/").content.decode()
    assert 'lang="es"' in body
    assert "<h1>Certificación de Especialista en Apoyo entre Pares de Medi-Cal</h1>" in body
    assert "No pudimos encontrar esa página" in get_in_spanish(client, "/no-such-page/").content.decode()
    assert "<h1>Medi-Cal Peer Support Specialist Certification</h1>" in client.get("/").content.decode()
