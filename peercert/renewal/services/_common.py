"""What the renewal services share: the renewal window and vacate dates, the reproducible CE-audit
draw, the fees a renewal owes, the checks a renewal must pass, the records' nouns and locks, and the
moves several entities make on a renewal (approve, deny, withdraw; a CE audit decision and a surrender
make them too)."""

import datetime
import hashlib
from decimal import Decimal

from django.urls import reverse
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from peercert.certification import services as certification_services
from peercert.certification.models import CertificationStatus
from peercert.core import clock
from peercert.core.audit import audit_record
from peercert.core.dates import add_years
from peercert.core.duties import ensure_not_own_matter
from peercert.core.errors import ApplicationError
from peercert.core.rules import Rules, rules_on
from peercert.core.tell import tell_person
from peercert.core.text import fill
from peercert.core.transitions import transition
from peercert.core.types import Actor
from peercert.finance import selectors as fee_selectors
from peercert.finance import services as fee_services
from peercert.renewal import permissions
from peercert.renewal.audit import RenewalAuditAction
from peercert.renewal.models import (
    RENEWAL_TRANSITIONS,
    Renewal,
    RenewalKind,
    RenewalStatus,
)
from peercert.training import selectors as training

REFERENCE_TYPE = "renewal.renewal"


# ---- Dates and draws --------------------------------------------------------------------


def window_opens_on(expires_on: datetime.date, rules: Rules) -> datetime.date:
    return expires_on - datetime.timedelta(days=rules.renewal_window_days)


def vacates_on(expires_on: datetime.date, rules: Rules) -> datetime.date:
    """The first day a certification still expired is vacated (the due date plus vacate_after_years, plus a day)."""
    return add_years(expires_on, rules.vacate_after_years) + datetime.timedelta(days=1)


def ce_audit_draw(number: str, cycle_ends_on: datetime.date) -> Decimal:
    """A number in [0, 1) fixed by the certification and the cycle, so drawing again gives the same answer
    (and nobody can pick who is audited by retrying)."""
    digest = hashlib.sha256(f"{number}|{cycle_ends_on.isoformat()}".encode()).digest()
    return (Decimal(int.from_bytes(digest[:8], "big")) / Decimal(2**64)).quantize(Decimal("0.00000001"))


def ce_audit_drawn(number: str, cycle_ends_on: datetime.date, rate: Decimal) -> bool:
    return ce_audit_draw(number, cycle_ends_on) < rate


def fee_codes_for(kind: str) -> tuple[str, ...]:
    return ("fee_reinstatement", "fee_late") if kind == RenewalKind.REINSTATEMENT else ("fee_renewal",)


def fees_settled(renewal: Renewal) -> bool:
    for code in fee_codes_for(renewal.kind):
        invoice = fee_selectors.invoice_for(reference_type=REFERENCE_TYPE, reference_id=renewal.pk, fee_code=code)
        if not fee_selectors.is_settled(invoice):
            return False
    return True


def _exam_passed_after(person, day: datetime.date) -> bool:
    """A certification exam passed after the day. exams.selectors.exam_passed_on gives the first pass
    only (the one that led to certification), so the person's attempts are read instead."""
    from peercert.exams import selectors as exams
    from peercert.exams.models import AttemptStatus, Result

    return (
        exams.attempts_of(person).filter(status=AttemptStatus.SCORED, result=Result.PASSED, taken_on__gt=day).exists()
    )


# ---- Checks -----------------------------------------------------------------------------


def renewal_checks(renewal: Renewal, *, today: datetime.date | None = None) -> list[dict]:
    """Every rule a renewal must meet, as rows {code, label, ok, detail}. Read-only; the page shows them."""
    today = today or clock.today()
    rules = rules_on(today)
    cert = renewal.certification
    rows = []

    def row(code, label, ok, detail=""):
        rows.append({"code": code, "label": label, "ok": bool(ok), "detail": detail})

    if renewal.kind == RenewalKind.RENEWAL:
        opens = window_opens_on(cert.expires_on, rules)
        row(
            "window",
            gettext("Renewal window is open"),
            cert.status == CertificationStatus.ACTIVE and opens <= today <= cert.expires_on,
            fill(gettext_noop("Open from %(opens)s to %(expires)s."), {"opens": opens, "expires": cert.expires_on}),
        )
    else:
        last_day = vacates_on(renewal.cycle_ends_on, rules) - datetime.timedelta(days=1)
        row(
            "window",
            gettext("Within the time allowed for a late renewal"),
            cert.status == CertificationStatus.EXPIRED and today < vacates_on(renewal.cycle_ends_on, rules),
            fill(gettext_noop("A late renewal is possible until %(day)s."), {"day": last_day}),
        )
    row(
        "standing",
        gettext("Good standing (not suspended or revoked)"),
        cert.status not in (CertificationStatus.SUSPENDED, CertificationStatus.REVOKED),
        gettext("Your certification is %(status)s.") % {"status": cert.get_status_display().lower()},
    )
    start, end = _ce_period(renewal, today, rules)
    hours = training.ce_hours_between(renewal.person, start, end)
    row(
        "ce_total",
        gettext("%(hours)s continuing-education hours") % {"hours": rules.ce_hours_required},
        hours["total"] >= rules.ce_hours_required,
        fill(
            gettext_noop("You have %(hours)s hours between %(start)s and %(end)s."),
            {"hours": _hours(hours["total"]), "start": start, "end": end},
        ),
    )
    row(
        "ce_law_ethics",
        gettext("At least %(hours)s of them in law and ethics") % {"hours": rules.ce_law_ethics_hours_required},
        hours["law_ethics"] >= rules.ce_law_ethics_hours_required,
        gettext("You have %(hours)s hours in law and ethics.") % {"hours": _hours(hours["law_ethics"])},
    )
    row(
        "ethics",
        gettext("Code of Ethics signed again"),
        bool(renewal.ethics_signed_name) and renewal.ethics_rules_version == rules.version,
        gettext("Type your full legal name to sign it."),
    )
    row("attestation", gettext("You confirmed that what you told us is true"), renewal.attested_at is not None)
    if renewal.kind == RenewalKind.REINSTATEMENT:
        needs = rules.reinstatement_requires
        after = renewal.cycle_ends_on + datetime.timedelta(days=1)
        refresher = training.refresher_completed_between(renewal.person, after, today)
        exam = _exam_passed_after(renewal.person, renewal.cycle_ends_on)
        ok = {"refresher": refresher, "exam": exam}.get(needs, refresher or exam)
        label = {
            "refresher": _("A refresher course completed after your certification expired"),
            "exam": _("The certification exam passed after your certification expired"),
        }.get(needs, _("A refresher course completed, or the exam passed, after your certification expired"))
        row("currency", str(label), ok)
    return rows


def _hours(value) -> str:
    """12, 12.5: hours as people write them, the same from SQLite and PostgreSQL sums."""
    return f"{Decimal(value).normalize():f}"


def _ce_period(renewal: Renewal, today: datetime.date, rules: Rules) -> tuple[datetime.date, datetime.date]:
    if renewal.kind == RenewalKind.RENEWAL:
        return renewal.cycle_starts_on, min(today, renewal.cycle_ends_on)
    # A late renewal counts the hours of the last full term before today.
    return add_years(today, -rules.certification_term_years), today


# ---- Nouns and locks --------------------------------------------------------------------


# The records' names in a refusal ("This renewal is approved, so it cannot become withdrawn.").
RENEWAL = gettext_noop("renewal")


CE_AUDIT = gettext_noop("audit")


NAME_CHANGE = gettext_noop("name change")

# A notification body that is just what staff wrote (no frame to translate around it).
AS_WRITTEN = gettext_noop("%(reason)s")


def _lock_renewal(renewal: Renewal) -> Renewal:
    return Renewal.objects.select_for_update().select_related("certification__person", "person").get(pk=renewal.pk)


def _renewal_url(renewal) -> str:
    return reverse("renewal:detail", args=[renewal.pk])


# ---- What renewals, CE audits and surrenders do to a renewal ----------------------------


def _require_reviewer(actor: Actor, renewal: Renewal) -> None:
    if not permissions.can_review_renewal(actor, renewal):
        raise ApplicationError(
            "Only a reviewer or manager of the certifying program may decide renewals.", code="forbidden"
        )
    ensure_not_own_matter(actor, renewal.person_id, renewal.certification.person_id, what="renewal")


def _approve(renewal: Renewal, *, actor: Actor, reason: str) -> Renewal:
    """Renew: the renewal is approved and certification moves the expiry on (and reinstates an expired one).
    Caller holds the renewal's lock."""
    cert = renewal.certification
    if cert.status not in (CertificationStatus.ACTIVE, CertificationStatus.EXPIRED):
        raise ApplicationError(
            "The certification is %(status)s now, so the renewal cannot be approved. A "
            "certification must be in good standing to renew.",
            code="state",
            params={"status": cert.get_status_display().lower()},
        )
    today = clock.today()
    rules = rules_on(today)
    new_expiry = add_years(renewal.cycle_ends_on, rules.certification_term_years)
    # A late renewal more than a term late must still land in the future.
    while new_expiry <= today:
        new_expiry = add_years(new_expiry, rules.certification_term_years)
    before = transition(renewal, RenewalStatus.APPROVED, allowed=RENEWAL_TRANSITIONS, noun=RENEWAL)
    renewal.new_expires_on, renewal.decided_at = new_expiry, clock.now()
    renewal.decided_by = actor if getattr(actor, "is_authenticated", False) else None
    renewal.decision_reason = reason
    renewal.save(
        update_fields=["status", "new_expires_on", "decided_at", "decided_by", "decision_reason", "updated_at"]
    )
    audit_record(
        actor=actor,
        action=RenewalAuditAction.RENEWAL_APPROVE,
        obj=renewal,
        before={"status": before},
        after={"status": RenewalStatus.APPROVED, "new_expires_on": new_expiry},
        reason=reason,
    )
    cert = certification_services.certification_renew(
        actor=actor, certification=cert, new_expires_on=new_expiry, renewal_id=renewal.pk, rules_version=rules.version
    )
    renewal.certification = cert
    tell_person(
        renewal.person,
        subject=gettext_noop("Your certification is renewed"),
        body=gettext_noop("Certification %(number)s now expires on %(expires)s."),
        params={"number": cert.number, "expires": new_expiry},
        link=_renewal_url(renewal),
    )
    return renewal


def _deny(renewal: Renewal, *, actor: Actor, reason: str, body: str = AS_WRITTEN, params: dict | None = None) -> None:
    """Deny; the peer reads body (a gettext_noop literal, by default the reason itself) in their language."""
    before = transition(renewal, RenewalStatus.DENIED, allowed=RENEWAL_TRANSITIONS, noun=RENEWAL)
    renewal.decided_at, renewal.decision_reason = clock.now(), reason
    renewal.decided_by = actor if getattr(actor, "is_authenticated", False) else None
    renewal.save(update_fields=["status", "decided_at", "decided_by", "decision_reason", "updated_at"])
    audit_record(
        actor=actor,
        action=RenewalAuditAction.RENEWAL_DENY,
        obj=renewal,
        before={"status": before},
        after={"status": RenewalStatus.DENIED},
        reason=reason,
    )
    tell_person(
        renewal.person,
        subject=gettext_noop("Your renewal was not approved"),
        body=body,
        params=params or {"reason": reason},
        link=_renewal_url(renewal),
    )


def _withdraw(renewal: Renewal, *, actor: Actor, reason: str) -> None:
    before = transition(renewal, RenewalStatus.WITHDRAWN, allowed=RENEWAL_TRANSITIONS, noun=RENEWAL)
    renewal.decision_reason = reason
    renewal.save(update_fields=["status", "decision_reason", "updated_at"])
    for code in fee_codes_for(renewal.kind):
        invoice = fee_selectors.invoice_for(reference_type=REFERENCE_TYPE, reference_id=renewal.pk, fee_code=code)
        if invoice is not None and invoice.status == "open" and not invoice.payments.exists():
            fee_services.invoice_cancel(actor=None, invoice=invoice, reason="Renewal withdrawn")
    audit_record(
        actor=actor,
        action=RenewalAuditAction.RENEWAL_WITHDRAW,
        obj=renewal,
        before={"status": before},
        after={"status": RenewalStatus.WITHDRAWN},
        reason=reason,
    )
