from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from peercert.accounts.permissions import role_required, rule_required
from peercert.accounts.roles import Role
from peercert.core import clock
from peercert.core.downloads import serve_upload
from peercert.core.rules import appeal_deadline, rules_on
from peercert.core.views import run_action, run_form
from peercert.renewal import selectors, services
from peercert.renewal.forms import (
    AuditDecisionForm,
    EvidenceForm,
    NameChangeForm,
    ProofForm,
    ReviewReasonForm,
    SignForm,
    SurrenderForm,
    WithdrawRenewalForm,
)
from peercert.renewal.models import CEAuditStatus, RenewalKind, RenewalStatus
from peercert.renewal.permissions import REVIEW_ROLES, can_decide_name_change, can_review_renewal

PEER = (Role.PEER,)


@role_required(*PEER)
def mine(request):
    person = selectors.person_of(request.user)
    situation = selectors.renewal_situation(person) if person else None
    return render(
        request,
        "renewal/mine.html",
        {
            "person": person,
            "situation": situation,
            "renewals": selectors.renewals_of(person) if person else [],
        },
    )


@role_required(*PEER)
def start(request):
    person = selectors.person_of(request.user)
    situation = selectors.renewal_situation(person) if person else None
    if request.method != "POST" or not (situation and situation["certification"]):
        return redirect("renewal:mine")
    return run_action(
        request,
        lambda: services.renewal_start(actor=request.user, certification=situation["certification"]),
        success_url=lambda renewal: reverse("renewal:detail", args=[renewal.pk]),
        failure_url=reverse("renewal:mine"),
    )


def _sign_form(renewal, data=None):
    form_class = ProofForm if renewal.kind == RenewalKind.REINSTATEMENT else SignForm
    return form_class(data, prefix="sign")


def _detail_url(renewal) -> str:
    return reverse("renewal:detail", args=[renewal.pk])


@role_required(*PEER, *REVIEW_ROLES)
def detail(request, renewal_id):
    renewal = selectors.access_renewal(request.user, renewal_id)
    own = renewal.person.user_id == request.user.pk
    return render(
        request,
        "renewal/detail.html",
        _detail_context(renewal, own, _sign_form(renewal), EvidenceForm(prefix="evidence")),
    )


def _own_renewal(request, renewal_id):
    """The peer's own renewal for one of its buttons, or (None, a redirect to it) for a plain visit."""
    renewal = selectors.access_renewal(request.user, renewal_id)
    if renewal.person.user_id != request.user.pk:
        raise Http404
    if request.method != "POST":
        return renewal, redirect(_detail_url(renewal))
    return renewal, None


def _render_detail(request, renewal, **forms):
    renewal.refresh_from_db()
    context = _detail_context(
        renewal,
        True,
        forms.get("sign_form") or _sign_form(renewal),
        forms.get("evidence_form") or EvidenceForm(prefix="evidence"),
    )
    return render(request, "renewal/detail.html", context, status=400)


@role_required(*PEER)
def sign(request, renewal_id):
    renewal, visit = _own_renewal(request, renewal_id)
    if visit:
        return visit
    form = _sign_form(renewal, request.POST)
    done = run_form(
        request,
        form,
        lambda data: services.renewal_sign(actor=request.user, renewal=renewal, **data),
        success_url=_detail_url(renewal),
        message=_("Signed. Check the list, then send your renewal."),
    )
    return done or _render_detail(request, renewal, sign_form=form)


@role_required(*PEER)
def submit(request, renewal_id):
    renewal, visit = _own_renewal(request, renewal_id)
    return visit or run_action(
        request,
        lambda: services.renewal_submit(actor=request.user, renewal=renewal),
        success_url=_detail_url(renewal),
        message=lambda sent: _("Your renewal was sent: %(s)s.") % {"s": sent.get_status_display()},
    )


@role_required(*PEER)
def withdraw(request, renewal_id):
    """Withdrawing asks first: a page that says what it means and a box to tick, then the button."""
    renewal = selectors.access_renewal(request.user, renewal_id)
    if renewal.person.user_id != request.user.pk:
        raise Http404
    form = WithdrawRenewalForm(request.POST if request.method == "POST" else None)
    done = run_form(
        request,
        form,
        lambda data: services.renewal_withdraw(actor=request.user, renewal=renewal),
        success_url=reverse("renewal:mine"),
        message=_("Your renewal was withdrawn."),
    )
    return done or render(
        request,
        "renewal/withdraw_confirm.html",
        {"renewal": renewal, "form": form, "reference": renewal_reference(renewal)},
        status=400 if form.is_bound else 200,
    )


@role_required(*PEER)
def evidence_add(request, renewal_id):
    renewal, visit = _own_renewal(request, renewal_id)
    if visit:
        return visit
    form = EvidenceForm(request.POST, request.FILES, prefix="evidence")
    audit = getattr(renewal, "ce_audit", None)
    if audit is None:
        raise Http404
    done = run_form(
        request,
        form,
        lambda data: services.ce_audit_evidence_add(actor=request.user, audit=audit, upload=data["file"]),
        success_url=_detail_url(renewal),
        message=_("File added."),
    )
    return done or _render_detail(request, renewal, evidence_form=form)


@role_required(*PEER)
def evidence_send(request, renewal_id):
    renewal, visit = _own_renewal(request, renewal_id)
    if visit:
        return visit
    audit = getattr(renewal, "ce_audit", None)
    if audit is None:
        raise Http404
    return run_action(
        request,
        lambda: services.ce_audit_submit(actor=request.user, audit=audit),
        success_url=_detail_url(renewal),
        message=_("Your evidence was sent to staff."),
    )


def _detail_context(renewal, own, sign_form=None, evidence_form=None):
    audit = getattr(renewal, "ce_audit", None)
    return {
        "renewal": renewal,
        "own": own,
        "checks": services.renewal_checks(renewal) if renewal.is_open else [],
        "appeal_by": appeal_deadline(renewal, RenewalStatus.DENIED) if own else None,
        "today": clock.today(),
        "denial_key": f"renewal-{renewal.pk}",
        "fees": [i for i in _invoices(renewal) if i is not None],
        "fees_settled": services.fees_settled(renewal),
        "audit": audit,
        "evidence": list(audit.evidence.all()) if audit else [],
        "sign_form": sign_form,
        "evidence_form": evidence_form,
        "rules": rules_on(),
        "can_sign": own and renewal.status == RenewalStatus.IN_PROGRESS,
        "can_upload": own and audit is not None and audit.status == CEAuditStatus.REQUESTED,
        "next_step": _next_step(renewal, own, audit),
        "reference": renewal_reference(renewal),
    }


def renewal_reference(renewal) -> str:
    """The number the peer quotes for a renewal (REN-000042)."""
    return f"REN-{renewal.pk:06d}"


def _next_step(renewal, own, audit) -> dict:
    """The one next thing for the peer on this renewal (staff read the same page without it)."""
    detail = _detail_url(renewal)

    def step(key, text, label="", url=""):
        return {"key": key, "text": text, "label": label, "url": url}

    if not own:
        return step("staff", "")
    status = renewal.status
    if status == RenewalStatus.IN_PROGRESS:
        if renewal.ethics_signed_on:
            return step("send", _("Send your renewal."), _("Send my renewal"), detail + "#sign")
        return step(
            "sign",
            _("Sign the Code of Ethics and the attestation, then send your renewal."),
            _("Sign and send"),
            detail + "#sign",
        )
    if status == RenewalStatus.WAITING_FOR_FEE:
        unpaid = next((i for i in _invoices(renewal) if i is not None and i.status == "open"), None)
        if unpaid is not None:
            return step(
                "pay", _("Pay the renewal fee."), _("Pay the fee"), reverse("finance:invoice_pay", args=[unpaid.pk])
            )
        return step("wait", _("Nothing to do now: the fee is being recorded."))
    if status == RenewalStatus.UNDER_REVIEW:
        if audit is not None and audit.status == CEAuditStatus.REQUESTED:
            return step(
                "evidence",
                _("Upload your continuing-education records for the audit."),
                _("Add your files"),
                detail + "#evidence",
            )
        return step(
            "wait",
            _("Nothing to do now: staff are reviewing your renewal. We will write to you."),
            _("Go to your home page"),
            reverse("web:home"),
        )
    if status == RenewalStatus.APPROVED:
        return step(
            "done", _("Your certification is renewed."), _("See your certification"), reverse("certification:mine")
        )
    if status == RenewalStatus.DENIED:
        return step(
            "appeal",
            _("You may appeal this decision."),
            _("Appeal this decision"),
            reverse("discipline:appeal_new") + f"?denial=renewal-{renewal.pk}",
        )
    return step(
        "start",
        _("This renewal is closed. Start again from the renewal page."),
        _("Back to renewal"),
        reverse("renewal:mine"),
    )


def _invoices(renewal):
    from peercert.finance import selectors as fee_selectors

    return [
        fee_selectors.invoice_for(reference_type=services.REFERENCE_TYPE, reference_id=renewal.pk, fee_code=c)
        for c in services.fee_codes_for(renewal.kind)
    ]


@role_required(*PEER, *REVIEW_ROLES)
def evidence_download(request, evidence_id):
    evidence = selectors.access_evidence(request.user, evidence_id)
    return serve_upload(evidence.file, kind=evidence.content_type, download_name=evidence.original_name)


@role_required(*REVIEW_ROLES)
def queue(request):
    return render(request, "renewal/queue.html", {"renewals": selectors.review_queue(actor=request.user)})


def _reviewed_renewal(request, renewal_id):
    renewal = selectors.access_renewal(request.user, renewal_id)
    if not can_review_renewal(request.user, renewal):
        raise Http404
    return renewal


def _render_review(request, renewal, *, reason_form=None, audit_form=None, status=200):
    renewal.refresh_from_db()
    context = _detail_context(renewal, own=False)
    context.update(
        {
            "reason_form": reason_form or ReviewReasonForm(prefix="decision"),
            "audit_form": audit_form or AuditDecisionForm(prefix="audit"),
        }
    )
    return render(request, "renewal/review.html", context, status=status)


@role_required(*REVIEW_ROLES)
def review(request, renewal_id):
    return _render_review(request, _reviewed_renewal(request, renewal_id))


def _audit_decision(request, renewal_id, *, accept: bool):
    renewal = _reviewed_renewal(request, renewal_id)
    if request.method != "POST":
        return redirect("renewal:review", renewal.pk)
    audit = getattr(renewal, "ce_audit", None)
    if audit is None:
        raise Http404
    form = AuditDecisionForm(request.POST, prefix="audit")
    done = run_form(
        request,
        form,
        lambda data: services.ce_audit_decide(actor=request.user, audit=audit, accept=accept, notes=data["notes"]),
        success_url=reverse("renewal:review", args=[renewal.pk]),
        message=_("Saved."),
    )
    return done or _render_review(request, renewal, audit_form=form, status=400)


@role_required(*REVIEW_ROLES)
def audit_accept(request, renewal_id):
    return _audit_decision(request, renewal_id, accept=True)


@role_required(*REVIEW_ROLES)
def audit_reject(request, renewal_id):
    return _audit_decision(request, renewal_id, accept=False)


def _renewal_decision(request, renewal_id, *, service):
    renewal = _reviewed_renewal(request, renewal_id)
    if request.method != "POST":
        return redirect("renewal:review", renewal.pk)
    form = ReviewReasonForm(request.POST, prefix="decision")
    done = run_form(
        request,
        form,
        lambda data: service(actor=request.user, renewal=renewal, reason=data["reason"]),
        success_url=reverse("renewal:review", args=[renewal.pk]),
        message=_("Saved."),
    )
    return done or _render_review(request, renewal, reason_form=form, status=400)


@role_required(*REVIEW_ROLES)
def approve(request, renewal_id):
    return _renewal_decision(request, renewal_id, service=services.renewal_approve)


@role_required(*REVIEW_ROLES)
def deny(request, renewal_id):
    return _renewal_decision(request, renewal_id, service=services.renewal_deny)


@role_required(*PEER)
def timeline(request):
    person = selectors.person_of(request.user)
    return render(
        request, "renewal/timeline.html", {"person": person, "rows": selectors.timeline(person) if person else []}
    )


@role_required(*PEER)
def surrender(request):
    person = selectors.person_of(request.user)
    situation = selectors.renewal_situation(person) if person else None
    cert = situation["certification"] if situation else None
    form = SurrenderForm(request.POST or None)
    done = None
    if cert is not None:
        done = run_form(
            request,
            form,
            lambda data: services.certification_surrender(actor=request.user, certification=cert, **data),
            success_url=reverse("renewal:timeline"),
            message=_("Your certification is surrendered."),
        )
    return done or render(
        request, "renewal/surrender.html", {"certification": cert, "form": form}, status=400 if form.is_bound else 200
    )


@role_required(*PEER)
def name_change(request):
    person = selectors.person_of(request.user)
    form = NameChangeForm(request.POST or None, request.FILES or None)
    done = None
    if person is not None:
        done = run_form(
            request,
            form,
            lambda data: services.name_change_request(actor=request.user, person=person, **data),
            success_url=reverse("renewal:name_change"),
            message=_("Your request was sent. Staff will check the document."),
        )
    changes = person.name_changes.all() if person else []
    return done or render(
        request,
        "renewal/name_change.html",
        {"person": person, "form": form, "changes": changes},
        status=400 if form.is_bound else 200,
    )


@rule_required(can_decide_name_change)
def name_changes(request):
    return render(request, "renewal/name_changes.html", {"changes": selectors.name_changes_waiting(actor=request.user)})


def _render_name_change(request, change, form=None, status=200):
    return render(
        request,
        "renewal/name_change_detail.html",
        {
            "change": change,
            "deciding": can_decide_name_change(request.user),
            "form": form or ReviewReasonForm(prefix="decision"),
        },
        status=status,
    )


@role_required(*PEER, Role.PROGRAM_MANAGER, Role.SYSTEM_ADMINISTRATOR)
def name_change_detail(request, change_id):
    return _render_name_change(request, selectors.access_name_change(request.user, change_id))


def _name_change_decision(request, change_id, *, approve: bool):
    change = selectors.access_name_change(request.user, change_id)
    if request.method != "POST":
        return redirect("renewal:name_change_detail", change.pk)
    form = ReviewReasonForm(request.POST, prefix="decision")
    done = run_form(
        request,
        form,
        lambda data: services.name_change_decide(
            actor=request.user, name_change=change, approve=approve, reason=data["reason"]
        ),
        success_url=reverse("renewal:name_change_detail", args=[change.pk]),
        message=_("Saved."),
    )
    return done or _render_name_change(request, change, form, status=400)


@rule_required(can_decide_name_change)
def name_change_approve(request, change_id):
    return _name_change_decision(request, change_id, approve=True)


@rule_required(can_decide_name_change)
def name_change_deny(request, change_id):
    return _name_change_decision(request, change_id, approve=False)


@role_required(*PEER)
def name_change_withdraw(request, change_id):
    change = selectors.access_name_change(request.user, change_id)
    url = reverse("renewal:name_change_detail", args=[change.pk])
    if request.method != "POST":
        return redirect(url)
    return run_action(
        request,
        lambda: services.name_change_withdraw(actor=request.user, name_change=change),
        success_url=url,
        message=_("Saved."),
    )


@role_required(*PEER, Role.PROGRAM_MANAGER, Role.SYSTEM_ADMINISTRATOR)
def name_change_document(request, change_id):
    change = selectors.access_name_change(request.user, change_id)
    return serve_upload(change.document, kind=change.document_type, download_name=change.document_name)
