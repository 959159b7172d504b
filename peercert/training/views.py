import base64

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from peercert.accounts.permissions import role_required
from peercert.accounts.roles import Role
from peercert.core import clock
from peercert.core.downloads import serve_upload
from peercert.core.errors import ApplicationError
from peercert.core.tabular import check_tabular_upload
from peercert.core.views import run_action, run_form
from peercert.training import fees, forms, selectors, services
from peercert.training import permissions as perms
from peercert.training.models import CurriculumKind, EnrollmentStatus, ProviderStatus, VersionStatus
from peercert.training.pdf import certificate_pdf
from peercert.training.roster import RosterError, validate_roster

PROGRAM = (Role.PROGRAM_REVIEWER, Role.PROGRAM_MANAGER)
READ_ALL = (*PROGRAM, Role.DHCS_ANALYST, Role.DHCS_APPROVER, Role.AUDITOR, Role.SYSTEM_ADMINISTRATOR)


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
    return render(
        request,
        "training/offering_detail.html",
        {
            "offering": offering,
            "person": person,
            "enrollment": enrollment,
            "seats_left": max(offering.capacity - offering.enrolled, 0),
        },
    )


# -------------------------------------------------------------------------------------------
# Peers
# -------------------------------------------------------------------------------------------


@role_required(Role.PEER)
def my_training(request):
    person = perms.person_of(request.user)
    if person is None:
        raise Http404
    cycles = selectors.ce_totals_by_cycle(person, selectors.ce_cycles_for(person))
    return render(
        request,
        "training/my_training.html",
        {
            "person": person,
            "enrollments": selectors.enrollments_for_person(person),
            "completions": selectors.completions_for_person(person),
            "ledger": selectors.ce_ledger(person),
            "cycles": cycles,
            "accommodations": selectors.accommodation_list(actor=request.user).filter(person=person),
            "supervisor_completions": selectors.supervisor_training_completions(person),
        },
    )


def _post_only(request) -> HttpResponseNotAllowed | None:
    # Checked after the record is found, so someone who may not see it is refused before
    # being told which methods the page takes.
    return None if request.method == "POST" else HttpResponseNotAllowed(["POST"])


def _enrolled_message(enrollment) -> str:
    if enrollment.status == EnrollmentStatus.ENROLLED:
        return _("You are enrolled.")
    return _("The course is full. You are on the waitlist and will be told if a seat opens.")


@role_required(Role.PEER)
def enroll(request, offering_id: int):
    offering = selectors.access_public_offering(offering_id)
    if refused := _post_only(request):
        return refused
    person = perms.person_of(request.user)
    return run_action(
        request,
        lambda: services.enrollment_create(actor=request.user, offering=offering, person=person),
        success_url=reverse("training:offering_detail", args=[offering.pk]),
        message=_enrolled_message,
    )


@role_required(Role.PEER, Role.TRAINING_STAFF)
def enrollment_cancel(request, enrollment_id: int):
    enrollment = selectors.access_own_enrollment(request.user, enrollment_id)
    if refused := _post_only(request):
        return refused
    back = (
        reverse("training:offering_manage", args=[enrollment.offering_id])
        if perms.can_manage_offering(request.user, enrollment.offering)
        else reverse("training:my_training")
    )
    return run_action(
        request,
        lambda: services.enrollment_cancel(
            actor=request.user, enrollment=enrollment, reason=request.POST.get("reason", "")
        ),
        success_url=back,
        message=_("The enrollment is cancelled."),
    )


@role_required(Role.PEER)
def accommodation_create(request, offering_id: int):
    offering = selectors.access_public_offering(offering_id)
    form = forms.AccommodationForm(request.POST or None, request.FILES or None)
    done = run_form(
        request,
        form,
        lambda data: services.accommodation_request_create(
            actor=request.user, offering=offering, needs=data["needs"], document=data["document"]
        ),
        success_url=lambda item: reverse("training:accommodation_detail", args=[item.pk]),
        message=_("Your request is sent. You will be told the decision."),
    )
    return done or render(
        request,
        "training/accommodation_form.html",
        {"offering": offering, "form": form},
        status=400 if form.is_bound else 200,
    )


@role_required(Role.PEER, Role.TRAINING_STAFF, *PROGRAM)
def accommodation_detail(request, request_id: int):
    """The request, and the decision form for those who decide it (posted back here)."""
    item = selectors.access_accommodation(request.user, request_id)
    can_decide = perms.can_decide_accommodation(request.user, item)
    form = forms.AccommodationDecisionForm(request.POST or None) if can_decide else None
    if request.method == "POST" and form is None:
        return HttpResponseNotAllowed(["GET"])
    done = form is not None and run_form(
        request,
        form,
        lambda data: services.accommodation_request_decide(
            actor=request.user, request=item, status=data["status"], decision=data["decision"]
        ),
        success_url=reverse("training:accommodation_detail", args=[item.pk]),
        message=_("The decision is recorded and the person is told."),
    )
    return done or render(
        request,
        "training/accommodation_detail.html",
        {
            "item": item,
            "form": form,
            "is_requester": perms.is_self(request.user, item.person),
        },
        status=400 if form is not None and form.is_bound else 200,
    )


@role_required(Role.PEER)
def accommodation_withdraw(request, request_id: int):
    item = selectors.access_accommodation(request.user, request_id)
    if refused := _post_only(request):
        return refused
    return run_action(
        request,
        lambda: services.accommodation_request_withdraw(actor=request.user, request=item),
        success_url=reverse("training:accommodation_detail", args=[item.pk]),
        message=_("Your request is withdrawn."),
    )


@role_required(Role.PEER, Role.TRAINING_STAFF, *PROGRAM)
def accommodation_document(request, request_id: int):
    item = selectors.access_accommodation(request.user, request_id)
    return serve_upload(item.document, kind=item.document_kind, download_name=item.document_name or "document")


@role_required(Role.PEER)
def ce_report(request):
    form = forms.CEActivityForm(request.POST or None, request.FILES or None)
    done = run_form(
        request,
        form,
        lambda data: services.ce_activity_report(actor=request.user, **data),
        success_url=reverse("training:my_training"),
        message=_("Sent. Program staff will check your proof; accepted hours count in your ledger."),
    )
    return done or render(request, "training/ce_report.html", {"form": form}, status=400 if form.is_bound else 200)


@role_required(*PROGRAM)
def ce_review(request):
    page = Paginator(selectors.ce_activities_waiting(actor=request.user), 25).get_page(request.GET.get("page"))
    return render(request, "training/ce_review.html", {"page": page})


def _ce_decide(actor, activity, data):
    # Accepting and not accepting are one decision with one reason box, as the reviewer reads it.
    decide = services.ce_activity_accept if data["decision"] == "accept" else services.ce_activity_reject
    return decide(actor=actor, activity=activity, reason=data["reason"])


@role_required(Role.PEER, *PROGRAM)
def ce_activity_detail(request, activity_id: int):
    activity = selectors.access_ce_activity(request.user, activity_id)
    form = forms.CEDecisionForm(request.POST or None) if perms.can_review_ce_activity(request.user) else None
    done = form is not None and run_form(
        request,
        form,
        lambda data: _ce_decide(request.user, activity, data),
        success_url=reverse("training:ce_review"),
        message=_("Decision recorded."),
    )
    return done or render(
        request,
        "training/ce_activity_detail.html",
        {"activity": activity, "form": form},
        status=400 if form is not None and form.is_bound else 200,
    )


@role_required(Role.PEER, *PROGRAM)
def ce_evidence(request, activity_id: int):
    activity = selectors.access_ce_activity(request.user, activity_id)
    return serve_upload(
        activity.evidence, kind=activity.evidence_kind, download_name=activity.evidence_name or "evidence"
    )


@role_required(Role.PEER, Role.TRAINING_STAFF, *READ_ALL)
def certificate(request, completion_id: int):
    completion = selectors.access_completion(request.user, completion_id)
    response = HttpResponse(certificate_pdf(completion), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="certificate-{completion.certificate_number}.pdf"'
    return response


# -------------------------------------------------------------------------------------------
# Training entity approval
# -------------------------------------------------------------------------------------------


@role_required(Role.TRAINING_STAFF, *READ_ALL)
def applications(request):
    entities = selectors.entities_of(request.user)
    form = forms.ProviderApplicationForm(request.POST or None, entities=entities) if entities.exists() else None
    done = form is not None and run_form(
        request,
        form,
        lambda data: services.provider_application_submit(actor=request.user, **data),
        success_url=lambda item: reverse("training:application_detail", args=[item.pk]),
        message=_("Application sent. The application fee is on your payments page."),
    )
    if done:
        return done
    status = request.GET.get("status", "")
    page = Paginator(selectors.provider_application_list(actor=request.user, status=status), 25).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "training/applications.html",
        {"page": page, "form": form, "status": status, "statuses": ProviderStatus.choices},
        status=400 if form is not None and form.is_bound else 200,
    )


def _render_application(request, item, form=None, status: int = 200):
    return render(
        request,
        "training/application_detail.html",
        {
            "item": item,
            "form": form or forms.CommentsForm(),
            "is_staff": perms.can_review_provider(request.user),
            "is_entity": perms.can_apply_as_provider(request.user, item.training_entity),
            "invoice": fees.invoice_for(item, fees.FEE_APPLICATION),
            "renewal_invoice": fees.invoice_for(item, fees.FEE_RENEWAL),
        },
        status=status,
    )


@role_required(Role.TRAINING_STAFF, *READ_ALL)
def application_detail(request, application_id: int):
    item = selectors.access_provider_application(request.user, application_id)
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET"])
    return _render_application(request, item)


def _application_view(service, message: str, roles=PROGRAM):
    """One view per action on an application: the comments box is shared by the page's buttons,
    each of which posts to its own URL. A refusal is drawn on that box, the comments kept."""

    @role_required(*roles)
    def view(request, application_id: int):
        item = selectors.access_provider_application(request.user, application_id)
        if refused := _post_only(request):
            return refused
        form = forms.CommentsForm(request.POST)
        done = run_form(
            request,
            form,
            lambda data: service(actor=request.user, application=item, text=data["comments"]),
            success_url=reverse("training:application_detail", args=[item.pk]),
            message=_(message),
        )
        return done or _render_application(request, item, form, status=400)

    view.__name__ = view.__qualname__ = f"application{service.__name__}"
    return view


def _start_review(*, actor, application, text):
    return services.provider_application_start_review(actor=actor, application=application)


def _approve(*, actor, application, text):
    return services.provider_application_approve(actor=actor, application=application, comments=text)


def _return(*, actor, application, text):
    return services.provider_application_return(actor=actor, application=application, comments=text)


def _deny(*, actor, application, text):
    return services.provider_application_deny(actor=actor, application=application, comments=text)


def _suspend(*, actor, application, text):
    return services.provider_application_suspend(actor=actor, application=application, reason=text)


def _lift_suspension(*, actor, application, text):
    return services.provider_application_lift_suspension(actor=actor, application=application, reason=text)


def _renew(*, actor, application, text):
    return services.provider_application_renew(actor=actor, application=application, comments=text)


def _resubmit(*, actor, application, text):
    return services.provider_application_resubmit(actor=actor, application=application)


def _request_renewal(*, actor, application, text):
    return services.provider_application_request_renewal(actor=actor, application=application)


def _withdraw(*, actor, application, text):
    return services.provider_application_withdraw(actor=actor, application=application, reason=text)


# The message is a msgid translated when the view answers (gettext_noop keeps it in the catalogue).
application_start_review = _application_view(_start_review, gettext_noop("The review has started."))
application_approve = _application_view(_approve, gettext_noop("The training entity is approved."))
application_return = _application_view(_return, gettext_noop("The application is returned for changes."))
application_deny = _application_view(_deny, gettext_noop("The application is denied."))
application_suspend = _application_view(_suspend, gettext_noop("The approval is suspended."))
application_lift_suspension = _application_view(_lift_suspension, gettext_noop("The suspension is lifted."))
application_renew = _application_view(_renew, gettext_noop("The approval is renewed for a new term."))
application_resubmit = _application_view(
    _resubmit, gettext_noop("The application is sent again."), roles=(Role.TRAINING_STAFF,)
)
application_request_renewal = _application_view(
    _request_renewal,
    gettext_noop("Renewal requested. The renewal fee is on your payments page."),
    roles=(Role.TRAINING_STAFF,),
)
application_withdraw = _application_view(
    _withdraw, gettext_noop("The application is withdrawn."), roles=(Role.TRAINING_STAFF, *PROGRAM)
)


# -------------------------------------------------------------------------------------------
# Curricula
# -------------------------------------------------------------------------------------------


@role_required(Role.TRAINING_STAFF, Role.COUNTY_STAFF, *READ_ALL)
def curricula(request):
    form = forms.CurriculumForm(request.POST or None) if perms.can_submit_curricula(request.user) else None
    done = form is not None and run_form(
        request,
        form,
        lambda data: services.curriculum_create(actor=request.user, **data),
        success_url=lambda curriculum: reverse("training:curriculum_detail", args=[curriculum.pk]),
        message=_("Curriculum created. Add its first version and send it to DHCS."),
    )
    if done:
        return done
    kind = request.GET.get("kind", "")
    page = Paginator(selectors.curriculum_list(actor=request.user, kind=kind), 25).get_page(request.GET.get("page"))
    return render(
        request,
        "training/curricula.html",
        {"page": page, "form": form, "kind": kind, "kinds": CurriculumKind.choices},
        status=400 if form is not None and form.is_bound else 200,
    )


def _render_curriculum(request, curriculum, *, version_form=None, competency_form=None, status: int = 200):
    versions = curriculum.versions.prefetch_related("reviews__reviewer").order_by("-number")
    return render(
        request,
        "training/curriculum_detail.html",
        {
            "curriculum": curriculum,
            "versions": versions,
            "can_edit": perms.can_edit_curriculum(request.user, curriculum),
            "can_decide": perms.can_decide_curriculum(request.user),
            "version_form": version_form or forms.VersionForm(),
            "competency_form": competency_form
            or forms.CompetencyForm(initial={"competencies": curriculum.competencies.all()}),
            "competencies": curriculum.competencies.all(),
            "VersionStatus": VersionStatus,
        },
        status=status,
    )


@role_required(Role.TRAINING_STAFF, Role.COUNTY_STAFF, *READ_ALL)
def curriculum_detail(request, curriculum_id: int):
    curriculum = selectors.access_curriculum(request.user, curriculum_id)
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET"])
    return _render_curriculum(request, curriculum)


@role_required(Role.TRAINING_STAFF, Role.COUNTY_STAFF, *PROGRAM)
def curriculum_version_create(request, curriculum_id: int):
    curriculum = selectors.access_curriculum(request.user, curriculum_id)
    if refused := _post_only(request):
        return refused
    form = forms.VersionForm(request.POST)
    done = run_form(
        request,
        form,
        lambda data: services.curriculum_version_create(actor=request.user, curriculum=curriculum, **data),
        success_url=reverse("training:curriculum_detail", args=[curriculum.pk]),
        message=_("Draft version added."),
    )
    return done or _render_curriculum(request, curriculum, version_form=form, status=400)


@role_required(Role.TRAINING_STAFF, Role.COUNTY_STAFF, *PROGRAM)
def curriculum_map_competencies(request, curriculum_id: int):
    curriculum = selectors.access_curriculum(request.user, curriculum_id)
    if refused := _post_only(request):
        return refused
    form = forms.CompetencyForm(request.POST)
    done = run_form(
        request,
        form,
        lambda data: services.curriculum_map_competencies(
            actor=request.user, curriculum=curriculum, competencies=data["competencies"]
        ),
        success_url=reverse("training:curriculum_detail", args=[curriculum.pk]),
        message=_("Competencies saved."),
    )
    return done or _render_curriculum(request, curriculum, competency_form=form, status=400)


def _version_view(service, message: str, roles):
    """One view per action on a version. Each version on the curriculum page has its own small
    form, so a refusal is flashed above the page rather than drawn on one of them."""

    @role_required(*roles)
    def view(request, version_id: int):
        version = selectors.access_curriculum_version(request.user, version_id)
        if refused := _post_only(request):
            return refused
        return run_action(
            request,
            lambda: service(actor=request.user, version=version, comments=request.POST.get("comments", "")),
            success_url=reverse("training:curriculum_detail", args=[version.curriculum_id]),
            message=_(message),
        )

    view.__name__ = view.__qualname__ = f"version_{service.__name__.removeprefix('curriculum_version_').lstrip('_')}"
    return view


def _submit(*, actor, version, comments):
    return services.curriculum_version_submit(actor=actor, version=version)


version_submit = _version_view(
    _submit, gettext_noop("The version is sent to DHCS."), roles=(Role.TRAINING_STAFF, Role.COUNTY_STAFF, *PROGRAM)
)
version_approve = _version_view(
    services.curriculum_version_approve, gettext_noop("The version is approved."), roles=(Role.DHCS_APPROVER,)
)
version_return = _version_view(
    services.curriculum_version_return,
    gettext_noop("The version is returned with comments."),
    roles=(Role.DHCS_APPROVER,),
)
version_reject = _version_view(
    services.curriculum_version_reject, gettext_noop("The version is rejected."), roles=(Role.DHCS_APPROVER,)
)


# -------------------------------------------------------------------------------------------
# Offerings, rosters, completions
# -------------------------------------------------------------------------------------------


@role_required(Role.TRAINING_STAFF, *READ_ALL)
def offerings(request):
    entities = selectors.entities_of(request.user)
    form = forms.OfferingForm(request.POST or None, entities=entities) if entities.exists() else None
    done = form is not None and run_form(
        request,
        form,
        lambda data: services.offering_create(actor=request.user, **data),
        success_url=lambda offering: reverse("training:offering_manage", args=[offering.pk]),
        message=_("Course scheduled. It is now on the public list."),
    )
    if done:
        return done
    page = Paginator(selectors.offering_list_for_staff(actor=request.user), 25).get_page(request.GET.get("page"))
    return render(
        request,
        "training/offerings.html",
        {"page": page, "form": form},
        status=400 if form is not None and form.is_bound else 200,
    )


def _manage_context(request, offering, **extra):
    return {
        "offering": offering,
        "enrollments": selectors.enrollments_for_offering(offering),
        "completions": selectors.completions_for_offering(offering),
        "completion_form": forms.CompletionForm(
            initial={"ce_category": offering.curriculum_version.curriculum.ce_category, "hours": offering.hours}
        ),
        "roster_form": forms.RosterForm(),
        "reason_form": forms.ReasonForm(),
        "attendance_choices": forms.Attendance.choices,
        "supervisor_form": forms.SupervisorCompletionForm(initial={"hours": offering.hours})
        if offering.curriculum_version.curriculum.kind == CurriculumKind.SUPERVISOR
        else None,
        "accommodations": selectors.accommodation_list(actor=request.user).filter(offering=offering),
        "today": clock.today(),
        **extra,
    }


def _manage_url(offering) -> str:
    return reverse("training:offering_manage", args=[offering.pk])


@role_required(Role.TRAINING_STAFF)
def offering_manage(request, offering_id: int):
    offering = selectors.access_managed_offering(request.user, offering_id)
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET"])
    return render(request, "training/offering_manage.html", _manage_context(request, offering))


@role_required(Role.TRAINING_STAFF)
def offering_cancel(request, offering_id: int):
    offering = selectors.access_managed_offering(request.user, offering_id)
    if refused := _post_only(request):
        return refused
    form = forms.ReasonForm(request.POST)
    done = run_form(
        request,
        form,
        lambda data: services.offering_cancel(actor=request.user, offering=offering, reason=data["reason"]),
        success_url=_manage_url(offering),
        message=_("The course is cancelled and students are told."),
    )
    return done or render(
        request, "training/offering_manage.html", _manage_context(request, offering, reason_form=form), status=400
    )


@role_required(Role.TRAINING_STAFF)
def offering_close(request, offering_id: int):
    offering = selectors.access_managed_offering(request.user, offering_id)
    if refused := _post_only(request):
        return refused
    return run_action(
        request,
        lambda: services.offering_close(actor=request.user, offering=offering),
        success_url=_manage_url(offering),
        message=_("The course is marked finished."),
    )


@role_required(Role.TRAINING_STAFF)
def enrollment_mark_attendance(request, enrollment_id: int):
    enrollment = selectors.access_own_enrollment(request.user, enrollment_id)
    if refused := _post_only(request):
        return refused
    return run_action(
        request,
        lambda: services.enrollment_mark_attendance(
            actor=request.user, enrollment=enrollment, attendance=request.POST.get("attendance", "")
        ),
        success_url=_manage_url(enrollment.offering),
        message=_("Attendance saved."),
    )


def _record_completion(request, offering):
    # The form is one row of the enrollment table, with no room for field errors: a problem is
    # flashed above the table instead.
    form = forms.CompletionForm(request.POST)
    if not form.is_valid():
        raise ApplicationError("Check the hours and date.")
    enrollment = (
        offering.enrollments.select_related("person")
        .filter(person_id=form.cleaned_data["person"])
        .exclude(status=EnrollmentStatus.CANCELLED)
        .first()
    )
    if enrollment is None:
        raise ApplicationError(
            "Only people enrolled in this course can be recorded here. Use a roster upload for others."
        )
    return services.completion_record(
        actor=request.user,
        offering=offering,
        person=enrollment.person,
        hours=form.cleaned_data["hours"],
        completed_on=form.cleaned_data["completed_on"],
        ce_category=form.cleaned_data["ce_category"],
    )


@role_required(Role.TRAINING_STAFF)
def completion_record(request, offering_id: int):
    offering = selectors.access_managed_offering(request.user, offering_id)
    if refused := _post_only(request):
        return refused
    return run_action(
        request,
        lambda: _record_completion(request, offering),
        success_url=_manage_url(offering),
        message=_("Completion recorded. The certificate is ready."),
    )


@role_required(Role.TRAINING_STAFF)
def supervisor_completion_record(request, offering_id: int):
    offering = selectors.access_managed_offering(request.user, offering_id)
    if refused := _post_only(request):
        return refused
    form = forms.SupervisorCompletionForm(request.POST)
    done = run_form(
        request,
        form,
        lambda data: services.supervisor_completion_record(actor=request.user, offering=offering, **data),
        success_url=_manage_url(offering),
        message=_("Supervisor training recorded."),
    )
    return done or render(
        request, "training/offering_manage.html", _manage_context(request, offering, supervisor_form=form), status=400
    )


ROSTER_SESSION_KEY = "training_roster_{}"


@role_required(Role.TRAINING_STAFF)
def roster_upload(request, offering_id: int):
    """Step 1: check the file and show what would be saved (roster_confirm saves it)."""
    offering = selectors.access_managed_offering(request.user, offering_id)
    if refused := _post_only(request):
        return refused
    key = ROSTER_SESSION_KEY.format(offering.pk)
    form = forms.RosterForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Choose a CSV or Excel file."))
        return redirect("training:offering_manage", offering_id=offering.pk)
    upload_file = form.cleaned_data["file"]
    try:
        # Custom shape: a readable file with problems is a result to show line by line, not a refusal.
        content = check_tabular_upload(upload_file)
        result = validate_roster(offering, content=content, filename=upload_file.name, today=clock.today())
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("training:offering_manage", offering_id=offering.pk)
    if result.errors:
        # A confirmation must never save an earlier file than the one just shown.
        request.session.pop(key, None)
    else:
        # Kept only until confirmed; the confirmation checks the file again.
        request.session[key] = {"content": base64.b64encode(content).decode(), "filename": upload_file.name}
    return render(
        request,
        "training/offering_manage.html",
        _manage_context(request, offering, roster_result=result, roster_filename=upload_file.name),
    )


@role_required(Role.TRAINING_STAFF)
def roster_confirm(request, offering_id: int):
    """Step 2: save the roster shown in step 1, checked again now."""
    offering = selectors.access_managed_offering(request.user, offering_id)
    if refused := _post_only(request):
        return refused
    key = ROSTER_SESSION_KEY.format(offering.pk)
    stash = request.session.get(key)
    if not stash:
        messages.error(request, _("Upload the roster again; the preview has expired."))
        return redirect("training:offering_manage", offering_id=offering.pk)
    try:
        # Custom shape: a roster that no longer validates redraws its line-by-line report.
        upload, _result = services.roster_commit(
            actor=request.user,
            offering=offering,
            content=base64.b64decode(stash["content"]),
            filename=stash["filename"],
        )
    except RosterError as exc:
        return render(
            request,
            "training/offering_manage.html",
            _manage_context(request, offering, roster_result=exc.result, roster_filename=stash["filename"]),
        )
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("training:offering_manage", offering_id=offering.pk)
    request.session.pop(key, None)
    if upload is None:
        messages.success(request, _("Nothing new: everyone on this roster was already recorded."))
    else:
        messages.success(request, _("%(n)s completions recorded.") % {"n": upload.created_count})
    return redirect("training:offering_manage", offering_id=offering.pk)
