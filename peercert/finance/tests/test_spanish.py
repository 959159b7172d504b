import pytest
from django.urls import reverse

from peercert.web.tests.spanish import get_in_spanish

pytestmark = pytest.mark.django_db


def test_my_fees_in_spanish(as_user, peer, make_invoice):
    make_invoice(description="Solicitud de certificación")
    body = get_in_spanish(as_user(peer), reverse("finance:my_fees")).content.decode()
    assert "<h1>Mis cuotas</h1>" in body
    assert "<h2>Cuotas por pagar</h2>" in body
