import pytest

from peercert.accounts.roles import Role
from peercert.accounts.tests.factories import user_with_role
from peercert.web.tests.spanish import get_in_spanish

pytestmark = pytest.mark.django_db


def test_sign_in_page_in_spanish(client):
    body = get_in_spanish(client, "/sign-in/").content.decode()
    assert "<h1>Iniciar sesión</h1>" in body
    assert "Correo electrónico</label>" in body


def test_home_page_names_the_role_in_spanish(as_user):
    body = get_in_spanish(as_user(user_with_role(Role.PEER)), "/").content.decode()
    assert "<h1>Hola, " in body and "Solicitante o par" in body
