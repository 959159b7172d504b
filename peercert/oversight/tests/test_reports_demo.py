"""The reports' demo data: members for every county, last fiscal year's reports ready, safe to run twice."""

import datetime
import io

import pytest
import time_machine

from peercert.accounts.models import County
from peercert.accounts.roles import Role
from peercert.accounts.tests.factories import user_with_role
from peercert.oversight.demo import reports as demo
from peercert.oversight.models.reports import CountyMedicalMembers, ReportRun, ReportRunStatus
from peercert.oversight.selectors import members_by_county

pytestmark = pytest.mark.django_db


@time_machine.travel(datetime.datetime(2026, 12, 1, 8, 5, tzinfo=datetime.UTC), tick=False)
def test_demo_seeds_members_and_last_years_reports_once():
    user_with_role(Role.DHCS_ANALYST, email=demo.ANALYST)
    demo.seed(io.StringIO())
    demo.seed(io.StringIO())
    assert CountyMedicalMembers.objects.count() == County.objects.count() == 58
    members = members_by_county(datetime.date(2025, 6, 30))
    assert 13_000_000 < sum(members.values()) < 16_000_000
    runs = ReportRun.objects.all()
    assert runs.count() == len(demo.RUNS)
    assert {r.status for r in runs} == {ReportRunStatus.DONE}
    assert {(r.period_start, r.period_end) for r in runs} == {(datetime.date(2025, 7, 1), datetime.date(2026, 6, 30))}
