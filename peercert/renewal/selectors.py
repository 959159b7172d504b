"""Reads of renewals, audits, reminders, name changes and the peer's timeline, scoped to the asker."""

import datetime

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_noop

from peercert.accounts.permissions import program_ids
from peercert.accounts.selectors import person_for_user
from peercert.certification import selectors as cert_selectors
from peercert.certification.models import Certification, CertificationStatus, CertificationStatusChange
from peercert.core import clock
from peercert.core.duties import exclude_own_matters
from peercert.core.rules import rules_on
from peercert.core.text import fill
from peercert.renewal import services
from peercert.renewal.models import (
    OPEN_RENEWAL_STATUSES,
    CEAudit,
    CEAuditStatus,
    NameChange,
    NameChangeStatus,
    Renewal,
    RenewalReminder,
    RenewalStatus,
)
from peercert.renewal.permissions import REVIEW_ROLES, can_decide_name_change


def person_of(user):
    return person_for_user(user)


def renewal_situation(person, today: datetime.date | None = None) -> dict:
    """What the peer's renewal page should say: which certification, what they can do, and why not."""
    today = today or clock.today()
    rules = rules_on(today)
    cert = cert_selectors.current_certification(person) if person else None
    out = {
        "certification": cert,
        "open_renewal": None,
        "can_start": False,
        "message": "",
        "kind": "",
        "window_opens_on": None,
        "vacates_on": None,
        "rules": rules,
    }
    if cert is None:
        out["message"] = fill(gettext_noop("You do not hold a certification yet."))
        return out
    out["open_renewal"] = Renewal.objects.filter(certification=cert, status__in=OPEN_RENEWAL_STATUSES).first()
    out["window_opens_on"] = services.window_opens_on(cert.expires_on, rules)
    out["vacates_on"] = services.vacates_on(cert.expires_on, rules)
    if cert.status == CertificationStatus.VACATED:
        out["message"] = fill(
            gettext_noop(
                "Your certification was vacated because it was not renewed within %(years)s years of "
                "its due date. It cannot be renewed. To be certified again, start a new application."
            ),
            {"years": rules.vacate_after_years},
        )
        out["kind"] = "vacated"
    elif cert.status in (CertificationStatus.SUSPENDED, CertificationStatus.REVOKED):
        out["message"] = fill(
            gettext_noop("Your certification is %(status)s. A certification must be in good standing to renew."),
            {"status": cert.get_status_display().lower()},
        )
    elif cert.status == CertificationStatus.SURRENDERED:
        out["message"] = fill(
            gettext_noop("You surrendered this certification. To be certified again, start a new application.")
        )
    elif cert.status == CertificationStatus.EXPIRED:
        out["can_start"] = today < out["vacates_on"]
        out["kind"] = "reinstatement"
        out["message"] = fill(
            gettext_noop(
                "Your certification expired on %(expired)s. You can still renew it late until "
                "%(until)s: the reinstatement fee ($%(fee)s) and the late fee ($%(late_fee)s), "
                "%(hours)s CE hours, the Code of Ethics, and a refresher course or the exam."
            ),
            {
                "expired": cert.expires_on,
                "until": out["vacates_on"] - datetime.timedelta(days=1),
                "fee": rules.fee_reinstatement,
                "late_fee": rules.fee_late,
                "hours": rules.ce_hours_required,
            },
        )
    elif today < out["window_opens_on"]:
        out["message"] = fill(
            gettext_noop("Your certification expires on %(expires)s. Renewal opens on %(opens)s."),
            {"expires": cert.expires_on, "opens": out["window_opens_on"]},
        )
    else:
        out["can_start"] = True
        out["kind"] = "renewal"
        out["message"] = fill(
            gettext_noop("Your certification expires on %(expires)s. You can renew it now."),
            {"expires": cert.expires_on},
        )
    if out["open_renewal"] is not None:
        out["can_start"] = False
    return out


def renewals_of(person) -> QuerySet[Renewal]:
    return Renewal.objects.filter(person=person).select_related("certification").order_by("-created_at")


def denied_renewals_of(person_id: int, *, decided_since: datetime.date | None = None) -> QuerySet[Renewal]:
    """The person's denied renewals, newest decision first (what an appeal of a denial names)."""
    qs = Renewal.objects.filter(person_id=person_id, status=RenewalStatus.DENIED).select_related("certification")
    if decided_since is not None:
        qs = qs.filter(decided_at__date__gte=decided_since)
    return qs.order_by("-decided_at", "-id")


def access_renewal(actor, renewal_id) -> Renewal:
    """The peer's own renewal, or one of a program the actor reviews."""
    try:
        renewal = Renewal.objects.select_related("certification__person", "person").get(pk=renewal_id)
    except (Renewal.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if renewal.person.user_id == getattr(actor, "pk", None):
        return renewal
    if renewal.certification.program_id in program_ids(actor, *REVIEW_ROLES):
        return renewal
    raise Http404


def access_own_certification(actor, number: str) -> Certification:
    try:
        return Certification.objects.select_related("person").get(number=number, person__user=actor)
    except Certification.DoesNotExist:
        raise Http404 from None


def access_evidence(actor, evidence_id):
    from peercert.renewal.models import CEAuditEvidence

    try:
        evidence = CEAuditEvidence.objects.select_related("audit__renewal").get(pk=evidence_id)
    except (CEAuditEvidence.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    access_renewal(actor, evidence.audit.renewal_id)
    return evidence


def review_queue(*, actor) -> QuerySet[Renewal]:
    """Renewals waiting for staff: under review (CE audit drawn), oldest first; not the reviewer's own."""
    qs = Renewal.objects.filter(
        status=RenewalStatus.UNDER_REVIEW, certification__program_id__in=program_ids(actor, *REVIEW_ROLES)
    )
    return (
        exclude_own_matters(qs, actor, "person", "certification__person")
        .select_related("certification", "person", "ce_audit")
        .order_by("submitted_at", "id")
    )


def audits_waiting(*, actor) -> QuerySet[CEAudit]:
    qs = CEAudit.objects.filter(
        status=CEAuditStatus.SUBMITTED, renewal__certification__program_id__in=program_ids(actor, *REVIEW_ROLES)
    )
    return exclude_own_matters(qs, actor, "renewal__person", "renewal__certification__person")


def name_changes_waiting(*, actor) -> QuerySet[NameChange]:
    if not can_decide_name_change(actor):
        return NameChange.objects.none()
    qs = NameChange.objects.filter(status=NameChangeStatus.REQUESTED)
    return exclude_own_matters(qs, actor, "person").select_related("person").order_by("created_at")


def access_name_change(actor, change_id) -> NameChange:
    try:
        change = NameChange.objects.select_related("person").get(pk=change_id)
    except (NameChange.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if change.person.user_id == getattr(actor, "pk", None) or can_decide_name_change(actor):
        return change
    raise Http404


def reminders_of(person) -> QuerySet[RenewalReminder]:
    return RenewalReminder.objects.filter(certification__person=person).select_related("certification")


def timeline(person) -> list[dict]:
    """Every status change of the person's certifications (date and reason), with renewals, reminders
    and name changes, newest first."""
    rows = []
    for ch in CertificationStatusChange.objects.filter(certification__person=person).select_related("certification"):
        label = ch.get_to_status_display()
        rows.append(
            {
                "date": ch.effective_on,
                "kind": "status",
                "title": f"Certification {ch.certification.number}: {label}",
                "detail": ch.reason,
                "order": 1,
                "at": ch.created_at,
            }
        )
    for r in renewals_of(person):
        when = r.decided_at or r.submitted_at or r.created_at
        detail = r.decision_reason
        if r.status == RenewalStatus.APPROVED and r.new_expires_on:
            detail = f"New expiry date: {r.new_expires_on:%B %-d, %Y}."
        rows.append(
            {
                "date": timezone.localdate(when),
                "kind": "renewal",
                "title": f"{r.get_kind_display()}: {r.get_status_display()}",
                "detail": detail,
                "order": 2,
                "at": when,
            }
        )
    for rem in reminders_of(person):
        rows.append(
            {
                "date": rem.sent_on,
                "kind": "reminder",
                "title": f"Reminder sent: {rem.days_before} days before {rem.cycle_expires_on:%B %-d, %Y}",
                "detail": "By email and on your home page.",
                "order": 3,
                "at": rem.created_at,
            }
        )
    for nc in NameChange.objects.filter(person=person):
        when = nc.decided_at or nc.created_at
        rows.append(
            {
                "date": timezone.localdate(when),
                "kind": "name",
                "title": f"Name change: {nc.get_status_display()}",
                "detail": f"{nc.old_name} → {nc.new_name}",
                "order": 4,
                "at": when,
            }
        )
    rows.sort(key=lambda r: (r["date"], r["at"]), reverse=True)
    return rows


# --- for oversight dashboards ---


def renewal_outcomes(start: datetime.date, end: datetime.date) -> dict[str, int]:
    """For certification cycles due from start to end: renewed on time, renewed late (reinstatement),
    and not renewed (the certification expired or was vacated). Two aggregate queries."""
    from django.db.models import Count, Q

    from peercert.renewal.models import RenewalKind

    renewed = Renewal.objects.filter(
        status=RenewalStatus.APPROVED, cycle_ends_on__gte=start, cycle_ends_on__lte=end
    ).aggregate(
        on_time=Count("certification_id", filter=Q(kind=RenewalKind.RENEWAL), distinct=True),
        late=Count("certification_id", filter=Q(kind=RenewalKind.REINSTATEMENT), distinct=True),
    )
    lapsed = Certification.objects.filter(
        expires_on__gte=start,
        expires_on__lte=min(end, clock.today()),
        status__in=(CertificationStatus.EXPIRED, CertificationStatus.VACATED),
    ).count()
    return {"on_time": renewed["on_time"], "late": renewed["late"], "not_renewed": lapsed}


# --- for oversight reports ---


def renewal_timeliness_for_report(*, start: datetime.date, end: datetime.date, county_ids=None) -> list[dict]:
    """Certifications due in a period and what became of them, by county: renewed on time (a renewal
    submitted by the due date and approved), late (approved, but submitted after the due date, or a
    reinstatement), and lapsed (expired during the period). Rows {county_id, on_time, late, lapsed}."""
    from django.db.models import Count, F, Q

    from peercert.renewal.models import RenewalKind

    renewals = Renewal.objects.filter(cycle_ends_on__gte=start, cycle_ends_on__lte=end, status=RenewalStatus.APPROVED)
    lapses = CertificationStatusChange.objects.filter(
        to_status=CertificationStatus.EXPIRED, effective_on__gte=start, effective_on__lte=end
    )
    if county_ids is not None:
        renewals = renewals.filter(certification__county_id__in=list(county_ids))
        lapses = lapses.filter(certification__county_id__in=list(county_ids))
    late = Q(kind=RenewalKind.REINSTATEMENT) | Q(submitted_at__date__gt=F("cycle_ends_on"))
    merged: dict = {}
    for row in (
        renewals.values("certification__county_id")
        .annotate(on_time=Count("id", filter=~late), late=Count("id", filter=late))
        .order_by("certification__county_id")
    ):
        merged[row["certification__county_id"]] = {"on_time": row["on_time"], "late": row["late"], "lapsed": 0}
    for row in lapses.values("certification__county_id").annotate(n=Count("id")).order_by("certification__county_id"):
        merged.setdefault(row["certification__county_id"], {"on_time": 0, "late": 0, "lapsed": 0})["lapsed"] = row["n"]
    ordered = sorted(merged.items(), key=lambda item: (item[0] is None, item[0] or 0))
    return [{"county_id": county_id, **values} for county_id, values in ordered]
