"""With Spanish chosen, the public course list and a peer's training record read in Spanish."""

import pytest
from django.urls import reverse
from django.utils import translation


@pytest.fixture(autouse=True)
def _back_to_english():
    """LocaleMiddleware leaves Spanish active on this thread; later tests expect the default language."""
    yield
    translation.deactivate()


@pytest.mark.django_db
def test_training_pages_in_spanish(client, peer):
    public = client.get(reverse("training:providers"), HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Entidades de capacitación y cursos aprobados" in public
    client.force_login(peer)
    mine = client.get(reverse("training:my_training"), HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Mi capacitación y educación continua" in mine and "Horas de educación continua" in mine
