"""Every change to renewals, CE audits, surrenders and name changes happens here."""

import datetime
import hashlib
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from peercert.accounts import services as account_services
from peercert.accounts.permissions import has_role
from peercert.accounts.roles import Role
from peercert.certification import services as certification_services
from peercert.certification.models import Certification, CertificationStatus
from peercert.core import clock
from peercert.core.audit import audit_record
from peercert.core.dates import add_years
from peercert.core.duties import ensure_not_own_matter
from peercert.core.errors import ApplicationError
from peercert.core.rules import Rules, rules_on
from peercert.core.tell import tell_person
from peercert.core.text import fill, fold
from peercert.core.transitions import transition
from peercert.core.types import Actor
from peercert.core.uploads import validate_upload
from peercert.finance import selectors as fee_selectors
from peercert.finance import services as fee_services
from peercert.renewal import permissions
from peercert.renewal.audit import RenewalAuditAction
from peercert.renewal.models import (
    CE_AUDIT_TRANSITIONS,
    NAME_CHANGE_TRANSITIONS,
    OPEN_RENEWAL_STATUSES,
    RENEWAL_TRANSITIONS,
    CEAudit,
    CEAuditEvidence,
    CEAuditStatus,
    NameChange,
    NameChangeStatus,
    ProofOfCurrency,
    Renewal,
    RenewalKind,
    RenewalStatus,
)
from peercert.training import selectors as training

REFERENCE_TYPE = "renewal.renewal"
MAX_EVIDENCE_BYTES = 10 * 1024 * 1024


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


# The records' names in a refusal ("This renewal is approved, so it cannot become withdrawn.").
RENEWAL = gettext_noop("renewal")
CE_AUDIT = gettext_noop("audit")
NAME_CHANGE = gettext_noop("name change")


def _lock_renewal(renewal: Renewal) -> Renewal:
    return Renewal.objects.select_for_update().select_related("certification__person", "person").get(pk=renewal.pk)


def _renewal_url(renewal) -> str:
    return reverse("renewal:detail", args=[renewal.pk])


# ---- Peer: start, sign, submit, withdraw ------------------------------------------------


@transaction.atomic
def renewal_start(*, actor: Actor, certification: Certification) -> Renewal:
    """Open a renewal (active certification, window open) or a late renewal (expired, not yet vacated).

    Preconditions: the actor holds the certification; it is in good standing; one open renewal
    per certification (also a database constraint; the certification row is locked so two
    requests at once queue and the second is refused). Side effects: the fee invoice(s) through
    finance (renewal: fee_renewal; late: fee_reinstatement and fee_late); an unsubmitted renewal
    overtaken by expiry is withdrawn. Audited as renewal.start.
    """
    cert = Certification.objects.select_for_update().select_related("person").get(pk=certification.pk)
    if not permissions.owns_certification(actor, cert):
        raise ApplicationError("Only the certified person may renew this certification.", code="forbidden")
    today = clock.today()
    rules = rules_on(today)
    if cert.status == CertificationStatus.VACATED:
        raise ApplicationError(
            "Your certification was vacated because it was not renewed within %(years)s years of its due date. "
            "It cannot be renewed: to be certified again, start a new application.",
            code="state",
            params={"years": rules.vacate_after_years},
        )
    if cert.status in (CertificationStatus.SUSPENDED, CertificationStatus.REVOKED):
        raise ApplicationError(
            "Your certification is %(status)s, so it cannot be renewed now. A certification must "
            "be in good standing to renew.",
            code="state",
            params={"status": cert.get_status_display().lower()},
        )
    if cert.status == CertificationStatus.SURRENDERED:
        raise ApplicationError(
            "You surrendered this certification, so it cannot be renewed. To be certified again, "
            "start a new application.",
            code="state",
        )
    if cert.status == CertificationStatus.ACTIVE:
        kind = RenewalKind.RENEWAL
        opens = window_opens_on(cert.expires_on, rules)
        if today < opens:
            raise ApplicationError(
                "Renewal opens on %(opens)s, %(days)s days before your certification expires on "
                "%(expires)s. Come back then.",
                code="state",
                params={"opens": opens, "days": rules.renewal_window_days, "expires": cert.expires_on},
            )
    else:
        kind = RenewalKind.REINSTATEMENT
        if today >= vacates_on(cert.expires_on, rules):
            raise ApplicationError(
                "More than %(years)s years have passed since your certification was due, so it cannot be renewed. "
                "Start a new application.",
                code="state",
                params={"years": rules.vacate_after_years},
            )
    stale = Renewal.objects.select_for_update().filter(certification=cert, status__in=OPEN_RENEWAL_STATUSES).first()
    if stale is not None:
        if (
            stale.kind == RenewalKind.RENEWAL
            and kind == RenewalKind.REINSTATEMENT
            and stale.status == RenewalStatus.IN_PROGRESS
        ):
            _withdraw(stale, actor=actor, reason="The certification expired before this renewal was sent.")
        else:
            raise ApplicationError(
                "A renewal of this certification is already in progress. Continue that one.",
                code="conflict",
                extra={"renewal_id": stale.pk},
            )
    if Renewal.objects.filter(
        certification=cert, cycle_ends_on=cert.expires_on, status=RenewalStatus.APPROVED
    ).exists():
        raise ApplicationError("This certification is already renewed for this period.", code="duplicate")
    try:
        with transaction.atomic():
            renewal = Renewal.objects.create(
                certification=cert,
                person=cert.person,
                kind=kind,
                cycle_ends_on=cert.expires_on,
                cycle_starts_on=add_years(cert.expires_on, -rules.certification_term_years),
                rules_version=rules.version,
            )
    except IntegrityError:
        raise ApplicationError(
            "A renewal of this certification is already in progress. Continue that one.", code="conflict"
        ) from None
    for code in fee_codes_for(kind):
        fee_services.invoice_create(
            actor=actor,
            payer=cert.person,
            fee_code=code,
            reference_type=REFERENCE_TYPE,
            reference_id=renewal.pk,
            description=f"{renewal.get_kind_display()} of certification {cert.number}",
        )
    audit_record(
        actor=actor,
        action=RenewalAuditAction.RENEWAL_START,
        obj=renewal,
        after={
            "certification": cert.number,
            "kind": kind,
            "cycle_ends_on": cert.expires_on,
            "rules_version": rules.version,
        },
    )
    return renewal


@transaction.atomic
def renewal_sign(*, actor: Actor, renewal: Renewal, ethics_signed_name: str, attest: bool, proof: str = "") -> Renewal:
    """Sign the Code of Ethics again (typed legal name, today, rules version) and attest.

    Preconditions: the actor holds the certification; the renewal is started, not yet sent;
    the typed name matches the legal name (accents and case aside); attest is true.
    """
    renewal = _lock_renewal(renewal)
    if not permissions.owns_certification(actor, renewal.certification):
        raise ApplicationError("Only the certified person may sign.", code="forbidden")
    if renewal.status != RenewalStatus.IN_PROGRESS:
        raise ApplicationError("This renewal was already sent; nothing more to sign.", code="state")
    name = " ".join((ethics_signed_name or "").split())
    if not name:
        raise ApplicationError("Type your full legal name to sign the Code of Ethics.", field="ethics_signed_name")
    if fold(name) != fold(renewal.person.full_name):
        raise ApplicationError(
            "Type your legal name exactly as we have it: %(name)s. If your name changed, ask for a name change first.",
            field="ethics_signed_name",
            params={"name": renewal.person.full_name},
        )
    if not attest:
        raise ApplicationError("Tick the box to confirm that what you told us is true.", field="attest")
    if proof and proof not in ProofOfCurrency.values:
        raise ApplicationError("Choose a refresher course or the exam.", field="proof")
    rules = rules_on()
    renewal.ethics_signed_name, renewal.ethics_signed_on = name, clock.today()
    renewal.ethics_rules_version, renewal.attested_at, renewal.proof = rules.version, clock.now(), proof
    renewal.save(
        update_fields=[
            "ethics_signed_name",
            "ethics_signed_on",
            "ethics_rules_version",
            "attested_at",
            "proof",
            "updated_at",
        ]
    )
    audit_record(
        actor=actor,
        action=RenewalAuditAction.RENEWAL_SIGN,
        obj=renewal,
        after={"ethics_signed_name": name, "ethics_rules_version": rules.version, "attested": True},
    )
    return renewal


@transaction.atomic
def renewal_submit(*, actor: Actor, renewal: Renewal) -> Renewal:
    """Send the renewal: every rule is checked (renewal_checks); a failing one refuses with its reason.

    Then: a CE audit drawn for this cycle (reproducible, at rules.ce_audit_rate) sends it to
    staff with a request for evidence; otherwise it is approved at once when the fee is
    settled, or waits for the fee (approved when finance says it is settled). Audited.
    """
    renewal = _lock_renewal(renewal)
    cert = Certification.objects.select_for_update().get(pk=renewal.certification_id)
    renewal.certification = cert
    if not permissions.owns_certification(actor, renewal.certification):
        raise ApplicationError("Only the certified person may send this renewal.", code="forbidden")
    if renewal.status != RenewalStatus.IN_PROGRESS:
        raise ApplicationError("This renewal was already sent.", code="state")
    today = clock.today()
    rules = rules_on(today)
    checks = renewal_checks(renewal, today=today)
    failing = [c for c in checks if not c["ok"]]
    if failing:
        unmet = " ".join((gettext("%(label)s: not met. %(detail)s") % c).strip() for c in failing)
        raise ApplicationError(
            "Not ready to renew: %(list)s",
            code="state",
            params={"list": unmet},
            extra={"failing": [c["code"] for c in failing]},
        )
    start, end = _ce_period(renewal, today, rules)
    hours = training.ce_hours_between(renewal.person, start, end)
    renewal.ce_total, renewal.ce_law_ethics = hours["total"], hours["law_ethics"]
    renewal.audit_drawn = ce_audit_drawn(cert.number, renewal.cycle_ends_on, rules.ce_audit_rate)
    renewal.submitted_at, renewal.rules_version = clock.now(), rules.version
    if renewal.audit_drawn:
        to = RenewalStatus.UNDER_REVIEW
    elif fees_settled(renewal):
        to = RenewalStatus.APPROVED
    else:
        to = RenewalStatus.WAITING_FOR_FEE
    before = transition(
        renewal,
        RenewalStatus.WAITING_FOR_FEE if to == RenewalStatus.APPROVED else to,
        allowed=RENEWAL_TRANSITIONS,
        noun=RENEWAL,
    )
    renewal.save(
        update_fields=[
            "status",
            "ce_total",
            "ce_law_ethics",
            "audit_drawn",
            "submitted_at",
            "rules_version",
            "updated_at",
        ]
    )
    audit_record(
        actor=actor,
        action=RenewalAuditAction.RENEWAL_SUBMIT,
        obj=renewal,
        before={"status": before},
        after={
            "status": renewal.status,
            "ce_total": renewal.ce_total,
            "ce_law_ethics": renewal.ce_law_ethics,
            "audit_drawn": renewal.audit_drawn,
            "rules_version": rules.version,
        },
    )
    if renewal.audit_drawn:
        CEAudit.objects.create(
            renewal=renewal, rate=rules.ce_audit_rate, draw=ce_audit_draw(cert.number, renewal.cycle_ends_on)
        )
        audit_record(
            actor=None,
            action=RenewalAuditAction.CE_AUDIT_DRAW,
            obj=renewal.ce_audit,
            after={"renewal": renewal.pk, "rate": rules.ce_audit_rate},
        )
        tell_person(
            renewal.person,
            subject=gettext_noop("Your CE hours were chosen for an audit"),
            body=gettext_noop(
                "Your renewal was chosen at random to check continuing-education records. "
                "Upload your certificates of completion so staff can review them."
            ),
            link=_renewal_url(renewal),
        )
    elif to == RenewalStatus.APPROVED:
        _approve(renewal, actor=None, reason="Every renewal rule met.")
    return renewal


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


@transaction.atomic
def renewal_withdraw(*, actor: Actor, renewal: Renewal, reason: str = "") -> Renewal:
    """The peer stops a renewal not yet with staff. Unpaid fee invoices are cancelled. Audited."""
    renewal = _lock_renewal(renewal)
    if not permissions.owns_certification(actor, renewal.certification):
        raise ApplicationError("Only the certified person may withdraw this renewal.", code="forbidden")
    _withdraw(renewal, actor=actor, reason=(reason or "").strip() or "Withdrawn by the peer.")
    return renewal


def on_invoice_settled(sender, invoice, **kwargs):
    """Finance says a fee is settled: a renewal waiting only for it is approved now."""
    if invoice.reference_type != REFERENCE_TYPE:
        return
    renewal = Renewal.objects.filter(pk=invoice.reference_id).first()
    if renewal is not None:
        renewal_fee_received(renewal=renewal)


@transaction.atomic
def renewal_fee_received(*, renewal: Renewal) -> Renewal:
    """System: approve a sent renewal whose fees are now all settled and whose audit (if any) was accepted."""
    renewal = _lock_renewal(renewal)
    if renewal.certification.status not in (CertificationStatus.ACTIVE, CertificationStatus.EXPIRED):
        return renewal  # suspended (or worse) meanwhile: it waits for staff or for the standing to return
    if renewal.status == RenewalStatus.WAITING_FOR_FEE and fees_settled(renewal):
        _approve(renewal, actor=None, reason="Every renewal rule met; fee settled.")
    elif (
        renewal.status == RenewalStatus.UNDER_REVIEW
        and fees_settled(renewal)
        and getattr(renewal, "ce_audit", None) is not None
        and renewal.ce_audit.status == CEAuditStatus.ACCEPTED
    ):
        _approve(renewal, actor=None, reason="CE audit accepted; fee settled.")
    return renewal


# ---- Staff: review ----------------------------------------------------------------------


def _require_reviewer(actor: Actor, renewal: Renewal) -> None:
    if not permissions.can_review_renewal(actor, renewal):
        raise ApplicationError(
            "Only a reviewer or manager of the certifying program may decide renewals.", code="forbidden"
        )
    ensure_not_own_matter(actor, renewal.person_id, renewal.certification.person_id, what="renewal")


@transaction.atomic
def renewal_approve(*, actor: Actor, renewal: Renewal, reason: str = "") -> Renewal:
    """Staff approve a renewal under review. Preconditions: any CE audit accepted; fees settled. Audited."""
    renewal = _lock_renewal(renewal)
    _require_reviewer(actor, renewal)
    if renewal.status != RenewalStatus.UNDER_REVIEW:
        raise ApplicationError("Only a renewal under review can be approved by staff.", code="state")
    audit = getattr(renewal, "ce_audit", None)
    if audit is not None and audit.status != CEAuditStatus.ACCEPTED:
        raise ApplicationError(
            "Decide the CE audit first: a renewal drawn for audit is approved only once the evidence is accepted.",
            code="state",
        )
    if not fees_settled(renewal):
        raise ApplicationError(
            "The renewal fee is not paid yet. It will be approved when the fee is settled.", code="state"
        )
    return _approve(renewal, actor=actor, reason=(reason or "").strip() or "Approved by staff.")


@transaction.atomic
def renewal_deny(*, actor: Actor, renewal: Renewal, reason: str) -> Renewal:
    """Staff deny a renewal under review, with a reason the peer reads. Audited; the peer is told."""
    renewal = _lock_renewal(renewal)
    _require_reviewer(actor, renewal)
    reason = (reason or "").strip()
    if not reason:
        raise ApplicationError("Give the reason; the peer will read it.", field="reason")
    _deny(renewal, actor=actor, reason=reason)
    return renewal


# A notification body that is just what staff wrote (no frame to translate around it).
AS_WRITTEN = gettext_noop("%(reason)s")


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


@transaction.atomic
def renewal_reopen_on_appeal(*, actor: Actor, renewal: Renewal, reason: str) -> Renewal:
    """An appeal overturned the denial: the renewal goes back to staff for a decision.

    Called by discipline when it records the appeal decision. Preconditions: the actor
    reviews renewals in the certifying program or administers the system; the renewal is
    denied; no other open renewal of the certification. Side effects: the decision is
    cleared (the audit event keeps it); a rejected CE audit counts as accepted, since the
    appeal decided the evidence; staff then approve it in the queue (fees still apply, and
    an expired certification is reinstated by the approval). Audited.
    """
    renewal = _lock_renewal(renewal)
    if not (permissions.can_review_renewal(actor, renewal) or has_role(actor, Role.SYSTEM_ADMINISTRATOR)):
        raise ApplicationError("Only staff of the certifying program may reopen a renewal.", code="forbidden")
    ensure_not_own_matter(actor, renewal.person_id, renewal.certification.person_id, what="renewal")
    other = (
        Renewal.objects.filter(certification_id=renewal.certification_id, status__in=OPEN_RENEWAL_STATUSES)
        .exclude(pk=renewal.pk)
        .first()
    )
    if other is not None:
        raise ApplicationError(
            "The peer has started another renewal since the denial, which is %(status)s. "
            "Ask them to withdraw it from their account, then record the appeal decision again.",
            code="conflict",
            params={"status": other.get_status_display().lower()},
        )
    decided = {
        "status": renewal.status,
        "decided_at": renewal.decided_at,
        "decided_by": renewal.decided_by_id,
        "decision_reason": renewal.decision_reason,
    }
    transition(renewal, RenewalStatus.UNDER_REVIEW, allowed=RENEWAL_TRANSITIONS, noun=RENEWAL)
    renewal.decided_at = renewal.decided_by = None
    renewal.decision_reason = ""
    renewal.save(update_fields=["status", "decided_at", "decided_by", "decision_reason", "updated_at"])
    audit_record(
        actor=actor,
        action=RenewalAuditAction.RENEWAL_REOPEN,
        obj=renewal,
        before=decided,
        after={"status": renewal.status},
        reason=reason,
    )
    audit = CEAudit.objects.select_for_update().filter(renewal=renewal, status=CEAuditStatus.REJECTED).first()
    if audit is not None:
        before = transition(audit, CEAuditStatus.ACCEPTED, allowed=CE_AUDIT_TRANSITIONS, noun=CE_AUDIT)
        audit.decided_by, audit.decided_at = actor, clock.now()
        audit.notes = f"{audit.notes}\nAccepted on appeal: {reason}".strip()
        audit.save(update_fields=["status", "decided_by", "decided_at", "notes", "updated_at"])
        audit_record(
            actor=actor,
            action=RenewalAuditAction.CE_AUDIT_DECIDE,
            obj=audit,
            before={"status": before},
            after={"status": audit.status},
            reason=reason,
        )
    return renewal


# ---- CE audit ---------------------------------------------------------------------------


def _lock_audit(audit: CEAudit) -> CEAudit:
    return CEAudit.objects.select_for_update().select_related("renewal__certification__person").get(pk=audit.pk)


@transaction.atomic
def ce_audit_evidence_add(*, actor: Actor, audit: CEAudit, upload) -> CEAuditEvidence:
    """The peer uploads proof of CE (PDF, JPEG or PNG, checked by content) while evidence is requested."""
    audit = _lock_audit(audit)
    if not permissions.owns_certification(actor, audit.renewal.certification):
        raise ApplicationError("Only the certified person may send evidence.", code="forbidden")
    if audit.status != CEAuditStatus.REQUESTED:
        raise ApplicationError("The evidence was already sent to staff.", code="state")
    kind = validate_upload(upload, max_bytes=MAX_EVIDENCE_BYTES, field="file")
    row = CEAuditEvidence.objects.create(
        audit=audit,
        file=upload,
        content_type=kind,
        original_name=getattr(upload, "name", "evidence")[:255],
        size=upload.size,
        uploaded_by=actor,
    )
    audit_record(
        actor=actor,
        action=RenewalAuditAction.CE_AUDIT_EVIDENCE_ADD,
        obj=audit,
        after={"file": row.original_name, "kind": kind},
    )
    return row


@transaction.atomic
def ce_audit_submit(*, actor: Actor, audit: CEAudit) -> CEAudit:
    """The peer sends the uploaded evidence to staff. Precondition: at least one file."""
    audit = _lock_audit(audit)
    if not permissions.owns_certification(actor, audit.renewal.certification):
        raise ApplicationError("Only the certified person may send evidence.", code="forbidden")
    if not audit.evidence.exists():
        raise ApplicationError("Upload at least one certificate of completion first.", field="file")
    before = transition(audit, CEAuditStatus.SUBMITTED, allowed=CE_AUDIT_TRANSITIONS, noun=CE_AUDIT)
    audit.save(update_fields=["status", "updated_at"])
    audit_record(
        actor=actor,
        action=RenewalAuditAction.CE_AUDIT_SUBMIT,
        obj=audit,
        before={"status": before},
        after={"status": audit.status},
    )
    return audit


@transaction.atomic
def ce_audit_decide(*, actor: Actor, audit: CEAudit, accept: bool, notes: str = "") -> CEAudit:
    """Staff accept or reject the evidence. Rejected: the renewal is denied (a failed audit blocks renewal).
    Accepted: the renewal is approved at once when its fee is settled. Audited; the peer is told."""
    audit = _lock_audit(audit)
    renewal = _lock_renewal(audit.renewal)
    _require_reviewer(actor, renewal)
    if audit.status != CEAuditStatus.SUBMITTED:
        raise ApplicationError(
            "This audit is %(status)s; only evidence that was sent can be decided.",
            code="state",
            params={"status": audit.get_status_display().lower()},
        )
    notes = (notes or "").strip()
    if not accept and not notes:
        raise ApplicationError("Say what was missing; the peer will read it.", field="notes")
    before = transition(
        audit, CEAuditStatus.ACCEPTED if accept else CEAuditStatus.REJECTED, allowed=CE_AUDIT_TRANSITIONS, noun=CE_AUDIT
    )
    audit.decided_by, audit.decided_at, audit.notes = actor, clock.now(), notes
    audit.save(update_fields=["status", "decided_by", "decided_at", "notes", "updated_at"])
    audit_record(
        actor=actor,
        action=RenewalAuditAction.CE_AUDIT_DECIDE,
        obj=audit,
        before={"status": before},
        after={"status": audit.status},
        reason=notes,
    )
    if not accept:
        _deny(
            renewal,
            actor=actor,
            reason=f"The continuing-education audit was not passed: {notes}",
            body=gettext_noop("The continuing-education audit was not passed: %(notes)s"),
            params={"notes": notes},
        )
    elif fees_settled(renewal):
        _approve(renewal, actor=actor, reason="CE audit accepted.")
    return audit


# ---- Surrender and name change ----------------------------------------------------------


@transaction.atomic
def certification_surrender(
    *, actor: Actor, certification: Certification, reason: str, confirmed: bool
) -> Certification:
    """The peer gives up their certification, on purpose and for good, from the surrender page.

    Preconditions: they confirmed; then certification.certification_surrender's (the actor holds
    it, or staff record it at their request; a reason), which writes the status, history,
    audit and tells them. Open renewals not yet with staff are withdrawn, in the same
    transaction.
    """
    if not confirmed:
        raise ApplicationError("Tick the box to confirm. Surrender cannot be undone.", field="confirmed")
    cert = certification_services.certification_surrender(actor=actor, certification=certification, reason=reason)
    for open_renewal in Renewal.objects.select_for_update().filter(
        certification=cert, status__in=(RenewalStatus.IN_PROGRESS, RenewalStatus.WAITING_FOR_FEE)
    ):
        _withdraw(open_renewal, actor=actor, reason="Certification surrendered.")
    return cert


@transaction.atomic
def name_change_request(
    *, actor: Actor, person, new_first_name: str, new_last_name: str, new_middle_name: str = "", document=None
) -> NameChange:
    """The peer asks to change their legal name, with a document (court order, marriage certificate, ID).

    Preconditions: the person is the actor; a first and last name different from the current
    one; a PDF/JPEG/PNG document; one open request at a time. Audited.
    """
    if person.user_id is None or actor is None or person.user_id != actor.pk:
        raise ApplicationError("You may only ask to change your own name.", code="forbidden")
    first, middle, last = (" ".join((v or "").split()) for v in (new_first_name, new_middle_name, new_last_name))
    if not first or not last:
        raise ApplicationError(
            "Give your new first and last name.", field="new_last_name" if first else "new_first_name"
        )
    if (first, middle, last) == (person.legal_first_name, person.legal_middle_name, person.legal_last_name):
        raise ApplicationError("That is already your legal name.", field="new_first_name")
    if document is None:
        raise ApplicationError("Upload the document that shows your new name.", field="document")
    kind = validate_upload(document, field="document")
    try:
        with transaction.atomic():
            change = NameChange.objects.create(
                person=person,
                old_first_name=person.legal_first_name,
                old_middle_name=person.legal_middle_name,
                old_last_name=person.legal_last_name,
                new_first_name=first,
                new_middle_name=middle,
                new_last_name=last,
                document=document,
                document_type=kind,
                document_name=getattr(document, "name", "document")[:255],
                requested_by=actor,
            )
    except IntegrityError:
        raise ApplicationError(
            "You already asked for a name change. Wait for staff to decide it.", code="duplicate"
        ) from None
    audit_record(
        actor=actor,
        action=RenewalAuditAction.NAME_CHANGE_REQUEST,
        obj=change,
        before={"name": change.old_name},
        after={"name": change.new_name},
    )
    return change


@transaction.atomic
def name_change_decide(*, actor: Actor, name_change: NameChange, approve: bool, reason: str = "") -> NameChange:
    """Staff approve (the legal name changes through accounts.services.person_update; the old name stays
    on this record and in the audit) or deny with a reason. Audited; the peer is told."""
    change = NameChange.objects.select_for_update().select_related("person").get(pk=name_change.pk)
    if not permissions.can_decide_name_change(actor):
        raise ApplicationError(
            "Only a program manager or system administrator may change a legal name.", code="forbidden"
        )
    ensure_not_own_matter(actor, change.person_id, what="name_change")
    reason = (reason or "").strip()
    if not approve and not reason:
        raise ApplicationError("Give the reason; the peer will read it.", field="reason")
    before = transition(
        change,
        NameChangeStatus.APPROVED if approve else NameChangeStatus.DENIED,
        allowed=NAME_CHANGE_TRANSITIONS,
        noun=NAME_CHANGE,
    )
    change.decided_by, change.decided_at, change.decision_reason = actor, clock.now(), reason
    change.save(update_fields=["status", "decided_by", "decided_at", "decision_reason", "updated_at"])
    if approve:
        account_services.person_update(
            actor=actor,
            person=change.person,
            reason=f"Name change {change.pk} approved",
            data={
                "legal_first_name": change.new_first_name,
                "legal_middle_name": change.new_middle_name,
                "legal_last_name": change.new_last_name,
            },
        )
    audit_record(
        actor=actor,
        action=RenewalAuditAction.NAME_CHANGE_DECIDE,
        obj=change,
        before={"status": before},
        after={"status": change.status, "name": change.new_name if approve else change.old_name},
        reason=reason,
    )
    if approve:
        tell_person(
            change.person,
            subject=gettext_noop("Your name change was approved"),
            body=gettext_noop("Your legal name is now %(name)s."),
            params={"name": change.new_name},
            link=reverse("renewal:timeline"),
        )
    else:
        tell_person(
            change.person,
            subject=gettext_noop("Your name change was not approved"),
            body=AS_WRITTEN,
            params={"reason": reason},
            link=reverse("renewal:timeline"),
        )
    return change


@transaction.atomic
def name_change_withdraw(*, actor: Actor, name_change: NameChange) -> NameChange:
    change = NameChange.objects.select_for_update().select_related("person").get(pk=name_change.pk)
    if change.person.user_id != getattr(actor, "pk", None):
        raise ApplicationError("Only the person who asked may withdraw this request.", code="forbidden")
    before = transition(change, NameChangeStatus.WITHDRAWN, allowed=NAME_CHANGE_TRANSITIONS, noun=NAME_CHANGE)
    change.save(update_fields=["status", "updated_at"])
    audit_record(
        actor=actor,
        action=RenewalAuditAction.NAME_CHANGE_WITHDRAW,
        obj=change,
        before={"status": before},
        after={"status": change.status},
    )
    return change
