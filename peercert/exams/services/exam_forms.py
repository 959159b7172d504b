"""Exam forms: the blueprint, assembly from approved items, approval, publication and retirement."""

from django.db import transaction
from django.db.models import Count
from django.utils.translation import gettext

from peercert.accounts.models import CertificationProgram
from peercert.core import clock
from peercert.core.audit import audit_record
from peercert.core.errors import ApplicationError
from peercert.core.rules import rules_on
from peercert.core.transitions import check_transition, transition
from peercert.core.types import Actor
from peercert.core.vocabulary import ExamContentArea
from peercert.exams import permissions as perms
from peercert.exams.audit import ExamsAuditAction
from peercert.exams.models import (
    FORM_TRANSITIONS,
    BlueprintRow,
    ExamForm,
    FormItem,
    FormStatus,
    Item,
    ItemKind,
    ItemStatus,
    PassRule,
    ScaleConversion,
)
from peercert.exams.services._common import (
    FORM,
    _lock,
    _system_or,
)


@transaction.atomic
def form_create(
    *,
    actor: Actor,
    program: CertificationProgram,
    code: str,
    name: str,
    blueprint: dict[str, int],
    practical_task_count: int = 0,
    pass_rule: str = PassRule.SCALED,
    cut_score: int,
    scale_max: int = 100,
    practical_cut_percent: int = 70,
) -> ExamForm:
    """Create a draft form with its blueprint (items per content area) and pass rule.

    Preconditions: exam administrator; unique code; counts not negative and at least one item; a cut
    score that can be reached. Side effects: form and blueprint rows; audit form.create.
    """
    _system_or(actor, perms.can_manage_forms, "Only an exam administrator may build exam forms.")
    code = (code or "").strip().lower()
    if ExamForm.objects.filter(code=code).exists():
        raise ApplicationError(
            "Form code %(code)s is already used.", params={"code": code}, code="duplicate", field="code"
        )
    unknown = set(blueprint) - set(ExamContentArea.values)
    if unknown:
        raise ApplicationError(
            "Unknown content areas: %(areas)s.", params={"areas": ", ".join(sorted(unknown))}, field="blueprint"
        )
    if any(n < 0 for n in blueprint.values()) or sum(blueprint.values()) == 0:
        raise ApplicationError(
            "Give each content area a count of items (0 or more), at least one item in all.", field="blueprint"
        )
    total = sum(blueprint.values())
    if pass_rule not in PassRule.values:
        raise ApplicationError("Choose the raw or the scaled pass rule.", field="pass_rule")
    ceiling = total if pass_rule == PassRule.RAW else scale_max
    if not 0 < cut_score <= ceiling:
        raise ApplicationError(
            "The cut score must be between 1 and %(ceiling)s for this rule.",
            params={"ceiling": ceiling},
            field="cut_score",
        )
    if not 0 <= practical_cut_percent <= 100:
        raise ApplicationError("The practical pass mark is a percent from 0 to 100.", field="practical_cut_percent")
    form = ExamForm.objects.create(
        program=program,
        code=code,
        name=name.strip(),
        practical_task_count=practical_task_count,
        pass_rule=pass_rule,
        cut_score=cut_score,
        scale_max=scale_max,
        practical_cut_percent=practical_cut_percent,
    )
    BlueprintRow.objects.bulk_create(
        [BlueprintRow(form=form, content_area=a, item_count=n) for a, n in blueprint.items() if n > 0]
    )
    audit_record(
        actor=actor,
        action=ExamsAuditAction.FORM_CREATE,
        obj=form,
        after={
            "code": code,
            "blueprint": blueprint,
            "practical_task_count": practical_task_count,
            "pass_rule": pass_rule,
            "cut_score": cut_score,
        },
    )
    return form


@transaction.atomic
def form_assemble(*, actor: Actor, form: ExamForm) -> ExamForm:
    """Pick approved items for every blueprint row (and the practical tasks) at random.

    Preconditions: exam administrator; form draft or assembled (re-assembling replaces the picks);
    the bank holds enough approved items in every area, else refused naming each short area.
    Side effects: the form's items replaced (bulk); status assembled; audit form.assemble.
    """
    _system_or(actor, perms.can_manage_forms, "Only an exam administrator may assemble exam forms.")
    form = _lock(ExamForm, form.pk)
    check_transition(form, FormStatus.ASSEMBLED, allowed=FORM_TRANSITIONS, noun=FORM)
    wanted = {row.content_area: row.item_count for row in form.blueprint.all()}
    approved = Item.objects.filter(program=form.program, status=ItemStatus.APPROVED)
    have = dict(
        approved.filter(kind=ItemKind.MULTIPLE_CHOICE)
        .values("content_area")
        .annotate(n=Count("id"))
        .values_list("content_area", "n")
    )
    labels = dict(ExamContentArea.choices)
    short = [
        gettext("%(area)s: needs %(needed)s, %(have)s approved")
        % {"area": labels[a], "needed": n, "have": have.get(a, 0)}
        for a, n in sorted(wanted.items())
        if have.get(a, 0) < n
    ]
    practical_have = approved.filter(kind=ItemKind.PRACTICAL).count()
    if practical_have < form.practical_task_count:
        short.append(
            gettext("Practical tasks: needs %(needed)s, %(have)s approved")
            % {"needed": form.practical_task_count, "have": practical_have}
        )
    if short:
        raise ApplicationError(
            "The item bank is short of approved items. %(short)s.", params={"short": "; ".join(short)}, code="conflict"
        )
    picked: list[int] = []
    for area, n in sorted(wanted.items()):
        picked += list(
            approved.filter(kind=ItemKind.MULTIPLE_CHOICE, content_area=area)
            .order_by("?")
            .values_list("pk", flat=True)[:n]
        )
    if form.practical_task_count:
        picked += list(
            approved.filter(kind=ItemKind.PRACTICAL)
            .order_by("?")
            .values_list("pk", flat=True)[: form.practical_task_count]
        )
    FormItem.objects.filter(form=form).delete()
    FormItem.objects.bulk_create([FormItem(form=form, item_id=pk, position=i) for i, pk in enumerate(picked, 1)])
    before = {"status": transition(form, FormStatus.ASSEMBLED, allowed=FORM_TRANSITIONS, noun=FORM)}
    form.assembled_at = clock.now()
    form.save(update_fields=["status", "assembled_at", "updated_at"])
    audit_record(
        actor=actor,
        action=ExamsAuditAction.FORM_ASSEMBLE,
        obj=form,
        before=before,
        after={"status": form.status, "items": len(picked)},
    )
    return form


def _check_conversion(form: ExamForm, total: int, conversion: dict[int, int]) -> list[tuple[int, int]]:
    """A conversion table covers every raw score 0..total once, within the scale, never going down."""
    try:
        rows = sorted((int(raw), int(scaled)) for raw, scaled in conversion.items())
    except (TypeError, ValueError):
        raise ApplicationError(
            "Each line of the table is a raw score and a scaled score.", field="conversion"
        ) from None
    if [raw for raw, _ in rows] != list(range(total + 1)):
        raise ApplicationError(
            "The conversion table needs one scaled score for each raw score from 0 to %(total)s.",
            params={"total": total},
            field="conversion",
        )
    for (raw, scaled), (_prev_raw, prev_scaled) in zip(rows, [(None, 0), *rows], strict=False):
        if not 0 <= scaled <= form.scale_max:
            raise ApplicationError(
                "Raw score %(raw)s: a scaled score is from 0 to %(top)s.",
                params={"raw": raw, "top": form.scale_max},
                field="conversion",
            )
        if scaled < prev_scaled:
            raise ApplicationError(
                "Raw score %(raw)s converts lower than the raw score before it. A higher raw score never scales lower.",
                params={"raw": raw},
                field="conversion",
            )
    if form.pass_rule == PassRule.SCALED and rows[-1][1] < form.cut_score:
        raise ApplicationError(
            "No raw score reaches the scaled cut score of %(cut)s with this table.",
            params={"cut": form.cut_score},
            field="conversion",
        )
    return rows


@transaction.atomic
def form_approve(*, actor: Actor, form: ExamForm, conversion: dict[int, int] | None = None) -> ExamForm:
    """The program manager approves an assembled form and sets its conversion table (raw to scaled).

    Preconditions: program manager; assembled; every item still approved; exactly ProgramRules
    exam_items multiple-choice items (the number an attempt presents); a scaled-rule form needs a
    table covering every raw score 0..items, within the scale, never going down, reaching the cut.
    A raw-rule form may be given one (its report then shows a scaled score too).
    Side effects: status approved; the table's rows; audit form.approve with the table.
    """
    _system_or(actor, perms.can_approve_forms, "Only a program manager may approve exam forms.")
    form = _lock(ExamForm, form.pk)
    check_transition(form, FormStatus.APPROVED, allowed=FORM_TRANSITIONS, noun=FORM)
    stale = list(form.form_items.exclude(item__status=ItemStatus.APPROVED).values_list("item__code", flat=True))
    if stale:
        raise ApplicationError(
            "These items are no longer approved: %(codes)s. Assemble the form again.",
            params={"codes": ", ".join(stale)},
            code="conflict",
        )
    total = form.form_items.filter(item__kind=ItemKind.MULTIPLE_CHOICE).count()
    wanted = rules_on().exam_items
    if total != wanted:
        raise ApplicationError(
            "This form has %(have)s questions; the program rules say the written exam has %(need)s. "
            "Change the blueprint and assemble the form again.",
            params={"have": total, "need": wanted},
            code="conflict",
        )
    if conversion is None and form.pass_rule == PassRule.SCALED:
        raise ApplicationError(
            "Give the form's conversion table (a scaled score for each raw score) to approve it.", field="conversion"
        )
    rows = _check_conversion(form, total, conversion) if conversion is not None else []
    transition(form, FormStatus.APPROVED, allowed=FORM_TRANSITIONS, noun=FORM)
    form.approved_by, form.approved_at = actor, clock.now()
    form.save(update_fields=["status", "approved_by", "approved_at", "updated_at"])
    ScaleConversion.objects.filter(form=form).delete()
    ScaleConversion.objects.bulk_create([ScaleConversion(form=form, raw=raw, scaled=scaled) for raw, scaled in rows])
    audit_record(
        actor=actor,
        action=ExamsAuditAction.FORM_APPROVE,
        obj=form,
        before={"status": FormStatus.ASSEMBLED},
        after={"status": form.status, "items": total, "conversion": {str(r): v for r, v in rows}},
    )
    return form


@transaction.atomic
def form_publish(*, actor: Actor, form: ExamForm) -> ExamForm:
    """Make an approved form available for sessions. Exam administrator. Audit form.publish."""
    _system_or(actor, perms.can_manage_forms, "Only an exam administrator may publish exam forms.")
    form = _lock(ExamForm, form.pk)
    transition(form, FormStatus.PUBLISHED, allowed=FORM_TRANSITIONS, noun=FORM)
    form.published_at = clock.now()
    form.save(update_fields=["status", "published_at", "updated_at"])
    audit_record(
        actor=actor,
        action=ExamsAuditAction.FORM_PUBLISH,
        obj=form,
        before={"status": FormStatus.APPROVED},
        after={"status": form.status},
    )
    return form


@transaction.atomic
def form_retire(*, actor: Actor, form: ExamForm) -> ExamForm:
    """Stop using a published form for new sessions. Exam administrator. Audit form.retire."""
    _system_or(actor, perms.can_manage_forms, "Only an exam administrator may retire exam forms.")
    form = _lock(ExamForm, form.pk)
    transition(form, FormStatus.RETIRED, allowed=FORM_TRANSITIONS, noun=FORM)
    form.save(update_fields=["status", "updated_at"])
    audit_record(
        actor=actor,
        action=ExamsAuditAction.FORM_RETIRE,
        obj=form,
        before={"status": FormStatus.PUBLISHED},
        after={"status": form.status},
    )
    return form
