"""The eligibility demo: thousands of synthetic beneficiaries with six months each, seeded once."""

import datetime
import io

import pytest
import time_machine

from peercert.billing.demo import eligibility as demo
from peercert.billing.models import Beneficiary, EligibilityMonth
from peercert.billing.services import validate_cin

pytestmark = pytest.mark.django_db


@time_machine.travel(datetime.datetime(2026, 11, 16, 18, 0, tzinfo=datetime.UTC), tick=False)
def test_the_demo_seeds_beneficiaries_with_months_once(monkeypatch):
    monkeypatch.setattr(demo, "PER_COUNTY", {"Los Angeles": 60})
    monkeypatch.setattr(demo, "OTHERS", 10)
    out = io.StringIO()
    demo.seed(out)
    people = Beneficiary.objects.count()
    months = EligibilityMonth.objects.count()
    assert people == 60 + 10 * (len(demo.DEMO_COUNTIES) - 1)
    assert Beneficiary.objects.filter(county__name="Los Angeles").count() == 60
    assert all(validate_cin(cin) == cin for cin in Beneficiary.objects.values_list("cin", flat=True))
    # Most months eligible, some not, some missing; none in the future.
    assert people * 6 * 0.85 < months < people * 6
    assert EligibilityMonth.objects.filter(eligible=False).exists()
    assert not EligibilityMonth.objects.filter(month__gt=datetime.date(2026, 11, 1)).exists()
    assert EligibilityMonth.objects.filter(month=datetime.date(2026, 6, 1)).exists()
    demo.seed(io.StringIO())
    assert (Beneficiary.objects.count(), EligibilityMonth.objects.count()) == (people, months)
