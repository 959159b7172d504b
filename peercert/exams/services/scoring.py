"""Scoring: written parts counted, practical tasks graded, results decided and candidates told."""

from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

from django.db import IntegrityError, transaction
from django.db.models import Count, F, Sum
from django.urls import reverse
from django.utils.translation import gettext_noop

from peercert.accounts.models import Person
from peercert.core import clock
from peercert.core.audit import audit_record, audit_record_many
from peercert.core.duties import ensure_not_own_matter
from peercert.core.errors import ApplicationError
from peercert.core.tell import tell_email, tell_users
from peercert.core.transitions import transition
from peercert.core.types import Actor
from peercert.exams import permissions as perms
from peercert.exams.audit import ExamsAuditAction
from peercert.exams.models import (
    ATTEMPT_TRANSITIONS,
    Answer,
    Attempt,
    AttemptStatus,
    CriterionScore,
    FormItem,
    Item,
    ItemKind,
    PassRule,
    PracticalScore,
    Result,
    ScaleConversion,
)
from peercert.exams.services._common import (
    ATTEMPT,
    _lock,
    _system_or,
)


def suggested_conversion(total: int, scale_max: int) -> dict[int, int]:
    """A starting point for a form's conversion table (proportional), for the manager to equate
    and edit before approving. Scoring never uses this: it reads the table the manager approved."""
    if not total:
        return {0: 0}
    return {
        raw: int((Decimal(raw) * scale_max / total).quantize(Decimal("1"), rounding=ROUND_HALF_UP))
        for raw in range(total + 1)
    }


def _score_written(attempt_ids: list[int]) -> None:
    """Count correct answers for a set of attempts and look each raw score up in its form's
    conversion table: three grouped queries, then one UPDATE per distinct score."""
    attempts = list(Attempt.objects.filter(pk__in=attempt_ids).only("pk", "form_id"))
    form_ids = {a.form_id for a in attempts}
    totals = dict(
        FormItem.objects.filter(form_id__in=form_ids, item__kind=ItemKind.MULTIPLE_CHOICE)
        .values("form_id")
        .annotate(n=Count("id"))
        .values_list("form_id", "n")
    )
    tables = {
        (form_id, raw): scaled
        for form_id, raw, scaled in ScaleConversion.objects.filter(form_id__in=form_ids).values_list(
            "form_id", "raw", "scaled"
        )
    }
    correct = dict(
        Answer.objects.filter(attempt_id__in=attempt_ids, choice=F("item__key"))
        .values("attempt_id")
        .annotate(n=Count("id"))
        .values_list("attempt_id", "n")
    )
    groups: dict[tuple[int, int, int | None], list[int]] = defaultdict(list)
    for a in attempts:
        raw, total = correct.get(a.pk, 0), totals.get(a.form_id, 0)
        groups[(raw, total, tables.get((a.form_id, raw)))].append(a.pk)
    _update_groups(groups, ("written_raw", "written_total", "written_scaled"))


def _update_groups(groups: dict[tuple, list[int]], fields: tuple[str, ...], **common) -> None:
    """One UPDATE per distinct set of values (at most a few hundred), never one per attempt.

    bulk_update's CASE per row grows with the number of rows; scores take few distinct values.
    """
    for values, ids in groups.items():
        Attempt.objects.filter(pk__in=ids).update(**dict(zip(fields, values, strict=True)), **common)


def task_final_points(scores: list[int], tolerance: int) -> Decimal | None:
    """A practical task's points from its graders' totals, in grading order; None while incomplete.

    Two graders within tolerance: their mean. Further apart: the adjudicator's total averaged with the
    nearer of the first two (the nearer one wins a tie by coming first).
    """
    if len(scores) < 2:
        return None
    first, second = scores[0], scores[1]
    if abs(first - second) <= tolerance:
        return Decimal(first + second) / 2
    if len(scores) < 3:
        return None
    third = scores[2]
    nearer = first if abs(first - third) <= abs(second - third) else second
    return Decimal(third + nearer) / 2


def _audit_many(*, actor: Actor, action: ExamsAuditAction, rows: list[tuple[int, str, dict, dict]]) -> None:
    audit_record_many(actor=actor, action=action, object_type="exams.attempt", rows=rows)


def _finalize(*, actor: Actor, attempt_ids: list[int]) -> list[int]:
    """Decide pass or fail for every submitted attempt whose written part is in and practical tasks resolved.

    Set-based, whatever the number of attempts: the attempts, their forms' tasks and all grader scores are
    read in three queries; results written with one bulk update, one audit insert and one notification
    insert. Returns the ids scored now.
    """
    attempts = list(
        Attempt.objects.select_for_update()
        .filter(pk__in=attempt_ids, status=AttemptStatus.SUBMITTED)
        .select_related("form", "person")
    )
    if not attempts:
        return []
    form_ids = {a.form_id for a in attempts}
    tasks_by_form: dict[int, list[tuple[int, int, int]]] = defaultdict(list)
    for form_id, task_id, tolerance, max_points in (
        FormItem.objects.filter(form_id__in=form_ids, item__kind=ItemKind.PRACTICAL)
        .values("form_id", "item_id", "item__tolerance")
        .annotate(max_points=Sum("item__criteria__points"))
        .values_list("form_id", "item_id", "item__tolerance", "max_points")
    ):
        tasks_by_form[form_id].append((task_id, tolerance or 0, max_points or 0))
    scores: dict[tuple[int, int], list[int]] = defaultdict(list)
    for attempt_id, task_id, total in (
        PracticalScore.objects.filter(attempt_id__in=[a.pk for a in attempts])
        .order_by("attempt_id", "task_id", "sequence")
        .values_list("attempt_id", "task_id", "total")
    ):
        scores[(attempt_id, task_id)].append(total)
    now = clock.now()
    done = []
    for attempt in attempts:
        form, tasks = attempt.form, tasks_by_form.get(attempt.form_id, [])
        finals = [
            task_final_points(scores.get((attempt.pk, task_id), []), tolerance) for task_id, tolerance, _ in tasks
        ]
        if any(f is None for f in finals):
            continue
        practical_points = sum(finals, Decimal(0))
        practical_total = sum(m for _, _, m in tasks)
        written = attempt.written_raw if form.pass_rule == PassRule.RAW else attempt.written_scaled
        practical_ok = not tasks or practical_points * 100 >= Decimal(practical_total) * form.practical_cut_percent
        attempt.practical_points = practical_points if tasks else None
        attempt.practical_total = practical_total if tasks else None
        attempt.result = Result.PASSED if (written or 0) >= form.cut_score and practical_ok else Result.FAILED
        transition(attempt, AttemptStatus.SCORED, allowed=ATTEMPT_TRANSITIONS, noun=ATTEMPT)
        attempt.scored_at, attempt.updated_at = now, now
        done.append(attempt)
    if not done:
        return []
    groups: dict[tuple, list[int]] = defaultdict(list)
    for a in done:
        groups[(a.practical_points, a.practical_total, a.result)].append(a.pk)
    _update_groups(
        groups,
        ("practical_points", "practical_total", "result"),
        status=AttemptStatus.SCORED,
        scored_at=now,
        updated_at=now,
    )
    _audit_many(
        actor=actor,
        action=ExamsAuditAction.ATTEMPT_SCORE,
        rows=[
            (
                a.pk,
                str(a),
                {"status": AttemptStatus.SUBMITTED},
                {
                    "status": a.status,
                    "result": a.result,
                    "written_raw": a.written_raw,
                    "written_scaled": a.written_scaled,
                    "practical_points": str(a.practical_points) if a.practical_points is not None else None,
                },
            )
            for a in done
        ],
    )
    _tell_scored(done)
    return [a.pk for a in done]


def _tell_scored(done: list[Attempt]) -> None:
    """Tell each candidate their score report is ready, in their own language.

    Set-based like the scoring: one insert for those who passed and one for those who did not,
    so the link is the candidate's exam page (it lists each attempt's report) rather than one
    report. A candidate who cannot sign in is emailed at the address on record, as
    core.tell.tell_person does.
    """
    people = Person.objects.filter(pk__in=[a.person_id for a in done]).select_related("user__person")
    people = {person.pk: person for person in people}
    subject = gettext_noop("Your exam score report is ready")
    bodies = {
        Result.PASSED: gettext_noop("You passed the certification exam."),
        Result.FAILED: gettext_noop("You did not pass this time. Your score report shows each content area."),
    }
    link = reverse("exams:my_exam")
    for result, body in bodies.items():
        told = [people[a.person_id] for a in done if a.result == result]
        tell_users([person.user for person in told if person.user_id], subject=subject, body=body, link=link)
        for person in (person for person in told if not person.user_id):
            tell_email(person.email, language=person.preferred_language, subject=subject, body=body)


@transaction.atomic
def practical_score_record(*, actor: Actor, attempt: Attempt, task: Item, points: dict[int, int]) -> PracticalScore:
    """A grader scores one practical task against its rubric (points per criterion id).

    Preconditions: a grader (exam administrator) who has not scored this task for this attempt;
    written part submitted; the task on the attempt's form; every criterion scored within its
    points. A third (adjudicating) score is taken only when the first two differ by more than the
    task's tolerance. Side effects: score and criterion rows; audit practical.score; the result
    decided when nothing else is outstanding.
    """
    _system_or(actor, perms.can_grade, "Only an exam grader may score practical tasks.")
    attempt = _lock(Attempt, attempt.pk)
    ensure_not_own_matter(actor, attempt.person_id, what="exam")
    if attempt.status != AttemptStatus.SUBMITTED:
        raise ApplicationError(
            "Practical tasks are graded after the written part is handed in and before the result is final.",
            code="state",
        )
    if not FormItem.objects.filter(form_id=attempt.form_id, item=task, item__kind=ItemKind.PRACTICAL).exists():
        raise ApplicationError("That task is not on this candidate's form.")
    criteria = {c.pk: c for c in task.criteria.all()}
    if set(points) != set(criteria):
        raise ApplicationError("Score every rubric criterion.", field="points")
    for pk, value in points.items():
        if not isinstance(value, int) or not 0 <= value <= criteria[pk].points:
            raise ApplicationError(
                "“%(label)s” takes 0 to %(points)s points.",
                params={"label": criteria[pk].label, "points": criteria[pk].points},
                field="points",
            )
    previous = list(PracticalScore.objects.filter(attempt=attempt, task=task).order_by("sequence"))
    if any(s.grader_id == actor.pk for s in previous):
        raise ApplicationError(
            "You already scored this task for this candidate; another grader must score it.", code="duplicate"
        )
    if len(previous) >= 3 or (
        len(previous) == 2 and task_final_points([s.total for s in previous], task.tolerance or 0) is not None
    ):
        raise ApplicationError("This task needs no more scores.", code="state")
    total = sum(points.values())
    try:
        with transaction.atomic():
            score = PracticalScore.objects.create(
                attempt=attempt, task=task, grader=actor, sequence=len(previous) + 1, total=total
            )
    except IntegrityError:
        raise ApplicationError(
            "Another grader scored this task at the same moment. Reload the page.", code="conflict"
        ) from None
    CriterionScore.objects.bulk_create(
        [CriterionScore(score=score, criterion_id=pk, points=v) for pk, v in points.items()]
    )
    audit_record(
        actor=actor,
        action=ExamsAuditAction.PRACTICAL_SCORE,
        obj=score,
        after={"attempt": attempt.pk, "task": task.pk, "sequence": score.sequence, "total": total},
    )
    _finalize(actor=actor, attempt_ids=[attempt.pk])
    return score
