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
from peercert.certification import certificate, legacy_import, requirements, selectors, services, steps
from peercert.certification.forms import (
    AssignForm,
    DenyForm,
    DocumentForm,
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
    TrainingCertificateForm,
    TrainingCertificateSearchForm,
    WithdrawForm,
)
from peercert.certification.models import ApplicationStatus, DocumentKind
from peercert.certification.permissions import REVIEW_ROLES, can_manage_certification, owns_application
from peercert.core import clock
from peercert.core.downloads import serve_upload
from peercert.core.errors import ApplicationError, add_to_form
from peercert.core.forms import ReasonForm
from peercert.core.rules import appeal_deadline, rules_on
from peercert.core.views import run_action, run_form

PEER = (Role.PEER,)
ORIENTATION_KEY = "certification_orientation_acknowledged_at"


# ---- Applicant --------------------------------------------------------------------------


@role_required(*PEER)
def mine(request):
    person = person_for_user(request.user)
    return render(
        request,
        "certification/mine.html",
        {
            "person": person,
            "open_application": selectors.open_application_of(person) if person else None,
            "applications": selectors.applications_of(person) if person else [],
            "certifications": selectors.certifications_of(person) if person else [],
        },
    )


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

    def started(application):
        request.session.pop(ORIENTATION_KEY, None)
        return redirect(steps.first_url(application))

    done = run_form(
        request,
        form,
        lambda data: services.application_start(
            actor=request.user,
            person=person_for_user(request.user),
            pathway=data["pathway"],
            program=statewide_program(),
            orientation_acknowledged_at=datetime.datetime.fromisoformat(acknowledged),
        ),
        on_success=started,
    )
    if done:
        return done
    return render(
        request,
        "certification/pathway.html",
        {"form": form, "rules": rules, "grandparenting_closed": clock.today() > rules.grandparenting_closed_after},
    )


@role_required(*PEER)
def application_step(request, application_id: int, step: str):
    application = selectors.access_own_application(request.user, application_id)
    current = steps.step_of(application.pathway, step)
    if current is None:
        raise Http404
    if not application.is_editable:
        messages.info(request, _("This application was submitted; it can no longer be changed."))
        return redirect("certification:application_status", application.pk)
    context = {"application": application, **steps.progress(application, current.code)}
    saved = _("Saved. You can stop here and come back later.")
    if current.code == "documents":
        if request.method == "POST":
            return run_action(
                request,
                lambda: services.application_save_step(
                    actor=request.user, application=application, step=current.code, data={}
                ),
                success_url=steps.next_url(application, current.code),
                failure_url=current.url(application),
                message=saved,
            )
        return _documents_step(request, application, context)
    form = current.form_for(application, request.POST or None)

    def warn_then_go_on(saved_application):
        # Answers short of the rules are saved (the applicant may still be gathering proof), but said plainly.
        for warning in requirements.pathway_warnings(saved_application, rules_on(), clock.today()):
            messages.warning(request, _("Not met yet: %(w)s The reviewer will see this as not met.") % {"w": warning})
        return redirect(steps.next_url(saved_application, current.code))

    done = run_form(
        request,
        form,
        lambda data: services.application_save_step(
            actor=request.user, application=application, step=current.code, data=data
        ),
        on_success=warn_then_go_on,
        message=saved,
    )
    if done:
        return done
    context["form"] = form
    if current.code == "ethics":
        context["rules"] = rules_on()
    return render(request, "certification/step.html", context, status=400 if form.is_bound else 200)


def _documents_step(request, application, context):
    rules = rules_on()
    documents = selectors.documents_of(application)
    needed = [
        {"kind": DocumentKind(kind).label, "count": count, "have": sum(1 for d in documents if d.kind == kind)}
        for kind, count in requirements.documents_needed(application.pathway, rules)
    ]
    form = DocumentForm()
    form.fields["kind"].choices = [
        (k, DocumentKind(k).label) for k, _c in requirements.documents_needed(application.pathway, rules)
    ]
    return render(
        request, "certification/documents.html", {**context, "form": form, "documents": documents, "needed": needed}
    )


@role_required(*PEER)
@require_POST
def document_upload(request, application_id: int):
    application = selectors.access_own_application(request.user, application_id)
    form = DocumentForm(request.POST, request.FILES)
    back = (
        steps.BY_CODE["documents"].url(application)
        if application.is_editable
        else reverse("certification:application_status", args=[application.pk])
    )
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(back)
    return run_action(
        request,
        lambda: services.application_document_add(
            actor=request.user,
            application=application,
            kind=form.cleaned_data["kind"],
            upload=form.cleaned_data["file"],
            name_on_document=form.cleaned_data["name_on_document"],
        ),
        success_url=back,
        message=_("Uploaded."),
    )


@role_required(*PEER)
@require_POST
def document_remove(request, document_id: int):
    document = selectors.access_document(request.user, document_id)
    if not owns_application(request.user, document.application):
        raise Http404
    return run_action(
        request,
        lambda: services.application_document_remove(actor=request.user, document=document),
        success_url=steps.BY_CODE["documents"].url(document.application),
        message=_("Removed."),
    )


@role_required(*PEER, *REVIEW_ROLES)
def document_download(request, document_id: int):
    document = selectors.access_document(request.user, document_id)
    # Inline: reviewers open an ID or diploma to look at it; serve_upload keeps it from acting as a page.
    # A training certificate is always a download (the applicant's file, sent after approval).
    return serve_upload(
        document.file,
        kind=document.content_type,
        download_name=document.original_name,
        inline=document.kind != DocumentKind.TRAINING_CERTIFICATE,
    )


@role_required(*PEER)
def application_review(request, application_id: int):
    application = selectors.access_own_application(request.user, application_id)
    if not application.is_editable:
        return redirect("certification:application_status", application.pk)
    return render(
        request,
        "certification/review_submit.html",
        {
            "application": application,
            **steps.progress(application, steps.REVIEW),
            "documents": selectors.documents_of(application),
            "fee": rules_on().fee_application,
            "missing": [step.label for step in steps.steps_missing(application)],
            "to_fix": selectors.items_to_fix(application),
            "warnings": requirements.pathway_warnings(application, rules_on(), clock.today()),
        },
    )


@role_required(*PEER)
@require_POST
def application_submit(request, application_id: int):
    application = selectors.access_own_application(request.user, application_id)
    status_url = reverse("certification:application_status", args=[application.pk])
    failure_url = (
        reverse("certification:application_review", args=[application.pk]) if application.is_editable else status_url
    )
    return run_action(
        request,
        lambda: services.application_submit(actor=request.user, application=application),
        success_url=status_url,
        failure_url=failure_url,
        message=_("Your application is submitted."),
    )


def _status_context(application, training_form=None) -> dict:
    context = {
        "application": application,
        "next_step": selectors.application_next_step(application),
        "clock": selectors.processing_clock(application),
        "fee": selectors.fee_status(application),
        "to_fix": selectors.items_to_fix(application),
        "documents": selectors.documents_of(application),
        "steps": [
            {"key": step.code, "label": step.label, "url": step.url(application), "done": step.is_done(application)}
            for step in steps.steps_for(application.pathway)
        ],
        "issuance_missing": requirements.issuance_missing(application)
        if application.status == ApplicationStatus.APPROVED
        else [],
        "needs_training": requirements.pathway_needs_training(application.pathway),
        "certifications": list(application.certifications.all()),
        "appeal_by": appeal_deadline(application, ApplicationStatus.DENIED),
        "today": clock.today(),
        "denial_key": f"application-{application.pk}",
        "training_certificates": selectors.training_certificates_of(application),
    }
    if application.status == ApplicationStatus.APPROVED and context["needs_training"]:
        context["roster"] = selectors.roster_completion(application.person)
        context["training_done"] = requirements.training_completed_on(application.person) is not None
        waiting = any(c.status == "submitted" for c in context["training_certificates"])
        if not context["training_done"] and not waiting:
            context["training_form"] = training_form or TrainingCertificateForm()
    return context


@role_required(*PEER)
def application_status(request, application_id: int):
    application = selectors.access_own_application(request.user, application_id)
    return render(request, "certification/status.html", _status_context(application))


@role_required(*PEER)
@require_POST
def training_certificate_upload(request, application_id: int):
    """The approved applicant sends the core training certificate; a refusal is shown on the status page."""
    application = selectors.access_own_application(request.user, application_id)
    form = TrainingCertificateForm(request.POST, request.FILES)
    done = run_form(
        request,
        form,
        lambda data: services.training_certificate_submit(
            actor=request.user,
            application=application,
            upload=data["file"],
            completed_on=data["completed_on"],
            provider_name=data["provider_name"],
        ),
        success_url=reverse("certification:application_status", args=[application.pk]),
        message=_("Your training certificate is sent. A reviewer checks it; the page shows by when."),
    )
    if done:
        return done
    application.refresh_from_db()
    return render(request, "certification/status.html", _status_context(application, training_form=form), status=400)


@role_required(*PEER)
def application_withdraw(request, application_id: int):
    """Withdrawing asks first: a page that says what it means, and a box to tick (no script needed)."""
    application = selectors.access_own_application(request.user, application_id)
    status_url = reverse("certification:application_status", args=[application.pk])
    if application.status not in ("draft", "submitted", "in_review", "revision_requested"):
        messages.info(request, _("This application can no longer be withdrawn."))
        return redirect(status_url)
    form = WithdrawForm(request.POST if request.method == "POST" else None)
    done = run_form(
        request,
        form,
        lambda data: services.application_withdraw(actor=request.user, application=application, reason=data["reason"]),
        success_url=status_url,
        message=_("Your application is withdrawn."),
    )
    if done:
        return done
    return render(
        request,
        "certification/withdraw_confirm.html",
        {"application": application, "form": form, "fee": selectors.fee_status(application)},
        status=400 if form.is_bound else 200,
    )


# ---- Reviewer ---------------------------------------------------------------------------


@role_required(*REVIEW_ROLES)
def queue(request):
    form = QueueFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    qs = selectors.review_queue(
        actor=request.user,
        query=filters.get("q") or "",
        pathway=filters.get("pathway") or "",
        status=filters.get("status") or "",
        county_id=filters["county"].pk if filters.get("county") else None,
        assigned=filters.get("assigned") or "",
        sort=filters.get("sort") or "waiting",
    )
    page = Paginator(qs, 25).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "certification/queue.html",
        {
            "form": form,
            "page": page,
            "rows": selectors.annotate_queue_rows(page.object_list),
            "query": query.urlencode(),
            "target": rules_on().application_review_target_days,
        },
    )


@role_required(*REVIEW_ROLES)
def review(request, application_id: int):
    application = selectors.access_reviewable_application(request.user, application_id)
    return _render_review(request, application)


def _render_review(request, application, status: int = 200, **forms):
    rows = selectors.requirement_rows(application)
    for item in rows:
        bound = forms.get(f"req_{item['row'].code}")
        item["form"] = (
            bound
            if bound is not None
            else RequirementForm(
                initial={"code": item["row"].code, "outcome": item["row"].outcome, "notes": item["row"].notes},
                prefix=item["row"].code,
            )
        )
    reviewers = services.reviewers_of(application.program)
    return render(
        request,
        "certification/review.html",
        {
            "application": application,
            "requirements": rows,
            "documents": selectors.documents_of(application),
            "clock": selectors.processing_clock(application),
            "fee": selectors.fee_status(application),
            "assign_form": forms["assign"]
            if "assign" in forms
            else AssignForm(reviewers=reviewers, initial={"reviewer": application.assigned_to_id or request.user.pk}),
            "revision_form": forms["revise"] if "revise" in forms else RevisionForm(),
            "deny_form": forms["deny"] if "deny" in forms else DenyForm(),
            "milestone_form": MilestoneForm(),
            "issuance_missing": requirements.issuance_missing(application)
            if application.status == ApplicationStatus.APPROVED
            else [],
            "certifications": list(application.certifications.all()),
            "training_certificates": selectors.training_certificates_of(application),
        },
        status=status,
    )


# One view per reviewer action, each its own URL. A form that is invalid or refused is shown
# again on the review page (400), beside the page's other forms; a button's refusal is flashed there.


def _review_url(application) -> str:
    return reverse("certification:review", args=[application.pk])


def _review_form(request, application, form, key: str, service, message) -> HttpResponse:
    done = run_form(request, form, service, success_url=_review_url(application), message=message)
    if done:
        return done
    application.refresh_from_db()
    return _render_review(request, application, status=400, **{key: form})


@role_required(*REVIEW_ROLES)
@require_POST
def review_assign(request, application_id: int):
    application = selectors.access_reviewable_application(request.user, application_id)
    form = AssignForm(request.POST, reviewers=services.reviewers_of(application.program))
    return _review_form(
        request,
        application,
        form,
        "assign",
        lambda data: services.application_assign(
            actor=request.user, application=application, reviewer=data["reviewer"]
        ),
        _("The application is assigned."),
    )


@role_required(*REVIEW_ROLES)
@require_POST
def review_start(request, application_id: int):
    application = selectors.access_reviewable_application(request.user, application_id)
    return run_action(
        request,
        lambda: services.application_review_start(actor=request.user, application=application),
        success_url=_review_url(application),
        message=_("The review has started."),
    )


@role_required(*REVIEW_ROLES)
@require_POST
def review_decide(request, application_id: int):
    application = selectors.access_reviewable_application(request.user, application_id)
    code = request.POST.get("code", "")
    form = RequirementForm(request.POST, prefix=code)
    return _review_form(
        request,
        application,
        form,
        f"req_{code}",
        lambda data: services.requirement_decide(
            actor=request.user, application=application, code=code, outcome=data["outcome"], notes=data["notes"]
        ),
        _("The decision on the requirement is saved."),
    )


@role_required(*REVIEW_ROLES)
@require_POST
def review_request_revision(request, application_id: int):
    application = selectors.access_reviewable_application(request.user, application_id)
    return _review_form(
        request,
        application,
        RevisionForm(request.POST),
        "revise",
        lambda data: services.application_request_revision(
            actor=request.user, application=application, message=data["message"]
        ),
        _("The applicant is asked for changes."),
    )


@role_required(*REVIEW_ROLES)
@require_POST
def review_approve(request, application_id: int):
    application = selectors.access_reviewable_application(request.user, application_id)
    return run_action(
        request,
        lambda: services.application_approve(actor=request.user, application=application),
        success_url=_review_url(application),
        message=_("The application is approved."),
    )


@role_required(*REVIEW_ROLES)
@require_POST
def review_deny(request, application_id: int):
    application = selectors.access_reviewable_application(request.user, application_id)
    return _review_form(
        request,
        application,
        DenyForm(request.POST),
        "deny",
        lambda data: services.application_deny(actor=request.user, application=application, reason=data["reason"]),
        _("The application is denied."),
    )


@role_required(*REVIEW_ROLES)
@require_POST
def review_issue(request, application_id: int):
    application = selectors.access_reviewable_application(request.user, application_id)
    return run_action(
        request,
        lambda: services.certification_issue(actor=request.user, application=application),
        success_url=_review_url(application),
        message=lambda certification: _("Certification %(n)s issued.") % {"n": certification.number},
    )


# ---- Reviewer: training certificates ------------------------------------------------------


@role_required(*REVIEW_ROLES)
def training_queue(request):
    form = TrainingCertificateSearchForm(request.GET or None)
    query = form.cleaned_data.get("q", "") if form.is_valid() else ""
    page = Paginator(selectors.training_certificate_queue(actor=request.user, query=query), 25).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "certification/training_queue.html",
        {
            "form": form,
            "page": page,
            "rows": selectors.annotate_certificate_rows(page.object_list),
            "query": f"q={query}" if query else "",
            "target": rules_on().training_certificate_review_target_days,
        },
    )


def _render_certificate(request, certificate, reject_form=None, status=200):
    return render(
        request,
        "certification/training_review.html",
        {
            "certificate": certificate,
            "application": certificate.application,
            "clock": selectors.certificate_clock(certificate),
            "roster": selectors.roster_completion(certificate.application.person),
            "reject_form": reject_form or ReasonForm(),
            "earlier": [
                c for c in selectors.training_certificates_of(certificate.application) if c.pk != certificate.pk
            ],
        },
        status=status,
    )


@role_required(*REVIEW_ROLES)
def training_review(request, certificate_id: int):
    certificate = selectors.access_reviewable_certificate(request.user, certificate_id)
    return _render_certificate(request, certificate)


@role_required(*REVIEW_ROLES)
@require_POST
def training_accept(request, certificate_id: int):
    certificate = selectors.access_reviewable_certificate(request.user, certificate_id)
    return run_action(
        request,
        lambda: services.training_certificate_accept(actor=request.user, certificate=certificate),
        success_url=reverse("certification:training_review", args=[certificate.pk]),
        message=_("The training certificate is accepted; the applicant is told the next step."),
    )


@role_required(*REVIEW_ROLES)
@require_POST
def training_reject(request, certificate_id: int):
    certificate = selectors.access_reviewable_certificate(request.user, certificate_id)
    form = ReasonForm(request.POST)
    done = run_form(
        request,
        form,
        lambda data: services.training_certificate_reject(
            actor=request.user, certificate=certificate, reason=data["reason"]
        ),
        success_url=reverse("certification:training_review", args=[certificate.pk]),
        message=_("The training certificate is not accepted; the applicant is told why."),
    )
    if done:
        return done
    certificate.refresh_from_db()
    return _render_certificate(request, certificate, reject_form=form, status=400)


# ---- Staff: the record of specialists ----------------------------------------------------


@role_required(*REVIEW_ROLES)
def records(request):
    query = request.GET.get("q", "").strip()
    page = Paginator(selectors.specialist_search(actor=request.user, query=query), 25).get_page(request.GET.get("page"))
    return render(
        request, "certification/records.html", {"page": page, "q": query, "query": f"q={query}" if query else ""}
    )


@role_required(*REVIEW_ROLES)
def record_detail(request, person_id: int):
    person = selectors.access_specialist(request.user, person_id)
    form = MilestoneForm(request.POST or None)

    def recorded(issued) -> str:
        return _("Recorded.") + (" " + _("Certification %(n)s issued.") % {"n": issued.number} if issued else "")

    done = run_form(
        request,
        form,
        lambda data: services.milestone_record(actor=request.user, person=person, **data),
        success_url=reverse("certification:record_detail", args=[person.pk]),
        message=recorded,
    )
    if done:
        return done
    return render(
        request,
        "certification/record_detail.html",
        {
            "person": person,
            "timeline": selectors.specialist_timeline(person),
            "applications": selectors.applications_of(person),
            "certifications": selectors.certifications_of(person),
            "training_on": requirements.training_completed_on(person),
            "exam_on": requirements.exam_passed_on(person),
            "form": form,
        },
        status=400 if form.is_bound else 200,
    )


@role_required(*REVIEW_ROLES)
def historical(request):
    form = HistoricalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        person = Person.objects.filter(email__iexact=data.pop("person_email")).first()
        if person is None:
            form.add_error("person_email", _("No person with this email. Ask them to create an account first."))
        else:
            answers = {
                k: data.pop(k)
                for k in ("peer_work_hours", "employed_as_peer_on_cutoff", "ce_hours", "ce_law_ethics_hours")
                if data.get(k) not in (None, "")
            }
            data.pop("employed_as_peer_on_cutoff", None)
            try:
                application = services.application_enter_historical(
                    actor=request.user, person=person, program=statewide_program(), **data, **answers
                )
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
                actor=request.user, program=statewide_program(), upload=form.cleaned_data["file"]
            )
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
        done = run_form(
            request,
            form,
            lambda data: services.certification_change_status(
                actor=request.user, certification=cert, source="staff", **data
            ),
            success_url=reverse("certification:certification_detail", args=[cert.number]),
            message=_("The status is changed; the registry shows it now."),
        )
        if done:
            return done
    return render(
        request,
        "certification/certification_detail.html",
        {
            "cert": cert,
            "history": selectors.status_history(cert),
            "numbers": cert.number_history.all(),
            "form": form,
            "staff": staff,
            "verify_url": certificate.verification_url(request, cert),
            "specialization_form": _specialization_form(cert) if staff else None,
        },
        status=400 if form is not None and form.is_bound else 200,
    )


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
    detail_url = reverse("certification:certification_detail", args=[cert.number])
    if form is None or not form.is_valid():
        messages.error(request, _("Choose a specialization whose training is complete."))
        return redirect(detail_url)
    return run_action(
        request,
        lambda: services.certification_specialization_add(
            actor=request.user, certification=cert, specialization=form.cleaned_data["specialization"]
        ),
        success_url=detail_url,
        message=_("The specialization now shows on the registry and the certificate."),
    )


@role_required(*PEER, *REVIEW_ROLES)
def certificate_pdf(request, number: str, layout: str = "certificate"):
    cert = selectors.access_certification(request.user, number)
    data = certificate.render_pdf(
        cert,
        certificate.verification_url(request, cert),
        layout=layout,
        credential_url=certificate.credential_url(request, cert),
    )
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{cert.number}-{layout}.pdf"'
    return response


@role_required(*PEER, *REVIEW_ROLES)
def wallet_card_pdf(request, number: str):
    return certificate_pdf(request, number, layout="wallet")
