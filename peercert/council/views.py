from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from peercert.accounts.permissions import rule_required
from peercert.core import clock
from peercert.core.downloads import serve_upload
from peercert.core.errors import ApplicationError, add_to_form
from peercert.core.spam import HONEYPOT_FIELD, check_public_submission
from peercert.core.views import run_action, run_form
from peercert.council import selectors, services
from peercert.council.forms import (
    ApplyForm,
    AttendanceForm,
    CallForm,
    MeetingForm,
    MinutesForm,
    ReasonForm,
    RecommendationForm,
    ResponseForm,
    SelectForm,
)
from peercert.council.models import ApplicationStatus, MeetingStatus, MemberStatus, RecommendationStatus
from peercert.council.permissions import (
    can_manage_council,
    can_read_council_records,
    can_see_member_materials,
    is_seated_member,
)

SENT_KEY = "council_application_sent"

# --- public --------------------------------------------------------------------------------


def about(request):
    """The public page about the council: members, the open call, meetings and recommendations."""
    return render(
        request,
        "council/about.html",
        {
            "call": selectors.open_call(),
            "members": selectors.seated_members(),
            "upcoming": selectors.upcoming_public_meetings(),
            "past": selectors.past_public_meetings()[:12],
            "recommendations": selectors.published_recommendations(),
            "is_member": is_seated_member(request.user),
            "is_staff": can_read_council_records(request.user),
        },
    )


def apply(request):
    """The public application to sit on the council, while a call is open."""
    call = selectors.open_call()
    form = ApplyForm(request.POST or None)
    context = {"form": form, "call": call, "honeypot": HONEYPOT_FIELD}
    if call is None:
        return render(request, "council/apply.html", context, status=400 if request.method == "POST" else 200)
    if request.method == "POST":
        try:
            check_public_submission(request, form_name="council_apply")
        except ApplicationError as exc:
            form.is_valid()
            add_to_form(form, exc)
            return render(request, "council/apply.html", context, status=429 if exc.code == "rate_limited" else 400)

    def sent(application):
        request.session[SENT_KEY] = {"name": application.name, "closes_on": application.call.closes_on.isoformat()}
        return redirect("council:apply_sent")

    done = run_form(
        request,
        form,
        lambda data: services.application_submit(
            actor=request.user if request.user.is_authenticated else None, call=call, **data
        ),
        on_success=sent,
    )
    return done or render(request, "council/apply.html", context, status=400 if form.is_bound else 200)


def apply_sent(request):
    return render(request, "council/apply_sent.html", {"sent": request.session.get(SENT_KEY)})


def meeting(request, meeting_id: int):
    """A meeting's page: public once announced; planned meetings and draft minutes for members and staff."""
    item = selectors.access_meeting(request.user, meeting_id)
    return render(
        request,
        "council/meeting.html",
        {
            "meeting": item,
            "show_minutes": selectors.minutes_visible(request.user, item),
            "minutes_public": item.status == MeetingStatus.MINUTES_PUBLISHED,
            "recommendations": selectors.meeting_recommendations(request.user, item),
            "attendance": selectors.attendance_of(item) if item.status == MeetingStatus.MINUTES_PUBLISHED else [],
            "can_manage": can_manage_council(request.user),
        },
    )


def meeting_minutes_file(request, meeting_id: int):
    item = selectors.access_meeting(request.user, meeting_id)
    if not item.minutes_file or not selectors.minutes_visible(request.user, item):
        raise Http404
    return serve_upload(
        item.minutes_file,
        kind=item.minutes_file_kind,
        download_name=item.minutes_file_name or f"minutes-{item.meets_on:%Y-%m-%d}.pdf",
        inline=True,
    )


# --- members -------------------------------------------------------------------------------


@rule_required(can_see_member_materials)
def members_area(request):
    """Meeting materials for seated members (and the staff who prepare them) before they are public."""
    return render(
        request,
        "council/members_area.html",
        {
            "seats": selectors.seats_of(request.user),
            "meetings": selectors.member_meetings(),
            "pending": selectors.pending_recommendations(),
        },
    )


# --- program staff -------------------------------------------------------------------------


@rule_required(can_read_council_records)
def staff_home(request):
    status = request.GET.get("status", ApplicationStatus.RECEIVED)
    status = status if status in ApplicationStatus.values else ApplicationStatus.RECEIVED
    return render(
        request,
        "council/staff_home.html",
        {
            "calls": selectors.calls(request.user),
            "applications": selectors.applications(request.user, status=status)[:100],
            "status": status,
            "statuses": ApplicationStatus.choices,
            "by_population": selectors.membership_by_population(),
            "members": selectors.members(request.user),
            "meetings": selectors.meetings(request.user)[:20],
            "recommendations": selectors.recommendations(request.user)[:50],
            "can_manage": can_manage_council(request.user),
            "today": clock.today(),
        },
    )


@rule_required(can_manage_council)
def call_new(request):
    form = CallForm(request.POST or None)
    done = run_form(
        request,
        form,
        lambda data: services.call_create(actor=request.user, **data),
        success_url=reverse("council:staff"),
        message=_("The call is written. Open it when it should take applications."),
    )
    return done or render(request, "council/call_form.html", {"form": form}, status=400 if form.is_bound else 200)


@require_POST
@rule_required(can_manage_council)
def call_open(request, call_id: int):
    call = selectors.access_call(request.user, call_id)
    return run_action(
        request,
        lambda: services.call_open(actor=request.user, call=call),
        success_url=reverse("council:staff"),
        message=_("The call is open. The public form takes applications between its dates."),
    )


@require_POST
@rule_required(can_manage_council)
def call_close(request, call_id: int):
    call = selectors.access_call(request.user, call_id)
    return run_action(
        request,
        lambda: services.call_close(actor=request.user, call=call),
        success_url=reverse("council:staff"),
        message=_("The call is closed."),
    )


def _render_application(request, application, status=200, **forms):
    pending = application.status == ApplicationStatus.RECEIVED and can_manage_council(request.user)
    context = {
        "application": application,
        "member": getattr(application, "member", None) if application.status == ApplicationStatus.SELECTED else None,
        "select_form": forms.get("select_form")
        or (SelectForm(prefix="select", initial={"population": application.population}) if pending else None),
        "decline_form": forms.get("decline_form") or (ReasonForm(prefix="decline") if pending else None),
        "by_population": selectors.membership_by_population(),
    }
    return render(request, "council/application.html", context, status=status)


@rule_required(can_read_council_records)
def application_detail(request, application_id: int):
    return _render_application(request, selectors.access_application(request.user, application_id))


@require_POST
@rule_required(can_manage_council)
def application_select(request, application_id: int):
    application = selectors.access_application(request.user, application_id)
    form = SelectForm(request.POST, prefix="select")
    done = run_form(
        request,
        form,
        lambda data: services.application_select(actor=request.user, application=application, **data),
        success_url=lambda member: reverse("council:member", args=[member.pk]),
        message=_("The member is seated."),
    )
    return done or _render_application(request, application, status=400, select_form=form)


@require_POST
@rule_required(can_manage_council)
def application_decline(request, application_id: int):
    application = selectors.access_application(request.user, application_id)
    form = ReasonForm(request.POST, prefix="decline")
    done = run_form(
        request,
        form,
        lambda data: services.application_decline(actor=request.user, application=application, reason=data["reason"]),
        success_url=reverse("council:staff"),
        message=_("The applicant is told they were not selected."),
    )
    return done or _render_application(request, application, status=400, decline_form=form)


def _render_member(request, member, status=200, end_form=None):
    seated = member.status == MemberStatus.SEATED and can_manage_council(request.user)
    return render(
        request,
        "council/member.html",
        {
            "member": member,
            "end_form": end_form or (ReasonForm(prefix="end") if seated else None),
            "can_link": seated and member.user_id is None,
            "attendance": member.attendance.select_related("meeting").order_by("-meeting__meets_on")[:24],
        },
        status=status,
    )


@rule_required(can_read_council_records)
def member_detail(request, member_id: int):
    return _render_member(request, selectors.access_member(request.user, member_id))


@require_POST
@rule_required(can_manage_council)
def member_end(request, member_id: int):
    member = selectors.access_member(request.user, member_id)
    form = ReasonForm(request.POST, prefix="end")
    done = run_form(
        request,
        form,
        lambda data: services.member_end(actor=request.user, member=member, reason=data["reason"]),
        success_url=reverse("council:member", args=[member.pk]),
        message=_("The term is ended."),
    )
    return done or _render_member(request, member, status=400, end_form=form)


@require_POST
@rule_required(can_manage_council)
def member_link(request, member_id: int):
    member = selectors.access_member(request.user, member_id)
    return run_action(
        request,
        lambda: services.member_link_account(actor=request.user, member=member),
        success_url=reverse("council:member", args=[member.pk]),
        message=_("The member's sign-in is linked. They now see meeting materials."),
    )


@rule_required(can_manage_council)
def meeting_new(request):
    form = MeetingForm(request.POST or None)
    done = run_form(
        request,
        form,
        lambda data: services.meeting_create(actor=request.user, **data),
        success_url=lambda m: reverse("council:meeting_manage", args=[m.pk]),
        message=_("The meeting is planned. Members see it now; announce it to put it on the public page."),
    )
    return done or render(request, "council/meeting_form.html", {"form": form}, status=400 if form.is_bound else 200)


def _meeting_initial(meeting):
    return {name: getattr(meeting, name) for name in services.MEETING_FIELDS}


def _render_manage(request, meeting, status=200, **forms):
    editable = meeting.status not in (MeetingStatus.MINUTES_PUBLISHED, MeetingStatus.CANCELLED)
    manage = can_manage_council(request.user)
    members = services.members_on(meeting.meets_on)
    context = {
        "meeting": meeting,
        "can_manage": manage,
        "edit_form": forms.get("edit_form")
        or (MinutesForm(prefix="edit", initial=_meeting_initial(meeting)) if manage and editable else None),
        "attendance_form": forms.get("attendance_form")
        or (
            AttendanceForm(
                prefix="att",
                members=members,
                initial={"present": [a.member_id for a in meeting.attendance.all() if a.present]},
            )
            if manage and meeting.status != MeetingStatus.CANCELLED
            else None
        ),
        "cancel_form": forms.get("cancel_form") or (ReasonForm(prefix="cancel") if manage and editable else None),
        "attendance": selectors.attendance_of(meeting),
        "recommendations": meeting.recommendations.all(),
        "statuses": MeetingStatus,
    }
    return render(request, "council/meeting_manage.html", context, status=status)


@rule_required(can_read_council_records)
def meeting_manage(request, meeting_id: int):
    return _render_manage(request, selectors.access_staff_meeting(request.user, meeting_id))


@require_POST
@rule_required(can_manage_council)
def meeting_edit(request, meeting_id: int):
    meeting = selectors.access_staff_meeting(request.user, meeting_id)
    form = MinutesForm(request.POST, request.FILES, prefix="edit")
    done = run_form(
        request,
        form,
        lambda data: services.meeting_edit(
            actor=request.user,
            meeting=meeting,
            minutes_upload=data.pop("minutes_file", None) or None,
            **data,
        ),
        success_url=reverse("council:meeting_manage", args=[meeting.pk]),
        message=_("The meeting is saved."),
    )
    return done or _render_manage(request, meeting, status=400, edit_form=form)


@require_POST
@rule_required(can_manage_council)
def meeting_announce(request, meeting_id: int):
    meeting = selectors.access_staff_meeting(request.user, meeting_id)
    return run_action(
        request,
        lambda: services.meeting_announce(actor=request.user, meeting=meeting),
        success_url=reverse("council:meeting_manage", args=[meeting.pk]),
        message=_("The meeting and its agenda are on the public page."),
    )


@require_POST
@rule_required(can_manage_council)
def meeting_publish_minutes(request, meeting_id: int):
    meeting = selectors.access_staff_meeting(request.user, meeting_id)
    return run_action(
        request,
        lambda: services.meeting_publish_minutes(actor=request.user, meeting=meeting),
        success_url=reverse("council:meeting_manage", args=[meeting.pk]),
        message=_("The minutes are published on the public page."),
    )


@require_POST
@rule_required(can_manage_council)
def meeting_cancel(request, meeting_id: int):
    meeting = selectors.access_staff_meeting(request.user, meeting_id)
    form = ReasonForm(request.POST, prefix="cancel")
    done = run_form(
        request,
        form,
        lambda data: services.meeting_cancel(actor=request.user, meeting=meeting, reason=data["reason"]),
        success_url=reverse("council:meeting_manage", args=[meeting.pk]),
        message=_("The meeting is cancelled."),
    )
    return done or _render_manage(request, meeting, status=400, cancel_form=form)


@require_POST
@rule_required(can_manage_council)
def meeting_attendance(request, meeting_id: int):
    meeting = selectors.access_staff_meeting(request.user, meeting_id)
    form = AttendanceForm(request.POST, prefix="att", members=services.members_on(meeting.meets_on))
    done = run_form(
        request,
        form,
        lambda data: services.attendance_record(
            actor=request.user, meeting=meeting, present_ids=[m.pk for m in data["present"]]
        ),
        success_url=reverse("council:meeting_manage", args=[meeting.pk]),
        message=_("Attendance is recorded."),
    )
    return done or _render_manage(request, meeting, status=400, attendance_form=form)


def _meeting_choices():
    return selectors.member_meetings()


@rule_required(can_manage_council)
def recommendation_new(request):
    form = RecommendationForm(request.POST or None, meetings=_meeting_choices())
    done = run_form(
        request,
        form,
        lambda data: services.recommendation_record(actor=request.user, **data),
        success_url=lambda r: reverse("council:recommendation", args=[r.pk]),
        message=_("The recommendation is recorded. Write the program's response next."),
    )
    return done or render(
        request, "council/recommendation_form.html", {"form": form}, status=400 if form.is_bound else 200
    )


def _render_recommendation(request, recommendation, status=200, **forms):
    manage = can_manage_council(request.user)
    answerable = recommendation.status in (RecommendationStatus.RECEIVED, RecommendationStatus.RESPONDED)
    context = {
        "recommendation": recommendation,
        "can_manage": manage,
        "can_publish": manage and recommendation.status == RecommendationStatus.RESPONDED,
        "response_form": forms.get("response_form")
        or (
            ResponseForm(prefix="respond", initial={"response": recommendation.response})
            if manage and answerable
            else None
        ),
        "withdraw_form": forms.get("withdraw_form")
        or (
            ReasonForm(prefix="withdraw") if manage and recommendation.status == RecommendationStatus.RECEIVED else None
        ),
    }
    return render(request, "council/recommendation.html", context, status=status)


@rule_required(can_read_council_records)
def recommendation_detail(request, recommendation_id: int):
    return _render_recommendation(request, selectors.access_recommendation(request.user, recommendation_id))


@require_POST
@rule_required(can_manage_council)
def recommendation_respond(request, recommendation_id: int):
    recommendation = selectors.access_recommendation(request.user, recommendation_id)
    form = ResponseForm(request.POST, prefix="respond")
    done = run_form(
        request,
        form,
        lambda data: services.recommendation_respond(
            actor=request.user, recommendation=recommendation, response=data["response"]
        ),
        success_url=reverse("council:recommendation", args=[recommendation.pk]),
        message=_("The response is saved. Publish it to put it on the public page."),
    )
    return done or _render_recommendation(request, recommendation, status=400, response_form=form)


@require_POST
@rule_required(can_manage_council)
def recommendation_publish(request, recommendation_id: int):
    recommendation = selectors.access_recommendation(request.user, recommendation_id)
    return run_action(
        request,
        lambda: services.recommendation_publish(actor=request.user, recommendation=recommendation),
        success_url=reverse("council:recommendation", args=[recommendation.pk]),
        message=_("The recommendation and the program's response are published."),
    )


@require_POST
@rule_required(can_manage_council)
def recommendation_withdraw(request, recommendation_id: int):
    recommendation = selectors.access_recommendation(request.user, recommendation_id)
    form = ReasonForm(request.POST, prefix="withdraw")
    done = run_form(
        request,
        form,
        lambda data: services.recommendation_withdraw(
            actor=request.user, recommendation=recommendation, reason=data["reason"]
        ),
        success_url=reverse("council:recommendation", args=[recommendation.pk]),
        message=_("The recommendation is marked withdrawn."),
    )
    return done or _render_recommendation(request, recommendation, status=400, withdraw_form=form)
