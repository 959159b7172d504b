import datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from peercert.core import jobs
from peercert.core.models import JobRun


@pytest.fixture
def registry(monkeypatch):
    monkeypatch.setattr(jobs, "_jobs", {})
    return jobs


def test_jobs_run_in_order_and_record_counts(db, registry):
    seen = []
    registry.register_daily_job("b", lambda day: seen.append(("b", day)) or {"changed": 2}, order=20)
    registry.register_daily_job("a", lambda day: seen.append(("a", day)) or {"changed": 1}, order=10)
    runs = registry.run_daily_jobs(today=datetime.date(2026, 12, 1))
    assert [s[0] for s in seen] == ["a", "b"]
    assert [(r.job, r.outcome, r.counts) for r in runs] == [
        ("a", "succeeded", {"changed": 1}),
        ("b", "succeeded", {"changed": 2}),
    ]


def test_a_failing_job_is_recorded_rolled_back_and_the_rest_run(db, registry):
    from peercert.core.audit import audit_record

    def broken(day):
        audit_record(actor=None, action="half.done", object_type="x", object_id=1)
        raise RuntimeError("database went away")

    registry.register_daily_job("broken", broken, order=1)
    registry.register_daily_job("fine", lambda day: {"n": 0}, order=2)
    runs = registry.run_daily_jobs(today=datetime.date(2026, 12, 1))
    assert [r.outcome for r in runs] == ["failed", "succeeded"]
    assert "database went away" in runs[0].error
    from peercert.core.models import AuditEvent

    assert not AuditEvent.objects.filter(action="half.done").exists()


def test_command_takes_today_and_refuses_bad_input(db, registry):
    registry.register_daily_job("echo", lambda day: {"day": day.day})
    out = StringIO()
    call_command("run_daily_jobs", "--today", "2026-12-31", stdout=out)
    assert "echo for 2026-12-31: succeeded (day=31)" in out.getvalue()
    assert JobRun.objects.get().for_day == datetime.date(2026, 12, 31)
    with pytest.raises(CommandError, match="needs a date"):
        call_command("run_daily_jobs", "--today", "31/12/2026")
    with pytest.raises(CommandError, match="Unknown job"):
        call_command("run_daily_jobs", "--job", "nope")
