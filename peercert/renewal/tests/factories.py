"""Builders for renewal tests: a certified peer, CE hours in the ledger, paying fees."""

import datetime
import itertools
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile

from peercert.accounts.roles import Role
from peercert.accounts.tests.factories import PersonFactory, user_with_role
from peercert.certification.models import CertificationStatusChange
from peercert.certification.tests.factories import CertificationFactory
from peercert.core import samples
from peercert.finance import selectors as fee_selectors
from peercert.finance import services as fee_services
from peercert.renewal.services import REFERENCE_TYPE, fee_codes_for
from peercert.training.models import CEActivityStatus
from peercert.training.tests.factories import (
    CEActivityFactory,
    CompletionFactory,
    CurriculumFactory,
    CurriculumVersionFactory,
    OfferingFactory,
)

PDF = samples.PDF
ISSUED = datetime.date(2025, 1, 15)
EXPIRES = datetime.date(2027, 1, 15)


def pdf(name="evidence.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def certified_peer(
    first="Rosa María", last="Gutiérrez", *, issued=ISSUED, expires=EXPIRES, status="active", **cert_fields
):
    """A peer user with a person and a certification whose history starts with its issue."""
    user = user_with_role(Role.PEER, with_person=False)
    person = PersonFactory(user=user, email=user.email, legal_first_name=first, legal_last_name=last)
    cert = CertificationFactory(
        person=person, issued_on=issued, expires_on=expires, status=status, status_changed_on=issued, **cert_fields
    )
    CertificationStatusChange.objects.create(
        certification=cert, to_status="active", effective_on=issued, reason="Certification issued", source="issue"
    )
    user.refresh_from_db()
    return user, cert


def give_ce(person, on: datetime.date, *, general="14", law_ethics="6"):
    """Accepted self-reported CE activities on a day."""
    for category, hours in (("general", general), ("law_ethics", law_ethics)):
        if Decimal(hours) > 0:
            CEActivityFactory(
                person=person,
                completed_on=on,
                hours=Decimal(hours),
                ce_category=category,
                status=CEActivityStatus.ACCEPTED,
            )


def give_refresher(person, on: datetime.date):
    version = CurriculumVersionFactory(curriculum=CurriculumFactory(is_refresher=True, title="Refresher"))
    offering = OfferingFactory(curriculum_version=version, starts_on=on, ends_on=on, hours=Decimal("8"))
    return CompletionFactory(offering=offering, person=person, completed_on=on, hours=Decimal("0.5"))


def invoices(renewal):
    return [
        fee_selectors.invoice_for(reference_type=REFERENCE_TYPE, reference_id=renewal.pk, fee_code=code)
        for code in fee_codes_for(renewal.kind)
    ]


def pay_all(renewal, user):
    """The peer pays every fee of the renewal with the demo card."""
    for invoice in invoices(renewal):
        fee_services.payment_record(
            actor=user, invoice=invoice, method="test_card", amount=invoice.amount, card_number="4242 4242 4242 4242"
        )


_counter = itertools.count()


def _find(drawn: bool, rate, cycle, prefix):
    from peercert.renewal.services import ce_audit_drawn

    while True:
        number = f"{prefix}{next(_counter):05d}"
        if ce_audit_drawn(number, cycle, rate) == drawn:
            return number


def number_not_audited(rate=Decimal("0.10"), cycle=EXPIRES, prefix="PSS-7"):
    """A fresh certification number whose draw for the cycle is above the audit rate."""
    return _find(False, rate, cycle, prefix)


def number_audited(rate=Decimal("0.10"), cycle=EXPIRES, prefix="PSS-6"):
    """A fresh certification number drawn for audit in the cycle."""
    return _find(True, rate, cycle, prefix)
