import pytest

from peercert.web.tests.spanish import get_in_spanish

pytestmark = pytest.mark.django_db


def test_public_registry_search_in_spanish(client):
    body = get_in_spanish(client, "/registry/").content.decode()
    assert "<h1>Busque a un Especialista en Apoyo entre Pares certificado</h1>" in body
    assert "Número de certificación</label>" in body
