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
