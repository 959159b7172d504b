"""With Spanish chosen, a peer's exam page reads in Spanish."""

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from peercert.accounts.roles import Role


@pytest.fixture(autouse=True)
def _back_to_english():
    """LocaleMiddleware leaves Spanish active on this thread; later tests expect the default language."""
    yield
    translation.deactivate()


@pytest.mark.django_db
def test_my_exam_page_in_spanish(client, role_users):
    client.force_login(role_users[Role.PEER])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"
    page = client.get(reverse("exams:my_exam")).content.decode()
    assert "Mi examen de certificación" in page and "Todavía no tiene autorización para tomar el examen" in page
