"""With Spanish chosen, a peer's renewal page reads in Spanish."""

import datetime

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from peercert.core.errors import ApplicationError
from peercert.renewal import services
from peercert.renewal.tests.factories import certified_peer

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _back_to_english():
    """LocaleMiddleware leaves Spanish active on this thread; later tests expect the default language."""
    yield
    translation.deactivate()


@time_machine.travel(datetime.datetime(2026, 11, 2, 17, 0, tzinfo=datetime.UTC), tick=False)
def test_renewal_page_in_spanish(client):
    user, _cert = certified_peer()
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"
    page = client.get(reverse("renewal:mine")).content.decode()
    assert "<h1>Renueve su certificación</h1>" in page and "Lo que necesita para renovar" in page


def test_refusal_reads_in_spanish():
    _owner, cert = certified_peer()
    stranger, _other = certified_peer("Ana", "López")
    with translation.override("es"), pytest.raises(ApplicationError) as refused:
        services.renewal_start(actor=stranger, certification=cert)
    assert refused.value.message == "Solo la persona certificada puede renovar esta certificación."
