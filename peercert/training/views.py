import base64

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from peercert.accounts.permissions import role_required
from peercert.accounts.roles import Role
from peercert.core import clock
from peercert.core.downloads import serve_upload
from peercert.core.errors import ApplicationError, add_to_form
from peercert.core.tabular import check_tabular_upload
from peercert.training import fees, forms, selectors, services
from peercert.training import permissions as perms
from peercert.training.models import CurriculumKind, ProviderStatus, VersionStatus
from peercert.training.pdf import certificate_pdf
from peercert.training.roster import RosterError, validate_roster

P = Role
PROGRAM = (P.PROGRAM_REVIEWER, P.PROGRAM_MANAGER)
READ_ALL = (*PROGRAM, P.DHCS_ANALYST, P.DHCS_APPROVER, P.AUDITOR, P.SYSTEM_ADMINISTRATOR)


def _error(request, exc: ApplicationError) -> None:
    messages.error(request, exc.message)


# -------------------------------------------------------------------------------------------
# Public
# -------------------------------------------------------------------------------------------


def providers(request):
    """Approved training entities and their upcoming courses. No sign-in needed."""
    return render(request, "training/providers.html", {"providers": selectors.approved_providers()})


def offering_detail(request, offering_id: int):
    offering = selectors.access_public_offering(offering_id)
    person = perms.person_of(request.user)
    enrollment = None
    if person is not None:
        enrollment = offering.enrollments.filter(person=person).exclude(status="cancelled").first()
    return render(request, "training/offering_detail.html", {
        "offering": offering, "person": person, "enrollment": enrollment,
        "seats_left": max(offering.capacity - offering.enrolled, 0),
    })


# -------------------------------------------------------------------------------------------
# Peers
# -------------------------------------------------------------------------------------------


@role_required(P.PEER)
def my_training(request):
    person = perms.person_of(request.user)
    if person is None:
        raise Http404
    cycles = selectors.ce_totals_by_cycle(person, selectors.ce_cycles_for(person))
    return render(request, "training/my_training.html", {
        "person": person,
        "enrollments": selectors.enrollments_for_person(person),
        "completions": selectors.completions_for_person(person),
        "ledger": selectors.ce_ledger(person),
        "cycles": cycles,
        "accommodations": selectors.accommodation_list(actor=request.user).filter(person=person),
        "supervisor_completions": selectors.supervisor_training_completions(person),
    })


@role_required(P.PEER)
def enroll(request, offering_id: int):
    offering = selectors.access_public_offering(offering_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    person = perms.person_of(request.user)
    try:
        enrollment = services.enrollment_create(actor=request.user, offering=offering, person=person)
    except ApplicationError as exc:
        _error(request, exc)
    else:
        if enrollment.status == "enrolled":
            messages.success(request, _("You are enrolled."))
        else:
            messages.success(request, _("The course is full. You are on the waitlist and will be told if a seat opens."))
    return redirect("training:offering_detail", offering_id=offering.pk)


@role_required(P.PEER, P.TRAINING_STAFF)
def enrollment_cancel(request, enrollment_id: int):
    enrollment = selectors.access_own_enrollment(request.user, enrollment_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        services.enrollment_cancel(actor=request.user, enrollment=enrollment, reason=request.POST.get("reason", ""))
    except ApplicationError as exc:
        _error(request, exc)
    else:
        messages.success(request, _("The enrollment is cancelled."))
    if perms.can_manage_offering(request.user, enrollment.offering):
        return redirect("training:offering_manage", offering_id=enrollment.offering_id)
    return redirect("training:my_training")


@role_required(P.PEER)
def accommodation_create(request, offering_id: int):
    offering = selectors.access_public_offering(offering_id)
    form = forms.AccommodationForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            item = services.accommodation_request_create(actor=request.user, offering=offering,
                                                         needs=form.cleaned_data["needs"],
                                                         document=form.cleaned_data["document"])
        except ApplicationError as exc:
            add_to_form(form, exc)
        else:
            messages.success(request, _("Your request is sent. You will be told the decision."))
            return redirect("training:accommodation_detail", request_id=item.pk)
    return render(request, "training/accommodation_form.html", {"offering": offering, "form": form})


@role_required(P.PEER, P.TRAINING_STAFF, *PROGRAM)
def accommodation_detail(request, request_id: int):
    item = selectors.access_accommodation(request.user, request_id)
    can_decide = perms.can_decide_accommodation(request.user, item)
    form = forms.AccommodationDecisionForm(request.POST or None) if can_decide else None
    if request.method == "POST":
        try:
            if request.POST.get("action") == "withdraw":
                services.accommodation_request_withdraw(actor=request.user, request=item)
                messages.success(request, _("Your request is withdrawn."))
                return redirect("training:accommodation_detail", request_id=item.pk)
            if form is not None and form.is_valid():
                services.accommodation_request_decide(actor=request.user, request=item,
                                                      status=form.cleaned_data["status"],
                                                      decision=form.cleaned_data["decision"])
                messages.success(request, _("The decision is recorded and the person is told."))
                return redirect("training:accommodation_detail", request_id=item.pk)
        except ApplicationError as exc:
            if form is not None:
                add_to_form(form, exc)
            else:
                _error(request, exc)
    return render(request, "training/accommodation_detail.html", {
        "item": item, "form": form, "is_requester": perms.is_self(request.user, item.person),
    })


@role_required(P.PEER, P.TRAINING_STAFF, *PROGRAM)
def accommodation_document(request, request_id: int):
    item = selectors.access_accommodation(request.user, request_id)
    return serve_upload(item.document, kind=item.document_kind, download_name=item.document_name or "document")


@role_required(P.PEER)
def ce_report(request):
    form = forms.CEActivityForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.ce_activity_report(actor=request.user, **form.cleaned_data)
        except ApplicationError as exc:
            add_to_form(form, exc)
        else:
            messages.success(request, _("Sent. Program staff will check your proof; accepted hours count in your ledger."))
            return redirect("training:my_training")
    return render(request, "training/ce_report.html", {"form": form})


@role_required(*PROGRAM)
def ce_review(request):
    page = Paginator(selectors.ce_activities_waiting(actor=request.user), 25).get_page(request.GET.get("page"))
    return render(request, "training/ce_review.html", {"page": page})


@role_required(P.PEER, *PROGRAM)
def ce_activity_detail(request, activity_id: int):
    activity = selectors.access_ce_activity(request.user, activity_id)
    form = forms.CEDecisionForm(request.POST or None) if perms.can_review_ce_activity(request.user) else None
    if request.method == "POST" and form is not None and form.is_valid():
        try:
            if form.cleaned_data["decision"] == "accept":
                services.ce_activity_accept(actor=request.user, activity=activity, reason=form.cleaned_data["reason"])
            else:
                services.ce_activity_reject(actor=request.user, activity=activity, reason=form.cleaned_data["reason"])
        except ApplicationError as exc:
            add_to_form(form, exc)
        else:
            messages.success(request, _("Decision recorded."))
            return redirect("training:ce_review")
    return render(request, "training/ce_activity_detail.html", {"activity": activity, "form": form})


@role_required(P.PEER, *PROGRAM)
def ce_evidence(request, activity_id: int):
    activity = selectors.access_ce_activity(request.user, activity_id)
    return serve_upload(activity.evidence, kind=activity.evidence_kind, download_name=activity.evidence_name or "evidence")


@role_required(P.PEER, P.TRAINING_STAFF, *READ_ALL)
def certificate(request, completion_id: int):
    completion = selectors.access_completion(request.user, completion_id)
    response = HttpResponse(certificate_pdf(completion), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="certificate-{completion.certificate_number}.pdf"'
    return response


# -------------------------------------------------------------------------------------------
# Training entity approval
# -------------------------------------------------------------------------------------------


@role_required(P.TRAINING_STAFF, *READ_ALL)
def applications(request):
    entities = selectors.entities_of(request.user)
    form = forms.ProviderApplicationForm(request.POST or None, entities=entities) if entities.exists() else None
    if request.method == "POST" and form is not None and form.is_valid():
        try:
            item = services.provider_application_submit(actor=request.user, **form.cleaned_data)
        except ApplicationError as exc:
            add_to_form(form, exc)
        else:
            messages.success(request, _("Application sent. The application fee is on your payments page."))
            return redirect("training:application_detail", application_id=item.pk)
    status = request.GET.get("status", "")
    page = Paginator(selectors.provider_application_list(actor=request.user, status=status), 25).get_page(
        request.GET.get("page"))
    return render(request, "training/applications.html", {"page": page, "form": form, "status": status,
                                                          "statuses": ProviderStatus.choices})


APPLICATION_ACTIONS = {
    "start_review": lambda actor, app, text: services.provider_application_start_review(actor=actor, application=app),
    "approve": lambda actor, app, text: services.provider_application_approve(actor=actor, application=app, comments=text),
    "return": lambda actor, app, text: services.provider_application_return(actor=actor, application=app, comments=text),
    "deny": lambda actor, app, text: services.provider_application_deny(actor=actor, application=app, comments=text),
    "resubmit": lambda actor, app, text: services.provider_application_resubmit(actor=actor, application=app),
    "suspend": lambda actor, app, text: services.provider_application_suspend(actor=actor, application=app, reason=text),
    "lift": lambda actor, app, text: services.provider_application_lift_suspension(actor=actor, application=app, reason=text),
    "withdraw": lambda actor, app, text: services.provider_application_withdraw(actor=actor, application=app, reason=text),
    "request_renewal": lambda actor, app, text: services.provider_application_request_renewal(actor=actor, application=app),
    "renew": lambda actor, app, text: services.provider_application_renew(actor=actor, application=app, comments=text),
}


@role_required(P.TRAINING_STAFF, *READ_ALL)
def application_detail(request, application_id: int):
    item = selectors.access_provider_application(request.user, application_id)
    form = forms.CommentsForm(request.POST or None)
    if request.method == "POST":
        action = APPLICATION_ACTIONS.get(request.POST.get("action", ""))
        if action is None or not form.is_valid():
            messages.error(request, _("Choose an action."))
        else:
            try:
                action(request.user, item, form.cleaned_data["comments"])
            except ApplicationError as exc:
                _error(request, exc)
            else:
                messages.success(request, _("Done."))
                return redirect("training:application_detail", application_id=item.pk)
    is_staff = perms.can_review_provider(request.user)
    is_entity = perms.can_apply_as_provider(request.user, item.training_entity)
    return render(request, "training/application_detail.html", {
        "item": item, "form": form, "is_staff": is_staff, "is_entity": is_entity,
        "invoice": fees.invoice_for(item, fees.FEE_APPLICATION),
        "renewal_invoice": fees.invoice_for(item, fees.FEE_RENEWAL),
    })


# -------------------------------------------------------------------------------------------
# Curricula
# -------------------------------------------------------------------------------------------


@role_required(P.TRAINING_STAFF, P.COUNTY_STAFF, *READ_ALL)
def curricula(request):
    form = forms.CurriculumForm(request.POST or None) if perms.can_submit_curricula(request.user) else None
    if request.method == "POST" and form is not None and form.is_valid():
        try:
            curriculum = services.curriculum_create(actor=request.user, **form.cleaned_data)
        except ApplicationError as exc:
            add_to_form(form, exc)
        else:
            messages.success(request, _("Curriculum created. Add its first version and send it to DHCS."))
            return redirect("training:curriculum_detail", curriculum_id=curriculum.pk)
    kind = request.GET.get("kind", "")
    page = Paginator(selectors.curriculum_list(actor=request.user, kind=kind), 25).get_page(request.GET.get("page"))
    return render(request, "training/curricula.html", {"page": page, "form": form, "kind": kind,
                                                       "kinds": CurriculumKind.choices})


@role_required(P.TRAINING_STAFF, P.COUNTY_STAFF, *READ_ALL)
def curriculum_detail(request, curriculum_id: int):
    curriculum = selectors.access_curriculum(request.user, curriculum_id)
    can_edit = perms.can_edit_curriculum(request.user, curriculum)
    version_form = forms.VersionForm(request.POST if request.POST.get("form") == "version" else None)
    competency_form = forms.CompetencyForm(
        request.POST if request.POST.get("form") == "competencies" else None,
        initial={"competencies": curriculum.competencies.all()})
    if request.method == "POST" and can_edit:
        try:
            if request.POST.get("form") == "version" and version_form.is_valid():
                services.curriculum_version_create(actor=request.user, curriculum=curriculum,
                                                   **version_form.cleaned_data)
                messages.success(request, _("Draft version added."))
                return redirect("training:curriculum_detail", curriculum_id=curriculum.pk)
            if request.POST.get("form") == "competencies" and competency_form.is_valid():
                services.curriculum_map_competencies(actor=request.user, curriculum=curriculum,
                                                     competencies=competency_form.cleaned_data["competencies"])
                messages.success(request, _("Competencies saved."))
                return redirect("training:curriculum_detail", curriculum_id=curriculum.pk)
        except ApplicationError as exc:
            add_to_form(version_form if request.POST.get("form") == "version" else competency_form, exc)
    versions = curriculum.versions.prefetch_related("reviews__reviewer").order_by("-number")
    return render(request, "training/curriculum_detail.html", {
        "curriculum": curriculum, "versions": versions, "can_edit": can_edit,
        "can_decide": perms.can_decide_curriculum(request.user), "version_form": version_form,
        "competency_form": competency_form, "comments_form": forms.CommentsForm(),
        "competencies": curriculum.competencies.all(), "VersionStatus": VersionStatus,
    })


VERSION_ACTIONS = {
    "submit": lambda actor, v, text: services.curriculum_version_submit(actor=actor, version=v),
    "approve": lambda actor, v, text: services.curriculum_version_approve(actor=actor, version=v, comments=text),
    "return": lambda actor, v, text: services.curriculum_version_return(actor=actor, version=v, comments=text),
    "reject": lambda actor, v, text: services.curriculum_version_reject(actor=actor, version=v, comments=text),
}


@role_required(P.TRAINING_STAFF, P.COUNTY_STAFF, *PROGRAM, P.DHCS_APPROVER)
def version_action(request, version_id: int):
    version = selectors.access_curriculum_version(request.user, version_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    action = VERSION_ACTIONS.get(request.POST.get("action", ""))
    if action is None:
        messages.error(request, _("Choose an action."))
    else:
        try:
            action(request.user, version, request.POST.get("comments", ""))
        except ApplicationError as exc:
            _error(request, exc)
        else:
            messages.success(request, _("Done."))
    return redirect("training:curriculum_detail", curriculum_id=version.curriculum_id)


# -------------------------------------------------------------------------------------------
# Offerings, rosters, completions
# -------------------------------------------------------------------------------------------


@role_required(P.TRAINING_STAFF, *READ_ALL)
def offerings(request):
    entities = selectors.entities_of(request.user)
    form = forms.OfferingForm(request.POST or None, entities=entities) if entities.exists() else None
    if request.method == "POST" and form is not None and form.is_valid():
        try:
            offering = services.offering_create(actor=request.user, **form.cleaned_data)
        except ApplicationError as exc:
            add_to_form(form, exc)
        else:
            messages.success(request, _("Course scheduled. It is now on the public list."))
            return redirect("training:offering_manage", offering_id=offering.pk)
    page = Paginator(selectors.offering_list_for_staff(actor=request.user), 25).get_page(request.GET.get("page"))
    return render(request, "training/offerings.html", {"page": page, "form": form})


def _manage_context(request, offering, **extra):
    return {
        "offering": offering,
        "enrollments": selectors.enrollments_for_offering(offering),
        "completions": selectors.completions_for_offering(offering),
        "completion_form": forms.CompletionForm(initial={"ce_category": offering.curriculum_version.curriculum.ce_category,
                                                         "hours": offering.hours}),
        "roster_form": forms.RosterForm(),
        "reason_form": forms.ReasonForm(),
        "attendance_choices": forms.Attendance.choices,
        "supervisor_form": forms.SupervisorCompletionForm(initial={"hours": offering.hours})
        if offering.curriculum_version.curriculum.kind == CurriculumKind.SUPERVISOR else None,
        "accommodations": selectors.accommodation_list(actor=request.user).filter(offering=offering),
        "today": clock.today(),
        **extra,
    }


@role_required(P.TRAINING_STAFF)
def offering_manage(request, offering_id: int):
    offering = selectors.access_managed_offering(request.user, offering_id)
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "cancel":
                services.offering_cancel(actor=request.user, offering=offering, reason=request.POST.get("reason", ""))
                messages.success(request, _("The course is cancelled and students are told."))
            elif action == "close":
                services.offering_close(actor=request.user, offering=offering)
                messages.success(request, _("The course is marked finished."))
            elif action == "attendance":
                enrollment = selectors.access_own_enrollment(request.user, request.POST.get("enrollment"))
                services.enrollment_mark_attendance(actor=request.user, enrollment=enrollment,
                                                    attendance=request.POST.get("attendance", ""))
                messages.success(request, _("Attendance saved."))
            elif action == "completion":
                form = forms.CompletionForm(request.POST)
                if not form.is_valid():
                    raise ApplicationError("Check the hours and date.")
                enrollment = offering.enrollments.select_related("person").filter(
                    person_id=form.cleaned_data["person"]).exclude(status="cancelled").first()
                if enrollment is None:
                    raise ApplicationError("Only people enrolled in this course can be recorded here. "
                                           "Use a roster upload for others.")
                services.completion_record(actor=request.user, offering=offering, person=enrollment.person,
                                           hours=form.cleaned_data["hours"],
                                           completed_on=form.cleaned_data["completed_on"],
                                           ce_category=form.cleaned_data["ce_category"])
                messages.success(request, _("Completion recorded. The certificate is ready."))
            elif action == "supervisor_completion":
                form = forms.SupervisorCompletionForm(request.POST)
                if not form.is_valid():
                    raise ApplicationError("Give the supervisor's name, date of birth and hours.")
                services.supervisor_completion_record(actor=request.user, offering=offering, **form.cleaned_data)
                messages.success(request, _("Supervisor training recorded."))
            else:
                messages.error(request, _("Choose an action."))
        except ApplicationError as exc:
            _error(request, exc)
        return redirect("training:offering_manage", offering_id=offering.pk)
    return render(request, "training/offering_manage.html", _manage_context(request, offering))


ROSTER_SESSION_KEY = "training_roster_{}"


@role_required(P.TRAINING_STAFF)
def roster_upload(request, offering_id: int):
    """Step 1 checks the file and shows what would be saved; step 2 (confirm) saves it."""
    offering = selectors.access_managed_offering(request.user, offering_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    key = ROSTER_SESSION_KEY.format(offering.pk)
    if request.POST.get("confirm"):
        stash = request.session.get(key)
        if not stash:
            messages.error(request, _("Upload the roster again; the preview has expired."))
            return redirect("training:offering_manage", offering_id=offering.pk)
        content = base64.b64decode(stash["content"])
        try:
            upload, result = services.roster_commit(actor=request.user, offering=offering, content=content,
                                                    filename=stash["filename"])
        except RosterError as exc:
            return render(request, "training/offering_manage.html",
                          _manage_context(request, offering, roster_result=exc.result, roster_filename=stash["filename"]))
        except ApplicationError as exc:
            _error(request, exc)
        else:
            request.session.pop(key, None)
            if upload is None:
                messages.success(request, _("Nothing new: everyone on this roster was already recorded."))
            else:
                messages.success(request, _("%(n)s completions recorded.") % {"n": upload.created_count})
        return redirect("training:offering_manage", offering_id=offering.pk)
    form = forms.RosterForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Choose a CSV or Excel file."))
        return redirect("training:offering_manage", offering_id=offering.pk)
    upload_file = form.cleaned_data["file"]
    try:
        content = check_tabular_upload(upload_file)
        result = validate_roster(offering, content=content, filename=upload_file.name, today=clock.today())
    except ApplicationError as exc:
        _error(request, exc)
        return redirect("training:offering_manage", offering_id=offering.pk)
    if result.errors:
        # A confirmation must never save an earlier file than the one just shown.
        request.session.pop(key, None)
    else:
        # Kept only until confirmed; the confirmation checks the file again.
        request.session[key] = {"content": base64.b64encode(content).decode(), "filename": upload_file.name}
    return render(request, "training/offering_manage.html",
                  _manage_context(request, offering, roster_result=result, roster_filename=upload_file.name))
