"""With Spanish chosen, the public complaint form and decisions read in Spanish."""

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from peercert.core.errors import ApplicationError
from peercert.discipline import services


@pytest.fixture(autouse=True)
def _back_to_english():
    """LocaleMiddleware leaves Spanish active on this thread; later tests expect the default language."""
    yield
    translation.deactivate()


@pytest.mark.django_db
def test_public_complaint_page_in_spanish(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"
    complaint = client.get(reverse("discipline:complaint_new")).content.decode()
    assert "Presentar una queja" in complaint and "¿Sobre quién es la queja?" in complaint


@pytest.mark.django_db
def test_refusal_with_values_reads_in_spanish(certified_peer, reviewer):
    from peercert.discipline.models import AppealSubject
    from peercert.discipline.tests.test_appeals import DAY, TODAY, at, suspend

    with at(TODAY):
        action = suspend(certified_peer, reviewer)
    with at(TODAY + 31 * DAY), translation.override("es"), pytest.raises(ApplicationError) as refused:
        services.appeal_file(
            actor=certified_peer.user, subject=AppealSubject.SUSPENSION, action=action, grounds="Tarde"
        )
    assert refused.value.message == (
        "El plazo para apelar se cerró el 5 de abril de 2026: las apelaciones deben presentarse "
        "dentro de los 30 días siguientes a la decisión del 6 de marzo de 2026. Esta apelación "
        "no se puede aceptar."
    )


@pytest.mark.django_db
def test_a_spanish_respondent_reads_the_decision_in_spanish(certified_peer, reviewer):
    from peercert.core.models import Notification
    from peercert.discipline.tests.test_appeals import TODAY, at, suspend

    certified_peer.preferred_language = "es"
    certified_peer.save()
    with at(TODAY), translation.override("en"):
        suspend(certified_peer, reviewer)
    note = Notification.objects.get(user=certified_peer.user, subject__startswith="Decisión")
    assert note.subject.startswith("Decisión sobre la queja ") and "Suspensión" in note.subject
    assert "Conclusiones: Shared a secret." in note.body and "Código de Ética: " in note.body
    assert "Presente su apelación a más tardar el 5 de abril de 2026 (30 días)" in note.body
