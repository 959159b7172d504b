from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from peercert.accounts.models import Person
from peercert.accounts.permissions import can_view_audit, has_role, role_required
from peercert.accounts.roles import Role
from peercert.core import clock, csvexport
from peercert.core.downloads import serve_upload
from peercert.core.errors import ApplicationError, add_to_form
from peercert.core.forms import ReasonForm
from peercert.core.views import run_action, run_form
from peercert.discipline import selectors, services
from peercert.discipline.forms import (
    DENIAL_SUBJECTS,
    AppealDecideForm,
    AppealForm,
    AssignForm,
    CaseEntryForm,
    ClassCompleteForm,
    ComplaintForm,
    DecideForm,
    RecordsFilterForm,
    StaffAppealForm,
    StaffComplaintForm,
)
from peercert.discipline.models import (
    ACTION_SUBJECTS,
    PEER_SUBJECTS,
    AppealStatus,
    Channel,
    ComplaintStatus,
    RespondentKind,
)
from peercert.discipline.permissions import (
    CASE_STAFF_ROLES,
    RECORDS_ROLES,
    RESPONDENT_ROLES,
    can_handle_cases,
)
from peercert.discipline.spam import HONEYPOT_FIELD, check_public_submission

# --- public -----------------------------------------------------------------------------


def _resolve_peer(data) -> tuple[Person | None, str]:
    number = (data.get("certification_number") or "").strip()
    if data.get("person_id"):
        person = Person.objects.filter(pk=data["person_id"]).first()
        if person is None:
            raise ApplicationError(
                "No person has record number %(n)s.", field="person_id", params={"n": data["person_id"]}
            )
        return person, number
    match = selectors.peer_by_number(number)
    if match is None:
        raise ApplicationError(
            "We could not find a certified peer with the number “%(n)s”. Check it on the registry, or search by "
            "name with “Find a peer”.",
            field="certification_number",
            params={"n": number},
        )
    return Person.objects.get(pk=match.person_id), match.number


def _file_complaint(data, *, actor, channel, received_on=None):
    person, reference = (None, "")
    if data["respondent_kind"] == RespondentKind.PEER:
        person, reference = _resolve_peer(data)
    return services.complaint_file(
        actor=actor,
        channel=channel,
        respondent_kind=data["respondent_kind"],
        respondent_person=person,
        respondent_entity=data.get("training_entity")
        if data["respondent_kind"] == RespondentKind.TRAINING_ENTITY
        else None,
        respondent_reference=reference,
        complainant_name=data["complainant_name"],
        complainant_phone=data.get("complainant_phone", ""),
        complainant_email=data.get("complainant_email", ""),
        incident_on=data["incident_on"],
        incident_description=data["incident_description"],
        evidence=data.get("evidence") or [],
        received_on=received_on,
    )


def complaint_new(request):
    """The public complaint form: no sign-in needed."""
    initial = {"certification_number": request.GET.get("number", "")}
    form = ComplaintForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST":
        try:
            check_public_submission(request, form_name="complaint")
        except ApplicationError as exc:
            form.is_valid()
            add_to_form(form, exc)
            return render(
                request,
                "discipline/complaint_form.html",
                {"form": form, "honeypot": HONEYPOT_FIELD},
                status=429 if exc.code == "rate_limited" else 400,
            )

        def filed(complaint):
            # The receipt page reads the session, so the number is not in a URL anyone could guess.
            request.session["discipline_complaint_filed"] = {
                "number": complaint.number,
                "screened_out": complaint.status == ComplaintStatus.SCREENED_OUT,
                "reason": complaint.screening_reason,
                "ack_due_on": complaint.ack_due_on.isoformat(),
            }
            return redirect("discipline:complaint_filed")

        done = run_form(
            request,
            form,
            lambda data: _file_complaint(
                data, actor=request.user if request.user.is_authenticated else None, channel=Channel.ONLINE
            ),
            on_success=filed,
        )
        if done:
            return done
    return render(
        request,
        "discipline/complaint_form.html",
        {"form": form, "honeypot": HONEYPOT_FIELD},
        status=400 if form.is_bound else 200,
    )


def complaint_filed(request):
    filed = request.session.get("discipline_complaint_filed")
    return render(request, "discipline/complaint_filed.html", {"filed": filed})


def peer_search(request):
    """The public picker: certified peers by name or number (what the registry shows anyway)."""
    query = request.GET.get("q", "").strip()
    matches = selectors.public_peer_search(query) if query else []
    template = "discipline/_peer_matches.html" if request.headers.get("HX-Request") else "discipline/peer_search.html"
    return render(request, template, {"q": query, "matches": matches})


# --- respondents and people asking ------------------------------------------------------


@login_required
def my_cases(request):
    return render(
        request,
        "discipline/my_cases.html",
        {
            "cases": selectors.respondent_cases(actor=request.user),
            "appeals": selectors.respondent_appeals(actor=request.user),
            "can_appeal": has_role(request.user, *RESPONDENT_ROLES),
        },
    )


@login_required
def my_case(request, complaint_id: int):
    case = selectors.access_respondent_case(request.user, complaint_id)
    return render(request, "discipline/my_case.html", {"case": case})


def _appeal_subjects_for(user):
    subjects = set()
    if has_role(user, Role.PEER):
        subjects |= PEER_SUBJECTS
    if has_role(user, Role.TRAINING_STAFF):
        subjects |= set(ACTION_SUBJECTS) - PEER_SUBJECTS
        subjects |= {"entity_denial_approval", "entity_denial_renewal"}
    return subjects


@role_required(*RESPONDENT_ROLES, *CASE_STAFF_ROLES)
def appeal_new(request):
    is_staff = can_handle_cases(request.user)
    if is_staff:
        actions = selectors.staff_appealable_actions(actor=request.user)
        form = StaffAppealForm(
            request.POST or None,
            actions=actions,
            staff=selectors.case_staff_users(),
            initial={"action": request.GET.get("action")},
        )
    else:
        actions = selectors.respondent_appealable_actions(actor=request.user)
        denials = selectors.respondent_appealable_denials(actor=request.user)
        initial = {"action": request.GET.get("action"), "denial": request.GET.get("denial")}
        kind = (request.GET.get("denial") or "").partition("-")[0]
        if kind in DENIAL_SUBJECTS:
            initial["subject"] = DENIAL_SUBJECTS[kind]
        form = AppealForm(
            request.POST or None,
            actions=actions,
            subjects=_appeal_subjects_for(request.user),
            denials=denials,
            initial=initial,
        )

    def file_appeal(data):
        action = selectors.access_appealable_action(request.user, data["action"]) if data.get("action") else None
        person = None
        if is_staff and data.get("person_id"):
            person = Person.objects.filter(pk=data["person_id"]).first()
        own_entity = None if is_staff else selectors.own_training_entity(request.user)
        return services.appeal_file(
            actor=request.user,
            subject=data["subject"],
            grounds=data["grounds"],
            action=action,
            person=person,
            entity=data.get("entity") if is_staff else own_entity,
            decision_on=data.get("decision_on"),
            decision_reference=data.get("decision_reference", ""),
            original_decider=data.get("original_decider") if is_staff else None,
            filed_on=data.get("filed_on") if is_staff else None,
            denial_id=data.get("denial_id"),
        )

    done = run_form(
        request,
        form,
        file_appeal,
        success_url=lambda appeal: (
            reverse("discipline:appeal_detail", args=[appeal.pk]) if is_staff else reverse("discipline:my_cases")
        ),
        message=lambda appeal: (
            _("Appeal %(n)s is filed. A decision is due by %(d)s.")
            % {"n": appeal.number, "d": f"{appeal.review_due_on:%Y-%m-%d}"}
        ),
    )
    if done:
        return done
    return render(
        request,
        "discipline/appeal_form.html",
        {"form": form, "is_staff": is_staff},
        status=400 if form.is_bound else 200,
    )


# --- staff: cases -----------------------------------------------------------------------


@role_required(*CASE_STAFF_ROLES)
def case_list(request):
    status = request.GET.get("status", "")
    overdue = request.GET.get("overdue") == "1"
    mine = request.GET.get("mine") == "1"
    page = Paginator(
        selectors.complaint_queue(actor=request.user, status=status, overdue=overdue, mine=mine), 25
    ).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "discipline/case_list.html",
        {
            "page": page,
            "status": status,
            "overdue": overdue,
            "mine": mine,
            "statuses": ComplaintStatus.choices,
            "counts": selectors.staff_counts(actor=request.user),
            "today": clock.today(),
            "escalated": selectors.escalated_actions(actor=request.user)[:10],
            "query": query.urlencode(),
        },
    )


@role_required(*CASE_STAFF_ROLES)
def case_new(request):
    form = StaffComplaintForm(request.POST or None, request.FILES or None, initial={"received_on": clock.today()})
    done = run_form(
        request,
        form,
        lambda data: _file_complaint(
            data, actor=request.user, channel=data["channel"], received_on=data["received_on"]
        ),
        success_url=lambda complaint: reverse("discipline:case_detail", args=[complaint.pk]),
        message=lambda complaint: _("Complaint %(n)s is entered.") % {"n": complaint.number},
    )
    return done or render(request, "discipline/case_new.html", {"form": form}, status=400 if form.is_bound else 200)


def _case_context(request, complaint, **extra):
    staff = selectors.case_staff_users(complaint)
    return {
        "case": complaint,
        "entries": selectors.case_entries(complaint),
        "actions": complaint.actions.all(),
        "assign_form": AssignForm(staff=staff, initial={"investigator": complaint.investigator_id}),
        "entry_form": CaseEntryForm(),
        "reason_form": ReasonForm(),
        "today": clock.today(),
        "certification": selectors.current_certification(complaint.respondent_person)
        if complaint.respondent_person_id
        else None,
        "can_view_audit": can_view_audit(request.user),
        **extra,
    }


@role_required(*CASE_STAFF_ROLES)
def case_detail(request, complaint_id: int):
    complaint = selectors.access_complaint(request.user, complaint_id)
    return render(request, "discipline/case_detail.html", _case_context(request, complaint))


def _case_step(request, complaint_id, run, success):
    complaint = selectors.access_complaint(request.user, complaint_id)
    return run_action(
        request,
        lambda: run(complaint),
        success_url=reverse("discipline:case_detail", args=[complaint.pk]),
        message=success,
    )


@role_required(*CASE_STAFF_ROLES)
@require_POST
def case_acknowledge(request, complaint_id: int):
    return _case_step(
        request,
        complaint_id,
        lambda c: services.complaint_acknowledge(actor=request.user, complaint=c),
        _("Acknowledged. The complainant is told."),
    )


@role_required(*CASE_STAFF_ROLES)
@require_POST
def case_investigate(request, complaint_id: int):
    return _case_step(
        request,
        complaint_id,
        lambda c: services.complaint_start_investigation(actor=request.user, complaint=c),
        _("The investigation is open."),
    )


@role_required(*CASE_STAFF_ROLES)
@require_POST
def case_assign(request, complaint_id: int):
    complaint = selectors.access_complaint(request.user, complaint_id)
    form = AssignForm(request.POST, staff=selectors.case_staff_users(complaint))
    if not form.is_valid():
        messages.error(request, _("Choose a member of program staff."))
        return redirect("discipline:case_detail", complaint_id=complaint.pk)
    return _case_step(
        request,
        complaint_id,
        lambda c: services.complaint_assign(
            actor=request.user, complaint=c, investigator=form.cleaned_data["investigator"]
        ),
        _("Investigator assigned."),
    )


def _reason(request) -> str:
    form = ReasonForm(request.POST)
    return form.cleaned_data["reason"] if form.is_valid() else ""


@role_required(*CASE_STAFF_ROLES)
@require_POST
def case_screen_out(request, complaint_id: int):
    reason = _reason(request)
    return _case_step(
        request,
        complaint_id,
        lambda c: services.complaint_screen_out(actor=request.user, complaint=c, reason=reason),
        _("Screened out, with the reason recorded."),
    )


@role_required(*CASE_STAFF_ROLES)
@require_POST
def case_extend(request, complaint_id: int):
    reason = _reason(request)
    return _case_step(
        request,
        complaint_id,
        lambda c: services.complaint_extend(actor=request.user, complaint=c, reason=reason),
        _("The investigation deadline is extended."),
    )


@role_required(*CASE_STAFF_ROLES)
@require_POST
def case_entry_add(request, complaint_id: int):
    complaint = selectors.access_complaint(request.user, complaint_id)
    form = CaseEntryForm(request.POST, request.FILES)
    done = run_form(
        request,
        form,
        lambda data: services.case_entry_add(actor=request.user, complaint=complaint, **data),
        success_url=reverse("discipline:case_detail", args=[complaint.pk]),
        message=_("Added to the case file."),
    )
    return done or render(
        request, "discipline/case_detail.html", _case_context(request, complaint, entry_form=form), status=400
    )


@role_required(*CASE_STAFF_ROLES)
def case_entry_file(request, entry_id: int):
    entry = selectors.access_case_entry_file(request.user, entry_id)
    return serve_upload(entry.document, kind=entry.document_kind, download_name=entry.document_name or "evidence")


@role_required(*CASE_STAFF_ROLES)
def case_decide(request, complaint_id: int):
    complaint = selectors.access_complaint(request.user, complaint_id)
    form = DecideForm(request.POST or None, respondent_kind=complaint.respondent_kind)
    done = run_form(
        request,
        form,
        lambda data: services.complaint_decide(
            actor=request.user,
            complaint=complaint,
            outcome=data["outcome"],
            findings=data["findings"],
            provisions=data["provisions"],
            effective_on=data.get("effective_on"),
            ends_on=data.get("ends_on"),
            until_condition=data.get("until_condition", ""),
            due_on=data.get("due_on"),
            classes=form.parsed_classes(),
            public_summary=data.get("public_summary", ""),
        ),
        success_url=reverse("discipline:case_detail", args=[complaint.pk]),
        message=_("The decision is recorded and the respondent is told."),
    )
    return done or render(
        request, "discipline/case_decide.html", {"case": complaint, "form": form}, status=400 if form.is_bound else 200
    )


@role_required(*CASE_STAFF_ROLES)
def action_detail(request, action_id: int):
    action = selectors.access_action(request.user, action_id)
    return render(
        request,
        "discipline/action_detail.html",
        {
            "action": action,
            "classes": action.classes.all(),
            "appeals": action.appeals.all(),
            "complete_form": ClassCompleteForm(initial={"completed_on": clock.today()}),
            "reason_form": ReasonForm(),
        },
    )


@role_required(*CASE_STAFF_ROLES)
@require_POST
def class_complete(request, class_id: int):
    required = selectors.access_required_class(request.user, class_id)
    form = ClassCompleteForm(request.POST)
    back = reverse("discipline:action_detail", args=[required.action_id])
    if not form.is_valid():
        messages.error(request, _("Give the date the class was finished."))
        return redirect(back)
    return run_action(
        request,
        lambda: services.required_class_complete(
            actor=request.user, required_class=required, completed_on=form.cleaned_data["completed_on"]
        ),
        success_url=back,
        message=_("Class marked finished."),
    )


@role_required(*CASE_STAFF_ROLES)
@require_POST
def action_check_training(request, action_id: int):
    action = selectors.access_action(request.user, action_id)
    return run_action(
        request,
        lambda: services.action_check_training(actor=request.user, action=action),
        success_url=reverse("discipline:action_detail", args=[action.pk]),
        message=lambda marked: _("%(n)s class(es) found finished in the training record.") % {"n": marked},
    )


@role_required(*CASE_STAFF_ROLES)
@require_POST
def action_lift(request, action_id: int):
    action = selectors.access_action(request.user, action_id)
    reason = _reason(request)
    return run_action(
        request,
        lambda: services.action_lift(actor=request.user, action=action, reason=reason),
        success_url=reverse("discipline:action_detail", args=[action.pk]),
        message=_("The suspension has ended."),
    )


# --- staff: appeals ---------------------------------------------------------------------


@role_required(*CASE_STAFF_ROLES)
def appeal_list(request):
    status = request.GET.get("status", AppealStatus.FILED)
    page = Paginator(selectors.appeal_queue(actor=request.user, status=status), 25).get_page(request.GET.get("page"))
    return render(
        request, "discipline/appeal_list.html", {"page": page, "status": status, "statuses": AppealStatus.choices}
    )


@role_required(*CASE_STAFF_ROLES)
def appeal_detail(request, appeal_id: int):
    appeal = selectors.access_appeal(request.user, appeal_id)
    form = AppealDecideForm(request.POST or None, staff=selectors.case_staff_users())
    done = run_form(
        request,
        form,
        lambda data: services.appeal_decide(
            actor=request.user,
            appeal=appeal,
            outcome=data["outcome"],
            reasons=data["reasons"],
            modification=data.get("modification", ""),
            new_ends_on=data.get("new_ends_on"),
            original_decider=data.get("original_decider"),
        ),
        success_url=reverse("discipline:appeal_detail", args=[appeal.pk]),
        message=_("The appeal is decided and the appellant is told."),
    )
    return done or render(
        request,
        "discipline/appeal_detail.html",
        {"appeal": appeal, "form": form, "form_shown_to_staff": can_handle_cases(request.user)},
        status=400 if form.is_bound else 200,
    )


# --- records ----------------------------------------------------------------------------


def _record_filter(request):
    form = RecordsFilterForm(request.GET or None, people=selectors.people_with_records())
    flt = selectors.RecordFilter()
    if form.is_valid():
        data = form.cleaned_data
        flt = selectors.RecordFilter(
            person_id=data["person"].pk if data.get("person") else None,
            entity_id=data["entity"].pk if data.get("entity") else None,
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            status=data.get("status") or "",
        )
    return form, flt


@role_required(*RECORDS_ROLES)
def records(request):
    form, flt = _record_filter(request)
    data = selectors.records(actor=request.user, flt=flt)
    return render(
        request,
        "discipline/records.html",
        {
            "form": form,
            "complaints": data["complaints"][:200],
            "actions": data["actions"][:200],
            "appeals": data["appeals"][:200],
            "query": request.GET.urlencode(),
        },
    )


@role_required(*RECORDS_ROLES)
def records_export(request):
    _form, flt = _record_filter(request)
    rows = csvexport.stream_rows(selectors.EXPORT_HEADER, selectors.export_rows(actor=request.user, flt=flt))
    response = StreamingHttpResponse(rows, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="discipline-record-{clock.today():%Y-%m-%d}.csv"'
    return response
