"""The claims demo: a claim file and an 835 with denials for a checked batch; twice changes nothing."""

import io

import pytest

from peercert.billing.demo import claims
from peercert.billing.models import ClaimFile, Remittance, RemittanceLine
from peercert.billing.tests.factories import billed_batch

pytestmark = pytest.mark.django_db


def test_without_a_checked_batch_it_does_nothing():
    out = io.StringIO()
    claims.seed(out)
    assert "no checked demo batch" in out.getvalue() and not ClaimFile.objects.exists()


def test_it_builds_a_file_and_posts_an_835_with_denials_once():
    billed_batch(lines=12, held=2)
    claims.seed(io.StringIO())
    assert ClaimFile.objects.count() == 1 and Remittance.objects.count() == 1
    denied = RemittanceLine.objects.filter(status="denied")
    assert denied.count() >= 1 and set(denied.values_list("adjustment_codes", flat=True)) == {"CO-16"}
    claims.seed(io.StringIO())
    assert ClaimFile.objects.count() == 1 and Remittance.objects.count() == 1
