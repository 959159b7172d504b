"""The 837P out: built from billed lines and from the EHR's own file less the held lines, validated by pyx12."""

import datetime

import pytest
from django.utils import timezone

from peercert.benefit.tests.factories import RateFactory
from peercert.billing import x12_837_out
from peercert.billing.models import LineStatus
from peercert.billing.tests.factories import ServiceBatchFactory, ServiceLineFactory

pytestmark = pytest.mark.django_db
NOW = timezone.make_aware(datetime.datetime(2026, 11, 20, 9, 30))


def _batch(lines=3):
    batch = ServiceBatchFactory()
    RateFactory(county=batch.county)
    first = ServiceLineFactory(batch=batch, status=LineStatus.BILLABLE, modifiers="HQ")
    made = [first]
    for i in range(lines - 1):
        made.append(
            ServiceLineFactory(batch=batch, status=LineStatus.BILLABLE, service_date=datetime.date(2026, 10, 15 + i))
        )
    ServiceLineFactory(batch=batch, status=LineStatus.HELD)
    return batch, made


def test_built_from_lines_is_valid_5010():
    batch, lines = _batch()
    built = x12_837_out.build_from_lines(batch, icn=7, now=NOW, county_name="Los Angeles", county_code="19")
    result = x12_837_out.validate(built.content)
    assert result.ok, result.messages
