"""Reads, scoped to what the actor may see. access_* raise Http404 for anything out of reach."""

import datetime
import random
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext_noop

from peercert.accounts.models import Person
from peercert.accounts.selectors import person_for_user
from peercert.core import clock
from peercert.core.duties import exclude_own_matters
from peercert.core.rules import rules_on
from peercert.core.vocabulary import ExamContentArea
from peercert.exams import permissions as perms
from peercert.exams.models import (
    AccommodationRequest,
    AccommodationStatus,
    Answer,
    Attempt,
    AttemptStatus,
    ExamAuthorization,
    ExamForm,
    ExamSession,
    FormItem,
    FormStatus,
    Item,
    ItemKind,
    ItemStatus,
    PracticalResponse,
    PracticalScore,
    Registration,
    RegistrationStatus,
    Result,
    SessionStatus,
)


def exam_passed_on(person: Person) -> datetime.date | None:
    """The date the person first passed the certification exam, or None."""
    return (
        Attempt.objects.filter(person=person, status=AttemptStatus.SCORED, result=Result.PASSED)
        .order_by("taken_on")
        .values_list("taken_on", flat=True)
        .first()
    )


def _get_or_404(qs, pk):
    try:
        return qs.get(pk=pk)
    except (qs.model.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def _program_filter(actor):
    if perms.can_approve_items(actor) and not perms.staff_program_ids(actor):
        return Q()  # DHCS approves every program's exam content
    return Q(program_id__in=perms.staff_program_ids(actor))


# Item bank -----------------------------------------------------------------------------------


def item_list(*, actor, status: str = "", area: str = "", kind: str = "", query: str = "") -> QuerySet[Item]:
    if not perms.can_view_bank(actor):
        return Item.objects.none()
    qs = Item.objects.filter(_program_filter(actor))
    if status:
        qs = qs.filter(status=status)
    if area:
        qs = qs.filter(content_area=area)
    if kind:
        qs = qs.filter(kind=kind)
    if query:
        qs = qs.filter(Q(code__icontains=query) | Q(stem__icontains=query))
    return qs.order_by("code", "-version")


def access_item(actor, item_id) -> Item:
    if not perms.can_view_bank(actor):
        raise Http404
    return _get_or_404(Item.objects.filter(_program_filter(actor)).prefetch_related("criteria"), item_id)


def item_versions(item: Item) -> QuerySet[Item]:
    return Item.objects.filter(program=item.program, code=item.code).order_by("-version")


def bank_counts(actor) -> list[dict]:
    """Approved multiple-choice items per content area, for building blueprints."""
    have = dict(
        item_list(actor=actor, status=ItemStatus.APPROVED, kind=ItemKind.MULTIPLE_CHOICE)
        .values("content_area")
        .annotate(n=Count("id"))
        .values_list("content_area", "n")
    )
    return [{"area": a, "label": label, "approved": have.get(a, 0)} for a, label in ExamContentArea.choices]


def items_waiting_for(actor) -> QuerySet[Item]:
    if perms.can_approve_items(actor):
        return item_list(actor=actor, status=ItemStatus.AWAITING_DHCS)
    if perms.can_review_items(actor):
        return item_list(actor=actor, status=ItemStatus.IN_REVIEW)
    if perms.can_write_items(actor):
        return item_list(actor=actor, status=ItemStatus.RETURNED)
    return Item.objects.none()


# Forms ---------------------------------------------------------------------------------------


def form_list(*, actor) -> QuerySet[ExamForm]:
    if not perms.can_view_bank(actor) and not perms.can_view_analysis(actor):
        return ExamForm.objects.none()
    qs = ExamForm.objects.all()
    if not (perms.can_approve_items(actor) or perms.has_role(actor, "dhcs_analyst")):
        qs = qs.filter(program_id__in=perms.staff_program_ids(actor))
    return qs.annotate(n_items=Count("form_items")).order_by("-created_at")


def access_form(actor, form_id) -> ExamForm:
    return _get_or_404(form_list(actor=actor), form_id)


def form_items(form: ExamForm) -> QuerySet[FormItem]:
    return form.form_items.select_related("item").order_by("position")


def published_forms(actor) -> QuerySet[ExamForm]:
    return form_list(actor=actor).filter(status=FormStatus.PUBLISHED)


# Authorizations ------------------------------------------------------------------------------


def authorization_list(*, actor, query: str = "") -> QuerySet[ExamAuthorization]:
    if not perms.can_grant_authorization(actor):
        return ExamAuthorization.objects.none()
    qs = ExamAuthorization.objects.select_related("person")
    if query:
        qs = qs.filter(person__search_name__icontains=query.lower())
    return qs.order_by("-valid_until", "-id")


def current_authorization(person: Person | None, day: datetime.date | None = None) -> ExamAuthorization | None:
    """The authorization open on `day` (today by default) that runs longest, or None."""
    if person is None:
        return None
    return (
        ExamAuthorization.objects.filter(person=person, valid_until__gte=day or clock.today())
        .order_by("-valid_until")
        .first()
    )


def person_choices():
    return Person.objects.order_by("legal_last_name", "legal_first_name")


# Sessions ------------------------------------------------------------------------------------


def session_list(*, actor, upcoming_only: bool = True) -> QuerySet[ExamSession]:
    if not perms.can_view_sessions(actor):
        return ExamSession.objects.none()
    qs = ExamSession.objects.select_related("form", "proctor").annotate(
        taken=Count(
            "registrations",
            filter=Q(registrations__status__in=[RegistrationStatus.REGISTERED, RegistrationStatus.CHECKED_IN]),
        )
    )
    staff_programs = perms.staff_program_ids(actor)
    if staff_programs:
        qs = qs.filter(program_id__in=staff_programs)
    else:
        qs = qs.filter(status=SessionStatus.SCHEDULED)
    if upcoming_only:
        qs = qs.filter(starts_at__date__gte=clock.today())
    return qs.order_by("starts_at")


def access_session(actor, session_id) -> ExamSession:
    return _get_or_404(session_list(actor=actor, upcoming_only=False), session_id)


def session_roster(session: ExamSession) -> QuerySet[Registration]:
    return (
        session.registrations.select_related("person", "accommodation")
        .exclude(status__in=[RegistrationStatus.CANCELLED, RegistrationStatus.RESCHEDULED])
        .order_by("person__legal_last_name", "person__legal_first_name")
    )


def access_registration(actor, registration_id) -> Registration:
    qs = Registration.objects.select_related("session", "person")
    if perms.can_manage_sessions(actor):
        qs = qs.filter(session__program_id__in=perms.staff_program_ids(actor))
    else:
        person = person_for_user(actor)
        qs = qs.filter(person=person) if person else qs.none()
    return _get_or_404(qs, registration_id)


def registrations_of(person: Person | None) -> QuerySet[Registration]:
    if person is None:
        return Registration.objects.none()
    return (
        Registration.objects.filter(person=person)
        .select_related("session", "session__form")
        .order_by("-session__starts_at")
    )


def open_registration(person: Person | None) -> Registration | None:
    return registrations_of(person).filter(status=RegistrationStatus.REGISTERED).first()


# Accommodations ------------------------------------------------------------------------------


def accommodation_list(*, actor, status: str = "") -> QuerySet[AccommodationRequest]:
    if not perms.can_see_accommodations(actor):
        return AccommodationRequest.objects.none()
    qs = exclude_own_matters(AccommodationRequest.objects.select_related("person"), actor, "person")
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("status", "-created_at")


def access_accommodation(actor, request_id) -> AccommodationRequest:
    """Confidential: the candidate themself, or exam and program staff. Everyone else gets 404."""
    if perms.can_see_accommodations(actor):
        qs = AccommodationRequest.objects.all()
    else:
        person = person_for_user(actor)
        qs = AccommodationRequest.objects.filter(person=person) if person else AccommodationRequest.objects.none()
    return _get_or_404(qs.select_related("person"), request_id)


def accommodations_of(person: Person | None) -> QuerySet[AccommodationRequest]:
    if person is None:
        return AccommodationRequest.objects.none()
    return AccommodationRequest.objects.filter(person=person).order_by("-created_at")


def waiting_accommodations(actor) -> QuerySet[AccommodationRequest]:
    return accommodation_list(actor=actor, status=AccommodationStatus.SUBMITTED)


# Attempts and scores -------------------------------------------------------------------------


def access_attempt(actor, attempt_id) -> Attempt:
    """The candidate's own attempt, or any attempt in the staff member's programs."""
    qs = Attempt.objects.select_related("form", "person", "registration__session")
    if perms.can_grade(actor) or perms.can_see_accommodations(actor):
        qs = qs.filter(form__program_id__in=perms.staff_program_ids(actor))
    else:
        person = person_for_user(actor)
        qs = qs.filter(person=person) if person else qs.none()
    return _get_or_404(qs, attempt_id)


def attempts_of(person: Person | None) -> QuerySet[Attempt]:
    if person is None:
        return Attempt.objects.none()
    return Attempt.objects.filter(person=person).select_related("form", "registration__session")


def access_attempt_item(attempt: Attempt, item_id) -> Item:
    """A multiple-choice item on the attempt's form; refuses anything else."""
    from peercert.core.errors import ApplicationError

    try:
        return Item.objects.get(pk=int(item_id), kind=ItemKind.MULTIPLE_CHOICE, form_items__form_id=attempt.form_id)
    except (Item.DoesNotExist, TypeError, ValueError):
        raise ApplicationError("That question is not on your exam.") from None


def attempt_order(attempt: Attempt, item_ids: list[int], options: dict[int, int]) -> tuple[list[int], dict]:
    """The attempt's own order of items and of each item's options, drawn from its seed.

    The same attempt always gets the same order (reloading the page, the score report); another
    attempt on the same form gets another. Returns (item ids in order, {item id: option indexes}).
    """
    rng = random.Random(f"{attempt.pk}:{attempt.shuffle_seed}")
    order = sorted(item_ids)
    rng.shuffle(order)
    option_orders = {}
    for item_id in sorted(options):
        indexes = list(range(options[item_id]))
        rng.shuffle(indexes)
        option_orders[item_id] = indexes
    return order, option_orders


def attempt_questions(attempt: Attempt) -> list[dict]:
    """The written part's questions in the attempt's shuffled order, options shuffled too, each
    with the candidate's saved choice (stored as the item's own option index, so scoring and the
    item analysis never see the shuffle). Two queries."""
    from peercert.exams.models import OPTION_LETTERS

    chosen = dict(Answer.objects.filter(attempt=attempt).values_list("item_id", "choice"))
    items = {fi.item_id: fi.item for fi in form_items(attempt.form).filter(item__kind=ItemKind.MULTIPLE_CHOICE)}
    order, option_orders = attempt_order(attempt, list(items), {pk: len(it.options) for pk, it in items.items()})
    out = []
    for number, item_id in enumerate(order, start=1):
        item = items[item_id]
        options = [
            (index, OPTION_LETTERS[shown], item.options[index]) for shown, index in enumerate(option_orders[item_id])
        ]
        out.append({"number": number, "item": item, "options": options, "choice": chosen.get(item_id)})
    return out


def attempt_tasks(attempt: Attempt) -> list[dict]:
    """The practical tasks on the attempt's form, each with the candidate's response so far."""
    responses = {r.task_id: r for r in PracticalResponse.objects.filter(attempt=attempt)}
    tasks = Item.objects.filter(form_items__form=attempt.form, kind=ItemKind.PRACTICAL).order_by("form_items__position")
    return [{"task": t, "response": responses.get(t.pk)} for t in tasks]


def access_practical_response(actor, response_id) -> PracticalResponse:
    """The candidate's own response, or (graders and exam staff) one in their programs."""
    qs = PracticalResponse.objects.select_related("attempt", "attempt__person")
    if perms.can_grade(actor):
        qs = exclude_own_matters(
            qs.filter(attempt__form__program_id__in=perms.staff_program_ids(actor)), actor, "attempt__person"
        )
    else:
        person = person_for_user(actor)
        qs = qs.filter(attempt__person=person) if person else qs.none()
    return _get_or_404(qs.exclude(document=""), response_id)


# Retakes ---------------------------------------------------------------------------------------

RETAKE_REFERENCE = "exams.retake"
FEE_RETAKE = "fee_exam_retake"


class RetakeState:
    NONE = "none"  # passed, not scored yet, or not the latest attempt: nothing to offer
    REGISTER = "register"  # a paid attempt is waiting: choose a session
    PAY = "pay"  # the retake invoice is made and open
    REQUEST = "request"  # may ask for the retake invoice
    LIMIT = "limit"  # every attempt the rules allow is used
    WINDOW_ENDED = "window_ended"  # the approval window is over


@dataclass
class RetakeStanding:
    state: str
    authorization: ExamAuthorization | None = None
    invoice: object | None = None
    refusal: str = ""
    params: dict | None = None

    @property
    def message(self) -> str:
        """The refusal in the reader's language, its dates written their way."""
        from peercert.core.text import fill

        return fill(self.refusal, self.params) if self.refusal else ""


def retake_standing(attempt: Attempt) -> RetakeStanding:
    """What a candidate who did not pass can do next, read from the attempt, its authorization,
    the rules and the retake invoice (four small queries)."""
    from peercert.finance import selectors as finance_selectors

    if attempt.status != AttemptStatus.SCORED or attempt.result != Result.FAILED:
        return RetakeStanding(RetakeState.NONE)
    later = Attempt.objects.filter(person_id=attempt.person_id, pk__gt=attempt.pk).exists()
    if later or exam_passed_on(attempt.person):
        return RetakeStanding(RetakeState.NONE)
    auth = ExamAuthorization.objects.get(pk=attempt.registration.authorization_id)
    today = clock.today()
    if auth.valid_until < today:
        return RetakeStanding(
            RetakeState.WINDOW_ENDED,
            auth,
            refusal=gettext_noop(
                "Your approval window to test ended on %(day)s, so no retake can be paid in it. "
                "To test again, apply for certification again."
            ),
            params={"day": auth.valid_until},
        )
    if auth.attempts_left > 0:
        return RetakeStanding(RetakeState.REGISTER, auth)
    invoice = finance_selectors.invoice_for(
        reference_type=RETAKE_REFERENCE, reference_id=attempt.pk, fee_code=FEE_RETAKE
    )
    if invoice is not None and invoice.status == "open":
        return RetakeStanding(RetakeState.PAY, auth, invoice)
    limit = rules_on().exam_max_attempts
    if auth.attempts_paid >= limit:
        return RetakeStanding(
            RetakeState.LIMIT,
            auth,
            refusal=gettext_noop(
                "You have taken the exam %(limit)s times, the most allowed in one approval window "
                "(until %(day)s). No further retake can be paid."
            ),
            params={"limit": limit, "day": auth.valid_until},
        )
    return RetakeStanding(RetakeState.REQUEST, auth, invoice)


def score_report(attempt: Attempt) -> list[dict]:
    """Correct answers out of items per content area (two grouped queries)."""
    totals = dict(
        FormItem.objects.filter(form=attempt.form, item__kind=ItemKind.MULTIPLE_CHOICE)
        .values("item__content_area")
        .annotate(n=Count("id"))
        .values_list("item__content_area", "n")
    )
    from django.db.models import F

    correct = dict(
        Answer.objects.filter(attempt=attempt, choice=F("item__key"))
        .values("item__content_area")
        .annotate(n=Count("id"))
        .values_list("item__content_area", "n")
    )
    labels = dict(ExamContentArea.choices)
    return [
        {
            "area": a,
            "label": str(labels[a]),
            "correct": correct.get(a, 0),
            "total": n,
            "percent": round(100 * correct.get(a, 0) / n) if n else 0,
        }
        for a, n in sorted(totals.items(), key=lambda kv: list(labels).index(kv[0]))
    ]


def grading_queue(actor) -> QuerySet[Attempt]:
    if not perms.can_grade(actor):
        return Attempt.objects.none()
    qs = Attempt.objects.filter(
        status=AttemptStatus.SUBMITTED,
        form__program_id__in=perms.staff_program_ids(actor),
        form__practical_task_count__gt=0,
    )
    return exclude_own_matters(qs, actor, "person").select_related("person", "form").order_by("submitted_at")


def practical_tasks_for(attempt: Attempt) -> list[dict]:
    tasks = Item.objects.filter(form_items__form=attempt.form, kind=ItemKind.PRACTICAL).prefetch_related("criteria")
    scores = {}
    for s in PracticalScore.objects.filter(attempt=attempt).select_related("grader").order_by("sequence"):
        scores.setdefault(s.task_id, []).append(s)
    return [{"task": t, "scores": scores.get(t.pk, [])} for t in tasks]


def flagged_items(form: ExamForm) -> QuerySet[FormItem]:
    return form_items(form).filter(flagged=True)


# --- for oversight dashboards ---


def attempt_results(start: datetime.date, end: datetime.date, *, by: str = "quarter") -> dict:
    """Scored attempts taken from start to end, {key: {"passed": n, "failed": n}} in one query; key is
    the first day of the quarter ("quarter") or the exam form's code ("form")."""
    from django.db.models.functions import TruncQuarter

    rows = Attempt.objects.filter(taken_on__gte=start, taken_on__lte=end, result__in=(Result.PASSED, Result.FAILED))
    if by == "quarter":
        rows = rows.annotate(key=TruncQuarter("taken_on"))
    else:
        from django.db.models import F

        rows = rows.annotate(key=F("form__code"))
    rows = (
        rows.order_by()
        .values("key")
        .annotate(
            passed=Count("id", filter=Q(result=Result.PASSED)), failed=Count("id", filter=Q(result=Result.FAILED))
        )
    )
    return {row["key"]: {"passed": row["passed"], "failed": row["failed"]} for row in rows}


# --- for oversight reports ---


def attempt_results_for_report(*, start: datetime.date, end: datetime.date) -> list[dict]:
    """Exam attempts taken in a period, by form: attempts, scored, passed, failed (sorted by form code)."""
    return list(
        Attempt.objects.filter(taken_on__gte=start, taken_on__lte=end)
        .values("form__code")
        .annotate(
            attempts=Count("id"),
            scored=Count("id", filter=Q(status=AttemptStatus.SCORED)),
            passed=Count("id", filter=Q(status=AttemptStatus.SCORED, result=Result.PASSED)),
            failed=Count("id", filter=Q(status=AttemptStatus.SCORED, result=Result.FAILED)),
        )
        .order_by("form__code")
    )
