"""The daily jobs renewal runs: expire, vacate, remind, close lapsed application windows.

Expiry and vacating change certifications, so the set-based SQL that does it is
certification's (certification.jobs); the jobs here keep their registered names, close the
renewals a vacated certification leaves open, and email what each sweep wrote from one
background task, on commit. The reminder sweep is renewal's own and is written the same way:
one INSERT ... SELECT for the reminders and one per language for the notifications, whatever
the number of rows, idempotent for the day.

Registered with core.jobs from RenewalConfig.ready().
"""

import datetime

from django.db import connection, transaction
from django.urls import reverse
from django.utils.translation import gettext_noop

from peercert.certification import jobs as certification_jobs
from peercert.certification import services as certification_services
from peercert.certification.jobs import SqlDate, db_date, db_datetime, execute, messages_sql, table
from peercert.certification.models import Certification, CertificationStatus
from peercert.core import clock
from peercert.core.models import Notification
from peercert.core.rules import rules_on
from peercert.renewal.models import OPEN_RENEWAL_STATUSES, Renewal, RenewalReminder, RenewalStatus
from peercert.renewal.tasks import email_notifications


def _email_later(ids: list[int]) -> None:
    if ids:
        transaction.on_commit(lambda: email_notifications.enqueue(ids))


@transaction.atomic
def expire_certifications(today: datetime.date) -> dict:
    """Active certifications whose expiry date has passed become expired (certification.jobs)."""
    sweep = certification_jobs.certifications_expire(today=today, link=reverse("renewal:timeline"))
    _email_later(sweep.notification_ids)
    return {"expired": sweep.moved}


@transaction.atomic
def vacate_certifications(today: datetime.date) -> dict:
    """Expired certifications not renewed within the vacate period are vacated (certification.jobs); their
    open renewals are withdrawn, since a vacated certification cannot be renewed."""
    sweep = certification_jobs.certifications_vacate(today=today, link=reverse("renewal:timeline"))
    _email_later(sweep.notification_ids)
    closed = 0
    if sweep.moved:
        closed = Renewal.objects.filter(
            certification__status=CertificationStatus.VACATED, status__in=OPEN_RENEWAL_STATUSES
        ).update(status=RenewalStatus.WITHDRAWN, decision_reason="Certification vacated.", updated_at=clock.now())
    return {"vacated": sweep.moved, "renewals_closed": closed}


@transaction.atomic
def send_renewal_reminders(today: datetime.date) -> dict:
    """A reminder at each of rules.renewal_reminder_days before expiry, each once per certification and cycle.

    A day the job did not run is caught up: a certification between two reminder days gets the
    latest one it missed (not all of them). No reminder once a renewal is sent for the cycle.
    """
    from peercert.accounts.models import Person

    rules = rules_on(today)
    days = sorted({int(d) for d in rules.renewal_reminder_days})
    if not days:
        return {"reminded": 0}
    now = clock.now()
    stamp = db_datetime(now)
    # The reminder due for each certification: the smallest rule day at or above its days left.
    case = "CASE " + " ".join("WHEN c.expires_on <= %s THEN %s" for _ in days) + " END"
    case_params = [p for d in days for p in (db_date(today + datetime.timedelta(days=d)), d)]
    sent_statuses = (RenewalStatus.WAITING_FOR_FEE, RenewalStatus.UNDER_REVIEW, RenewalStatus.APPROVED)
    # The statement reads the reminder table it writes to. With few reminders on record PostgreSQL
    # picks a nested-loop anti join that rescans that table for every candidate, including the
    # rows this statement has just added (invisible but still read): quadratic in the reminders
    # sent. A hash anti join reads it once, before the first insert.
    postgres = connection.vendor == "postgresql"
    if postgres:
        execute("SET LOCAL enable_nestloop = off", [])
    inserted = execute(
        f"INSERT INTO {table(RenewalReminder)} (created_at, updated_at, certification_id, cycle_expires_on, days_before, "
        f"sent_on) SELECT %s, %s, t.id, t.expires_on, t.due, %s FROM ("
        f"  SELECT c.id, c.expires_on, {case} AS due FROM {table(Certification)} c"
        f"  WHERE c.status = %s AND c.expires_on >= %s AND c.expires_on <= %s) t "
        f"WHERE NOT EXISTS (SELECT 1 FROM {table(RenewalReminder)} r WHERE r.certification_id = t.id "
        f"  AND r.cycle_expires_on = t.expires_on AND r.days_before <= t.due) "
        f"AND NOT EXISTS (SELECT 1 FROM {table(Renewal)} n WHERE n.certification_id = t.id "
        f"  AND n.cycle_ends_on = t.expires_on AND n.status IN ({', '.join(['%s'] * len(sent_statuses))}))",
        [
            stamp,
            stamp,
            db_date(today),
            *case_params,
            CertificationStatus.ACTIVE,
            db_date(today),
            db_date(today + datetime.timedelta(days=days[-1])),
            *sent_statuses,
        ],
    )
    if postgres:
        execute("SET LOCAL enable_nestloop = on", [])
    counts = {f"reminded_{d}": 0 for d in days}
    if not inserted:
        return {**counts, "reminded": 0}
    ids = []
    messages = messages_sql(
        gettext_noop("Renew your certification by %(expires)s"),
        gettext_noop(
            "Certification %(number)s expires on %(expires)s. Renewal needs %(hours)s CE hours "
            "(%(law_ethics)s in law and ethics), the Code of Ethics signed again and the $%(fee)s fee. "
            "Renew from your account."
        ),
        {"number": "c.number", "expires": SqlDate("c.expires_on")},
        {"hours": rules.ce_hours_required, "law_ethics": rules.ce_law_ethics_hours_required, "fee": rules.fee_renewal},
    )
    for where, where_params, subject_sql, subject_params, body_sql, body_params in messages:
        ids += execute(
            f"INSERT INTO {table(Notification)} (created_at, updated_at, user_id, subject, body, url, read_at, emailed_at) "
            f"SELECT %s, %s, p.user_id, {subject_sql}, {body_sql}, %s, NULL, NULL "
            f"FROM {table(RenewalReminder)} r JOIN {table(Certification)} c ON c.id = r.certification_id "
            f"JOIN {table(Person)} p ON p.id = c.person_id "
            f"WHERE r.created_at = %s AND r.sent_on = %s AND p.user_id IS NOT NULL AND {where} RETURNING id",
            [
                stamp,
                stamp,
                *subject_params,
                *body_params,
                reverse("renewal:mine"),
                stamp,
                db_date(today),
                *where_params,
            ],
            returning=True,
        )
    _email_later(ids)
    for d, n in _reminder_counts(now, today):
        counts[f"reminded_{d}"] = n
    counts["reminded"] = inserted
    return counts


def _reminder_counts(now, today):
    from django.db.models import Count

    return (
        RenewalReminder.objects.filter(created_at=now, sent_on=today)
        .values("days_before")
        .annotate(n=Count("id"))
        .values_list("days_before", "n")
    )


@transaction.atomic
def close_application_windows(today: datetime.date) -> dict:
    """Approved applications whose rules.application_valid_months window ended without a certification expire
    (certification.services.applications_expire_lapsed, set-based and audited)."""
    return {"applications_closed": certification_services.applications_expire_lapsed(actor=None, today=today)}


def register() -> None:
    from peercert.core.jobs import register_daily_job

    register_daily_job(
        "renewal.expire_certifications",
        expire_certifications,
        order=10,
        description="Expire active certifications past their expiry date.",
    )
    register_daily_job(
        "renewal.vacate_certifications",
        vacate_certifications,
        order=11,
        description="Vacate certifications not renewed within the vacate period.",
    )
    register_daily_job(
        "renewal.send_reminders",
        send_renewal_reminders,
        order=20,
        description="Send renewal reminders at the rule days before expiry, each once.",
    )
    register_daily_job(
        "renewal.close_application_windows",
        close_application_windows,
        order=30,
        description="Close approved applications whose window lapsed.",
    )
