import pytest
from django.urls import reverse
from django.utils import translation

from peercert.core.errors import ApplicationError
from peercert.finance.services import invoice_create, invoice_waive
from peercert.web.tests.spanish import get_in_spanish

pytestmark = pytest.mark.django_db


def test_my_fees_in_spanish(as_user, peer, make_invoice):
    make_invoice(description="Solicitud de certificación")
    body = get_in_spanish(as_user(peer), reverse("finance:my_fees")).content.decode()
    assert "<h1>Mis cuotas</h1>" in body
    assert "<h2>Cuotas por pagar</h2>" in body


def test_a_refused_waiver_is_explained_in_spanish(peer, make_invoice):
    invoice = make_invoice()
    with translation.override("es"), pytest.raises(ApplicationError) as refused:
        invoice_waive(actor=peer, invoice=invoice, reason="Dificultades")
    assert refused.value.message == "Solo el personal del programa puede eximir una cuota."


def test_a_refusal_with_a_value_reads_in_spanish_with_the_value(peer):
    with translation.override("es"), pytest.raises(ApplicationError) as refused:
        invoice_create(actor=None, payer=peer.person, fee_code="fee_juggling", reference_type="test", reference_id=1)
    assert refused.value.message == "“fee_juggling” no es una cuota de las reglas del programa."


def test_a_spanish_reader_is_told_of_a_fee_and_a_waiver_in_spanish(staff, peer, make_invoice):
    peer.person.preferred_language = "es"
    peer.person.save()
    with translation.override("en"):  # sent from an English request
        invoice = make_invoice(description="Examen de certificación")
        invoice_waive(actor=staff, invoice=invoice, reason="Dificultades")
    subjects = set(peer.notifications.values_list("subject", flat=True))
    assert subjects == {
        f"Cuota por pagar: Examen de certificación (${invoice.amount})",
        "Cuota eximida: Examen de certificación",
    }
