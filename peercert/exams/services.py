"""Every change to the exam's records. Each service: lock, check, change, audit."""

import csv
import datetime
import io
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

from django.db import IntegrityError, transaction
from django.db.models import Count, F, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop

from peercert.accounts.models import CertificationProgram, Person
from peercert.core import clock
from peercert.core.audit import audit_record, audit_record_many, snapshot
from peercert.core.duties import ensure_not_own_matter
from peercert.core.errors import ApplicationError
from peercert.core.rules import rules_on
from peercert.core.tell import tell_email, tell_person, tell_users
from peercert.core.transitions import check_transition, transition
from peercert.core.types import Actor
from peercert.core.uploads import validate_upload
from peercert.core.vocabulary import ExamContentArea
from peercert.exams import permissions as perms
from peercert.exams.audit import ExamsAuditAction
from peercert.exams.models import (
    ACCOMMODATION_TRANSITIONS,
    ATTEMPT_TRANSITIONS,
    FORM_TRANSITIONS,
    ITEM_TRANSITIONS,
    OPTION_LETTERS,
    REGISTRATION_TRANSITIONS,
    SESSION_TRANSITIONS,
    AccommodationKind,
    AccommodationRequest,
    AccommodationStatus,
    Answer,
    Attempt,
    AttemptFee,
    AttemptStatus,
    BlueprintRow,
    CriterionScore,
    Delivery,
    ExamAuthorization,
    ExamForm,
    ExamSession,
    FormItem,
    FormStatus,
    Incident,
    Item,
    ItemKind,
    ItemStatus,
    PassRule,
    PracticalScore,
    Registration,
    RegistrationStatus,
    Result,
    RubricCriterion,
    SessionStatus,
)
from peercert.exams.selectors import current_authorization

# ---------------------------------------------------------------------------------------------
# helpers
# ---------------------------------------------------------------------------------------------


def _forbid(message: str, params: dict | None = None) -> ApplicationError:
    return ApplicationError(message, code="forbidden", params=params)


# What a refused status change calls each record ("This session is cancelled, so it cannot become ...").
ATTEMPT = gettext_noop("attempt")
FORM = gettext_noop("form")
ITEM = gettext_noop("item")
REGISTRATION = gettext_noop("registration")
REQUEST = gettext_noop("request")
SESSION = gettext_noop("session")


def _system_or(actor: Actor, rule, message: str, params: dict | None = None) -> None:
    if actor is not None and not rule(actor):
        raise _forbid(message, params)


def _lock(model, pk):
    return model.objects.select_for_update().get(pk=pk)


# ---------------------------------------------------------------------------------------------
# Item bank
# ---------------------------------------------------------------------------------------------

ITEM_FIELDS = ("code", "version", "kind", "content_area", "competency", "stem", "options", "key", "tolerance",
               "status")


def _validate_item_content(*, kind: str, stem: str, options: list, key, tolerance, criteria: list) -> None:
    if not (stem or "").strip():
        raise ApplicationError("Write the question or scenario.", field="stem")
    if kind == ItemKind.MULTIPLE_CHOICE:
        options = [o for o in options if (o or "").strip()]
        if not 2 <= len(options) <= len(OPTION_LETTERS):
            raise ApplicationError("A multiple-choice item needs 2 to %(most)s answer options.",
                                   params={"most": len(OPTION_LETTERS)}, field="options")
        if key is None or not 0 <= key < len(options):
            raise ApplicationError("Choose which option is correct.", field="key")
    elif kind == ItemKind.PRACTICAL:
        if not criteria:
            raise ApplicationError("A practical task needs at least one rubric criterion with points.",
                                   field="criteria")
        for label, points in criteria:
            if not (label or "").strip() or not isinstance(points, int) or points <= 0:
                raise ApplicationError("Each rubric criterion needs a description and whole points above zero.",
                                       field="criteria")
        if tolerance is None or tolerance < 0:
            raise ApplicationError("Set the grader tolerance in points (0 or more).", field="tolerance")
    else:
        raise ApplicationError("Choose a multiple-choice item or a practical task.", field="kind")


@transaction.atomic
def item_create(*, actor: Actor, program: CertificationProgram, code: str, kind: str, content_area: str, stem: str,
                competency: str = "", options: list | None = None, key: int | None = None,
                tolerance: int | None = None, criteria: list[tuple[str, int]] | None = None) -> Item:
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
        raise ApplicationError("Item code %(code)s is already used. Choose another, or make a new version of it.",
                               params={"code": code}, code="duplicate", field="code")
    item = Item.objects.create(
        program=program, code=code, version=1, kind=kind, content_area=content_area, competency=competency.strip(),
        stem=stem.strip(), options=options if kind == ItemKind.MULTIPLE_CHOICE else [],
        key=key if kind == ItemKind.MULTIPLE_CHOICE else None,
        tolerance=tolerance if kind == ItemKind.PRACTICAL else None, written_by=actor,
    )
    if kind == ItemKind.PRACTICAL:
        RubricCriterion.objects.bulk_create([
            RubricCriterion(item=item, position=i, label=label.strip(), points=points)
            for i, (label, points) in enumerate(criteria, start=1)
        ])
    audit_record(actor=actor, action=ExamsAuditAction.ITEM_CREATE, obj=item, after=snapshot(item, ITEM_FIELDS))
    return item


@transaction.atomic
def item_update(*, actor: Actor, item: Item, stem: str, competency: str = "", options: list | None = None,
                key: int | None = None, tolerance: int | None = None,
                criteria: list[tuple[str, int]] | None = None) -> Item:
    """Edit a draft or returned item in place.

    Preconditions: exam administrator; status draft or returned (an approved item changes only by a
    new version, so what DHCS approved is never rewritten). Side effects: audit item.update.
    """
    _system_or(actor, perms.can_write_items, "Only an exam administrator may edit exam items.")
    item = _lock(Item, item.pk)
    if item.status not in (ItemStatus.DRAFT, ItemStatus.RETURNED):
        raise ApplicationError("Only a draft or returned item can be edited. Make a new version instead.",
                               code="state")
    options = [o.strip() for o in (options or []) if (o or "").strip()]
    criteria = criteria or []
    _validate_item_content(kind=item.kind, stem=stem, options=options, key=key, tolerance=tolerance,
                           criteria=criteria)
    before = snapshot(item, ITEM_FIELDS)
    item.stem, item.competency = stem.strip(), competency.strip()
    if item.kind == ItemKind.MULTIPLE_CHOICE:
        item.options, item.key = options, key
    else:
        item.tolerance = tolerance
        item.criteria.all().delete()
        RubricCriterion.objects.bulk_create([
            RubricCriterion(item=item, position=i, label=label.strip(), points=points)
            for i, (label, points) in enumerate(criteria, start=1)
        ])
    item.save(update_fields=["stem", "competency", "options", "key", "tolerance", "updated_at"])
    audit_record(actor=actor, action=ExamsAuditAction.ITEM_UPDATE, obj=item, before=before, after=snapshot(item, ITEM_FIELDS))
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
        raise ApplicationError("Edit this version directly; only approved or retired items get a new version.",
                               code="state")
    siblings = Item.objects.filter(program=item.program, code=item.code)
    if siblings.filter(status__in=[ItemStatus.DRAFT, ItemStatus.IN_REVIEW, ItemStatus.AWAITING_DHCS,
                                   ItemStatus.RETURNED]).exists():
        raise ApplicationError("A newer version of %(code)s is already being worked on.", params={"code": item.code},
                               code="conflict")
    latest = max(siblings.values_list("version", flat=True))
    new = Item.objects.create(
        program=item.program, code=item.code, version=latest + 1, kind=item.kind, content_area=item.content_area,
        competency=item.competency, stem=item.stem, options=item.options, key=item.key, tolerance=item.tolerance,
        written_by=actor,
    )
    RubricCriterion.objects.bulk_create([
        RubricCriterion(item=new, position=c.position, label=c.label, points=c.points) for c in item.criteria.all()
    ])
    audit_record(actor=actor, action=ExamsAuditAction.ITEM_NEW_VERSION, obj=new, after={"from": item.pk, "version": new.version})
    return new


def _item_move(*, actor: Actor, item: Item, to: str, action: ExamsAuditAction, reason: str = "",
               extra: dict | None = None) -> Item:
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
    return _item_move(actor=actor, item=item, to=ItemStatus.IN_REVIEW, action=ExamsAuditAction.ITEM_SUBMIT,
                      extra={"return_reason": ""})


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
    return _item_move(actor=actor, item=item, to=ItemStatus.RETURNED, action=ExamsAuditAction.ITEM_RETURN, reason=reason,
                      extra={"return_reason": reason.strip()})


@transaction.atomic
def item_approve(*, actor: Actor, item: Item) -> Item:
    """DHCS approves an item for use. Earlier approved versions of the same code are retired (kept).

    Preconditions: DHCS approver; item waiting for DHCS. Side effects: approved_by/at; older versions
    retired in one update; audit item.approve (and item.retire for each older version).
    """
    _system_or(actor, perms.can_approve_items, "Only a DHCS approver may approve exam items.")
    item = _item_move(actor=actor, item=item, to=ItemStatus.APPROVED, action=ExamsAuditAction.ITEM_APPROVE,
                      extra={"approved_by": actor, "approved_at": clock.now()})
    older = list(Item.objects.select_for_update().filter(program=item.program, code=item.code,
                                                          status=ItemStatus.APPROVED).exclude(pk=item.pk))
    for version in older:
        transition(version, ItemStatus.RETIRED, allowed=ITEM_TRANSITIONS, noun=ITEM)
    if older:
        Item.objects.filter(pk__in=[version.pk for version in older]).update(status=ItemStatus.RETIRED)
        for version in older:
            audit_record(actor=actor, action=ExamsAuditAction.ITEM_RETIRE, object_type="exams.item",
                         object_id=version.pk, before={"status": ItemStatus.APPROVED},
                         after={"status": ItemStatus.RETIRED}, reason=f"Replaced by version {item.version}")
    return item


@transaction.atomic
def item_retire(*, actor: Actor, item: Item, reason: str = "") -> Item:
    """Take an item out of use. It is kept, and stays on forms already published. Exam administrator."""
    _system_or(actor, perms.can_write_items, "Only an exam administrator may retire items.")
    return _item_move(actor=actor, item=item, to=ItemStatus.RETIRED, action=ExamsAuditAction.ITEM_RETIRE, reason=reason)


# ---------------------------------------------------------------------------------------------
# Forms
# ---------------------------------------------------------------------------------------------


@transaction.atomic
def form_create(*, actor: Actor, program: CertificationProgram, code: str, name: str, blueprint: dict[str, int],
                practical_task_count: int = 0, pass_rule: str = PassRule.SCALED, cut_score: int,
                scale_max: int = 100, practical_cut_percent: int = 70) -> ExamForm:
    """Create a draft form with its blueprint (items per content area) and pass rule.

    Preconditions: exam administrator; unique code; counts not negative and at least one item; a cut
    score that can be reached. Side effects: form and blueprint rows; audit form.create.
    """
    _system_or(actor, perms.can_manage_forms, "Only an exam administrator may build exam forms.")
    code = (code or "").strip().lower()
    if ExamForm.objects.filter(code=code).exists():
        raise ApplicationError("Form code %(code)s is already used.", params={"code": code}, code="duplicate",
                               field="code")
    unknown = set(blueprint) - set(ExamContentArea.values)
    if unknown:
        raise ApplicationError("Unknown content areas: %(areas)s.", params={"areas": ", ".join(sorted(unknown))},
                               field="blueprint")
    if any(n < 0 for n in blueprint.values()) or sum(blueprint.values()) == 0:
        raise ApplicationError("Give each content area a count of items (0 or more), at least one item in all.",
                               field="blueprint")
    total = sum(blueprint.values())
    if pass_rule not in PassRule.values:
        raise ApplicationError("Choose the raw or the scaled pass rule.", field="pass_rule")
    ceiling = total if pass_rule == PassRule.RAW else scale_max
    if not 0 < cut_score <= ceiling:
        raise ApplicationError("The cut score must be between 1 and %(ceiling)s for this rule.",
                               params={"ceiling": ceiling}, field="cut_score")
    if not 0 <= practical_cut_percent <= 100:
        raise ApplicationError("The practical pass mark is a percent from 0 to 100.", field="practical_cut_percent")
    form = ExamForm.objects.create(
        program=program, code=code, name=name.strip(), practical_task_count=practical_task_count,
        pass_rule=pass_rule, cut_score=cut_score, scale_max=scale_max, practical_cut_percent=practical_cut_percent,
    )
    BlueprintRow.objects.bulk_create([BlueprintRow(form=form, content_area=a, item_count=n)
                                      for a, n in blueprint.items() if n > 0])
    audit_record(actor=actor, action=ExamsAuditAction.FORM_CREATE, obj=form,
                 after={"code": code, "blueprint": blueprint, "practical_task_count": practical_task_count,
                        "pass_rule": pass_rule, "cut_score": cut_score})
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
    have = dict(approved.filter(kind=ItemKind.MULTIPLE_CHOICE).values("content_area")
                .annotate(n=Count("id")).values_list("content_area", "n"))
    labels = dict(ExamContentArea.choices)
    short = [gettext("%(area)s: needs %(needed)s, %(have)s approved")
             % {"area": labels[a], "needed": n, "have": have.get(a, 0)}
             for a, n in sorted(wanted.items()) if have.get(a, 0) < n]
    practical_have = approved.filter(kind=ItemKind.PRACTICAL).count()
    if practical_have < form.practical_task_count:
        short.append(gettext("Practical tasks: needs %(needed)s, %(have)s approved")
                     % {"needed": form.practical_task_count, "have": practical_have})
    if short:
        raise ApplicationError("The item bank is short of approved items. %(short)s.",
                               params={"short": "; ".join(short)}, code="conflict")
    picked: list[int] = []
    for area, n in sorted(wanted.items()):
        picked += list(approved.filter(kind=ItemKind.MULTIPLE_CHOICE, content_area=area)
                       .order_by("?").values_list("pk", flat=True)[:n])
    if form.practical_task_count:
        picked += list(approved.filter(kind=ItemKind.PRACTICAL).order_by("?")
                       .values_list("pk", flat=True)[:form.practical_task_count])
    FormItem.objects.filter(form=form).delete()
    FormItem.objects.bulk_create([FormItem(form=form, item_id=pk, position=i) for i, pk in enumerate(picked, 1)])
    before = {"status": transition(form, FormStatus.ASSEMBLED, allowed=FORM_TRANSITIONS, noun=FORM)}
    form.assembled_at = clock.now()
    form.save(update_fields=["status", "assembled_at", "updated_at"])
    audit_record(actor=actor, action=ExamsAuditAction.FORM_ASSEMBLE, obj=form, before=before,
                 after={"status": form.status, "items": len(picked)})
    return form


@transaction.atomic
def form_approve(*, actor: Actor, form: ExamForm) -> ExamForm:
    """The program manager approves an assembled form. Refused if any item is no longer approved."""
    _system_or(actor, perms.can_approve_forms, "Only a program manager may approve exam forms.")
    form = _lock(ExamForm, form.pk)
    check_transition(form, FormStatus.APPROVED, allowed=FORM_TRANSITIONS, noun=FORM)
    stale = list(form.form_items.exclude(item__status=ItemStatus.APPROVED).values_list("item__code", flat=True))
    if stale:
        raise ApplicationError("These items are no longer approved: %(codes)s. Assemble the form again.",
                               params={"codes": ", ".join(stale)}, code="conflict")
    transition(form, FormStatus.APPROVED, allowed=FORM_TRANSITIONS, noun=FORM)
    form.approved_by, form.approved_at = actor, clock.now()
    form.save(update_fields=["status", "approved_by", "approved_at", "updated_at"])
    audit_record(actor=actor, action=ExamsAuditAction.FORM_APPROVE, obj=form, before={"status": FormStatus.ASSEMBLED},
                 after={"status": form.status})
    return form


@transaction.atomic
def form_publish(*, actor: Actor, form: ExamForm) -> ExamForm:
    """Make an approved form available for sessions. Exam administrator. Audit form.publish."""
    _system_or(actor, perms.can_manage_forms, "Only an exam administrator may publish exam forms.")
    form = _lock(ExamForm, form.pk)
    transition(form, FormStatus.PUBLISHED, allowed=FORM_TRANSITIONS, noun=FORM)
    form.published_at = clock.now()
    form.save(update_fields=["status", "published_at", "updated_at"])
    audit_record(actor=actor, action=ExamsAuditAction.FORM_PUBLISH, obj=form, before={"status": FormStatus.APPROVED},
                 after={"status": form.status})
    return form


@transaction.atomic
def form_retire(*, actor: Actor, form: ExamForm) -> ExamForm:
    """Stop using a published form for new sessions. Exam administrator. Audit form.retire."""
    _system_or(actor, perms.can_manage_forms, "Only an exam administrator may retire exam forms.")
    form = _lock(ExamForm, form.pk)
    transition(form, FormStatus.RETIRED, allowed=FORM_TRANSITIONS, noun=FORM)
    form.save(update_fields=["status", "updated_at"])
    audit_record(actor=actor, action=ExamsAuditAction.FORM_RETIRE, obj=form, before={"status": FormStatus.PUBLISHED},
                 after={"status": form.status})
    return form


# ---------------------------------------------------------------------------------------------
# Authorization to test
# ---------------------------------------------------------------------------------------------


@transaction.atomic
def exam_authorization_grant(*, actor: Actor, person: Person, valid_until: datetime.date,
                             reference: str) -> ExamAuthorization:
    """Authorize a person to test until valid_until, with one paid attempt.

    Called by certification (actor None = system) when the application is approved, training is
    complete and the exam fee is paid; exam administrators may also grant by hand.
    Preconditions: valid_until not in the past; no other authorization still open for the person.
    The same (person, reference) again returns the existing authorization unchanged, so a repeated
    notice is harmless. Side effects: authorization row; audit exam_authorization.grant; the person
    is told (if they have an account).
    """
    _system_or(actor, perms.can_grant_authorization, "Only an exam administrator may authorize a candidate.")
    ensure_not_own_matter(actor, person, what="exam")
    reference = (reference or "").strip()
    if not reference:
        raise ApplicationError("Give a reference (for example the application number).", field="reference")
    Person.objects.select_for_update().get(pk=person.pk)
    existing = ExamAuthorization.objects.filter(person=person, reference=reference).first()
    if existing is not None:
        return existing
    today = clock.today()
    if valid_until < today:
        raise ApplicationError("The authorization would already have ended. Choose a later date.",
                               field="valid_until")
    if ExamAuthorization.objects.filter(person=person, valid_until__gte=today).exists():
        raise ApplicationError("%(person)s is already authorized to test. Wait until that window ends.",
                               params={"person": str(person)}, code="conflict")
    rules = rules_on(today)
    auth = ExamAuthorization.objects.create(person=person, valid_until=valid_until, attempts_paid=1,
                                            reference=reference, rules_version=rules.version,
                                            granted_by=actor if actor is not None else None)
    AttemptFee.objects.create(authorization=auth, reference=reference)
    audit_record(actor=actor, action=ExamsAuditAction.EXAM_AUTHORIZATION_GRANT, obj=auth,
                 after={"person": person.pk, "valid_until": valid_until, "reference": reference,
                        "rules_version": rules.version})
    tell_person(person, subject=gettext_noop("You are authorized to take the certification exam"),
                body=gettext_noop("You may schedule the exam until %(day)s. Choose a session on PeerCert."),
                params={"day": valid_until}, link=reverse("exams:my_exam"))
    return auth


@transaction.atomic
def exam_attempt_paid(*, actor: Actor, person: Person, reference: str) -> ExamAuthorization:
    """Add one paid attempt to the person's open authorization (the retake fee is settled).

    Preconditions: an open authorization; fewer paid attempts than the max-attempts rule allows.
    The same reference twice adds one attempt only. Side effects: attempts_paid + 1, a fee row;
    audit exam_authorization.attempt_paid.
    """
    _system_or(actor, perms.can_grant_authorization, "Only an exam administrator may record a paid attempt.")
    ensure_not_own_matter(actor, person, what="exam")
    auth = current_authorization(person)
    if auth is None:
        raise ApplicationError("%(person)s has no open authorization to test.", params={"person": str(person)},
                               code="state")
    auth = _lock(ExamAuthorization, auth.pk)
    if auth.fees.filter(reference=reference).exists():
        return auth
    rules = rules_on()
    if auth.attempts_paid >= rules.exam_max_attempts:
        raise ApplicationError(
            "%(person)s has already paid for %(paid)s attempts; the limit is %(limit)s in one approval window.",
            params={"person": str(person), "paid": auth.attempts_paid, "limit": rules.exam_max_attempts},
            code="state")
    before = {"attempts_paid": auth.attempts_paid}
    auth.attempts_paid += 1
    auth.save(update_fields=["attempts_paid", "updated_at"])
    AttemptFee.objects.create(authorization=auth, reference=reference)
    audit_record(actor=actor, action=ExamsAuditAction.EXAM_AUTHORIZATION_ATTEMPT_PAID, obj=auth, before=before,
                 after={"attempts_paid": auth.attempts_paid, "reference": reference})
    return auth


# ---------------------------------------------------------------------------------------------
# Sessions and registrations
# ---------------------------------------------------------------------------------------------


@transaction.atomic
def session_create(*, actor: Actor, form: ExamForm, delivery: str, starts_at: datetime.datetime, capacity: int,
                   proctor, site_name: str = "", city: str = "", room: str = "") -> ExamSession:
    """Schedule a session on a published form. Duration comes from the exam_minutes rule.

    Preconditions: exam administrator; published form; a start in the future; an exam administrator
    as proctor; a site for in-person sessions. Side effects: session row; audit session.create.
    """
    _system_or(actor, perms.can_manage_sessions, "Only an exam administrator may schedule sessions.")
    if form.status != FormStatus.PUBLISHED:
        raise ApplicationError("Sessions use a published form only.", code="state", field="form")
    if starts_at <= clock.now():
        raise ApplicationError("The session must start in the future.", field="starts_at")
    if capacity is None or capacity < 1:
        raise ApplicationError("A session needs at least one seat.", field="capacity")
    if not perms.is_exam_admin(proctor):
        raise ApplicationError("The proctor must be an exam administrator.", field="proctor")
    if delivery == Delivery.IN_PERSON and not site_name.strip():
        raise ApplicationError("Name the test site for an in-person session.", field="site_name")
    if delivery not in Delivery.values:
        raise ApplicationError("Choose online or in person.", field="delivery")
    rules = rules_on(timezone.localdate(starts_at))
    session = ExamSession.objects.create(
        program=form.program, form=form, delivery=delivery, starts_at=starts_at, minutes=rules.exam_minutes,
        rules_version=rules.version, capacity=capacity, proctor=proctor, site_name=site_name.strip(),
        city=city.strip(), room=room.strip(),
    )
    audit_record(actor=actor, action=ExamsAuditAction.SESSION_CREATE, obj=session,
                 after={"form": form.pk, "delivery": delivery, "starts_at": starts_at, "capacity": capacity,
                        "minutes": session.minutes, "rules_version": rules.version})
    return session


@transaction.atomic
def session_cancel(*, actor: Actor, session: ExamSession, reason: str) -> ExamSession:
    """Cancel a session: every open registration is cancelled with it and the candidates told."""
    _system_or(actor, perms.can_manage_sessions, "Only an exam administrator may cancel sessions.")
    session = _lock(ExamSession, session.pk)
    check_transition(session, SessionStatus.CANCELLED, allowed=SESSION_TRANSITIONS, noun=SESSION)
    if not (reason or "").strip():
        raise ApplicationError("Say why the session is cancelled; candidates will read it.", field="reason")
    transition(session, SessionStatus.CANCELLED, allowed=SESSION_TRANSITIONS, noun=SESSION)
    session.save(update_fields=["status", "updated_at"])
    open_regs = list(session.registrations.select_for_update(of=("self",)).filter(status=RegistrationStatus.REGISTERED)
                     .select_related("person__user"))
    for reg in open_regs:
        transition(reg, RegistrationStatus.CANCELLED, allowed=REGISTRATION_TRANSITIONS, noun=REGISTRATION)
    Registration.objects.filter(pk__in=[r.pk for r in open_regs]).update(status=RegistrationStatus.CANCELLED)
    for reg in open_regs:
        tell_person(reg.person, subject=gettext_noop("Your exam session was cancelled"),
                    body=gettext_noop("The session on %(day)s was cancelled: %(reason)s. Choose another session."),
                    params={"day": timezone.localdate(session.starts_at), "reason": reason},
                    link=reverse("exams:my_exam"))
    audit_record(actor=actor, action=ExamsAuditAction.SESSION_CANCEL, obj=session, before={"status": SessionStatus.SCHEDULED},
                 after={"status": session.status, "registrations_cancelled": len(open_regs)}, reason=reason)
    return session


def _is_self(actor: Actor, person: Person) -> bool:
    return actor is not None and person.user_id is not None and person.user_id == actor.pk


def _check_can_act_for(actor: Actor, person: Person) -> None:
    if actor is None or _is_self(actor, person) or perms.can_manage_sessions(actor):
        return
    raise _forbid("You can only register yourself.")


def _open_seat(session: ExamSession, person: Person) -> tuple[ExamAuthorization, AccommodationRequest | None]:
    """Checks shared by registering and rescheduling; the caller holds the session row locked."""
    now = clock.now()
    if session.status != SessionStatus.SCHEDULED:
        raise ApplicationError("This session was cancelled. Choose another session.", code="state")
    if session.starts_at <= now:
        raise ApplicationError("This session has already started. Choose a later session.", code="state")
    auth = current_authorization(person, timezone.localdate(session.starts_at))
    if auth is None:
        raise ApplicationError(
            "You are not authorized to take the exam on that date. The program authorizes you once your "
            "application is approved, your training is complete and the exam fee is paid.", code="state")
    auth = _lock(ExamAuthorization, auth.pk)
    max_attempts = rules_on().exam_max_attempts
    if auth.attempts_used >= max_attempts:
        raise ApplicationError(
            "You have used all %(limit)s attempts allowed in this approval window.",
            params={"limit": max_attempts}, code="state")
    if auth.attempts_left <= 0:
        raise ApplicationError("Pay the retake fee before registering for another attempt.", code="state")
    taken = session.registrations.filter(status__in=[RegistrationStatus.REGISTERED,
                                                     RegistrationStatus.CHECKED_IN]).count()
    if taken >= session.capacity:
        raise ApplicationError("This session is full. Choose another session.", code="conflict")
    accommodation = (AccommodationRequest.objects.filter(person=person, status=AccommodationStatus.APPROVED)
                     .order_by("-decided_at").first())
    return auth, accommodation


@transaction.atomic
def registration_create(*, actor: Actor, session: ExamSession, person: Person) -> Registration:
    """Register a candidate for a session.

    Preconditions: the candidate themself or an exam administrator; session scheduled and not
    started; an authorization covering the session date with an unused paid attempt and fewer
    than the maximum attempts used; a free seat; no other open registration. An approved
    accommodation is applied (time multiplier). Side effects: registration; audit registration.create.
    """
    _check_can_act_for(actor, person)
    session = _lock(ExamSession, session.pk)
    auth, accommodation = _open_seat(session, person)
    if Registration.objects.filter(person=person, status=RegistrationStatus.REGISTERED).exists():
        raise ApplicationError("You already hold a seat in another session. Reschedule it instead.",
                               code="duplicate")
    reg = Registration.objects.create(
        session=session, person=person, authorization=auth, accommodation=accommodation,
        time_multiplier=accommodation.time_multiplier if accommodation else Decimal("1.00"),
    )
    audit_record(actor=actor, action=ExamsAuditAction.REGISTRATION_CREATE, obj=reg,
                 after={"session": session.pk, "person": person.pk, "time_multiplier": reg.time_multiplier})
    return reg


@transaction.atomic
def registration_cancel(*, actor: Actor, registration: Registration) -> Registration:
    """Give up a seat before check-in. The candidate or an exam administrator. Audited."""
    _check_can_act_for(actor, registration.person)
    reg = _lock(Registration, registration.pk)
    transition(reg, RegistrationStatus.CANCELLED, allowed=REGISTRATION_TRANSITIONS, noun=REGISTRATION)
    reg.save(update_fields=["status", "updated_at"])
    audit_record(actor=actor, action=ExamsAuditAction.REGISTRATION_CANCEL, obj=reg, before={"status": RegistrationStatus.REGISTERED},
                 after={"status": reg.status})
    return reg


@transaction.atomic
def registration_reschedule(*, actor: Actor, registration: Registration, to_session: ExamSession) -> Registration:
    """Move a candidate to another session: the old seat is released, a new one taken, or nothing changes."""
    _check_can_act_for(actor, registration.person)
    reg = _lock(Registration, registration.pk)
    check_transition(reg, RegistrationStatus.RESCHEDULED, allowed=REGISTRATION_TRANSITIONS, noun=REGISTRATION)
    if to_session.pk == reg.session_id:
        raise ApplicationError("Choose a different session.", field="session")
    target = _lock(ExamSession, to_session.pk)
    transition(reg, RegistrationStatus.RESCHEDULED, allowed=REGISTRATION_TRANSITIONS, noun=REGISTRATION)
    reg.save(update_fields=["status", "updated_at"])
    auth, accommodation = _open_seat(target, reg.person)
    new = Registration.objects.create(
        session=target, person=reg.person, authorization=auth, accommodation=accommodation,
        time_multiplier=accommodation.time_multiplier if accommodation else Decimal("1.00"),
    )
    audit_record(actor=actor, action=ExamsAuditAction.REGISTRATION_RESCHEDULE, obj=reg,
                 before={"session": reg.session_id}, after={"session": target.pk, "registration": new.pk})
    return new


@transaction.atomic
def registration_check_in(*, actor: Actor, registration: Registration, photo_id_confirmed: bool) -> Attempt:
    """The proctor checks a candidate in, having seen government photo ID. The attempt starts to count.

    Preconditions: the session's proctor or an exam administrator; photo ID confirmed; registered;
    the session's day; the authorization still has an unused paid attempt. Side effects: registration
    checked in; authorization attempts_used + 1; an Attempt; audit registration.check_in.
    """
    _system_or(actor, perms.can_manage_sessions, "Only the proctor may check candidates in.")
    reg = _lock(Registration, registration.pk)
    # The proctor vouches for the candidate's photo ID; nobody vouches for themselves.
    ensure_not_own_matter(actor, reg.person_id, what="exam")
    check_transition(reg, RegistrationStatus.CHECKED_IN, allowed=REGISTRATION_TRANSITIONS, noun=REGISTRATION)
    if not photo_id_confirmed:
        raise ApplicationError("Confirm that you saw the candidate's government photo ID with a matching name.",
                               field="photo_id_confirmed")
    session = reg.session
    if clock.today() != timezone.localdate(session.starts_at):
        raise ApplicationError("Candidates are checked in on the day of their session.", code="state")
    auth = _lock(ExamAuthorization, reg.authorization_id)
    if auth.attempts_left <= 0 or auth.attempts_used >= rules_on().exam_max_attempts:
        raise ApplicationError("This candidate has no paid attempt left.", code="state")
    auth.attempts_used += 1
    auth.save(update_fields=["attempts_used", "updated_at"])
    transition(reg, RegistrationStatus.CHECKED_IN, allowed=REGISTRATION_TRANSITIONS, noun=REGISTRATION)
    reg.photo_id_confirmed = True
    reg.checked_in_at, reg.checked_in_by = clock.now(), actor
    reg.save(update_fields=["status", "photo_id_confirmed", "checked_in_at", "checked_in_by", "updated_at"])
    attempt = Attempt.objects.create(registration=reg, person=reg.person, form=session.form,
                                     taken_on=timezone.localdate(session.starts_at), rules_version=rules_on().version)
    audit_record(actor=actor, action=ExamsAuditAction.REGISTRATION_CHECK_IN, obj=reg, before={"status": RegistrationStatus.REGISTERED},
                 after={"status": reg.status, "photo_id_confirmed": True, "attempt": attempt.pk,
                        "attempts_used": auth.attempts_used})
    return attempt


@transaction.atomic
def incident_report(*, actor: Actor, session: ExamSession, description: str,
                    registration: Registration | None = None) -> Incident:
    """Record something that happened during a session. Proctor or exam administrator. Audited."""
    _system_or(actor, perms.can_manage_sessions, "Only the proctor may report incidents.")
    if not (description or "").strip():
        raise ApplicationError("Describe what happened.", field="description")
    if registration is not None and registration.session_id != session.pk:
        raise ApplicationError("That candidate is not in this session.", field="registration")
    incident = Incident.objects.create(session=session, registration=registration, reported_by=actor,
                                       occurred_at=clock.now(), description=description.strip())
    audit_record(actor=actor, action=ExamsAuditAction.INCIDENT_REPORT, obj=incident,
                 after={"session": session.pk, "registration": registration.pk if registration else None})
    return incident


# ---------------------------------------------------------------------------------------------
# Accommodations
# ---------------------------------------------------------------------------------------------


@transaction.atomic
def accommodation_request(*, actor: Actor, person: Person, kinds: list[str], provider_name: str, provider_license: str,
                          document, details: str = "") -> AccommodationRequest:
    """A candidate asks for reasonable accommodation, with their licensed provider's form.

    Preconditions: the candidate themself; at least one kind; the provider named and licensed; the
    document a real PDF/JPEG/PNG (contents checked); no other request waiting. Side effects: the
    request (confidential); audit accommodation.request (no health details in the audit).
    """
    if actor is None or not _is_self(actor, person):
        raise _forbid("Only the candidate may request an accommodation.")
    kinds = [k for k in kinds if k]
    if not kinds or set(kinds) - set(AccommodationKind.values):
        raise ApplicationError("Choose what you need.", field="kinds")
    if AccommodationKind.OTHER in kinds and not (details or "").strip():
        raise ApplicationError("Describe the other accommodation you need.", field="details")
    if not (provider_name or "").strip() or not (provider_license or "").strip():
        raise ApplicationError("Give your licensed provider's name and license number.", field="provider_name")
    if document is None:
        raise ApplicationError("Upload the form your licensed provider completed.", field="document")
    kind = validate_upload(document, field="document")
    if AccommodationRequest.objects.filter(person=person, status=AccommodationStatus.SUBMITTED).exists():
        raise ApplicationError("You already have a request waiting for review.", code="duplicate")
    req = AccommodationRequest.objects.create(
        person=person, kinds=kinds, details=(details or "").strip(), provider_name=provider_name.strip(),
        provider_license=provider_license.strip(), document=document, document_kind=kind,
        document_name=(getattr(document, "name", "") or "document")[:255],
    )
    audit_record(actor=actor, action=ExamsAuditAction.ACCOMMODATION_REQUEST, obj=req, after={"person": person.pk})
    return req


@transaction.atomic
def accommodation_decide(*, actor: Actor, request: AccommodationRequest, approve: bool, notes: str = "",
                         time_multiplier: Decimal = Decimal("1.00"), separate_room: bool = False) -> AccommodationRequest:
    """Approve (with the terms granted) or deny a request, and apply it to the open registration.

    Preconditions: exam administrator or program manager; request waiting; a multiplier from 1 to the
    rule's maximum; a reason when denying. Side effects: decision; the candidate's open
    registrations take the multiplier (one update); audit accommodation.decide; the candidate told.
    """
    _system_or(actor, perms.can_decide_accommodations, "Only an exam administrator or program manager may decide.")
    req = _lock(AccommodationRequest, request.pk)
    ensure_not_own_matter(actor, req.person_id, what="accommodation")
    to = AccommodationStatus.APPROVED if approve else AccommodationStatus.DENIED
    check_transition(req, to, allowed=ACCOMMODATION_TRANSITIONS, noun=REQUEST)
    time_multiplier = Decimal(str(time_multiplier or "1.00"))
    limit = rules_on().exam_accommodation_max_multiplier
    if approve and not Decimal("1.00") <= time_multiplier <= limit:
        raise ApplicationError("The time multiplier must be between 1 and %(limit)s.", params={"limit": limit},
                               field="time_multiplier")
    if not approve and not (notes or "").strip():
        raise ApplicationError("Explain the denial; the candidate will read it.", field="notes")
    transition(req, to, allowed=ACCOMMODATION_TRANSITIONS, noun=REQUEST)
    req.time_multiplier = time_multiplier if approve else Decimal("1.00")
    req.separate_room = bool(separate_room) if approve else False
    req.decision_notes, req.decided_by, req.decided_at = (notes or "").strip(), actor, clock.now()
    req.save(update_fields=["status", "time_multiplier", "separate_room", "decision_notes", "decided_by",
                            "decided_at", "updated_at"])
    applied = 0
    if approve:
        applied = Registration.objects.filter(person=req.person, status=RegistrationStatus.REGISTERED).update(
            accommodation=req, time_multiplier=req.time_multiplier)
    audit_record(actor=actor, action=ExamsAuditAction.ACCOMMODATION_DECIDE, obj=req, before={"status": AccommodationStatus.SUBMITTED},
                 after={"status": to, "time_multiplier": req.time_multiplier, "registrations_updated": applied})
    tell_person(req.person, subject=gettext_noop("A decision on your accommodation request"),
                body=gettext_noop("Your request was approved.") if approve
                else gettext_noop("Your request was not approved."),
                link=reverse("exams:accommodation_detail", args=[req.pk]))
    return req


@transaction.atomic
def accommodation_withdraw(*, actor: Actor, request: AccommodationRequest) -> AccommodationRequest:
    """The candidate withdraws a request that is still waiting. Audited."""
    if not _is_self(actor, request.person):
        raise _forbid("Only the candidate may withdraw the request.")
    req = _lock(AccommodationRequest, request.pk)
    transition(req, AccommodationStatus.WITHDRAWN, allowed=ACCOMMODATION_TRANSITIONS, noun=REQUEST)
    req.save(update_fields=["status", "updated_at"])
    audit_record(actor=actor, action=ExamsAuditAction.ACCOMMODATION_WITHDRAW, obj=req,
                 before={"status": AccommodationStatus.SUBMITTED}, after={"status": req.status})
    return req


# ---------------------------------------------------------------------------------------------
# Delivery in the browser
# ---------------------------------------------------------------------------------------------


def _check_candidate(actor: Actor, attempt: Attempt) -> None:
    if actor is None or attempt.person.user_id != actor.pk:
        raise _forbid("Only the candidate may take their exam.")


@transaction.atomic
def attempt_start(*, actor: Actor, attempt: Attempt) -> Attempt:
    """The candidate starts the written part. Starting again after a disconnect just resumes.

    Preconditions: the candidate; checked in; inside the session window (from the start time until
    the session's allowed time has passed). The deadline is start + exam minutes x the candidate's
    time multiplier, fixed now and enforced by the server. Audit attempt.start.
    """
    _check_candidate(actor, attempt)
    attempt = _lock(Attempt, attempt.pk)
    if attempt.status == AttemptStatus.IN_PROGRESS:
        return attempt
    check_transition(attempt, AttemptStatus.IN_PROGRESS, allowed=ATTEMPT_TRANSITIONS, noun=ATTEMPT)
    reg = attempt.registration
    now = clock.now()
    window_end = reg.session.starts_at + datetime.timedelta(minutes=reg.allowed_minutes)
    if now < reg.session.starts_at:
        raise ApplicationError("The written part opens at %(time)s.", params={"time": f"{reg.session.starts_at:%H:%M}"},
                               code="state")
    if now >= window_end:
        raise ApplicationError("The session is over; the written part can no longer be started.", code="state")
    transition(attempt, AttemptStatus.IN_PROGRESS, allowed=ATTEMPT_TRANSITIONS, noun=ATTEMPT)
    attempt.started_at = now
    attempt.deadline_at = now + datetime.timedelta(minutes=reg.allowed_minutes)
    attempt.save(update_fields=["status", "started_at", "deadline_at", "updated_at"])
    audit_record(actor=actor, action=ExamsAuditAction.ATTEMPT_START, obj=attempt, before={"status": AttemptStatus.CHECKED_IN},
                 after={"status": attempt.status, "deadline_at": attempt.deadline_at,
                        "minutes": reg.allowed_minutes})
    return attempt


@transaction.atomic
def answer_save(*, actor: Actor, attempt: Attempt, item: Item, choice: int) -> Answer:
    """Save (or change) one answer as the candidate chooses it.

    Preconditions: the candidate; attempt in progress; before the deadline (server clock); the item on
    the attempt's form; a valid option. Side effects: one Answer row upserted; audit answer.save.
    """
    _check_candidate(actor, attempt)
    attempt = _lock(Attempt, attempt.pk)
    if attempt.status != AttemptStatus.IN_PROGRESS:
        raise ApplicationError("This exam is not open for answers.", code="state")
    now = clock.now()
    if now > attempt.deadline_at:
        raise ApplicationError(
            "Time ran out at %(time)s. This answer was not saved; answers chosen before then are kept.",
            params={"time": f"{attempt.deadline_at:%H:%M}"}, code="closed")
    if not FormItem.objects.filter(form_id=attempt.form_id, item=item, item__kind=ItemKind.MULTIPLE_CHOICE).exists():
        raise ApplicationError("That question is not on your exam.")
    if not isinstance(choice, int) or not 0 <= choice < len(item.options):
        raise ApplicationError("Choose one of the answers shown.", field="choice")
    answer, _created = Answer.objects.update_or_create(attempt=attempt, item=item,
                                                       defaults={"choice": choice, "answered_at": now})
    audit_record(actor=actor, action=ExamsAuditAction.ANSWER_SAVE, obj=attempt, after={"item": item.pk, "choice": choice})
    return answer


@transaction.atomic
def attempt_submit(*, actor: Actor, attempt: Attempt) -> Attempt:
    """The candidate hands in the written part (allowed after the deadline too: late answers were refused).

    Side effects: status submitted; the written part scored; the result decided if no practical
    grading is outstanding; audit attempt.submit.
    """
    _check_candidate(actor, attempt)
    attempt = _lock(Attempt, attempt.pk)
    before = {"status": transition(attempt, AttemptStatus.SUBMITTED, allowed=ATTEMPT_TRANSITIONS, noun=ATTEMPT)}
    attempt.submitted_at = clock.now()
    attempt.save(update_fields=["status", "submitted_at", "updated_at"])
    audit_record(actor=actor, action=ExamsAuditAction.ATTEMPT_SUBMIT, obj=attempt, before=before, after={"status": attempt.status})
    _score_written([attempt.pk])
    _finalize(actor=actor, attempt_ids=[attempt.pk])
    return Attempt.objects.get(pk=attempt.pk)


# ---------------------------------------------------------------------------------------------
# Vendor result files
# ---------------------------------------------------------------------------------------------

VENDOR_HEADER = ["candidate_id", "form", "item_id", "answer"]


def _line_error(line_no: int, message: str, **params) -> tuple[int, str]:
    """(line, the message in the reader's language): vendor file errors sort by line, then show."""
    return line_no, gettext(message) % {"line": line_no, **params}


def _refuse_file(errors: list[tuple[int, str]]) -> ApplicationError:
    texts = [text for _line, text in sorted(errors, key=lambda e: e[0])]
    return ApplicationError("The file was not imported. %(errors)s", params={"errors": " ".join(texts)},
                            extra={"errors": texts})


def _parse_vendor_file(text: str) -> tuple[list[tuple[int, int, str, str, str]], list[tuple[int, str]]]:
    rows, errors = [], []
    reader = csv.reader(io.StringIO(text))
    header = next(reader, None)
    if header is None or [h.strip().lower() for h in header] != VENDOR_HEADER:
        return [], [_line_error(1, gettext_noop("Line %(line)s: the header must be %(header)s."),
                                header=",".join(VENDOR_HEADER))]
    for line_no, row in enumerate(reader, start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != 4:
            errors.append(_line_error(line_no, gettext_noop("Line %(line)s: expected 4 values, found %(found)s."),
                                      found=len(row)))
            continue
        candidate, form_code, item_code, answer = (c.strip() for c in row)
        if not candidate.isdigit():
            errors.append(_line_error(line_no, gettext_noop("Line %(line)s: candidate id “%(candidate)s” is not a "
                                                            "number."), candidate=candidate))
            continue
        if len(answer) != 1 or answer.upper() not in OPTION_LETTERS:
            errors.append(_line_error(line_no, gettext_noop("Line %(line)s: answer “%(answer)s” is not a letter A "
                                                            "to %(last)s."), answer=answer, last=OPTION_LETTERS[-1]))
            continue
        rows.append((line_no, int(candidate), form_code.lower(), item_code.upper(), answer.upper()))
    return rows, errors


@transaction.atomic
def vendor_results_import(*, actor: Actor, text: str) -> dict:
    """Import a testing vendor's answers (CSV: candidate_id, form, item_id, answer), all or nothing.

    candidate_id is the PeerCert candidate number (the Person id shown on the roster); the candidate
    must be checked in for a session on that form. Every row is checked first; any error refuses
    the whole file with line numbers. A file already imported changes nothing. Side effects: answers
    bulk-created; attempts submitted and scored set-based; one audit event per attempt.
    """
    _system_or(actor, perms.can_manage_sessions, "Only an exam administrator may import vendor results.")
    rows, errors = _parse_vendor_file(text)
    if errors and errors[0][0] == 1 or not rows and not errors:
        raise _refuse_file(errors or [(0, gettext("The file has no result rows."))])
    person_ids = {r[1] for r in rows}
    form_codes = {r[2] for r in rows}
    # The latest attempt wins where a candidate sat the same form twice.
    latest: dict[tuple[int, str], Attempt] = {}
    for att in (Attempt.objects.select_for_update().select_related("form")
                .filter(person_id__in=person_ids, form__code__in=form_codes,
                        status__in=[AttemptStatus.CHECKED_IN, AttemptStatus.SUBMITTED, AttemptStatus.SCORED])
                .order_by("person_id", "form__code", "-taken_on", "-id")):
        latest.setdefault((att.person_id, att.form.code), att)
    form_items = {(fc, code): (item_id, n_options) for fc, code, item_id, n_options in (
        (fi["form__code"], fi["item__code"], fi["item_id"], len(fi["item__options"]))
        for fi in FormItem.objects.filter(form__code__in=form_codes, item__kind=ItemKind.MULTIPLE_CHOICE)
        .values("form__code", "item__code", "item_id", "item__options"))}
    seen: dict[tuple[int, int], tuple[int, int]] = {}
    for line_no, person_id, form_code, item_code, letter in rows:
        attempt = latest.get((person_id, form_code))
        if attempt is None:
            errors.append(_line_error(line_no, gettext_noop("Line %(line)s: candidate %(candidate)s is not checked "
                                                            "in for form %(form)s."),
                                      candidate=person_id, form=form_code))
            continue
        found = form_items.get((form_code, item_code))
        if found is None:
            errors.append(_line_error(line_no, gettext_noop("Line %(line)s: item %(item)s is not on form %(form)s."),
                                      item=item_code, form=form_code))
            continue
        item_id, n_options = found
        choice = OPTION_LETTERS.index(letter)
        if choice >= n_options:
            errors.append(_line_error(line_no, gettext_noop("Line %(line)s: item %(item)s has no answer %(letter)s."),
                                      item=item_code, letter=letter))
            continue
        key = (attempt.pk, item_id)
        if key in seen and seen[key][1] != choice:
            errors.append(_line_error(line_no, gettext_noop("Line %(line)s: a different answer for item %(item)s was "
                                                            "given on line %(other)s."),
                                      item=item_code, other=seen[key][0]))
            continue
        seen[key] = (line_no, choice)
    if errors:
        raise _refuse_file(errors)
    ensure_not_own_matter(actor, *person_ids, what="exam")

    attempt_ids = {k[0] for k in seen}
    existing = {(a, i): c for a, i, c in Answer.objects.filter(attempt_id__in=attempt_ids)
                .values_list("attempt_id", "item_id", "choice")}
    by_id = {a.pk: a for a in latest.values()}
    already = {pk for pk in attempt_ids if by_id[pk].status != AttemptStatus.CHECKED_IN}
    mine_by_attempt: dict[int, dict] = defaultdict(dict)
    for (a, i), (_line, c) in seen.items():
        mine_by_attempt[a][i] = c
    theirs_by_attempt: dict[int, dict] = defaultdict(dict)
    for (a, i), c in existing.items():
        theirs_by_attempt[a][i] = c
    for pk in sorted(already):
        if mine_by_attempt[pk] != theirs_by_attempt[pk]:
            person_id = by_id[pk].person_id
            errors.append((0, gettext("Candidate %(candidate)s: results for this attempt were already imported with "
                                      "different answers; correct them with the program instead.")
                           % {"candidate": person_id}))
    if errors:
        raise _refuse_file(errors)
    fresh = attempt_ids - already
    if not fresh:
        return {"attempts": 0, "answers": 0, "unchanged": len(already)}
    for pk in fresh:
        transition(by_id[pk], AttemptStatus.SUBMITTED, allowed=ATTEMPT_TRANSITIONS, noun=ATTEMPT)
    now = clock.now()
    new_answers = [Answer(attempt_id=a, item_id=i, choice=c, answered_at=now)
                   for (a, i), (_line, c) in seen.items() if a in fresh]
    Answer.objects.bulk_create(new_answers, batch_size=5000)
    Attempt.objects.filter(pk__in=fresh).update(status=AttemptStatus.SUBMITTED, submitted_at=now, source="vendor",
                                                updated_at=now)
    _audit_many(actor=actor, action=ExamsAuditAction.ATTEMPT_VENDOR_IMPORT, rows=[
        (pk, "", {"status": AttemptStatus.CHECKED_IN}, {"status": AttemptStatus.SUBMITTED}) for pk in sorted(fresh)])
    _score_written(sorted(fresh))
    _finalize(actor=actor, attempt_ids=sorted(fresh))
    return {"attempts": len(fresh), "answers": len(new_answers), "unchanged": len(already)}


# ---------------------------------------------------------------------------------------------
# Scoring
# ---------------------------------------------------------------------------------------------


def _scaled(raw: int, total: int, scale_max: int) -> int:
    if not total:
        return 0
    return int((Decimal(raw) * scale_max / total).quantize(Decimal("1"), rounding=ROUND_HALF_UP))


def _score_written(attempt_ids: list[int]) -> None:
    """Count correct answers for a set of attempts in two queries, then one bulk update."""
    attempts = list(Attempt.objects.filter(pk__in=attempt_ids).select_related("form"))
    form_ids = {a.form_id for a in attempts}
    totals = dict(FormItem.objects.filter(form_id__in=form_ids, item__kind=ItemKind.MULTIPLE_CHOICE)
                  .values("form_id").annotate(n=Count("id")).values_list("form_id", "n"))
    correct = dict(Answer.objects.filter(attempt_id__in=attempt_ids, choice=F("item__key"))
                   .values("attempt_id").annotate(n=Count("id")).values_list("attempt_id", "n"))
    groups: dict[tuple[int, int, int], list[int]] = defaultdict(list)
    for a in attempts:
        raw, total = correct.get(a.pk, 0), totals.get(a.form_id, 0)
        groups[(raw, total, _scaled(raw, total, a.form.scale_max))].append(a.pk)
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
    attempts = list(Attempt.objects.select_for_update().filter(pk__in=attempt_ids, status=AttemptStatus.SUBMITTED)
                    .select_related("form", "person"))
    if not attempts:
        return []
    form_ids = {a.form_id for a in attempts}
    tasks_by_form: dict[int, list[tuple[int, int, int]]] = defaultdict(list)
    for form_id, task_id, tolerance, max_points in (
            FormItem.objects.filter(form_id__in=form_ids, item__kind=ItemKind.PRACTICAL)
            .values("form_id", "item_id", "item__tolerance").annotate(max_points=Sum("item__criteria__points"))
            .values_list("form_id", "item_id", "item__tolerance", "max_points")):
        tasks_by_form[form_id].append((task_id, tolerance or 0, max_points or 0))
    scores: dict[tuple[int, int], list[int]] = defaultdict(list)
    for attempt_id, task_id, total in (PracticalScore.objects.filter(attempt_id__in=[a.pk for a in attempts])
                                       .order_by("attempt_id", "task_id", "sequence")
                                       .values_list("attempt_id", "task_id", "total")):
        scores[(attempt_id, task_id)].append(total)
    now = clock.now()
    done = []
    for attempt in attempts:
        form, tasks = attempt.form, tasks_by_form.get(attempt.form_id, [])
        finals = [task_final_points(scores.get((attempt.pk, task_id), []), tolerance) for task_id, tolerance, _ in tasks]
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
    _update_groups(groups, ("practical_points", "practical_total", "result"), status=AttemptStatus.SCORED,
                   scored_at=now, updated_at=now)
    _audit_many(actor=actor, action=ExamsAuditAction.ATTEMPT_SCORE, rows=[
        (a.pk, str(a), {"status": AttemptStatus.SUBMITTED},
         {"status": a.status, "result": a.result, "written_raw": a.written_raw, "written_scaled": a.written_scaled,
          "practical_points": str(a.practical_points) if a.practical_points is not None else None})
        for a in done])
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
    bodies = {Result.PASSED: gettext_noop("You passed the certification exam."),
              Result.FAILED: gettext_noop("You did not pass this time. Your score report shows each content area.")}
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
        raise ApplicationError("Practical tasks are graded after the written part is handed in and before the "
                               "result is final.", code="state")
    if not FormItem.objects.filter(form_id=attempt.form_id, item=task, item__kind=ItemKind.PRACTICAL).exists():
        raise ApplicationError("That task is not on this candidate's form.")
    criteria = {c.pk: c for c in task.criteria.all()}
    if set(points) != set(criteria):
        raise ApplicationError("Score every rubric criterion.", field="points")
    for pk, value in points.items():
        if not isinstance(value, int) or not 0 <= value <= criteria[pk].points:
            raise ApplicationError("“%(label)s” takes 0 to %(points)s points.",
                                   params={"label": criteria[pk].label, "points": criteria[pk].points},
                                   field="points")
    previous = list(PracticalScore.objects.filter(attempt=attempt, task=task).order_by("sequence"))
    if any(s.grader_id == actor.pk for s in previous):
        raise ApplicationError("You already scored this task for this candidate; another grader must score it.",
                               code="duplicate")
    if len(previous) >= 3 or (len(previous) == 2 and task_final_points([s.total for s in previous],
                                                                        task.tolerance or 0) is not None):
        raise ApplicationError("This task needs no more scores.", code="state")
    total = sum(points.values())
    try:
        with transaction.atomic():
            score = PracticalScore.objects.create(attempt=attempt, task=task, grader=actor,
                                                  sequence=len(previous) + 1, total=total)
    except IntegrityError:
        raise ApplicationError("Another grader scored this task at the same moment. Reload the page.",
                               code="conflict") from None
    CriterionScore.objects.bulk_create([CriterionScore(score=score, criterion_id=pk, points=v)
                                        for pk, v in points.items()])
    audit_record(actor=actor, action=ExamsAuditAction.PRACTICAL_SCORE, obj=score,
                 after={"attempt": attempt.pk, "task": task.pk, "sequence": score.sequence, "total": total})
    _finalize(actor=actor, attempt_ids=[attempt.pk])
    return score


# ---------------------------------------------------------------------------------------------
# Item analysis
# ---------------------------------------------------------------------------------------------


@transaction.atomic
def form_analyse(*, actor: Actor, form: ExamForm) -> dict:
    """Compute each item's p and point-biserial and the form's KR-20 over its scored attempts; flag items.

    Preconditions: program exam staff; at least two scored attempts. Side effects: statistics stored
    on the form's items (bulk), flagged items marked for review on the item, KR-20 on the form; audit
    form.analyse. Thresholds are program rules (exam_item_p_min/max, exam_item_rpb_min).
    """
    from peercert.exams.analysis import analyse, response_matrix

    _system_or(actor, perms.can_view_analysis, "Only exam and program staff may run item analysis.")
    form = _lock(ExamForm, form.pk)
    item_ids, matrix = response_matrix(form)
    if len(matrix) < 2:
        raise ApplicationError("Item analysis needs at least two scored attempts on this form.", code="state")
    rules = rules_on()
    stats = analyse(matrix, p_min=rules.exam_item_p_min, p_max=rules.exam_item_p_max,
                    rpb_min=rules.exam_item_rpb_min)
    rows = {fi.item_id: fi for fi in FormItem.objects.filter(form=form, item_id__in=item_ids)}
    q = Decimal("0.0001")
    for item_id, stat in zip(item_ids, stats["items"], strict=True):
        row = rows[item_id]
        row.p_value = Decimal(stat["p"]).quantize(q)
        row.point_biserial = None if stat["r_pb"] is None else Decimal(stat["r_pb"]).quantize(q)
        row.flagged = stat["flagged"]
    FormItem.objects.bulk_update(list(rows.values()), ["p_value", "point_biserial", "flagged"])
    flagged = [pk for pk, row in rows.items() if row.flagged]
    Item.objects.filter(pk__in=flagged).update(flagged_for_review=True)
    form.kr20 = None if stats["kr20"] is None else Decimal(stats["kr20"]).quantize(q)
    form.analysed_at, form.analysis_attempts = clock.now(), len(matrix)
    form.save(update_fields=["kr20", "analysed_at", "analysis_attempts", "updated_at"])
    audit_record(actor=actor, action=ExamsAuditAction.FORM_ANALYSE, obj=form,
                 after={"attempts": len(matrix), "kr20": form.kr20, "flagged": len(flagged),
                        "rules_version": rules.version})
    return {"attempts": len(matrix), "kr20": form.kr20, "flagged": len(flagged)}

