import pytest
from django.utils import translation

from peercert.accounts.roles import Role
from peercert.accounts.services import role_grant, user_set_active
from peercert.accounts.tests.factories import user_with_role
from peercert.core.errors import ApplicationError
from peercert.web.tests.spanish import get_in_spanish

pytestmark = pytest.mark.django_db


def test_sign_in_page_in_spanish(client):
    body = get_in_spanish(client, "/sign-in/").content.decode()
    assert "<h1>Iniciar sesión</h1>" in body
    assert "Correo electrónico</label>" in body


def test_home_page_names_the_role_in_spanish(as_user):
    body = get_in_spanish(as_user(user_with_role(Role.PEER)), "/").content.decode()
    assert "<h1>Hola, " in body and "Solicitante o par" in body


def test_a_refusal_is_explained_in_spanish():
    manager = user_with_role(Role.PROGRAM_MANAGER)
    with translation.override("es"), pytest.raises(ApplicationError) as refused:
        user_set_active(actor=manager, user=manager, is_active=False, reason="prueba")
    assert refused.value.message == "No puede desactivar su propia cuenta."


def test_a_refusal_with_a_value_reads_in_spanish_with_the_value():
    admin, user = user_with_role(Role.SYSTEM_ADMINISTRATOR), user_with_role(Role.PEER)
    with translation.override("es"), pytest.raises(ApplicationError) as refused:
        role_grant(actor=admin, user=user, role=Role.COUNTY_BILLING)
    label = translation.override("es")(lambda: str(Role.COUNTY_BILLING.label))()
    assert refused.value.message == f"El rol “{label}” necesita indicar: condado."


def test_a_refused_role_is_explained_in_spanish_with_the_role_name():
    manager, user = user_with_role(Role.PROGRAM_MANAGER), user_with_role(Role.PEER)
    with translation.override("es"), pytest.raises(ApplicationError) as refused:
        role_grant(actor=manager, user=user, role=Role.DHCS_APPROVER)
    label = translation.override("es")(lambda: str(Role.DHCS_APPROVER.label))()
    assert refused.value.message == f"Solo un(a) administrador(a) del sistema puede dar o quitar el rol “{label}”."
