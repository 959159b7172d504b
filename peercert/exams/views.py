from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from peercert.accounts.models import User
from peercert.accounts.permissions import role_required, rule_required
from peercert.accounts.roles import Role
from peercert.accounts.selectors import person_for_user, statewide_program
from peercert.core import clock
from peercert.core.downloads import serve_upload
from peercert.core.errors import ApplicationError, add_to_form
from peercert.core.tabular import check_tabular_upload
from peercert.exams import forms as f
from peercert.exams import permissions as perms
from peercert.exams import selectors, services
from peercert.exams.models import AccommodationStatus, AttemptStatus, ItemKind, ItemStatus

EXAM_STAFF = perms.EXAM_STAFF


def _fail(request, exc: ApplicationError):
    messages.error(request, exc.message)


# Hub and the candidate's page ------------------------------------------------------------------

@login_required
def home(request):
    if perms.is_candidate(request.user) and not perms.can_view_bank(request.user) and not perms.can_view_analysis(request.user):
        return redirect("exams:my_exam")
    if not (perms.can_view_bank(request.user) or perms.can_view_analysis(request.user)):
        raise PermissionDenied
    return render(request, "exams/home.html", {
        "waiting": selectors.items_waiting_for(request.user)[:10],
        "accommodations": selectors.waiting_accommodations(request.user)[:10],
        "grading": selectors.grading_queue(request.user)[:10],
        "perms": {name: getattr(perms, name)(request.user) for name in (
            "can_view_bank", "can_manage_forms", "can_manage_sessions", "can_grant_authorization",
            "can_see_accommodations", "can_grade", "can_view_analysis")},
    })


@role_required(Role.PEER)
def my_exam(request):
    person = person_for_user(request.user)
    authorization = selectors.current_authorization(person)
    return render(request, "exams/my_exam.html", {
        "person": person,
        "authorization": authorization,
        "registrations": selectors.registrations_of(person)[:10],
        "open_registration": selectors.open_registration(person),
        "attempts": selectors.attempts_of(person),
        "accommodations": selectors.accommodations_of(person),
        "sessions": selectors.session_list(actor=request.user)[:20] if authorization else [],
        "passed_on": selectors.exam_passed_on(person) if person else None,
    })


# Item bank ---------------------------------------------------------------------------------

@rule_required(perms.can_view_bank)
def item_list(request):
    params = {k: request.GET.get(k, "").strip() for k in ("status", "area", "kind", "q")}
    qs = selectors.item_list(actor=request.user, status=params["status"], area=params["area"], kind=params["kind"],
                             query=params["q"])
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "exams/item_list.html", {
        "page": page, "params": params, "query": query.urlencode(), "statuses": ItemStatus.choices,
        "counts": selectors.bank_counts(request.user), "can_write": perms.can_write_items(request.user),
    })


def _item_kwargs(data):
    return {k: data[k] for k in ("stem", "competency", "options", "key", "tolerance", "criteria")}


@rule_required(perms.can_write_items)
def item_create(request):
    form = f.ItemForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            item = services.item_create(actor=request.user, program=statewide_program(), code=data["code"],
                                        kind=data["kind"], content_area=data["content_area"], **_item_kwargs(data))
        except ApplicationError as exc:
            add_to_form(form, exc)
        else:
            messages.success(request, _("Draft saved. Submit it for review when it is ready."))
            return redirect("exams:item_detail", item.pk)
    return render(request, "exams/item_form.html", {"form": form, "title": _("Write an exam item")})


@rule_required(perms.can_write_items)
def item_edit(request, item_id: int):
    item = selectors.access_item(request.user, item_id)
    initial = {"code": item.code, "kind": item.kind, "content_area": item.content_area, "competency": item.competency,
               "stem": item.stem, "options": "\n".join(item.options), "key": "" if item.key is None else str(item.key),
               "tolerance": item.tolerance,
               "criteria": "\n".join(f"{c.points} | {c.label}" for c in item.criteria.all())}
    form = f.ItemEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.item_update(actor=request.user, item=item, **_item_kwargs(form.cleaned_data))
        except ApplicationError as exc:
            add_to_form(form, exc)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("exams:item_detail", item.pk)
    return render(request, "exams/item_form.html", {"form": form, "item": item,
                                                     "title": _("Edit %(code)s") % {"code": item}})


@rule_required(perms.can_view_bank)
def item_detail(request, item_id: int):
    item = selectors.access_item(request.user, item_id)
    u = request.user
    actions = []
    if perms.can_write_items(u):
        if item.status in (ItemStatus.DRAFT, ItemStatus.RETURNED):
            actions.append(("submit", _("Submit for program review")))
        if item.status in (ItemStatus.APPROVED, ItemStatus.RETIRED):
            actions.append(("new_version", _("Start a new version")))
        if item.status in (ItemStatus.DRAFT, ItemStatus.RETURNED, ItemStatus.APPROVED):
            actions.append(("retire", _("Retire")))
    if perms.can_review_items(u) and item.status == ItemStatus.IN_REVIEW:
        actions.append(("review_pass", _("Send to DHCS for approval")))
    if perms.can_approve_items(u) and item.status == ItemStatus.AWAITING_DHCS:
        actions.append(("approve", _("Approve for use")))
    can_return = ((perms.can_review_items(u) and item.status == ItemStatus.IN_REVIEW)
                  or (perms.can_approve_items(u) and item.status == ItemStatus.AWAITING_DHCS))
    return render(request, "exams/item_detail.html", {
        "item": item, "actions": actions, "can_return": can_return, "return_form": f.ReasonForm(),
        "versions": selectors.item_versions(item),
        "can_edit": perms.can_write_items(u) and item.status in (ItemStatus.DRAFT, ItemStatus.RETURNED),
    })


@rule_required(perms.can_view_bank)
@require_POST
def item_action(request, item_id: int):
    item = selectors.access_item(request.user, item_id)
    action = request.POST.get("action", "")
    calls = {
        "submit": lambda: services.item_submit(actor=request.user, item=item),
        "review_pass": lambda: services.item_review_pass(actor=request.user, item=item),
        "approve": lambda: services.item_approve(actor=request.user, item=item),
        "retire": lambda: services.item_retire(actor=request.user, item=item, reason=request.POST.get("reason", "")),
        "return": lambda: services.item_return(actor=request.user, item=item, reason=request.POST.get("reason", "")),
        "new_version": lambda: services.item_new_version(actor=request.user, item=item),
    }
    if action not in calls:
        messages.error(request, _("Choose an action."))
        return redirect("exams:item_detail", item.pk)
    try:
        result = calls[action]()
    except ApplicationError as exc:
        _fail(request, exc)
        return redirect("exams:item_detail", item.pk)
    messages.success(request, _("Done: %(item)s is now “%(status)s”.") % {"item": result, "status": result.get_status_display()})
    return redirect("exams:item_detail", result.pk)


# Forms -------------------------------------------------------------------------------------

@rule_required(lambda u: perms.can_view_bank(u) or perms.can_view_analysis(u))
def form_list(request):
    return render(request, "exams/form_list.html", {"forms": selectors.form_list(actor=request.user),
                                                     "can_manage": perms.can_manage_forms(request.user)})


@rule_required(perms.can_manage_forms)
def form_create(request):
    form = f.ExamFormForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            exam_form = services.form_create(
                actor=request.user, program=statewide_program(), code=d["code"], name=d["name"], blueprint=form.blueprint(),
                practical_task_count=d["practical_task_count"], pass_rule=d["pass_rule"], cut_score=d["cut_score"],
                scale_max=d["scale_max"], practical_cut_percent=d["practical_cut_percent"])
        except ApplicationError as exc:
            add_to_form(form, exc)
        else:
            messages.success(request, _("Form created. Assemble it from the approved items."))
            return redirect("exams:form_detail", exam_form.pk)
    return render(request, "exams/form_create.html", {"form": form, "counts": selectors.bank_counts(request.user)})


@rule_required(lambda u: perms.can_view_bank(u) or perms.can_view_analysis(u))
def form_detail(request, form_id: int):
    exam_form = selectors.access_form(request.user, form_id)
    u = request.user
    show_items = perms.can_view_bank(u)
    return render(request, "exams/form_detail.html", {
        "exam_form": exam_form, "blueprint": exam_form.blueprint.all(),
        "items": selectors.form_items(exam_form) if show_items else [],
        "show_items": show_items,
        "can_manage": perms.can_manage_forms(u), "can_approve": perms.can_approve_forms(u),
        "can_analyse": perms.can_view_analysis(u),
    })


@rule_required(lambda u: perms.can_view_bank(u) or perms.can_view_analysis(u))
@require_POST
def form_action(request, form_id: int):
    exam_form = selectors.access_form(request.user, form_id)
    action = request.POST.get("action", "")
    calls = {
        "assemble": services.form_assemble, "approve": services.form_approve, "publish": services.form_publish,
        "retire": services.form_retire, "analyse": services.form_analyse,
    }
    if action not in calls:
        messages.error(request, _("Choose an action."))
    else:
        try:
            calls[action](actor=request.user, form=exam_form)
        except ApplicationError as exc:
            _fail(request, exc)
        else:
            messages.success(request, _("Done."))
    if action == "analyse":
        return redirect("exams:form_analysis", exam_form.pk)
    return redirect("exams:form_detail", exam_form.pk)


@rule_required(perms.can_view_analysis)
def form_analysis(request, form_id: int):
    exam_form = selectors.access_form(request.user, form_id)
    return render(request, "exams/form_analysis.html", {
        "exam_form": exam_form, "rows": selectors.form_items(exam_form).filter(item__kind=ItemKind.MULTIPLE_CHOICE),
    })


# Authorizations ----------------------------------------------------------------------------

@rule_required(perms.can_grant_authorization)
def authorization_list(request):
    form = f.GrantForm(request.POST or None, people=selectors.person_choices())
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.exam_authorization_grant(actor=request.user, person=d["person"], valid_until=d["valid_until"],
                                              reference=d["reference"])
        except ApplicationError as exc:
            add_to_form(form, exc)
        else:
            messages.success(request, _("%(person)s is authorized to test.") % {"person": d["person"]})
            return redirect("exams:authorization_list")
    q = request.GET.get("q", "").strip()
    page = Paginator(selectors.authorization_list(actor=request.user, query=q), 50).get_page(request.GET.get("page"))
    return render(request, "exams/authorization_list.html", {"form": form, "page": page, "q": q})


# Sessions ----------------------------------------------------------------------------------

@rule_required(perms.can_view_sessions)
def session_list(request):
    person = person_for_user(request.user)
    return render(request, "exams/session_list.html", {
        "sessions": selectors.session_list(actor=request.user),
        "can_manage": perms.can_manage_sessions(request.user),
        "can_register": perms.is_candidate(request.user) and selectors.current_authorization(person) is not None,
        "open_registration": selectors.open_registration(person),
    })


@rule_required(perms.can_manage_sessions)
def session_create(request):
    proctors = User.objects.filter(role_assignments__role=Role.EXAM_ADMINISTRATOR).distinct()
    form = f.SessionForm(request.POST or None, forms_qs=selectors.published_forms(request.user), proctors=proctors)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            session = services.session_create(actor=request.user, **d)
        except ApplicationError as exc:
            add_to_form(form, exc)
        else:
            messages.success(request, _("Session scheduled."))
            return redirect("exams:session_detail", session.pk)
    return render(request, "exams/session_form.html", {"form": form})


@rule_required(perms.can_view_sessions)
def session_detail(request, session_id: int):
    session = selectors.access_session(request.user, session_id)
    staff = perms.can_manage_sessions(request.user)
    roster = selectors.session_roster(session) if staff else []
    return render(request, "exams/session_detail.html", {
        "session": session, "staff": staff, "roster": roster,
        "incident_form": f.IncidentForm(roster=roster) if staff else None,
        "incidents": session.incidents.all() if staff else [],
        "is_candidate": perms.is_candidate(request.user),
    })


@role_required(Role.PEER)
@require_POST
def session_register(request, session_id: int):
    session = selectors.access_session(request.user, session_id)
    try:
        services.registration_create(actor=request.user, session=session, person=person_for_user(request.user))
    except ApplicationError as exc:
        _fail(request, exc)
        return redirect("exams:session_list")
    messages.success(request, _("You are registered. Bring government photo ID."))
    return redirect("exams:my_exam")


@role_required(Role.PEER, Role.EXAM_ADMINISTRATOR)
def registration_reschedule(request, registration_id: int):
    registration = selectors.access_registration(request.user, registration_id)
    sessions = selectors.session_list(actor=request.user).exclude(pk=registration.session_id)
    form = f.RescheduleForm(request.POST or None, sessions=sessions)
    if request.method == "POST" and form.is_valid():
        try:
            services.registration_reschedule(actor=request.user, registration=registration,
                                             to_session=form.cleaned_data["session"])
        except ApplicationError as exc:
            add_to_form(form, exc)
        else:
            messages.success(request, _("Your seat is moved."))
            return redirect("exams:my_exam" if perms.is_candidate(request.user) else "exams:session_list")
    return render(request, "exams/reschedule.html", {"form": form, "registration": registration})


@role_required(Role.PEER, Role.EXAM_ADMINISTRATOR)
@require_POST
def registration_cancel(request, registration_id: int):
    registration = selectors.access_registration(request.user, registration_id)
    try:
        services.registration_cancel(actor=request.user, registration=registration)
    except ApplicationError as exc:
        _fail(request, exc)
    else:
        messages.success(request, _("The seat is given up."))
    return redirect("exams:my_exam" if perms.is_candidate(request.user) else "exams:session_detail",
                    *([] if perms.is_candidate(request.user) else [registration.session_id]))


@rule_required(perms.can_manage_sessions)
@require_POST
def registration_check_in(request, registration_id: int):
    registration = selectors.access_registration(request.user, registration_id)
    form = f.CheckInForm(request.POST)
    form.is_valid()
    try:
        services.registration_check_in(actor=request.user, registration=registration,
                                       photo_id_confirmed=form.cleaned_data.get("photo_id_confirmed", False))
    except ApplicationError as exc:
        _fail(request, exc)
    else:
        messages.success(request, _("%(person)s is checked in.") % {"person": registration.person})
    return redirect("exams:session_detail", registration.session_id)


@rule_required(perms.can_manage_sessions)
@require_POST
def incident_create(request, session_id: int):
    session = selectors.access_session(request.user, session_id)
    form = f.IncidentForm(request.POST, roster=selectors.session_roster(session))
    if form.is_valid():
        try:
            services.incident_report(actor=request.user, session=session, description=form.cleaned_data["description"],
                                     registration=form.cleaned_data["registration"])
        except ApplicationError as exc:
            _fail(request, exc)
        else:
            messages.success(request, _("Incident recorded."))
    else:
        messages.error(request, _("Describe what happened."))
    return redirect("exams:session_detail", session.pk)


# Accommodations ----------------------------------------------------------------------------

@role_required(Role.PEER)
def accommodation_request(request):
    person = person_for_user(request.user)
    form = f.AccommodationRequestForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            req = services.accommodation_request(actor=request.user, person=person, kinds=d["kinds"], details=d["details"],
                                                 provider_name=d["provider_name"], provider_license=d["provider_license"],
                                                 document=d["document"])
        except ApplicationError as exc:
            add_to_form(form, exc)
        else:
            messages.success(request, _("Your request is sent. Only exam staff can read it."))
            return redirect("exams:accommodation_detail", req.pk)
    return render(request, "exams/accommodation_request.html", {"form": form})


@rule_required(perms.can_see_accommodations)
def accommodation_list(request):
    status = request.GET.get("status", AccommodationStatus.SUBMITTED)
    return render(request, "exams/accommodation_list.html", {
        "requests": selectors.accommodation_list(actor=request.user, status=status), "status": status,
        "statuses": AccommodationStatus.choices})


@login_required
def accommodation_detail(request, request_id: int):
    req = selectors.access_accommodation(request.user, request_id)
    can_decide = perms.can_decide_accommodations(request.user) and req.status == AccommodationStatus.SUBMITTED
    form = f.AccommodationDecisionForm(request.POST or None) if can_decide else None
    if request.method == "POST" and form is not None and form.is_valid():
        d = form.cleaned_data
        try:
            services.accommodation_decide(actor=request.user, request=req, approve=d["decision"] == "approve",
                                          notes=d["notes"], time_multiplier=d["time_multiplier"],
                                          separate_room=d["separate_room"])
        except ApplicationError as exc:
            add_to_form(form, exc)
        else:
            messages.success(request, _("Decision recorded and applied to the candidate's seat."))
            return redirect("exams:accommodation_detail", req.pk)
    return render(request, "exams/accommodation_detail.html", {"req": req, "form": form})


@login_required
def accommodation_document(request, request_id: int):
    req = selectors.access_accommodation(request.user, request_id)
    return serve_upload(req.document, kind=req.document_kind, download_name=req.document_name or "provider-form",
                        inline=True)


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
        try:
            attempt = services.attempt_start(actor=request.user, attempt=attempt)
        except ApplicationError as exc:
            _fail(request, exc)
        return redirect("exams:attempt_take", attempt.pk)
    if attempt.status in (AttemptStatus.SUBMITTED, AttemptStatus.SCORED):
        return redirect("exams:score_report", attempt.pk)
    now = clock.now()
    return render(request, "exams/attempt_take.html", {
        "attempt": attempt, "registration": attempt.registration,
        "questions": selectors.attempt_questions(attempt) if attempt.status == AttemptStatus.IN_PROGRESS else [],
        "seconds_left": attempt.seconds_left(now), "time_up": attempt.deadline_at is not None and now > attempt.deadline_at,
    })


@role_required(Role.PEER)
@require_POST
def answer_save(request, attempt_id: int):
    attempt = _own_attempt(request, attempt_id)
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
        message, ok = _("Saved at %(time)s") % {"time": clock.now().strftime("%H:%M:%S")}, True
    if htmx:
        css = "text-green" if ok else "text-secondary-dark"
        return HttpResponse(f'<span class="{css}" role="status">{"✓ " if ok else "⚠ "}{message}</span>',
                            status=200 if ok else 409)
    (messages.success if ok else messages.error)(request, message)
    return redirect("exams:attempt_take", attempt.pk)


@role_required(Role.PEER)
@require_POST
def attempt_submit(request, attempt_id: int):
    attempt = _own_attempt(request, attempt_id)
    try:
        attempt = services.attempt_submit(actor=request.user, attempt=attempt)
    except ApplicationError as exc:
        _fail(request, exc)
        return redirect("exams:attempt_take", attempt.pk)
    messages.success(request, _("Your answers are handed in."))
    return redirect("exams:score_report", attempt.pk)


@role_required(*EXAM_STAFF, Role.PEER)
def score_report(request, attempt_id: int):
    attempt = selectors.access_attempt(request.user, attempt_id)
    return render(request, "exams/score_report.html", {
        "attempt": attempt, "areas": selectors.score_report(attempt) if attempt.written_total is not None else [],
    })


# Vendor files and grading -------------------------------------------------------------------

@rule_required(perms.can_manage_sessions)
def vendor_import(request):
    form = f.VendorFileForm(request.POST or None, request.FILES or None)
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
    form = f.GradeForm(request.POST or None, task=task)
    if request.method == "POST" and form.is_valid():
        try:
            services.practical_score_record(actor=request.user, attempt=attempt, task=task, points=form.points())
        except ApplicationError as exc:
            add_to_form(form, exc)
        else:
            messages.success(request, _("Score saved."))
            return redirect("exams:grading_queue")
    return render(request, "exams/grade.html", {"attempt": attempt, "entry": entry, "form": form,
                                                "tasks": selectors.practical_tasks_for(attempt)})
