"""The item bank: writing items, their versions, and their review by the program and DHCS."""

from django.db import transaction

from peercert.accounts.models import CertificationProgram
from peercert.core import clock
from peercert.core.audit import audit_record, snapshot
from peercert.core.errors import ApplicationError
from peercert.core.transitions import transition
from peercert.core.types import Actor
from peercert.core.vocabulary import ExamContentArea
from peercert.exams import permissions as perms
from peercert.exams.audit import ExamsAuditAction
from peercert.exams.models import (
    ITEM_TRANSITIONS,
    OPTION_LETTERS,
    Item,
    ItemKind,
    ItemStatus,
    RubricCriterion,
)
from peercert.exams.services._common import (
    ITEM,
    _forbid,
    _lock,
    _system_or,
)

ITEM_FIELDS = ("code", "version", "kind", "content_area", "competency", "stem", "options", "key", "tolerance", "status")


def _validate_item_content(*, kind: str, stem: str, options: list, key, tolerance, criteria: list) -> None:
    if not (stem or "").strip():
        raise ApplicationError("Write the question or scenario.", field="stem")
    if kind == ItemKind.MULTIPLE_CHOICE:
        options = [o for o in options if (o or "").strip()]
        if not 2 <= len(options) <= len(OPTION_LETTERS):
            raise ApplicationError(
                "A multiple-choice item needs 2 to %(most)s answer options.",
                params={"most": len(OPTION_LETTERS)},
                field="options",
            )
        if key is None or not 0 <= key < len(options):
            raise ApplicationError("Choose which option is correct.", field="key")
    elif kind == ItemKind.PRACTICAL:
        if not criteria:
            raise ApplicationError(
                "A practical task needs at least one rubric criterion with points.", field="criteria"
            )
        for label, points in criteria:
            if not (label or "").strip() or not isinstance(points, int) or points <= 0:
                raise ApplicationError(
                    "Each rubric criterion needs a description and whole points above zero.", field="criteria"
                )
        if tolerance is None or tolerance < 0:
            raise ApplicationError("Set the grader tolerance in points (0 or more).", field="tolerance")
    else:
        raise ApplicationError("Choose a multiple-choice item or a practical task.", field="kind")


@transaction.atomic
def item_create(
    *,
    actor: Actor,
    program: CertificationProgram,
    code: str,
    kind: str,
    content_area: str,
    stem: str,
    competency: str = "",
    options: list | None = None,
    key: int | None = None,
    tolerance: int | None = None,
    criteria: list[tuple[str, int]] | None = None,
) -> Item:
    """Draft a new item (version 1) in a program's bank.

    Preconditions: the actor writes items (exam administrator); the code is new in the program; the
    content is complete for its kind. Side effects: the item and its rubric criteria; audit item.create.
    """
    _system_or(actor, perms.can_write_items, "Only an exam administrator may write exam items.")
    if content_area not in ExamContentArea.values:
        raise ApplicationError("Choose one of the eight content areas.", field="content_area")
    options = [o.strip() for o in (options or []) if (o or "").strip()]
    criteria = criteria or []
    _validate_item_content(kind=kind, stem=stem, options=options, key=key, tolerance=tolerance, criteria=criteria)
    code = code.strip().upper()
    if Item.objects.filter(program=program, code=code).exists():
        raise ApplicationError(
            "Item code %(code)s is already used. Choose another, or make a new version of it.",
            params={"code": code},
            code="duplicate",
            field="code",
        )
    item = Item.objects.create(
        program=program,
        code=code,
        version=1,
        kind=kind,
        content_area=content_area,
        competency=competency.strip(),
        stem=stem.strip(),
        options=options if kind == ItemKind.MULTIPLE_CHOICE else [],
        key=key if kind == ItemKind.MULTIPLE_CHOICE else None,
        tolerance=tolerance if kind == ItemKind.PRACTICAL else None,
        written_by=actor,
    )
    if kind == ItemKind.PRACTICAL:
        RubricCriterion.objects.bulk_create(
            [
                RubricCriterion(item=item, position=i, label=label.strip(), points=points)
                for i, (label, points) in enumerate(criteria, start=1)
            ]
        )
    audit_record(actor=actor, action=ExamsAuditAction.ITEM_CREATE, obj=item, after=snapshot(item, ITEM_FIELDS))
    return item


@transaction.atomic
def item_update(
    *,
    actor: Actor,
    item: Item,
    stem: str,
    competency: str = "",
    options: list | None = None,
    key: int | None = None,
    tolerance: int | None = None,
    criteria: list[tuple[str, int]] | None = None,
) -> Item:
    """Edit a draft or returned item in place.

    Preconditions: exam administrator; status draft or returned (an approved item changes only by a
    new version, so what DHCS approved is never rewritten). Side effects: audit item.update.
    """
    _system_or(actor, perms.can_write_items, "Only an exam administrator may edit exam items.")
    item = _lock(Item, item.pk)
    if item.status not in (ItemStatus.DRAFT, ItemStatus.RETURNED):
        raise ApplicationError("Only a draft or returned item can be edited. Make a new version instead.", code="state")
    options = [o.strip() for o in (options or []) if (o or "").strip()]
    criteria = criteria or []
    _validate_item_content(kind=item.kind, stem=stem, options=options, key=key, tolerance=tolerance, criteria=criteria)
    before = snapshot(item, ITEM_FIELDS)
    item.stem, item.competency = stem.strip(), competency.strip()
    if item.kind == ItemKind.MULTIPLE_CHOICE:
        item.options, item.key = options, key
    else:
        item.tolerance = tolerance
        item.criteria.all().delete()
        RubricCriterion.objects.bulk_create(
            [
                RubricCriterion(item=item, position=i, label=label.strip(), points=points)
                for i, (label, points) in enumerate(criteria, start=1)
            ]
        )
    item.save(update_fields=["stem", "competency", "options", "key", "tolerance", "updated_at"])
    audit_record(
        actor=actor, action=ExamsAuditAction.ITEM_UPDATE, obj=item, before=before, after=snapshot(item, ITEM_FIELDS)
    )
    return item


@transaction.atomic
def item_new_version(*, actor: Actor, item: Item) -> Item:
    """Start a new draft version of an approved or retired item, copying its content and rubric.

    Preconditions: exam administrator; no other version of the code is still being worked on.
    Side effects: a new Item row (version + 1); audit item.new_version. The approved version stays
    in use until the new one is approved.
    """
    _system_or(actor, perms.can_write_items, "Only an exam administrator may write exam items.")
    item = _lock(Item, item.pk)
    if item.status not in (ItemStatus.APPROVED, ItemStatus.RETIRED):
        raise ApplicationError(
            "Edit this version directly; only approved or retired items get a new version.", code="state"
        )
    siblings = Item.objects.filter(program=item.program, code=item.code)
    if siblings.filter(
        status__in=[ItemStatus.DRAFT, ItemStatus.IN_REVIEW, ItemStatus.AWAITING_DHCS, ItemStatus.RETURNED]
    ).exists():
        raise ApplicationError(
            "A newer version of %(code)s is already being worked on.", params={"code": item.code}, code="conflict"
        )
    latest = max(siblings.values_list("version", flat=True))
    new = Item.objects.create(
        program=item.program,
        code=item.code,
        version=latest + 1,
        kind=item.kind,
        content_area=item.content_area,
        competency=item.competency,
        stem=item.stem,
        options=item.options,
        key=item.key,
        tolerance=item.tolerance,
        written_by=actor,
    )
    RubricCriterion.objects.bulk_create(
        [RubricCriterion(item=new, position=c.position, label=c.label, points=c.points) for c in item.criteria.all()]
    )
    audit_record(
        actor=actor, action=ExamsAuditAction.ITEM_NEW_VERSION, obj=new, after={"from": item.pk, "version": new.version}
    )
    return new


def _item_move(
    *, actor: Actor, item: Item, to: str, action: ExamsAuditAction, reason: str = "", extra: dict | None = None
) -> Item:
    item = _lock(Item, item.pk)
    before = {"status": transition(item, to, allowed=ITEM_TRANSITIONS, noun=ITEM)}
    fields = ["status", "updated_at"]
    for name, value in (extra or {}).items():
        setattr(item, name, value)
        fields.append(name)
    item.save(update_fields=fields)
    audit_record(actor=actor, action=action, obj=item, before=before, after={"status": to}, reason=reason)
    return item


@transaction.atomic
def item_submit(*, actor: Actor, item: Item) -> Item:
    """Send a draft or returned item to program review. Exam administrator. Audit item.submit."""
    _system_or(actor, perms.can_write_items, "Only an exam administrator may submit items for review.")
    return _item_move(
        actor=actor,
        item=item,
        to=ItemStatus.IN_REVIEW,
        action=ExamsAuditAction.ITEM_SUBMIT,
        extra={"return_reason": ""},
    )


@transaction.atomic
def item_review_pass(*, actor: Actor, item: Item) -> Item:
    """The program accepts an item and sends it to DHCS. Program reviewer or manager, not the writer."""
    _system_or(actor, perms.can_review_items, "Only a program reviewer or manager may review exam items.")
    if actor is not None and item.written_by_id == actor.pk:
        raise _forbid("Someone other than the writer must review an item.")
    return _item_move(actor=actor, item=item, to=ItemStatus.AWAITING_DHCS, action=ExamsAuditAction.ITEM_REVIEW_PASS)


@transaction.atomic
def item_return(*, actor: Actor, item: Item, reason: str) -> Item:
    """Return an item to its writer with a reason: the program at review, DHCS at approval."""
    if not (reason or "").strip():
        raise ApplicationError("Say what needs to change.", field="reason")
    current = Item.objects.get(pk=item.pk).status
    if current == ItemStatus.AWAITING_DHCS:
        _system_or(actor, perms.can_approve_items, "Only a DHCS approver may return an item waiting for DHCS.")
    else:
        _system_or(actor, perms.can_review_items, "Only a program reviewer or manager may return an item.")
    return _item_move(
        actor=actor,
        item=item,
        to=ItemStatus.RETURNED,
        action=ExamsAuditAction.ITEM_RETURN,
        reason=reason,
        extra={"return_reason": reason.strip()},
    )


@transaction.atomic
def item_approve(*, actor: Actor, item: Item) -> Item:
    """DHCS approves an item for use. Earlier approved versions of the same code are retired (kept).

    Preconditions: DHCS approver; item waiting for DHCS. Side effects: approved_by/at; older versions
    retired in one update; audit item.approve (and item.retire for each older version).
    """
    _system_or(actor, perms.can_approve_items, "Only a DHCS approver may approve exam items.")
    item = _item_move(
        actor=actor,
        item=item,
        to=ItemStatus.APPROVED,
        action=ExamsAuditAction.ITEM_APPROVE,
        extra={"approved_by": actor, "approved_at": clock.now()},
    )
    older = list(
        Item.objects.select_for_update()
        .filter(program=item.program, code=item.code, status=ItemStatus.APPROVED)
        .exclude(pk=item.pk)
    )
    for version in older:
        transition(version, ItemStatus.RETIRED, allowed=ITEM_TRANSITIONS, noun=ITEM)
    if older:
        Item.objects.filter(pk__in=[version.pk for version in older]).update(status=ItemStatus.RETIRED)
        for version in older:
            audit_record(
                actor=actor,
                action=ExamsAuditAction.ITEM_RETIRE,
                object_type="exams.item",
                object_id=version.pk,
                before={"status": ItemStatus.APPROVED},
                after={"status": ItemStatus.RETIRED},
                reason=f"Replaced by version {item.version}",
            )
    return item


@transaction.atomic
def item_retire(*, actor: Actor, item: Item, reason: str = "") -> Item:
    """Take an item out of use. It is kept, and stays on forms already published. Exam administrator."""
    _system_or(actor, perms.can_write_items, "Only an exam administrator may retire items.")
    return _item_move(actor=actor, item=item, to=ItemStatus.RETIRED, action=ExamsAuditAction.ITEM_RETIRE, reason=reason)
