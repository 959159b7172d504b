import datetime

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from peercert.accounts.models import Person
from peercert.accounts.permissions import role_required
from peercert.accounts.roles import Role
from peercert.accounts.selectors import person_for_user, statewide_program
from peercert.certification import certificate, legacy_import, requirements, selectors, services
from peercert.certification.forms import (
    PATHWAY_FORMS,
    AboutForm,
    AssignForm,
    DenyForm,
    DocumentForm,
    EthicsForm,
    ExperienceForm,
    HistoricalForm,
    LegacyImportForm,
    MilestoneForm,
    OrientationForm,
    PathwayForm,
    QueueFilterForm,
    RequirementForm,
    RevisionForm,
    SpecializationAddForm,
    StatusChangeForm,
)
from peercert.certification.models import ApplicationStatus, DocumentKind
from peercert.certification.permissions import REVIEW_ROLES, can_manage_certification, owns_application
from peercert.core import clock
from peercert.core.downloads import serve_upload
from peercert.core.errors import ApplicationError, add_to_form
from peercert.core.rules import appeal_deadline, rules_on

PEER = (Role.PEER,)
ORIENTATION_KEY = "certification_orientation_acknowledged_at"


def _step_context(application, current: str) -> dict:
    steps = services.steps_for(application.pathway)
    items = []
    for key in [*steps, "review"]:
        label = _("Review and submit") if key == "review" else _(services.STEP_LABELS[key])
        if key == current:
            state = "current"
        elif key in application.steps_completed:
            state = "complete"
        else:
            state = ""
        items.append({"key": key, "label": label, "state": state})
    position = [*steps, "review"].index(current) + 1
    return {"step_items": items, "step_position": position, "step_total": len(steps) + 1, "current_step": current}


def _next_step(application, step: str) -> str:
    steps = services.steps_for(application.pathway)
    index = steps.index(step)
    if index + 1 < len(steps):
        return reverse("certification:application_step", args=[application.pk, steps[index + 1]])
    return reverse("certification:application_review", args=[application.pk])


# ---- Applicant --------------------------------------------------------------------------

@role_required(*PEER)
def mine(request):
    person = person_for_user(request.user)
    return render(request, "certification/mine.html", {
        "person": person,
        "open_application": selectors.open_application_of(person) if person else None,
        "applications": selectors.applications_of(person) if person else [],
        "certifications": selectors.certifications_of(person) if person else [],
    })


@role_required(*PEER)
def start(request):
    person = person_for_user(request.user)
    existing = selectors.open_application_of(person) if person else None
    if existing is not None:
        messages.info(request, _("You already have an application in progress. Here it is."))
        return redirect("certification:application_status", existing.pk)
    form = OrientationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        request.session[ORIENTATION_KEY] = clock.now().isoformat()
        return redirect("certification:pathway")
    return render(request, "certification/start.html", {"form": form, "rules": rules_on()})


@role_required(*PEER)
def pathway(request):
    acknowledged = request.session.get(ORIENTATION_KEY)
    if not acknowledged:
        messages.info(request, _("Please read the orientation first."))
        return redirect("certification:start")
    rules = rules_on()
    form = PathwayForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            application = services.application_start(
                actor=request.user, person=person_for_user(request.user), pathway=form.cleaned_data["pathway"],
                program=statewide_program(), orientation_acknowledged_at=datetime.datetime.fromisoformat(acknowledged))
        except ApplicationError as exc:
            add_to_form(form, exc)
        else:
            request.session.pop(ORIENTATION_KEY, None)
            return redirect("certification:application_step", application.pk, services.steps_for(application.pathway)[0])
    return render(request, "certification/pathway.html", {
        "form": form, "rules": rules, "grandparenting_closed": clock.today() > rules.grandparenting_closed_after})


def _step_form(application, step, data=None):
    if step == "about":
        initial = {"legal_first_name": application.legal_first_name, "legal_middle_name": application.legal_middle_name,
                   "legal_last_name": application.legal_last_name, "date_of_birth": application.date_of_birth,
                   "county": application.county_id}
        return AboutForm(data, initial=initial)
    if step == "experience":
        return ExperienceForm(data, initial={"lived_experience": application.lived_experience,
                                             "experience_area": application.experience_area,
                                             "willing_to_share": application.willing_to_share})
    if step == "pathway":
        form_class = PATHWAY_FORMS[application.pathway]
        return form_class(data, initial={name: getattr(application, name) for name in form_class.base_fields})
    if step == "ethics":
        return EthicsForm(data, initial={"ethics_signed_name": application.ethics_signed_name})
    return None


@role_required(*PEER)
def application_step(request, application_id: int, step: str):
    application = selectors.access_own_application(request.user, application_id)
    if step not in services.steps_for(application.pathway):
        raise Http404
    if not application.is_editable:
        messages.info(request, _("This application was submitted; it can no longer be changed."))
        return redirect("certification:application_status", application.pk)
    context = {"application": application, **_step_context(application, step)}
    if step == "documents":
        return _documents_step(request, application, context)
    form = _step_form(application, step, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.application_save_step(actor=request.user, application=application, step=step, data=form.cleaned_data)
        except ApplicationError as exc:
            add_to_form(form, exc)
        else:
            messages.success(request, _("Saved. You can stop here and come back later."))
            return redirect(_next_step(application, step))
    context["form"] = form
    if step == "ethics":
        context["rules"] = rules_on()
    return render(request, "certification/step.html", context)


def _documents_step(request, application, context):
    form = DocumentForm()
    if request.method == "POST":
        try:
            services.application_save_step(actor=request.user, application=application, step="documents", data={})
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Saved. You can stop here and come back later."))
            return redirect(_next_step(application, "documents"))
    rules = rules_on()
    documents = selectors.documents_of(application)
    needed = [{"kind": DocumentKind(kind).label, "count": count, "have": sum(1 for d in documents if d.kind == kind)}
              for kind, count in requirements.documents_needed(application.pathway, rules)]
    form.fields["kind"].choices = [(k, DocumentKind(k).label) for k, _c in requirements.documents_needed(application.pathway, rules)]
    return render(request, "certification/documents.html", {**context, "form": form, "documents": documents,
                                                            "needed": needed})


@role_required(*PEER)
@require_POST
def document_upload(request, application_id: int):
    application = selectors.access_own_application(request.user, application_id)
    form = DocumentForm(request.POST, request.FILES)
    back = (reverse("certification:application_step", args=[application.pk, "documents"]) if application.is_editable
            else reverse("certification:application_status", args=[application.pk]))
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(back)
    try:
        services.application_document_add(actor=request.user, application=application, kind=form.cleaned_data["kind"],
                                          upload=form.cleaned_data["file"],
                                          name_on_document=form.cleaned_data["name_on_document"])
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Uploaded."))
    return redirect(back)


@role_required(*PEER)
@require_POST
def document_remove(request, document_id: int):
    document = selectors.access_document(request.user, document_id)
    if not owns_application(request.user, document.application):
        raise Http404
    try:
        services.application_document_remove(actor=request.user, document=document)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Removed."))
    return redirect("certification:application_step", document.application_id, "documents")


@role_required(*PEER, *REVIEW_ROLES)
def document_download(request, document_id: int):
    document = selectors.access_document(request.user, document_id)
    # Inline: reviewers open an ID or diploma to look at it; serve_upload keeps it from acting as a page.
    return serve_upload(document.file, kind=document.content_type, download_name=document.original_name, inline=True)


@role_required(*PEER)
def application_review(request, application_id: int):
    application = selectors.access_own_application(request.user, application_id)
    if not application.is_editable:
        return redirect("certification:application_status", application.pk)
    return render(request, "certification/review_submit.html", {
        "application": application, **_step_context(application, "review"),
        "documents": selectors.documents_of(application), "fee": rules_on().fee_application,
        "missing": [_(services.STEP_LABELS[s]) for s in services.steps_for(application.pathway)
                    if s not in application.steps_completed],
        "to_fix": selectors.items_to_fix(application),
    })


@role_required(*PEER)
@require_POST
def application_submit(request, application_id: int):
    application = selectors.access_own_application(request.user, application_id)
    try:
        services.application_submit(actor=request.user, application=application)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        if application.is_editable:
            return redirect("certification:application_review", application.pk)
    else:
        messages.success(request, _("Your application is submitted."))
    return redirect("certification:application_status", application.pk)


@role_required(*PEER)
def application_status(request, application_id: int):
    application = selectors.access_own_application(request.user, application_id)
    context = {
        "application": application, "clock": selectors.processing_clock(application),
        "fee": selectors.fee_status(application), "to_fix": selectors.items_to_fix(application),
        "documents": selectors.documents_of(application),
        "steps": [{"key": s, "label": _(services.STEP_LABELS[s]), "done": s in application.steps_completed}
                  for s in services.steps_for(application.pathway)],
        "issuance_missing": requirements.issuance_missing(application) if application.status == ApplicationStatus.APPROVED else [],
        "needs_training": requirements.pathway_needs_training(application.pathway),
        "certifications": list(application.certifications.all()),
        "appeal_by": appeal_deadline(application, ApplicationStatus.DENIED), "today": clock.today(),
        "denial_key": f"application-{application.pk}",
    }
    if application.status == ApplicationStatus.APPROVED and context["needs_training"]:
        form = DocumentForm(initial={"kind": DocumentKind.TRAINING_CERTIFICATE})
        form.fields["kind"].choices = [(DocumentKind.TRAINING_CERTIFICATE, DocumentKind.TRAINING_CERTIFICATE.label)]
        context["training_form"] = form
    return render(request, "certification/status.html", context)


@role_required(*PEER)
@require_POST
def application_withdraw(request, application_id: int):
    application = selectors.access_own_application(request.user, application_id)
    try:
        services.application_withdraw(actor=request.user, application=application,
                                      reason=request.POST.get("reason", ""))
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Your application is withdrawn."))
    return redirect("certification:application_status", application.pk)


# ---- Reviewer ---------------------------------------------------------------------------

@role_required(*REVIEW_ROLES)
def queue(request):
    form = QueueFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    qs = selectors.review_queue(actor=request.user, pathway=filters.get("pathway") or "",
                                status=filters.get("status") or "",
                                county_id=filters["county"].pk if filters.get("county") else None,
                                assigned=filters.get("assigned") or "", sort=filters.get("sort") or "waiting")
    page = Paginator(qs, 25).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "certification/queue.html", {
        "form": form, "page": page, "rows": selectors.annotate_queue_rows(page.object_list),
        "query": query.urlencode(), "target": rules_on().application_review_target_days,
    })


@role_required(*REVIEW_ROLES)
def review(request, application_id: int):
    application = selectors.access_reviewable_application(request.user, application_id)
    return _render_review(request, application)


def _render_review(request, application, **forms):
    rows = selectors.requirement_rows(application)
    for item in rows:
        bound = forms.get(f"req_{item['row'].code}")
        item["form"] = bound if bound is not None else RequirementForm(
            initial={"code": item["row"].code, "outcome": item["row"].outcome, "notes": item["row"].notes},
            prefix=item["row"].code)
    reviewers = services.reviewers_of(application.program)
    return render(request, "certification/review.html", {
        "application": application, "requirements": rows, "documents": selectors.documents_of(application),
        "clock": selectors.processing_clock(application), "fee": selectors.fee_status(application),
        "assign_form": forms["assign"] if "assign" in forms else AssignForm(reviewers=reviewers,
                                                         initial={"reviewer": application.assigned_to_id or request.user.pk}),
        "revision_form": forms["revise"] if "revise" in forms else RevisionForm(),
        "deny_form": forms["deny"] if "deny" in forms else DenyForm(),
        "milestone_form": MilestoneForm(),
        "issuance_missing": requirements.issuance_missing(application) if application.status == ApplicationStatus.APPROVED else [],
        "certifications": list(application.certifications.all()),
    })


REVIEW_ACTIONS = {"assign", "start", "decide", "revise", "approve", "deny", "issue"}


@role_required(*REVIEW_ROLES)
@require_POST
def review_action(request, application_id: int, action: str):
    application = selectors.access_reviewable_application(request.user, application_id)
    if action not in REVIEW_ACTIONS:
        raise Http404
    form = None
    try:
        if action == "assign":
            form = AssignForm(request.POST, reviewers=services.reviewers_of(application.program))
            if form.is_valid():
                services.application_assign(actor=request.user, application=application,
                                            reviewer=form.cleaned_data["reviewer"])
        elif action == "start":
            services.application_review_start(actor=request.user, application=application)
        elif action == "decide":
            code = request.POST.get("code", "")
            form = RequirementForm(request.POST, prefix=code)
            action = f"req_{code}"
            if form.is_valid():
                services.requirement_decide(actor=request.user, application=application, code=code,
                                            outcome=form.cleaned_data["outcome"], notes=form.cleaned_data["notes"])
        elif action == "revise":
            form = RevisionForm(request.POST)
            if form.is_valid():
                services.application_request_revision(actor=request.user, application=application,
                                                      message=form.cleaned_data["message"])
        elif action == "approve":
            services.application_approve(actor=request.user, application=application)
        elif action == "deny":
            form = DenyForm(request.POST)
            if form.is_valid():
                services.application_deny(actor=request.user, application=application, reason=form.cleaned_data["reason"])
        elif action == "issue":
            services.certification_issue(actor=request.user, application=application)
    except ApplicationError as exc:
        if form is not None:
            add_to_form(form, exc)
        else:
            messages.error(request, exc.message)
    if form is not None and form.errors:
        application.refresh_from_db()
        return _render_review(request, application, **{action: form})
    if not messages.get_messages(request)._queued_messages:
        messages.success(request, _("Done."))
    return redirect("certification:review", application.pk)


# ---- Staff: the record of specialists ----------------------------------------------------

@role_required(*REVIEW_ROLES)
def records(request):
    query = request.GET.get("q", "").strip()
    page = Paginator(selectors.specialist_search(actor=request.user, query=query), 25).get_page(request.GET.get("page"))
    return render(request, "certification/records.html", {"page": page, "q": query,
                                                          "query": f"q={query}" if query else ""})


@role_required(*REVIEW_ROLES)
def record_detail(request, person_id: int):
    person = selectors.access_specialist(request.user, person_id)
    form = MilestoneForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            issued = services.milestone_record(actor=request.user, person=person, **form.cleaned_data)
        except ApplicationError as exc:
            add_to_form(form, exc)
        else:
            messages.success(request, _("Recorded.") + (" " + _("Certification %(n)s issued.") % {"n": issued.number}
                                                       if issued else ""))
            return redirect("certification:record_detail", person.pk)
    return render(request, "certification/record_detail.html", {
        "person": person, "timeline": selectors.specialist_timeline(person),
        "applications": selectors.applications_of(person), "certifications": selectors.certifications_of(person),
        "training_on": requirements.training_completed_on(person), "exam_on": requirements.exam_passed_on(person),
        "form": form,
    })


@role_required(*REVIEW_ROLES)
def historical(request):
    form = HistoricalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        person = Person.objects.filter(email__iexact=data.pop("person_email")).first()
        if person is None:
            form.add_error("person_email", _("No person with this email. Ask them to create an account first."))
        else:
            answers = {k: data.pop(k) for k in ("peer_work_hours", "employed_as_peer_on_cutoff", "ce_hours",
                                                "ce_law_ethics_hours") if data.get(k) not in (None, "")}
            data.pop("employed_as_peer_on_cutoff", None)
            try:
                application = services.application_enter_historical(
                    actor=request.user, person=person, program=statewide_program(), **data, **answers)
            except ApplicationError as exc:
                for error in getattr(exc, "errors", [exc]):
                    add_to_form(form, error)
            else:
                messages.success(request, _("The past application is recorded."))
                return redirect("certification:review", application.pk)
    return render(request, "certification/historical.html", {"form": form})


@role_required(*REVIEW_ROLES)
def historical_import(request):
    """Upload a file of past records: every line is checked, and all are saved or none."""
    form = LegacyImportForm(request.POST or None, request.FILES or None)
    context = {"form": form, "columns": legacy_import.COLUMNS}
    if request.method == "POST" and form.is_valid():
        try:
            context["result"] = legacy_import.legacy_records_import(
                actor=request.user, program=statewide_program(), upload=form.cleaned_data["file"])
        except legacy_import.LegacyImportError as exc:
            context["failed"] = exc.result
        except ApplicationError as exc:
            add_to_form(form, exc)
    return render(request, "certification/historical_import.html", context)


@role_required(*REVIEW_ROLES)
def historical_import_template(request):
    response = HttpResponse(legacy_import.template_csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="past-records-template.csv"'
    return response


# ---- Certifications ---------------------------------------------------------------------

@role_required(*PEER, *REVIEW_ROLES)
def certification_detail(request, number: str):
    cert = selectors.access_certification(request.user, number)
    staff = can_manage_certification(request.user, cert)
    form = StatusChangeForm(request.POST or None) if staff else None
    if request.method == "POST":
        if not staff:
            raise Http404
        if form.is_valid():
            try:
                services.certification_change_status(actor=request.user, certification=cert, source="staff",
                                                     **form.cleaned_data)
            except ApplicationError as exc:
                add_to_form(form, exc)
            else:
                messages.success(request, _("The status is changed; the registry shows it now."))
                return redirect("certification:certification_detail", cert.number)
    return render(request, "certification/certification_detail.html", {
        "cert": cert, "history": selectors.status_history(cert), "numbers": cert.number_history.all(),
        "form": form, "staff": staff, "verify_url": certificate.verification_url(request, cert),
        "specialization_form": _specialization_form(cert) if staff else None,
    })


def _specialization_form(cert, data=None):
    choices = selectors.specializations_ready_to_add(cert)
    return SpecializationAddForm(data, choices=choices) if choices else None


@role_required(*REVIEW_ROLES)
@require_POST
def certification_specialization_add(request, number: str):
    cert = selectors.access_certification(request.user, number)
    if not can_manage_certification(request.user, cert):
        raise Http404
    form = _specialization_form(cert, request.POST)
    if form is None or not form.is_valid():
        messages.error(request, _("Choose a specialization whose training is complete."))
    else:
        try:
            services.certification_specialization_add(actor=request.user, certification=cert,
                                                      specialization=form.cleaned_data["specialization"])
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("The specialization now shows on the registry and the certificate."))
    return redirect("certification:certification_detail", cert.number)


@role_required(*PEER, *REVIEW_ROLES)
def certificate_pdf(request, number: str, layout: str = "certificate"):
    cert = selectors.access_certification(request.user, number)
    data = certificate.render_pdf(cert, certificate.verification_url(request, cert), layout=layout)
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{cert.number}-{layout}.pdf"'
    return response


@role_required(*PEER, *REVIEW_ROLES)
def wallet_card_pdf(request, number: str):
    return certificate_pdf(request, number, layout="wallet")


