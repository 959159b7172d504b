import datetime
from typing import Annotated

from django.core.exceptions import PermissionDenied
from ninja import Router, Schema
from pydantic import Field

from peercert.accounts.selectors import person_for_user
from peercert.core.apitypes import RowId
from peercert.core.errors import ApplicationError
from peercert.exams import permissions as perms
from peercert.exams import selectors, services

router = Router(tags=["exams"])


class AuthorizationOut(Schema):
    valid_until: datetime.date
    attempts_paid: int
    attempts_used: int


class MyExamOut(Schema):
    candidate_number: int | None
    authorization: AuthorizationOut | None
    passed_on: datetime.date | None


class SessionOut(Schema):
    id: int
    starts_at: datetime.datetime
    delivery: str
    site_name: str
    city: str
    minutes: int
    capacity: int
    taken: int


class AreaOut(Schema):
    area: str
    label: str
    correct: int
    total: int


class ReportOut(Schema):
    attempt_id: int
    status: str
    result: str
    written_raw: int | None
    written_total: int | None
    written_scaled: int | None
    practical_points: float | None
    areas: list[AreaOut]


class AnswerIn(Schema):
    item: RowId | None = None
    choice: Annotated[int, Field(ge=0, le=25)] | None = None


class AnswerOut(Schema):
    item: int
    choice: int
    answered_at: datetime.datetime


@router.get("/me", response=MyExamOut, summary="The signed-in candidate's authorization and exam result")
def my_exam(request):
    person = person_for_user(request.auth)
    auth = selectors.current_authorization(person)
    return MyExamOut(
        candidate_number=person.pk if person else None,
        authorization=AuthorizationOut(
            valid_until=auth.valid_until, attempts_paid=auth.attempts_paid, attempts_used=auth.attempts_used
        )
        if auth
        else None,
        passed_on=selectors.exam_passed_on(person) if person else None,
    )


@router.get("/sessions", response=list[SessionOut], summary="Upcoming exam sessions")
def sessions(request):
    if not perms.can_view_sessions(request.auth):
        raise PermissionDenied
    return [
        SessionOut(
            id=s.pk,
            starts_at=s.starts_at,
            delivery=s.delivery,
            site_name=s.site_name,
            city=s.city,
            minutes=s.minutes,
            capacity=s.capacity,
            taken=s.taken,
        )
        for s in selectors.session_list(actor=request.auth)[:200]
    ]


@router.get("/attempts/{attempt_id}/report", response=ReportOut, summary="A score report by content area")
def report(request, attempt_id: RowId):
    attempt = services.attempt_close_if_overdue(selectors.access_attempt(request.auth, attempt_id))
    return ReportOut(
        attempt_id=attempt.pk,
        status=attempt.status,
        result=attempt.result,
        written_raw=attempt.written_raw,
        written_total=attempt.written_total,
        written_scaled=attempt.written_scaled,
        practical_points=float(attempt.practical_points) if attempt.practical_points is not None else None,
        areas=[
            AreaOut(**{k: a[k] for k in ("area", "label", "correct", "total")})
            for a in (selectors.score_report(attempt) if attempt.written_total is not None else [])
        ],
    )


@router.post(
    "/attempts/{attempt_id}/answers",
    response=AnswerOut,
    summary="Save one answer (refused after the deadline, enforced by the server)",
)
def answer(request, attempt_id: RowId, payload: AnswerIn):
    attempt = selectors.access_attempt(request.auth, attempt_id)
    if attempt.person.user_id != request.auth.pk:
        raise PermissionDenied
    attempt = services.attempt_close_if_overdue(attempt)  # time ran out: handed in first, the answer refused
    if payload.item is None or payload.choice is None:
        raise ApplicationError("Send the item id and the chosen option (0 = A).")
    item = selectors.access_attempt_item(attempt, payload.item)
    saved = services.answer_save(actor=request.auth, attempt=attempt, item=item, choice=payload.choice)
    return AnswerOut(item=saved.item_id, choice=saved.choice, answered_at=saved.answered_at)
