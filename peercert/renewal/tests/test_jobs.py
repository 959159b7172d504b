"""The daily sweeps: expire, vacate, remind, close application windows. Idempotent and set-based."""

import datetime

import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from peercert.certification.models import CertificationStatus
from peercert.core.jobs import daily_jobs, run_daily_jobs
from peercert.core.models import AuditEvent, JobRun, Notification
from peercert.core.rules import rules_on
from peercert.renewal import jobs, services
from peercert.renewal.models import Renewal, RenewalReminder, RenewalStatus
from peercert.renewal.tests.factories import EXPIRES, certified_peer

pytestmark = pytest.mark.django_db


def day(y, m, d):
    return datetime.date(y, m, d)


def test_jobs_are_registered_in_order():
    names = [j.name for j in daily_jobs()]
    for name in (
        "renewal.expire_certifications",
        "renewal.vacate_certifications",
        "renewal.send_reminders",
        "renewal.close_application_windows",
    ):
        assert name in names
    assert names.index("renewal.expire_certifications") < names.index("renewal.send_reminders")


def test_expiry_happens_the_day_after_the_date_and_only_once():
    _, cert = certified_peer()
    assert jobs.expire_certifications(EXPIRES) == {"expired": 0}  # still valid on its last day
    cert.refresh_from_db()
    assert cert.status == CertificationStatus.ACTIVE
    assert jobs.expire_certifications(day(2027, 1, 16)) == {"expired": 1}
    cert.refresh_from_db()
    assert cert.status == CertificationStatus.EXPIRED
    change = cert.status_changes.get(to_status=CertificationStatus.EXPIRED)
    assert (
        change.effective_on == day(2027, 1, 16)
        and change.from_status == CertificationStatus.ACTIVE
        and change.source == "expiry"
    )
    assert AuditEvent.objects.filter(action="certification.change_status", object_id=str(cert.pk)).count() == 1
    # twice: nothing more
    assert jobs.expire_certifications(day(2027, 1, 16)) == {"expired": 0}
    assert cert.status_changes.filter(to_status=CertificationStatus.EXPIRED).count() == 1


def test_expiry_leaves_renewed_suspended_and_other_certifications_alone():
    _, renewed = certified_peer(expires=day(2029, 1, 15))
    _, suspended = certified_peer(status=CertificationStatus.SUSPENDED)
    jobs.expire_certifications(day(2027, 2, 1))
    renewed.refresh_from_db()
    suspended.refresh_from_db()
    assert renewed.status == CertificationStatus.ACTIVE and suspended.status == CertificationStatus.SUSPENDED


def test_expired_peer_is_told_by_email(django_capture_on_commit_callbacks):
    user, cert = certified_peer()
    with django_capture_on_commit_callbacks(execute=True):
        jobs.expire_certifications(day(2027, 1, 16))
    assert Notification.objects.filter(user=user, subject__icontains="expired").count() == 1
    assert [m.to for m in mail.outbox] == [[user.email]]


def test_vacate_after_four_years_from_the_due_date():
    _, cert = certified_peer(status=CertificationStatus.EXPIRED)
    assert jobs.vacate_certifications(day(2031, 1, 15)) == {"vacated": 0, "renewals_closed": 0}  # last day
    assert jobs.vacate_certifications(day(2031, 1, 16))["vacated"] == 1
    cert.refresh_from_db()
    assert cert.status == CertificationStatus.VACATED
    assert cert.status_changes.get(to_status=CertificationStatus.VACATED).effective_on == day(2031, 1, 16)
    assert jobs.vacate_certifications(day(2031, 1, 16))["vacated"] == 0


def test_vacating_closes_an_open_late_renewal():
    _, cert = certified_peer(status=CertificationStatus.EXPIRED)
    renewal = Renewal.objects.create(
        certification=cert,
        person=cert.person,
        kind="reinstatement",
        cycle_starts_on=day(2025, 1, 15),
        cycle_ends_on=EXPIRES,
    )
    assert jobs.vacate_certifications(day(2031, 2, 1))["renewals_closed"] == 1
    renewal.refresh_from_db()
    assert renewal.status == RenewalStatus.WITHDRAWN


def test_reminders_go_out_at_each_rule_day_once(django_capture_on_commit_callbacks):
    user, cert = certified_peer()
    sent = []
    d = day(2026, 10, 14)
    while d <= EXPIRES:
        with django_capture_on_commit_callbacks(execute=True):
            counts = jobs.send_renewal_reminders(d)
        if counts["reminded"]:
            sent.append((d, (EXPIRES - d).days))
            assert jobs.send_renewal_reminders(d)["reminded"] == 0  # twice the same day: nothing more
        d += datetime.timedelta(days=1)
    assert [days for _, days in sent] == [90, 60, 30, 7]
    rows = RenewalReminder.objects.filter(certification=cert).order_by("sent_on")
    assert [r.days_before for r in rows] == [90, 60, 30, 7]
    assert Notification.objects.filter(user=user, subject="Renew your certification by January 15, 2027").count() == 4
    assert len(mail.outbox) == 4 and all(m.to == [user.email] for m in mail.outbox)
    assert all(n.emailed_at for n in Notification.objects.filter(user=user))


def test_a_missed_day_is_caught_up_with_the_latest_reminder_only():
    _, cert = certified_peer()
    counts = jobs.send_renewal_reminders(day(2026, 11, 20))  # 56 days left: 90 and 60 both passed unseen
    assert counts["reminded"] == 1
    assert list(RenewalReminder.objects.values_list("days_before", flat=True)) == [60]


def test_no_reminder_once_the_renewal_is_sent():
    user, cert = certified_peer()
    Renewal.objects.create(
        certification=cert,
        person=cert.person,
        cycle_starts_on=day(2025, 1, 15),
        cycle_ends_on=EXPIRES,
        status=RenewalStatus.WAITING_FOR_FEE,
    )
    assert jobs.send_renewal_reminders(day(2026, 12, 16))["reminded"] == 0


def test_reminder_days_follow_the_rules(settings):
    from peercert.core.models import ProgramRuleSet

    row = ProgramRuleSet.objects.order_by("-effective_from").first()
    row.rules = {**row.rules, "renewal_reminder_days": [45]}
    row.save()
    certified_peer()
    assert jobs.send_renewal_reminders(day(2026, 12, 1))["reminded"] == 1  # 45 days left
    assert jobs.send_renewal_reminders(day(2026, 10, 17))["reminded"] == 0


def test_sweeps_use_a_fixed_number_of_statements():
    def count(n, today):
        for i in range(n):
            certified_peer(f"Nombre{i}", "Prueba", expires=day(2027, 1, 10))
            certified_peer(f"Aviso{i}", "Prueba", expires=day(2027, 4, 16))  # 90 days after 2027-01-16
        with CaptureQueriesContext(connection) as ctx:
            jobs.expire_certifications(today)
            jobs.send_renewal_reminders(today)
        return len(ctx.captured_queries)

    small = count(2, day(2027, 1, 16))
    Renewal.objects.all().delete()
    large = count(12, day(2027, 1, 17))
    if connection.vendor == "postgresql":
        assert small == large
    else:
        assert large <= small + 6  # SQLite splits big bulk inserts into batches of its parameter limit


def test_run_daily_jobs_records_counts_and_a_second_run_changes_nothing():
    certified_peer(expires=day(2027, 1, 10))
    with time_machine.travel(datetime.datetime(2027, 1, 16, 12, tzinfo=datetime.UTC), tick=False):
        first = {r.job: r.counts for r in run_daily_jobs(today=day(2027, 1, 16), triggered_by="test")}
        second = {r.job: r.counts for r in run_daily_jobs(today=day(2027, 1, 16), triggered_by="test")}
    assert first["renewal.expire_certifications"] == {"expired": 1}
    assert second["renewal.expire_certifications"] == {"expired": 0}
    assert all(v == 0 for counts in second.values() for v in counts.values())
    assert JobRun.objects.filter(job="renewal.send_reminders", outcome="succeeded").count() == 2


def test_application_windows_close_through_the_certification_service():
    from peercert.accounts.tests.factories import PersonFactory, statewide_program
    from peercert.certification.models import Application, ApplicationStatus

    app = Application.objects.create(
        person=PersonFactory(),
        program=statewide_program(),
        pathway="standard",
        status=ApplicationStatus.APPROVED,
        valid_until=day(2026, 5, 1),
    )
    assert jobs.close_application_windows(day(2026, 5, 1)) == {"applications_closed": 0}
    assert jobs.close_application_windows(day(2026, 5, 2)) == {"applications_closed": 1}
    assert jobs.close_application_windows(day(2026, 5, 2)) == {"applications_closed": 0}
    app.refresh_from_db()
    assert app.status == ApplicationStatus.EXPIRED


def test_window_helpers():
    rules = rules_on(day(2026, 1, 1))
    assert services.window_opens_on(EXPIRES, rules) == day(2026, 10, 17)
    assert services.vacates_on(EXPIRES, rules) == day(2031, 1, 16)
