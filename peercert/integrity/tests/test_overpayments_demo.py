"""The overpayments demo: a Los Angeles overpayment from a back-dated revocation, 40 days old; twice changes nothing."""

import datetime
import io

import pytest
import time_machine

from peercert.integrity.demo import overpayments
from peercert.integrity.models import Overpayment, OverpaymentLine
from peercert.integrity.tests.factories.overpayments import paid_lines_for, two_county_peer

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(datetime.datetime(2026, 12, 1, 8, 5, tzinfo=datetime.UTC), tick=False):  # 00:05 Pacific
        yield


def test_without_paid_lines_it_does_nothing():
    out = io.StringIO()
    overpayments.seed(out)
    assert "no paid Los Angeles line" in out.getvalue() and not Overpayment.objects.exists()


def test_it_opens_a_los_angeles_overpayment_near_its_45_day_mark_once(django_capture_on_commit_callbacks):
    world = two_county_peer(datetime.date(2026, 10, 1), 10)
    paid_lines_for(world["la"], datetime.date(2026, 10, 1), 10)
    with django_capture_on_commit_callbacks(execute=True):
        overpayments.seed(io.StringIO())
    op = Overpayment.objects.get()
    assert op.county.name == "Los Angeles"
    assert op.identified_on == datetime.date(2026, 12, 1) - datetime.timedelta(days=40)
    assert op.days_left == 20 and op.lines.count() == 10
    with django_capture_on_commit_callbacks(execute=True):
        overpayments.seed(io.StringIO())
    assert Overpayment.objects.count() == 1 and OverpaymentLine.objects.count() == 10
