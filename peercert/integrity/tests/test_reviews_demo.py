"""The reviews demo: an open Los Angeles review with a corrective action due soon and a closed program
review; a second run changes nothing."""

import datetime
import io

import pytest
import time_machine

from peercert.accounts import demo as accounts_demo
from peercert.accounts.tests.factories import statewide_program
from peercert.benefit.tests.factories import EmploymentFactory
from peercert.certification.tests.factories import CertificationFactory
from peercert.core.models import AuditEvent
from peercert.integrity.demo import reviews
from peercert.integrity.models.reviews import CorrectiveActionStatus, Review, ReviewStatus

pytestmark = pytest.mark.django_db


@time_machine.travel(datetime.datetime(2026, 12, 1, 8, 5, tzinfo=datetime.UTC), tick=False)
def test_the_demo_reviews_once():
    accounts_demo.seed(io.StringIO())
    EmploymentFactory.create_batch(3, start_on=datetime.date(2025, 6, 1))
    CertificationFactory.create_batch(2, program=statewide_program(), issued_on=datetime.date(2025, 5, 1))

    reviews.seed(io.StringIO())
    la = Review.objects.get(title=reviews.LA_TITLE)
    assert la.status == ReviewStatus.CORRECTIVE_ACTION and la.county.name == "Los Angeles"
    item = la.items.get()
    assert item.status == CorrectiveActionStatus.OPEN and item.owner.email == "county@demo.peercert.example"
    assert item.due_on == datetime.date(2026, 12, 15)
    program = Review.objects.get(title=reviews.PROGRAM_TITLE)
    assert program.status == ReviewStatus.CLOSED and program.records.count() == 2

    events = AuditEvent.objects.count()
    reviews.seed(io.StringIO())
    assert Review.objects.count() == 2 and AuditEvent.objects.count() == events
