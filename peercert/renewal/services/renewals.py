"""A renewal from the peer's first step to staff's decision: start, sign, submit, withdraw, the fee
arriving, and staff approving, denying or reopening it after an appeal."""

from django.db import IntegrityError, transaction
from django.utils.translation import gettext, gettext_noop

from peercert.accounts.permissions import has_role
from peercert.accounts.roles import Role
from peercert.certification.models import Certification, CertificationStatus
from peercert.core import clock
from peercert.core.audit import audit_record
from peercert.core.dates import add_years
from peercert.core.duties import ensure_not_own_matter
from peercert.core.errors import ApplicationError
from peercert.core.rules import rules_on
from peercert.core.tell import tell_person
from peercert.core.text import fold
from peercert.core.transitions import transition
from peercert.core.types import Actor
from peercert.finance import services as fee_services
from peercert.renewal import permissions
from peercert.renewal.audit import RenewalAuditAction
from peercert.renewal.models import (
    CE_AUDIT_TRANSITIONS,
    OPEN_RENEWAL_STATUSES,
    RENEWAL_TRANSITIONS,
    CEAudit,
    CEAuditStatus,
    ProofOfCurrency,
    Renewal,
    RenewalKind,
    RenewalStatus,
)
from peercert.renewal.services._common import (
    CE_AUDIT,
    REFERENCE_TYPE,
    RENEWAL,
    _approve,
    _ce_period,
    _deny,
    _lock_renewal,
    _renewal_url,
    _require_reviewer,
    _withdraw,
    ce_audit_draw,
    ce_audit_drawn,
    fee_codes_for,
    fees_settled,
    renewal_checks,
    vacates_on,
    window_opens_on,
)
from peercert.training import selectors as training

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
            # Stored text, so in one language: the kind's English label, not the actor's language's
            # ("Renovación of certification ..." when a Spanish reader started it).
            description=f"{_english(renewal.get_kind_display)} of certification {cert.number}",
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


def _english(label) -> str:
    from django.utils import translation

    with translation.override("en"):
        return str(label())
