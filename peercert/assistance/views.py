from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from peercert.accounts.permissions import rule_required
from peercert.accounts.selectors import person_for_user
from peercert.assistance import selectors, services
from peercert.assistance.forms import (
    AskForm,
    AssistanceAssignForm,
    FaqForm,
    FollowUpForm,
    ReplyForm,
    SavedAnswerForm,
)
from peercert.assistance.models import AssistanceCategory, AssistanceStatus
from peercert.assistance.permissions import can_answer_assistance
from peercert.core import clock
from peercert.core.errors import ApplicationError, add_to_form
from peercert.core.spam import HONEYPOT_FIELD, check_public_submission
from peercert.core.views import run_action, run_form

SENT_KEY = "assistance_question_sent"

# --- public -----------------------------------------------------------------------------


def _remember_sent(request, asked):
    request.session[SENT_KEY] = {"number": asked.number, "respond_by": asked.respond_by.isoformat()}
    return redirect("assistance:ask_sent")


def ask(request):
    """The public technical-assistance contact form."""
    form = AskForm(request.POST or None)
    if request.method == "POST":
        # The spam check comes before the form and answers with its own status (429 when
        # rate-limited), so this view keeps its own shape around run_form.
        try:
            check_public_submission(request, form_name="ask")
        except ApplicationError as exc:
            form.is_valid()
            add_to_form(form, exc)
            return render(
                request,
                "assistance/ask_form.html",
                {"form": form, "honeypot": HONEYPOT_FIELD},
                status=429 if exc.code == "rate_limited" else 400,
            )
    done = run_form(
        request,
        form,
        lambda data: services.assistance_ask(actor=request.user if request.user.is_authenticated else None, **data),
        on_success=lambda asked: _remember_sent(request, asked),
    )
    return done or render(
        request,
        "assistance/ask_form.html",
        {"form": form, "honeypot": HONEYPOT_FIELD},
        status=400 if form.is_bound else 200,
    )


def ask_sent(request):
    return render(request, "assistance/ask_sent.html", {"sent": request.session.get(SENT_KEY)})


def faq(request):
    labels = dict(AssistanceCategory.choices)
    groups: dict[str, list] = {}
    for entry in selectors.faq_published(get_language()):
        groups.setdefault(str(labels.get(entry.category, entry.category)), []).append(entry)
    return render(request, "assistance/faq.html", {"groups": groups})


# --- people asking, signed in -----------------------------------------------------------


@login_required
def my_questions(request):
    person = person_for_user(request.user)
    initial = {
        "name": (person.display_name if person else str(request.user)),
        "email": request.user.email,
        "phone": person.phone if person else "",
    }
    form = AskForm(request.POST or None, initial=initial)
    done = run_form(
        request,
        form,
        lambda data: services.assistance_ask(actor=request.user, **data),
        success_url=lambda asked: reverse("assistance:my_question", args=[asked.pk]),
        message=lambda asked: (
            _("Question %(n)s is sent. We will answer by %(d)s.")
            % {"n": asked.number, "d": f"{asked.respond_by:%Y-%m-%d}"}
        ),
    )
    return done or render(
        request,
        "assistance/my_questions.html",
        {"form": form, "questions": selectors.my_assistance_requests(actor=request.user)},
        status=400 if form.is_bound else 200,
    )


@login_required
def my_question(request, request_id: int):
    question = selectors.access_my_assistance_request(request.user, request_id)
    form = FollowUpForm(request.POST or None)
    done = run_form(
        request,
        form,
        lambda data: services.assistance_follow_up(actor=request.user, request=question, body=data["body"]),
        success_url=reverse("assistance:my_question", args=[question.pk]),
        message=_("Your message is sent."),
    )
    return done or render(
        request,
        "assistance/my_question.html",
        {"question": question, "messages_list": question.messages.all(), "form": form},
        status=400 if form.is_bound else 200,
    )


# --- program staff ----------------------------------------------------------------------


@rule_required(can_answer_assistance)
def queue(request):
    status = request.GET.get("status", "")
    category = request.GET.get("category", "")
    mine = request.GET.get("mine") == "1"
    page = Paginator(
        selectors.assistance_queue(actor=request.user, status=status, category=category, mine=mine), 25
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "assistance/help_queue.html",
        {
            "page": page,
            "status": status,
            "category": category,
            "mine": mine,
            "today": clock.today(),
            "stats": selectors.assistance_response_stats(actor=request.user),
            "statuses": AssistanceStatus.choices,
            "categories": AssistanceCategory.choices,
        },
    )


@rule_required(can_answer_assistance)
def question(request, request_id: int):
    """A question, its messages, and the reply form (a saved answer can fill it: ?saved=<id>)."""
    asked = selectors.access_assistance_request(request.user, request_id)
    saved = selectors.saved_answers(active_only=True)
    initial = {}
    saved_id = request.GET.get("saved", "")
    # A saved answer's id from a link; anything else (a mangled or hostile link) simply picks none.
    if saved_id.isascii() and saved_id.isdigit() and int(saved_id) < 2**63:
        chosen = saved.filter(pk=int(saved_id)).first()
        if chosen:
            initial["body"] = chosen.body
    form = ReplyForm(request.POST or None, initial=initial)
    done = run_form(
        request,
        form,
        lambda data: services.assistance_reply(
            actor=request.user, request=asked, body=data["body"], close=data["close"]
        ),
        success_url=reverse("assistance:question", args=[asked.pk]),
        message=_("Reply sent."),
    )
    return done or render(
        request,
        "assistance/help_detail.html",
        {
            "question": asked,
            "messages_list": asked.messages.select_related("author"),
            "form": form,
            "saved": saved,
            "assign_form": AssistanceAssignForm(
                staff=selectors.assistance_staff_users(), initial={"assignee": asked.assigned_to_id}
            ),
        },
        status=400 if form.is_bound else 200,
    )


@rule_required(can_answer_assistance)
@require_POST
def question_assign(request, request_id: int):
    asked = selectors.access_assistance_request(request.user, request_id)
    form = AssistanceAssignForm(request.POST, staff=selectors.assistance_staff_users())
    # An invalid choice (nobody, or someone who left) goes to the service as None, which refuses it.
    assignee = form.cleaned_data["assignee"] if form.is_valid() else None
    return run_action(
        request,
        lambda: services.assistance_assign(actor=request.user, request=asked, assignee=assignee),
        success_url=reverse("assistance:question", args=[asked.pk]),
        message=_("Question assigned."),
    )


@rule_required(can_answer_assistance)
@require_POST
def question_close(request, request_id: int):
    asked = selectors.access_assistance_request(request.user, request_id)
    return run_action(
        request,
        lambda: services.assistance_close(actor=request.user, request=asked),
        success_url=reverse("assistance:question", args=[asked.pk]),
        message=_("Question closed."),
    )


@rule_required(can_answer_assistance)
def saved_answer_list(request):
    form = SavedAnswerForm(request.POST or None)
    done = run_form(
        request,
        form,
        lambda data: services.saved_answer_save(actor=request.user, data=data),
        success_url=reverse("assistance:saved_answer_list"),
        message=_("Saved answer added."),
    )
    return done or render(
        request,
        "assistance/saved_answers.html",
        {"answers": selectors.saved_answers(), "form": form},
        status=400 if form.is_bound else 200,
    )


@rule_required(can_answer_assistance)
def saved_answer_edit(request, answer_id: int):
    answer = selectors.access_saved_answer(request.user, answer_id)
    form = SavedAnswerForm(request.POST or None, instance=answer)
    done = run_form(
        request,
        form,
        lambda data: services.saved_answer_save(actor=request.user, answer=answer, data=data),
        success_url=reverse("assistance:saved_answer_list"),
        message=_("Saved answer updated."),
    )
    return done or render(
        request,
        "assistance/edit_form.html",
        {"form": form, "title": _("Edit a saved answer"), "back": "assistance:saved_answer_list"},
        status=400 if form.is_bound else 200,
    )


@rule_required(can_answer_assistance)
def faq_manage(request):
    form = FaqForm(request.POST or None)
    done = run_form(
        request,
        form,
        lambda data: services.faq_save(actor=request.user, data=data),
        success_url=reverse("assistance:faq_manage"),
        message=_("FAQ entry added."),
    )
    return done or render(
        request,
        "assistance/faq_manage.html",
        {"entries": selectors.faq_all(actor=request.user), "form": form},
        status=400 if form.is_bound else 200,
    )


@rule_required(can_answer_assistance)
def faq_edit(request, entry_id: int):
    entry = selectors.access_faq_entry(request.user, entry_id)
    form = FaqForm(request.POST or None, instance=entry)
    done = run_form(
        request,
        form,
        lambda data: services.faq_save(actor=request.user, entry=entry, data=data),
        success_url=reverse("assistance:faq_manage"),
        message=_("FAQ entry updated."),
    )
    return done or render(
        request,
        "assistance/edit_form.html",
        {"form": form, "title": _("Edit an FAQ entry"), "back": "assistance:faq_manage"},
        status=400 if form.is_bound else 200,
    )
