"""The daily sweeps: expire, vacate, remind, close lapsed application windows.

Each is set-based (a fixed number of statements whatever the number of certifications: one
read of the rows that change, one UPDATE, one bulk INSERT each of history, audit events and
notifications) and idempotent: a second run for the same day finds nothing left to change.
Registered with core.jobs from RenewalConfig.ready().
"""

import datetime

from django.db.models import Exists, OuterRef
from django.urls import reverse

from peercert.certification import services as cert_services
from peercert.certification.models import Certification, CertificationStatus, CertificationStatusChange
from peercert.core import clock
from peercert.core.audit import SYSTEM_LABEL
from peercert.core.models import AuditEvent, Notification
from peercert.core.rules import rules_on
from peercert.renewal.models import OPEN_RENEWAL_STATUSES, Renewal, RenewalReminder, RenewalStatus
from peercert.renewal.services import add_years
from peercert.renewal.tasks import email_notifications

C = CertificationStatus


def _sweep_status(*, rows: list[dict], from_status: str, to_status: str, today: datetime.date, reason_for,
                  effective_for, subject: str, body_for, source: str) -> None:
    """History, audit events and notifications for certifications already moved by one UPDATE."""
    now = clock.now()
    CertificationStatusChange.objects.bulk_create([
        CertificationStatusChange(certification_id=r["pk"], from_status=from_status, to_status=to_status,
                                  effective_on=effective_for(r), reason=reason_for(r), source=source)
        for r in rows])
    AuditEvent.objects.bulk_create([
        AuditEvent(at=now, actor=None, actor_label=SYSTEM_LABEL, action="certification.change_status",
                   object_type="certification.certification", object_id=str(r["pk"]), object_repr=r["number"],
                   before={"status": from_status},
                   after={"status": to_status, "effective_on": effective_for(r).isoformat(), "source": source},
                   reason=reason_for(r))
        for r in rows])
    url = reverse("renewal:timeline")
    notes = Notification.objects.bulk_create([
        Notification(user_id=r["person__user_id"], subject=subject, body=body_for(r), url=url)
        for r in rows if r["person__user_id"]])
    if notes:
        ids = [n.pk for n in notes]
        from django.db import transaction

        transaction.on_commit(lambda: email_notifications.enqueue(ids))


def expire_certifications(today: datetime.date) -> dict:
    """Active certifications whose expiry date has passed become expired (the day after that date)."""
    due = Certification.objects.select_for_update(of=("self",)).filter(status=C.ACTIVE, expires_on__lt=today)
    rows = list(due.values("pk", "number", "expires_on", "person__user_id"))
    if not rows:
        return {"expired": 0}
    Certification.objects.filter(status=C.ACTIVE, expires_on__lt=today).update(
        status=C.EXPIRED, status_changed_on=today, updated_at=clock.now())
    _sweep_status(
        rows=rows, from_status=C.ACTIVE, to_status=C.EXPIRED, today=today, source="expiry",
        effective_for=lambda r: r["expires_on"] + datetime.timedelta(days=1),
        reason_for=lambda r: f"Not renewed by {r['expires_on']:%Y-%m-%d}",
        subject="Your certification has expired",
        body_for=lambda r: (f"Certification {r['number']} expired on {r['expires_on']:%B %-d, %Y}. You can still renew "
                            "it late (with the late fee) from your certification page."))
    return {"expired": len(rows)}


def vacate_certifications(today: datetime.date) -> dict:
    """Expired certifications not renewed within rules.vacate_after_years of their due date are vacated."""
    rules = rules_on(today)
    # vacated from due + years + 1 day, i.e. due < today - years
    cutoff = add_years(today, -rules.vacate_after_years)
    rows = list(Certification.objects.select_for_update(of=("self",)).filter(status=C.EXPIRED, expires_on__lt=cutoff)
                .values("pk", "number", "expires_on", "person__user_id"))
    if not rows:
        return {"vacated": 0, "renewals_closed": 0}
    Certification.objects.filter(status=C.EXPIRED, expires_on__lt=cutoff).update(
        status=C.VACATED, status_changed_on=today, updated_at=clock.now())
    closed = Renewal.objects.filter(certification__status=C.VACATED, status__in=OPEN_RENEWAL_STATUSES).update(
        status=RenewalStatus.WITHDRAWN, decision_reason="Certification vacated.", updated_at=clock.now())
    _sweep_status(
        rows=rows, from_status=C.EXPIRED, to_status=C.VACATED, today=today, source="vacate",
        effective_for=lambda r: add_years(r["expires_on"], rules.vacate_after_years) + datetime.timedelta(days=1),
        reason_for=lambda r: f"Not renewed within {rules.vacate_after_years} years of {r['expires_on']:%Y-%m-%d}",
        subject="Your certification was vacated",
        body_for=lambda r: (f"Certification {r['number']} was not renewed within {rules.vacate_after_years} years of "
                            "its due date, so it is vacated. To be certified again, start a new application."))
    return {"vacated": len(rows), "renewals_closed": closed}


def send_renewal_reminders(today: datetime.date) -> dict:
    """A reminder at each of rules.renewal_reminder_days before expiry, each once per certification and cycle.

    A day the job did not run is caught up: a certification between two reminder days gets the
    latest one it missed (not all of them). No reminder once a renewal is sent for the cycle.
    """
    rules = rules_on(today)
    days = sorted(set(rules.renewal_reminder_days), reverse=True)
    sent_reminder = RenewalReminder.objects.filter(certification=OuterRef("pk"), cycle_expires_on=OuterRef("expires_on"))
    renewal_sent = Renewal.objects.filter(
        certification=OuterRef("pk"), cycle_ends_on=OuterRef("expires_on"),
        status__in=(RenewalStatus.WAITING_FOR_FEE, RenewalStatus.UNDER_REVIEW, RenewalStatus.APPROVED))
    now = clock.now()
    url = reverse("renewal:mine")
    counts = {}
    reminders, notes = [], []
    for i, d in enumerate(days):
        lower = days[i + 1] + 1 if i + 1 < len(days) else 0
        rows = list(Certification.objects.filter(
            status=C.ACTIVE, expires_on__gte=today + datetime.timedelta(days=lower),
            expires_on__lte=today + datetime.timedelta(days=d),
        ).exclude(Exists(sent_reminder.filter(days_before__lte=d))).exclude(Exists(renewal_sent))
            .values("pk", "number", "expires_on", "person__user_id"))
        counts[f"reminded_{d}"] = len(rows)
        for r in rows:
            note = None
            if r["person__user_id"]:
                left = (r["expires_on"] - today).days
                note = Notification(
                    user_id=r["person__user_id"], url=url,
                    subject=f"Renew your certification: {left} days left",
                    body=(f"Certification {r['number']} expires on {r['expires_on']:%B %-d, %Y}. Renewal needs "
                          f"{rules.ce_hours_required} CE hours ({rules.ce_law_ethics_hours_required} in law and ethics), "
                          f"the Code of Ethics signed again and the ${rules.fee_renewal} fee."))
                notes.append(note)
            reminders.append((r, d, note))
    if notes:
        Notification.objects.bulk_create(notes)
    RenewalReminder.objects.bulk_create([
        RenewalReminder(certification_id=r["pk"], cycle_expires_on=r["expires_on"], days_before=d, sent_on=today,
                        notification=note, created_at=now, updated_at=now)
        for r, d, note in reminders])
    if notes:
        from django.db import transaction

        ids = [n.pk for n in notes]
        transaction.on_commit(lambda: email_notifications.enqueue(ids))
    counts["reminded"] = len(reminders)
    return counts


def close_application_windows(today: datetime.date) -> dict:
    """Approved applications whose rules.application_valid_months window ended without a certification expire
    (certification.services.applications_expire_lapsed, set-based and audited)."""
    return {"applications_closed": cert_services.applications_expire_lapsed(actor=None, today=today)}


def register() -> None:
    from peercert.core.jobs import register_daily_job

    register_daily_job("renewal.expire_certifications", expire_certifications, order=10,
                       description="Expire active certifications past their expiry date.")
    register_daily_job("renewal.vacate_certifications", vacate_certifications, order=11,
                       description="Vacate certifications not renewed within the vacate period.")
    register_daily_job("renewal.send_reminders", send_renewal_reminders, order=20,
                       description="Send renewal reminders at the rule days before expiry, each once.")
    register_daily_job("renewal.close_application_windows", close_application_windows, order=30,
                       description="Close approved applications whose window lapsed.")
