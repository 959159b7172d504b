"""Fixtures for certification tests. Fees go through the real finance app."""

import pytest

from peercert.certification import fees


@pytest.fixture
def pay(django_capture_on_commit_callbacks):
    """pay(application): the applicant pays the application fee with the demo test card."""

    def settle(application):
        from peercert.finance import services

        invoice = fees.application_invoice(application)
        assert invoice is not None, "no application invoice"
        with django_capture_on_commit_callbacks(execute=True):
            services.payment_record(
                actor=application.person.user,
                invoice=invoice,
                method="test_card",
                amount=invoice.amount,
                card_number="4242 4242 4242 4242",
            )
        return invoice

    return settle
