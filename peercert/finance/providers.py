"""Payment providers: how money reaches an invoice.

A provider vets one payment before services.payment_record stores it, and returns the
reference to keep. Card numbers are never stored, only a short reference.
OfflineProvider: staff record a check or money order they hold, with its number.
TestProvider: the demo's pretend card; only the well-known test number is accepted.
A real card processor would be one more class with the same shape.
"""

from decimal import Decimal
from typing import Protocol

from django.utils.translation import gettext

from peercert.core.errors import ApplicationError
from peercert.finance.models import PaymentMethod
from peercert.finance.permissions import can_pay_online, can_record_offline_payment

TEST_CARD_NUMBER = "4242424242424242"


class PaymentProvider(Protocol):
    name: str
    methods: frozenset[str]

    def authorize(
        self, *, actor, invoice, method: str, amount: Decimal, external_reference: str = "", card_number: str = ""
    ) -> str:
        """Accept the payment and return the reference to store, or raise ApplicationError."""


class OfflineProvider:
    name = "offline"
    methods = frozenset({PaymentMethod.CHECK, PaymentMethod.MONEY_ORDER})

    def authorize(self, *, actor, invoice, method, amount, external_reference="", card_number=""):
        if not can_record_offline_payment(actor):
            raise ApplicationError("Only program staff may record a check or money order.", code="forbidden")
        reference = (external_reference or "").strip()
        if not reference:
            what = gettext("check") if method == PaymentMethod.CHECK else gettext("money order")
            raise ApplicationError(
                "Enter the %(what)s number, so the payment can be traced.",
                params={"what": what},
                field="external_reference",
            )
        return reference


class TestProvider:
    name = "test"
    methods = frozenset({PaymentMethod.TEST_CARD})

    def authorize(self, *, actor, invoice, method, amount, external_reference="", card_number=""):
        if not can_pay_online(actor, invoice):
            raise ApplicationError("Only the person who owes this fee can pay it online.", code="forbidden")
        digits = "".join(ch for ch in (card_number or "") if ch.isdigit())
        if not digits:
            raise ApplicationError("Enter the card number.", field="card_number")
        if digits != TEST_CARD_NUMBER:
            raise ApplicationError(
                "The card was declined. This is a demonstration: use the test card 4242 4242 4242 4242. "
                "No real money is taken.",
                code="declined",
                field="card_number",
            )
        return f"test card ending {digits[-4:]}"


PROVIDERS: tuple[PaymentProvider, ...] = (OfflineProvider(), TestProvider())


def provider_for(method: str) -> PaymentProvider:
    for provider in PROVIDERS:
        if method in provider.methods:
            return provider
    if method == PaymentMethod.SCHOLARSHIP:
        raise ApplicationError(
            "Scholarship payments are made by applying the scholarship to the invoice.", field="method"
        )
    raise ApplicationError(
        "“%(method)s” is not a payment method PeerCert accepts.", params={"method": method}, field="method"
    )
