from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from peercert.accounts.permissions import role_required, rule_required
from peercert.accounts.roles import Role
from peercert.core import clock
from peercert.core.downloads import serve_upload
from peercert.core.errors import ApplicationError, add_to_form
from peercert.core.rules import appeal_deadline, rules_on
from peercert.renewal import selectors, services
from peercert.renewal.forms import (
    AuditDecisionForm,
    EvidenceForm,
    NameChangeForm,
    ProofForm,
    ReasonForm,
    SignForm,
    SurrenderForm,
)
from peercert.renewal.models import CEAuditStatus, RenewalKind, RenewalStatus
from peercert.renewal.permissions import REVIEW_ROLES, can_decide_name_change, can_review_renewal

PEER = (Role.PEER,)


@role_required(*PEER)
def mine(request):
    person = selectors.person_of(request.user)
    situation = selectors.renewal_situation(person) if person else None
    if request.method == "POST" and situation and situation["certification"]:
        try:
            renewal = services.renewal_start(actor=request.user, certification=situation["certification"])
        except ApplicationError as error:
            messages.error(request, error.message)
            return redirect("renewal:mine")
        return redirect("renewal:detail", renewal.pk)
    return render(request, "renewal/mine.html", {
        "person": person, "situation": situation,
        "renewals": selectors.renewals_of(person) if person else [],
    })


def _sign_form(renewal, data=None):
    form_class = ProofForm if renewal.kind == RenewalKind.REINSTATEMENT else SignForm
    return form_class(data, prefix="sign")


@role_required(*PEER, *REVIEW_ROLES)
def detail(request, renewal_id):
    renewal = selectors.access_renewal(request.user, renewal_id)
    own = renewal.person.user_id == request.user.pk
    sign_form, evidence_form = _sign_form(renewal), EvidenceForm(prefix="evidence")
    if request.method == "POST":
        if not own:
            raise Http404
        action = request.POST.get("action", "")
        try:
            if action == "sign":
                sign_form = _sign_form(renewal, request.POST)
                if sign_form.is_valid():
                    services.renewal_sign(actor=request.user, renewal=renewal, **sign_form.cleaned_data)
                    messages.success(request, _("Signed. Check the list, then send your renewal."))
                    return redirect("renewal:detail", renewal.pk)
            elif action == "submit":
                renewal = services.renewal_submit(actor=request.user, renewal=renewal)
                messages.success(request, _("Your renewal was sent: %(s)s.") % {"s": renewal.get_status_display()})
                return redirect("renewal:detail", renewal.pk)
            elif action == "withdraw":
                services.renewal_withdraw(actor=request.user, renewal=renewal)
                messages.success(request, _("Your renewal was withdrawn."))
                return redirect("renewal:mine")
            elif action == "evidence":
                evidence_form = EvidenceForm(request.POST, request.FILES, prefix="evidence")
                if evidence_form.is_valid():
                    services.ce_audit_evidence_add(actor=request.user, audit=renewal.ce_audit,
                                                   upload=evidence_form.cleaned_data["file"])
                    messages.success(request, _("File added."))
                    return redirect("renewal:detail", renewal.pk)
            elif action == "send_evidence":
                services.ce_audit_submit(actor=request.user, audit=renewal.ce_audit)
                messages.success(request, _("Your evidence was sent to staff."))
                return redirect("renewal:detail", renewal.pk)
        except ApplicationError as error:
            if action in ("sign", "evidence"):
                add_to_form(evidence_form if action == "evidence" else sign_form, error)
            else:
                messages.error(request, error.message)
    renewal.refresh_from_db()
    return render(request, "renewal/detail.html", _detail_context(renewal, own, sign_form, evidence_form))


def _detail_context(renewal, own, sign_form=None, evidence_form=None):
    audit = getattr(renewal, "ce_audit", None)
    return {
        "renewal": renewal, "own": own, "checks": services.renewal_checks(renewal) if renewal.is_open else [],
        "appeal_by": appeal_deadline(renewal, RenewalStatus.DENIED) if own else None, "today": clock.today(),
        "denial_key": f"renewal-{renewal.pk}",
        "fees": [i for i in _invoices(renewal) if i is not None], "fees_settled": services.fees_settled(renewal),
        "audit": audit, "evidence": list(audit.evidence.all()) if audit else [],
        "sign_form": sign_form, "evidence_form": evidence_form, "rules": rules_on(),
        "can_sign": own and renewal.status == RenewalStatus.IN_PROGRESS,
        "can_upload": own and audit is not None and audit.status == CEAuditStatus.REQUESTED,
    }


def _invoices(renewal):
    from peercert.finance import selectors as fee_selectors

    return [fee_selectors.invoice_for(reference_type=services.REFERENCE_TYPE, reference_id=renewal.pk, fee_code=c)
            for c in services.fee_codes_for(renewal.kind)]


@role_required(*PEER, *REVIEW_ROLES)
def evidence_download(request, evidence_id):
    evidence = selectors.access_evidence(request.user, evidence_id)
    return serve_upload(evidence.file, kind=evidence.content_type, download_name=evidence.original_name)


@role_required(*REVIEW_ROLES)
def queue(request):
    return render(request, "renewal/queue.html", {"renewals": selectors.review_queue(actor=request.user)})


@role_required(*REVIEW_ROLES)
def review(request, renewal_id):
    renewal = selectors.access_renewal(request.user, renewal_id)
    if not can_review_renewal(request.user, renewal):
        raise Http404
    reason_form, audit_form = ReasonForm(prefix="decision"), AuditDecisionForm(prefix="audit")
    if request.method == "POST":
        action = request.POST.get("action", "")
        reason_form = ReasonForm(request.POST, prefix="decision")
        audit_form = AuditDecisionForm(request.POST, prefix="audit")
        try:
            if action in ("accept_audit", "reject_audit") and audit_form.is_valid():
                services.ce_audit_decide(actor=request.user, audit=renewal.ce_audit, accept=action == "accept_audit",
                                         notes=audit_form.cleaned_data["notes"])
            elif action == "approve" and reason_form.is_valid():
                services.renewal_approve(actor=request.user, renewal=renewal, reason=reason_form.cleaned_data["reason"])
            elif action == "deny" and reason_form.is_valid():
                services.renewal_deny(actor=request.user, renewal=renewal, reason=reason_form.cleaned_data["reason"])
            else:
                raise ApplicationError("Choose what to do.")
            messages.success(request, _("Saved."))
            return redirect("renewal:review", renewal.pk)
        except ApplicationError as error:
            add_to_form(audit_form if "audit" in action else reason_form, error)
    renewal.refresh_from_db()
    context = _detail_context(renewal, own=False)
    context.update({"reason_form": reason_form, "audit_form": audit_form})
    return render(request, "renewal/review.html", context)


@role_required(*PEER)
def timeline(request):
    person = selectors.person_of(request.user)
    return render(request, "renewal/timeline.html", {"person": person,
                                                     "rows": selectors.timeline(person) if person else []})


@role_required(*PEER)
def surrender(request):
    person = selectors.person_of(request.user)
    situation = selectors.renewal_situation(person) if person else None
    cert = situation["certification"] if situation else None
    form = SurrenderForm(request.POST or None)
    if request.method == "POST" and cert is not None and form.is_valid():
        try:
            services.certification_surrender(actor=request.user, certification=cert, **form.cleaned_data)
            messages.success(request, _("Your certification is surrendered."))
            return redirect("renewal:timeline")
        except ApplicationError as error:
            add_to_form(form, error)
    return render(request, "renewal/surrender.html", {"certification": cert, "form": form})


@role_required(*PEER)
def name_change(request):
    person = selectors.person_of(request.user)
    form = NameChangeForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and person is not None and form.is_valid():
        try:
            services.name_change_request(actor=request.user, person=person, **form.cleaned_data)
            messages.success(request, _("Your request was sent. Staff will check the document."))
            return redirect("renewal:name_change")
        except ApplicationError as error:
            add_to_form(form, error)
    changes = person.name_changes.all() if person else []
    return render(request, "renewal/name_change.html", {"person": person, "form": form, "changes": changes})


@rule_required(can_decide_name_change)
def name_changes(request):
    return render(request, "renewal/name_changes.html",
                  {"changes": selectors.name_changes_waiting(actor=request.user)})


@role_required(*PEER, Role.PROGRAM_MANAGER, Role.SYSTEM_ADMINISTRATOR)
def name_change_detail(request, change_id):
    change = selectors.access_name_change(request.user, change_id)
    deciding = can_decide_name_change(request.user)
    form = ReasonForm(request.POST or None, prefix="decision")
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "withdraw":
                services.name_change_withdraw(actor=request.user, name_change=change)
            elif action in ("approve", "deny") and deciding and form.is_valid():
                services.name_change_decide(actor=request.user, name_change=change, approve=action == "approve",
                                            reason=form.cleaned_data["reason"])
            else:
                raise ApplicationError("Choose what to do.")
            messages.success(request, _("Saved."))
            return redirect("renewal:name_change_detail", change.pk)
        except ApplicationError as error:
            add_to_form(form, error)
    return render(request, "renewal/name_change_detail.html", {"change": change, "deciding": deciding, "form": form})


@role_required(*PEER, Role.PROGRAM_MANAGER, Role.SYSTEM_ADMINISTRATOR)
def name_change_document(request, change_id):
    change = selectors.access_name_change(request.user, change_id)
    return serve_upload(change.document, kind=change.document_type, download_name=change.document_name)
