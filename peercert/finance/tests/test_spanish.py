import pytest
from django.urls import reverse
from django.utils import translation

from peercert.core.errors import ApplicationError
from peercert.finance.services import invoice_waive
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
