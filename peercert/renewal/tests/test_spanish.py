"""With Spanish chosen, a peer's renewal page reads in Spanish."""

import datetime

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from peercert.core.errors import ApplicationError
from peercert.core.models import Notification
from peercert.renewal import services
from peercert.renewal.tests.factories import certified_peer, give_ce, invoices, number_not_audited, pay_all

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


@time_machine.travel(datetime.datetime(2026, 11, 2, 17, 0, tzinfo=datetime.UTC), tick=False)
def test_refusals_with_values_read_in_spanish():
    user, cert = certified_peer()
    renewal = services.renewal_start(actor=user, certification=cert)
    with translation.override("es"), pytest.raises(ApplicationError) as refused:
        services.renewal_sign(actor=user, renewal=renewal, ethics_signed_name="Otra Persona", attest=True)
    assert refused.value.message == (
        "Escriba su nombre legal tal como lo tenemos: Rosa María Gutiérrez. "
        "Si su nombre cambió, primero pida un cambio de nombre."
    )
    with translation.override("es"), pytest.raises(ApplicationError) as refused:
        services.renewal_submit(actor=user, renewal=renewal)
    assert refused.value.message.startswith(
        "Todavía no puede renovar: 20 horas de educación continua (CE): no se cumple. Tiene 0 horas entre"
    )


@time_machine.travel(datetime.datetime(2026, 11, 2, 17, 0, tzinfo=datetime.UTC), tick=False)
def test_a_peer_who_reads_spanish_is_told_of_the_renewal_in_spanish(django_capture_on_commit_callbacks):
    user, cert = certified_peer(number=number_not_audited())
    cert.person.preferred_language = "es"
    cert.person.save(update_fields=["preferred_language"])
    give_ce(cert.person, datetime.date(2026, 3, 1))
    renewal = services.renewal_start(actor=user, certification=cert)
    services.renewal_sign(actor=user, renewal=renewal, ethics_signed_name=cert.person.full_name, attest=True)
    with django_capture_on_commit_callbacks(execute=True):
        pay_all(renewal, user)
    assert invoices(renewal)  # paid, so sending approves it at once (English is the active language)
    services.renewal_submit(actor=user, renewal=renewal)
    told = Notification.objects.get(user=user, subject="Su certificación está renovada")
    assert told.body == f"La certificación {cert.number} ahora vence el 15 de enero de 2029."


def test_the_daily_sweeps_write_to_each_peer_in_their_language():
    from peercert.renewal import jobs
    from peercert.renewal.tests.factories import EXPIRES

    english, english_cert = certified_peer()
    spanish, cert = certified_peer("Ana", "López")
    cert.person.preferred_language = "es"
    cert.person.save(update_fields=["preferred_language"])
    jobs.send_renewal_reminders(EXPIRES - datetime.timedelta(days=10))
    assert Notification.objects.get(user=english).subject == "Renew your certification by January 15, 2027"
    assert Notification.objects.get(user=spanish).subject == "Renueve su certificación antes del 15 de enero de 2027"
    jobs.expire_certifications(EXPIRES + datetime.timedelta(days=1))
    told = Notification.objects.filter(user=spanish).latest("id")
    assert told.subject == "Su certificación venció"
    assert told.body.startswith(f"La certificación {cert.number} venció el 15 de enero de 2027. ")
    assert (
        Notification.objects.filter(user=english)
        .latest("id")
        .body.startswith(f"Certification {english_cert.number} expired on January 15, 2027. ")
    )
