import datetime

import pytest
import time_machine

from peercert.accounts import demo as accounts_demo
from peercert.accounts.models import County, User
from peercert.accounts.roles import Role
from peercert.benefit import selectors
from peercert.benefit.demo import rates as demo
from peercert.benefit.models import FederalAuthority, Rate, RateKind, RateStatus
from peercert.core.models import AuditEvent
from peercert.core.worklists import worklists_for

pytestmark = pytest.mark.django_db


@time_machine.travel(datetime.datetime(2026, 12, 1, 18, tzinfo=datetime.UTC), tick=False)
def test_the_demo_has_every_state_and_runs_twice_unchanged():
    accounts_demo.seed(None)
    demo.seed(None)
    counts = (Rate.objects.count(), FederalAuthority.objects.count(), AuditEvent.objects.count())
    demo.seed(None)
    assert (Rate.objects.count(), FederalAuthority.objects.count(), AuditEvent.objects.count()) == counts
    assert set(Rate.objects.values_list("status", flat=True)) == set(RateStatus.values)
    assert Rate.objects.filter(kind=RateKind.INTERIM, status=RateStatus.APPROVED, county__isnull=True).exists()
    assert Rate.objects.exclude(county=None).values("county").distinct().count() >= 5
    today = datetime.date(2026, 12, 1)
    la = County.objects.get(name="Los Angeles")
    in_force = selectors.rate_in_force(la, "smhs", "H0038", today)
    assert in_force is not None and in_force.kind == RateKind.COUNTY
    approver = User.objects.get(email=demo.APPROVER)
    awaiting = selectors.rates_awaiting_decision(approver)
    assert awaiting.filter(county=la, code="H0038", delivery_system="smhs").exists()
    work = next(w for w in worklists_for(Role.DHCS_APPROVER, approver, None) if w.title == "Rates awaiting decision")
    assert work.count == awaiting.count() >= 3
    # The demo approver can approve Los Angeles's next year without an overlap.
    from peercert.benefit.services import rate_approve

    rate_approve(actor=approver, rate=awaiting.get(county=la, code="H0038", delivery_system="smhs"))
    for system in ("smhs", "dmc", "dmc_ods"):
        assert selectors.authority_in_force(system, "H0038", datetime.date(2022, 7, 1))
        assert not selectors.authority_in_force(system, "H0038", datetime.date(2022, 6, 30))
    assert selectors.authority_in_force("dmc_ods", "H0050", today)
    assert not selectors.authority_in_force("smhs", "H0050", today)
    staff = User.objects.get(email=demo.COUNTY_STAFF)
    assert any(w.count for w in worklists_for(Role.COUNTY_STAFF, staff, None) if w.title == "Rates returned to you")
