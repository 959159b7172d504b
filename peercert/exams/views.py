from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from peercert.accounts.models import User
from peercert.accounts.permissions import role_required, rule_required
from peercert.accounts.roles import Role
from peercert.accounts.selectors import person_for_user, statewide_program
from peercert.core import clock
from peercert.core.downloads import serve_upload
from peercert.core.errors import ApplicationError
from peercert.core.rules import rules_on
from peercert.core.tabular import check_tabular_upload
from peercert.core.views import run_action, run_form
from peercert.exams import forms, selectors, services
from peercert.exams import permissions as perms
from peercert.exams.models import AccommodationStatus, AttemptStatus, ItemKind, ItemStatus
from peercert.exams.times import local_clock

EXAM_STAFF = perms.EXAM_STAFF


# Hub and the candidate's page ------------------------------------------------------------------


@login_required
def home(request):
    if (
        perms.is_candidate(request.user)
        and not perms.can_view_bank(request.user)
        and not perms.can_view_analysis(request.user)
    ):
        return redirect("exams:my_exam")
    if not (perms.can_view_bank(request.user) or perms.can_view_analysis(request.user)):
        raise PermissionDenied
    return render(
        request,
        "exams/home.html",
        {
            "waiting": selectors.items_waiting_for(request.user)[:10],
            "accommodations": selectors.waiting_accommodations(request.user)[:10],
            "grading": selectors.grading_queue(request.user)[:10],
            "perms": {
                name: getattr(perms, name)(request.user)
                for name in (
                    "can_view_bank",
                    "can_manage_forms",
                    "can_manage_sessions",
                    "can_grant_authorization",
                    "can_see_accommodations",
                    "can_grade",
                    "can_view_analysis",
                )
            },
        },
    )


def _close_overdue_of(person) -> None:
    """The next request touching a candidate's attempts hands in any whose time ran out."""
    for attempt in selectors.attempts_of(person).filter(status=AttemptStatus.IN_PROGRESS):
        services.attempt_close_if_overdue(attempt)


@role_required(Role.PEER)
def my_exam(request):
    person = person_for_user(request.user)
    _close_overdue_of(person)
    authorization = selectors.current_authorization(person)
    attempts = list(selectors.attempts_of(person))
    open_registration = selectors.open_registration(person)
    latest = attempts[0] if attempts else None
    retake = selectors.retake_standing(latest) if latest is not None else None
    return render(
        request,
        "exams/my_exam.html",
        {
            "person": person,
            "authorization": authorization,
            "registrations": selectors.registrations_of(person)[:10],
            "open_registration": open_registration,
            "attempts": attempts,
            "latest": latest,
            "retake": retake,
            "accommodations": selectors.accommodations_of(person),
            "sessions": selectors.session_list(actor=request.user)[:20] if authorization else [],
            "passed_on": selectors.exam_passed_on(person) if person else None,
        },
    )


# Item bank ---------------------------------------------------------------------------------


@rule_required(perms.can_view_bank)
def item_list(request):
    params = {k: request.GET.get(k, "").strip() for k in ("status", "area", "kind", "q")}
    qs = selectors.item_list(
        actor=request.user, status=params["status"], area=params["area"], kind=params["kind"], query=params["q"]
    )
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "exams/item_list.html",
        {
            "page": page,
            "params": params,
            "query": query.urlencode(),
            "statuses": ItemStatus.choices,
            "counts": selectors.bank_counts(request.user),
            "can_write": perms.can_write_items(request.user),
        },
    )


def _item_kwargs(data):
    return {k: data[k] for k in ("stem", "competency", "options", "key", "tolerance", "criteria")}


@rule_required(perms.can_write_items)
def item_create(request):
    form = forms.ItemForm(request.POST or None)
    done = run_form(
        request,
        form,
        lambda data: services.item_create(
            actor=request.user,
            program=statewide_program(),
            code=data["code"],
            kind=data["kind"],
            content_area=data["content_area"],
            **_item_kwargs(data),
        ),
        success_url=lambda item: reverse("exams:item_detail", args=[item.pk]),
        message=_("Draft saved. Submit it for review when it is ready."),
    )
    return done or render(
        request,
        "exams/item_form.html",
        {"form": form, "title": _("Write an exam item")},
        status=400 if form.is_bound else 200,
    )


@rule_required(perms.can_write_items)
def item_edit(request, item_id: int):
    item = selectors.access_item(request.user, item_id)
    initial = {
        "code": item.code,
        "kind": item.kind,
        "content_area": item.content_area,
        "competency": item.competency,
        "stem": item.stem,
        "options": "\n".join(item.options),
        "key": "" if item.key is None else str(item.key),
        "tolerance": item.tolerance,
        "criteria": "\n".join(f"{c.points} | {c.label}" for c in item.criteria.all()),
    }
    form = forms.ItemEditForm(request.POST or None, initial=initial)
    done = run_form(
        request,
        form,
        lambda data: services.item_update(actor=request.user, item=item, **_item_kwargs(data)),
        success_url=reverse("exams:item_detail", args=[item.pk]),
        message=_("Changes saved."),
    )
    return done or render(
        request,
        "exams/item_form.html",
        {"form": form, "item": item, "title": _("Edit %(code)s") % {"code": item}},
        status=400 if form.is_bound else 200,
    )


def _item_page(request, item, return_form=None, status=200):
    user = request.user
    actions = []
    if perms.can_write_items(user):
        if item.status in (ItemStatus.DRAFT, ItemStatus.RETURNED):
            actions.append(("exams:item_submit", _("Submit for program review")))
        if item.status in (ItemStatus.APPROVED, ItemStatus.RETIRED):
            actions.append(("exams:item_new_version", _("Start a new version")))
        if item.status in (ItemStatus.DRAFT, ItemStatus.RETURNED, ItemStatus.APPROVED):
            actions.append(("exams:item_retire", _("Retire")))
    if perms.can_review_items(user) and item.status == ItemStatus.IN_REVIEW:
        actions.append(("exams:item_review_pass", _("Send to DHCS for approval")))
    if perms.can_approve_items(user) and item.status == ItemStatus.AWAITING_DHCS:
        actions.append(("exams:item_approve", _("Approve for use")))
    can_return = (perms.can_review_items(user) and item.status == ItemStatus.IN_REVIEW) or (
        perms.can_approve_items(user) and item.status == ItemStatus.AWAITING_DHCS
    )
    return render(
        request,
        "exams/item_detail.html",
        {
            "item": item,
            "actions": actions,
            "can_return": can_return,
            "return_form": return_form or forms.ReturnForm(),
            "versions": selectors.item_versions(item),
            "can_edit": perms.can_write_items(user) and item.status in (ItemStatus.DRAFT, ItemStatus.RETURNED),
        },
        status=status,
    )


@rule_required(perms.can_view_bank)
def item_detail(request, item_id: int):
    return _item_page(request, selectors.access_item(request.user, item_id))


def _item_moved(item) -> str:
    return _("Done: %(item)s is now “%(status)s”.") % {"item": item, "status": item.get_status_display()}


def _item_button(request, item_id: int, service):
    """A button on the item's page; the service decides who may press it (the route lets the whole bank in)."""
    item = selectors.access_item(request.user, item_id)
    return run_action(
        request,
        lambda: service(actor=request.user, item=item),
        success_url=lambda result: reverse("exams:item_detail", args=[result.pk]),
        failure_url=reverse("exams:item_detail", args=[item.pk]),
        message=_item_moved,
    )


@rule_required(perms.can_view_bank)
@require_POST
def item_submit(request, item_id: int):
    return _item_button(request, item_id, services.item_submit)


@rule_required(perms.can_view_bank)
@require_POST
def item_review_pass(request, item_id: int):
    return _item_button(request, item_id, services.item_review_pass)


@rule_required(perms.can_view_bank)
@require_POST
def item_approve(request, item_id: int):
    return _item_button(request, item_id, services.item_approve)


@rule_required(perms.can_view_bank)
@require_POST
def item_new_version(request, item_id: int):
    return _item_button(request, item_id, services.item_new_version)


@rule_required(perms.can_view_bank)
@require_POST
def item_retire(request, item_id: int):
    # The retire button sends no reason; one may be given, and is kept on the audit trail.
    reason = request.POST.get("reason", "")
    return _item_button(
        request, item_id, lambda actor, item: services.item_retire(actor=actor, item=item, reason=reason)
    )


@rule_required(perms.can_view_bank)
@require_POST
def item_return(request, item_id: int):
    item = selectors.access_item(request.user, item_id)
    form = forms.ReturnForm(request.POST)
    done = run_form(
        request,
        form,
        lambda data: services.item_return(actor=request.user, item=item, reason=data["reason"]),
        success_url=reverse("exams:item_detail", args=[item.pk]),
        message=_item_moved,
    )
    return done or _item_page(request, item, return_form=form, status=400)


# Forms -------------------------------------------------------------------------------------


def _can_see_forms(user) -> bool:
    return perms.can_view_bank(user) or perms.can_view_analysis(user)


@rule_required(_can_see_forms)
def form_list(request):
    return render(
        request,
        "exams/form_list.html",
        {"forms": selectors.form_list(actor=request.user), "can_manage": perms.can_manage_forms(request.user)},
    )


@rule_required(perms.can_manage_forms)
def form_create(request):
    form = forms.ExamFormForm(request.POST or None)
    done = run_form(
        request,
        form,
        lambda data: services.form_create(
            actor=request.user,
            program=statewide_program(),
            code=data["code"],
            name=data["name"],
            blueprint=form.blueprint(),
            practical_task_count=data["practical_task_count"],
            pass_rule=data["pass_rule"],
            cut_score=data["cut_score"],
            scale_max=data["scale_max"],
            practical_cut_percent=data["practical_cut_percent"],
        ),
        success_url=lambda exam_form: reverse("exams:form_detail", args=[exam_form.pk]),
        message=_("Form created. Assemble it from the approved items."),
    )
    return done or render(
        request,
        "exams/form_create.html",
        {"form": form, "counts": selectors.bank_counts(request.user)},
        status=400 if form.is_bound else 200,
    )


@rule_required(_can_see_forms)
def form_detail(request, form_id: int, conversion_form=None, status=200):
    exam_form = selectors.access_form(request.user, form_id)
    user = request.user
    show_items = perms.can_view_bank(user)
    return render(
        request,
        "exams/form_detail.html",
        {
            "exam_form": exam_form,
            "blueprint": exam_form.blueprint.all(),
            "items": selectors.form_items(exam_form) if show_items else [],
            "show_items": show_items,
            "can_manage": perms.can_manage_forms(user),
            "can_approve": perms.can_approve_forms(user),
            "can_analyse": perms.can_view_analysis(user),
            "conversion_form": conversion_form or _conversion_form(exam_form),
            "conversion": exam_form.conversion.all(),
        },
        status=status,
    )


def _conversion_form(exam_form):
    from peercert.exams.models import ItemKind as Kind

    total = exam_form.form_items.filter(item__kind=Kind.MULTIPLE_CHOICE).count()
    start = {c.raw: c.scaled for c in exam_form.conversion.all()} or services.suggested_conversion(
        total, exam_form.scale_max
    )
    return forms.ConversionForm(initial={"conversion": "\n".join(f"{raw}, {scaled}" for raw, scaled in start.items())})


def _form_button(request, form_id: int, service, *, back: str = "exams:form_detail"):
    """A button on the form's page; the service decides who may press it (the route lets exam staff in)."""
    exam_form = selectors.access_form(request.user, form_id)
    return run_action(
        request,
        lambda: service(actor=request.user, form=exam_form),
        success_url=reverse(back, args=[exam_form.pk]),
        message=_("Done."),
    )


@rule_required(_can_see_forms)
@require_POST
def form_assemble(request, form_id: int):
    return _form_button(request, form_id, services.form_assemble)


@rule_required(_can_see_forms)
@require_POST
def form_approve(request, form_id: int):
    exam_form = selectors.access_form(request.user, form_id)
    form = forms.ConversionForm(request.POST)
    done = run_form(
        request,
        form,
        lambda data: services.form_approve(actor=request.user, form=exam_form, conversion=data["conversion"]),
        success_url=reverse("exams:form_detail", args=[exam_form.pk]),
        message=_("Form approved with its conversion table."),
    )
    return done or form_detail(request, form_id, conversion_form=form, status=400)


@rule_required(_can_see_forms)
@require_POST
def form_publish(request, form_id: int):
    return _form_button(request, form_id, services.form_publish)


@rule_required(_can_see_forms)
@require_POST
def form_retire(request, form_id: int):
    return _form_button(request, form_id, services.form_retire)


@rule_required(_can_see_forms)
@require_POST
def form_analyse(request, form_id: int):
    return _form_button(request, form_id, services.form_analyse, back="exams:form_analysis")


@rule_required(perms.can_view_analysis)
def form_analysis(request, form_id: int):
    exam_form = selectors.access_form(request.user, form_id)
    return render(
        request,
        "exams/form_analysis.html",
        {
            "exam_form": exam_form,
            "rows": selectors.form_items(exam_form).filter(item__kind=ItemKind.MULTIPLE_CHOICE),
        },
    )


# Authorizations ----------------------------------------------------------------------------


@rule_required(perms.can_grant_authorization)
def authorization_list(request):
    form = forms.GrantForm(request.POST or None, people=selectors.person_choices())
    done = run_form(
        request,
        form,
        lambda data: services.exam_authorization_grant(
            actor=request.user, person=data["person"], valid_until=data["valid_until"], reference=data["reference"]
        ),
        success_url=reverse("exams:authorization_list"),
        message=lambda authorization: _("%(person)s is authorized to test.") % {"person": authorization.person},
    )
    if done:
        return done
    query = request.GET.get("q", "").strip()
    page = Paginator(selectors.authorization_list(actor=request.user, query=query), 50).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "exams/authorization_list.html",
        {"form": form, "page": page, "q": query},
        status=400 if form.is_bound else 200,
    )


# Sessions ----------------------------------------------------------------------------------


@rule_required(perms.can_view_sessions)
def session_list(request):
    person = person_for_user(request.user)
    return render(
        request,
        "exams/session_list.html",
        {
            "sessions": selectors.session_list(actor=request.user),
            "can_manage": perms.can_manage_sessions(request.user),
            "can_register": perms.is_candidate(request.user) and selectors.current_authorization(person) is not None,
            "open_registration": selectors.open_registration(person),
        },
    )


@rule_required(perms.can_manage_sessions)
def session_create(request):
    proctors = User.objects.filter(role_assignments__role=Role.EXAM_ADMINISTRATOR).distinct()
    form = forms.SessionForm(request.POST or None, forms_qs=selectors.published_forms(request.user), proctors=proctors)
    done = run_form(
        request,
        form,
        lambda data: services.session_create(actor=request.user, **data),
        success_url=lambda session: reverse("exams:session_detail", args=[session.pk]),
        message=_("Session scheduled."),
    )
    return done or render(request, "exams/session_form.html", {"form": form}, status=400 if form.is_bound else 200)


@rule_required(perms.can_view_sessions)
def session_detail(request, session_id: int):
    session = selectors.access_session(request.user, session_id)
    staff = perms.can_manage_sessions(request.user)
    roster = selectors.session_roster(session) if staff else []
    return render(
        request,
        "exams/session_detail.html",
        {
            "session": session,
            "staff": staff,
            "roster": roster,
            "incident_form": forms.IncidentForm(roster=roster) if staff else None,
            "incidents": session.incidents.all() if staff else [],
            "is_candidate": perms.is_candidate(request.user),
        },
    )


@role_required(Role.PEER)
@require_POST
def session_register(request, session_id: int):
    session = selectors.access_session(request.user, session_id)
    return run_action(
        request,
        lambda: services.registration_create(actor=request.user, session=session, person=person_for_user(request.user)),
        success_url=reverse("exams:my_exam"),
        failure_url=reverse("exams:session_list"),
        message=_("Your registration is confirmed. Bring government photo ID."),
    )


@role_required(Role.PEER, Role.EXAM_ADMINISTRATOR)
def registration_reschedule(request, registration_id: int):
    registration = selectors.access_registration(request.user, registration_id)
    sessions = selectors.session_list(actor=request.user).exclude(pk=registration.session_id)
    form = forms.RescheduleForm(request.POST or None, sessions=sessions)
    done = run_form(
        request,
        form,
        lambda data: services.registration_reschedule(
            actor=request.user, registration=registration, to_session=data["session"]
        ),
        success_url=reverse("exams:my_exam" if perms.is_candidate(request.user) else "exams:session_list"),
        message=_("Your seat is moved."),
    )
    return done or render(
        request,
        "exams/reschedule.html",
        {"form": form, "registration": registration},
        status=400 if form.is_bound else 200,
    )


@role_required(Role.PEER, Role.EXAM_ADMINISTRATOR)
def registration_cancel(request, registration_id: int):
    """GET asks to confirm (giving up a seat cannot be undone); POST with confirm gives it up."""
    registration = selectors.access_registration(request.user, registration_id)
    back = (
        reverse("exams:my_exam")
        if perms.is_candidate(request.user)
        else reverse("exams:session_detail", args=[registration.session_id])
    )
    if request.method != "POST" or request.POST.get("confirm") != "yes":
        return render(request, "exams/registration_cancel.html", {"registration": registration, "back": back})
    return run_action(
        request,
        lambda: services.registration_cancel(actor=request.user, registration=registration),
        success_url=back,
        message=_("The seat is given up."),
    )


@rule_required(perms.can_manage_sessions)
@require_POST
def registration_check_in(request, registration_id: int):
    registration = selectors.access_registration(request.user, registration_id)
    form = forms.CheckInForm(request.POST)
    form.is_valid()  # one optional box: always valid; unticked is refused by the service, which says why
    return run_action(
        request,
        lambda: services.registration_check_in(
            actor=request.user,
            registration=registration,
            photo_id_confirmed=form.cleaned_data.get("photo_id_confirmed", False),
        ),
        success_url=reverse("exams:session_detail", args=[registration.session_id]),
        message=_("%(person)s is checked in.") % {"person": registration.person},
    )


@rule_required(perms.can_manage_sessions)
@require_POST
def incident_create(request, session_id: int):
    session = selectors.access_session(request.user, session_id)
    form = forms.IncidentForm(request.POST, roster=selectors.session_roster(session))
    back = reverse("exams:session_detail", args=[session.pk])
    if not form.is_valid():
        # The form sits on the session page among the roster; it is flashed there, not drawn alone.
        messages.error(request, _("Describe what happened."))
        return redirect(back)
    return run_action(
        request,
        lambda: services.incident_report(
            actor=request.user,
            session=session,
            description=form.cleaned_data["description"],
            registration=form.cleaned_data["registration"],
        ),
        success_url=back,
        message=_("Incident recorded."),
    )


# Accommodations ----------------------------------------------------------------------------


@role_required(Role.PEER)
def accommodation_request(request):
    person = person_for_user(request.user)
    form = forms.AccommodationRequestForm(request.POST or None, request.FILES or None)
    done = run_form(
        request,
        form,
        lambda data: services.accommodation_request(
            actor=request.user,
            person=person,
            kinds=data["kinds"],
            details=data["details"],
            provider_name=data["provider_name"],
            provider_license=data["provider_license"],
            document=data["document"],
        ),
        success_url=lambda req: reverse("exams:accommodation_detail", args=[req.pk]),
        message=_("Your request is sent. Only exam staff can read it."),
    )
    return done or render(
        request, "exams/accommodation_request.html", {"form": form}, status=400 if form.is_bound else 200
    )


@rule_required(perms.can_see_accommodations)
def accommodation_list(request):
    status = request.GET.get("status", AccommodationStatus.SUBMITTED)
    return render(
        request,
        "exams/accommodation_list.html",
        {
            "requests": selectors.accommodation_list(actor=request.user, status=status),
            "status": status,
            "statuses": AccommodationStatus.choices,
        },
    )


@login_required
def accommodation_detail(request, request_id: int):
    req = selectors.access_accommodation(request.user, request_id)
    can_decide = perms.can_decide_accommodations(request.user) and req.status == AccommodationStatus.SUBMITTED
    if not can_decide:
        return render(request, "exams/accommodation_detail.html", {"req": req, "form": None})
    form = forms.AccommodationDecisionForm(request.POST or None)
    done = run_form(
        request,
        form,
        lambda data: services.accommodation_decide(
            actor=request.user,
            request=req,
            approve=data["decision"] == "approve",
            notes=data["notes"],
            time_multiplier=data["time_multiplier"],
            separate_room=data["separate_room"],
        ),
        success_url=reverse("exams:accommodation_detail", args=[req.pk]),
        message=_("Decision recorded and applied to the candidate's seat."),
    )
    return done or render(
        request, "exams/accommodation_detail.html", {"req": req, "form": form}, status=400 if form.is_bound else 200
    )


@login_required
def accommodation_document(request, request_id: int):
    req = selectors.access_accommodation(request.user, request_id)
    return serve_upload(
        req.document, kind=req.document_kind, download_name=req.document_name or "provider-form", inline=True
    )


# Taking the exam ---------------------------------------------------------------------------


def _own_attempt(request, attempt_id):
    attempt = selectors.access_attempt(request.user, attempt_id)
    if attempt.person.user_id != request.user.pk:
        raise PermissionDenied
    return attempt


@role_required(Role.PEER)
def attempt_take(request, attempt_id: int):
    attempt = _own_attempt(request, attempt_id)
    if request.method == "POST":
        return run_action(
            request,
            lambda: services.attempt_start(actor=request.user, attempt=attempt),
            success_url=reverse("exams:attempt_take", args=[attempt.pk]),
        )
    attempt = services.attempt_close_if_overdue(attempt)
    if attempt.status in (AttemptStatus.SUBMITTED, AttemptStatus.SCORED):
        if attempt.auto_submitted:
            messages.info(request, _("Time ran out, so your exam was handed in for you and scored."))
        return redirect("exams:score_report", attempt.pk)
    now = clock.now()
    in_progress = attempt.status == AttemptStatus.IN_PROGRESS
    on_break = attempt.on_break(now)
    return render(
        request,
        "exams/attempt_take.html",
        {
            "attempt": attempt,
            "registration": attempt.registration,
            "questions": selectors.attempt_questions(attempt) if in_progress and not on_break else [],
            "tasks": selectors.attempt_tasks(attempt) if in_progress and not on_break else [],
            "response_form": forms.PracticalResponseForm(),
            "seconds_left": attempt.seconds_left(now),
            "time_up": attempt.deadline_at is not None and now > attempt.deadline_at,
            "on_break": on_break,
            "break_minutes": rules_on(attempt.taken_on).exam_break_minutes,
        },
    )


@role_required(Role.PEER)
@require_POST
def attempt_break(request, attempt_id: int):
    attempt = services.attempt_close_if_overdue(_own_attempt(request, attempt_id))
    return run_action(
        request,
        lambda: services.attempt_break_start(actor=request.user, attempt=attempt),
        success_url=reverse("exams:attempt_take", args=[attempt.pk]),
        message=lambda a: (
            _("Your break has started. The clock is stopped until %(time)s.") % {"time": local_clock(a.break_until)}
        ),
    )


@role_required(Role.PEER)
@require_POST
def attempt_resume(request, attempt_id: int):
    attempt = _own_attempt(request, attempt_id)
    return run_action(
        request,
        lambda: services.attempt_break_end(actor=request.user, attempt=attempt),
        success_url=reverse("exams:attempt_take", args=[attempt.pk]),
        message=lambda a: _("Welcome back. Your time now ends at %(time)s.") % {"time": local_clock(a.deadline_at)},
    )


@role_required(Role.PEER)
@require_POST
def answer_save(request, attempt_id: int):
    attempt = services.attempt_close_if_overdue(_own_attempt(request, attempt_id))
    htmx = request.headers.get("HX-Request") == "true"
    try:
        item = selectors.access_attempt_item(attempt, request.POST.get("item"))
        choice = int(request.POST.get("choice", ""))
        services.answer_save(actor=request.user, attempt=attempt, item=item, choice=choice)
    except ValueError:
        message, ok = _("Choose one of the answers shown."), False
    except ApplicationError as exc:
        message, ok = exc.message, False
    else:
        message, ok = _("Saved at %(time)s") % {"time": local_clock(clock.now())}, True
    if htmx:
        css = "text-green" if ok else "text-secondary-dark"
        return HttpResponse(
            format_html('<span class="{}" role="status">{}{}</span>', css, "✓ " if ok else "⚠ ", message),
            status=200 if ok else 409,
        )
    (messages.success if ok else messages.error)(request, message)
    return redirect("exams:attempt_take", attempt.pk)


@role_required(Role.PEER)
@require_POST
def practical_response(request, attempt_id: int, task_id: int):
    attempt = services.attempt_close_if_overdue(_own_attempt(request, attempt_id))
    task = next((t["task"] for t in selectors.attempt_tasks(attempt) if t["task"].pk == task_id), None)
    if task is None:
        raise Http404
    form = forms.PracticalResponseForm(request.POST, request.FILES)
    back = reverse("exams:attempt_take", args=[attempt.pk]) + f"#task-{task.pk}"
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return redirect(back)
    return run_action(
        request,
        lambda: services.practical_response_save(
            actor=request.user,
            attempt=attempt,
            task=task,
            text=form.cleaned_data["text"],
            document=form.cleaned_data["document"],
        ),
        success_url=back,
        message=_("Your response is saved."),
    )


@login_required
def practical_response_file(request, response_id: int):
    response = selectors.access_practical_response(request.user, response_id)
    return serve_upload(response.document, kind=response.document_kind, download_name=response.document_name)


@role_required(Role.PEER)
@require_POST
def attempt_submit(request, attempt_id: int):
    attempt = services.attempt_close_if_overdue(_own_attempt(request, attempt_id))
    if attempt.auto_submitted:
        messages.info(request, _("Time ran out, so your exam was handed in for you and scored."))
        return redirect("exams:score_report", attempt.pk)
    return run_action(
        request,
        lambda: services.attempt_submit(actor=request.user, attempt=attempt),
        success_url=reverse("exams:score_report", args=[attempt.pk]),
        failure_url=reverse("exams:attempt_take", args=[attempt.pk]),
        message=_("Your answers are handed in."),
    )


@role_required(*EXAM_STAFF, Role.PEER)
def score_report(request, attempt_id: int):
    attempt = services.attempt_close_if_overdue(selectors.access_attempt(request.user, attempt_id))
    own = attempt.person.user_id == request.user.pk
    return render(
        request,
        "exams/score_report.html",
        {
            "attempt": attempt,
            "areas": selectors.score_report(attempt) if attempt.written_total is not None else [],
            "retake": selectors.retake_standing(attempt) if own else None,
            "own": own,
        },
    )


@role_required(Role.PEER)
@require_POST
def retake_invoice(request, attempt_id: int):
    attempt = _own_attempt(request, attempt_id)
    return run_action(
        request,
        lambda: services.retake_invoice_request(actor=request.user, attempt=attempt),
        success_url=lambda invoice: reverse("finance:invoice_pay", args=[invoice.pk]),
        failure_url=reverse("exams:score_report", args=[attempt.pk]),
        message=_("Your retake invoice is ready. Pay it to register for your next attempt."),
    )


# Vendor files and grading -------------------------------------------------------------------


@rule_required(perms.can_manage_sessions)
def vendor_import(request):
    form = forms.VendorFileForm(request.POST or None, request.FILES or None)
    errors, summary = [], None
    if request.method == "POST" and form.is_valid():
        try:
            # Size and contents first (a CSV of UTF-8 text, no NUL bytes), before any row is parsed.
            text = check_tabular_upload(form.cleaned_data["file"], kinds=("csv",)).decode("utf-8-sig")
            summary = services.vendor_results_import(actor=request.user, text=text)
        except ApplicationError as exc:
            errors = exc.extra.get("errors") or [exc.message]
    return render(request, "exams/vendor_import.html", {"form": form, "errors": errors, "summary": summary})


@rule_required(perms.can_grade)
def grading_queue(request):
    return render(request, "exams/grading_queue.html", {"attempts": selectors.grading_queue(request.user)})


@rule_required(perms.can_grade)
def grade(request, attempt_id: int, task_id: int):
    attempt = selectors.access_attempt(request.user, attempt_id)
    entry = next((t for t in selectors.practical_tasks_for(attempt) if t["task"].pk == task_id), None)
    if entry is None:
        raise Http404
    task = entry["task"]
    form = forms.GradeForm(request.POST or None, task=task)
    done = run_form(
        request,
        form,
        lambda _data: services.practical_score_record(
            actor=request.user, attempt=attempt, task=task, points=form.points()
        ),
        success_url=reverse("exams:grading_queue"),
        message=_("Score saved."),
    )
    return done or render(
        request,
        "exams/grade.html",
        {
            "attempt": attempt,
            "entry": entry,
            "form": form,
            "tasks": selectors.practical_tasks_for(attempt),
            "response": next(
                (t["response"] for t in selectors.attempt_tasks(attempt) if t["task"].pk == task.pk), None
            ),
        },
        status=400 if form.is_bound else 200,
    )
