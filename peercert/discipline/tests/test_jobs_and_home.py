"""Discipline's daily jobs and its home-page queue (split from the old assistance tests when
technical assistance became its own app)."""

import datetime

import pytest

pytestmark = pytest.mark.django_db


def test_daily_jobs_are_registered(certs):
    from peercert.core.jobs import daily_jobs, run_daily_jobs

    names = {job.name for job in daily_jobs()}
    assert {"discipline_execute_due", "corrective_actions_escalate"} <= names
    runs = run_daily_jobs(
        today=datetime.date(2026, 3, 6), only=["discipline_execute_due", "corrective_actions_escalate"]
    )
    assert [r.outcome for r in runs] == ["succeeded", "succeeded"]


def test_home_page_queue_shows_only_when_something_waits(reviewer, certs):
    from peercert.accounts.roles import Role
    from peercert.core.worklists import worklists_for
    from peercert.discipline.tests.factories import ComplaintFactory

    titles = [w.title for w in worklists_for(Role.PROGRAM_REVIEWER, reviewer, None)]
    assert "Complaints and appeals" not in titles
    ComplaintFactory()
    lists = {w.title: w for w in worklists_for(Role.PROGRAM_REVIEWER, reviewer, None)}
    assert "New complaints to acknowledge: 1" in lists["Complaints and appeals"].items[0].label
