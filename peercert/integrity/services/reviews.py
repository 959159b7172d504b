"""integrity: DHCS monitoring reviews. Open a review of a county or a program, draw its sample, record a
finding per record, issue a corrective action plan, take the reviewed party's responses and evidence,
follow up (accept or send back) and close; and the daily job that escalates overdue plan items.

DHCS analysts and approvers run reviews; nobody who works for the reviewed county or program may run
its review (a matter about their own party). The reviewed party answers its own plan items.
"""

import datetime
import secrets

from django.db import connection, transaction
from django.db.models import F, IntegerField, Value
from django.db.models.expressions import ExpressionWrapper
from django.urls import reverse
from django.utils.translation import gettext_noop

from peercert.benefit import selectors as benefit_selectors
from peercert.billing import selectors as billing_selectors
from peercert.certification import selectors as certification_selectors
from peercert.core import clock
from peercert.core.audit import audit_record, audit_record_many, snapshot
from peercert.core.duties import OWN_MATTER
from peercert.core.errors import ApplicationError
from peercert.core.rules import rules_on
from peercert.core.tell import tell_user
from peercert.core.transitions import transition
from peercert.core.uploads import validate_upload
from peercert.integrity import permissions
from peercert.integrity.audit import AuditAction
from peercert.integrity.models.reviews import (
    AWAITING_PARTY,
    CORRECTIVE_ACTION_TRANSITIONS,
    COUNTY_KINDS,
    ITEM_NOUN,
    PROGRAM_KINDS,
    RECORD_FIELDS,
    REVIEW_NOUN,
    REVIEW_TRANSITIONS,
    CorrectiveActionItem,
    CorrectiveActionStatus,
    FindingCategory,
    FindingOutcome,
    Review,
    ReviewEvidence,
    ReviewParty,
    ReviewRecord,
    ReviewStatus,
)

__all__ = [
    "MAX_EVIDENCE_FILES",
    "MAX_PERIOD_DAYS",
    "corrective_action_accept",
    "corrective_action_add",
    "corrective_action_respond",
    "corrective_action_return",
    "corrective_actions_escalate",
    "review_cancel",
    "review_close",
    "review_issue_plan",
    "review_open",
    "review_record_finding",
    "review_sample",
    "sample_key",
]

MAX_EVIDENCE_FILES = 5
MAX_PERIOD_DAYS = 3 * 366
# A prime below 2**31: every step of the sample key stays below 2**62, inside a 64-bit integer on
# PostgreSQL and SQLite alike, so both databases draw the same sample from the same seed.
_P = 2_147_483_647


def _ensure_runner(actor, review: Review | None = None) -> None:
    if not permissions.can_run_reviews(actor):
        raise ApplicationError("Only DHCS analysts and approvers run monitoring reviews.", code="forbidden")
    if review is not None and permissions.is_party_to_review(actor, review):
        raise ApplicationError(
            "You work for the party this review is about, so you cannot act on it. Another DHCS staff member must.",
            code=OWN_MATTER,
        )


def _locked_review(review: Review) -> Review:
    return Review.objects.select_for_update().get(pk=review.pk)


def _locked_item(item: CorrectiveActionItem) -> CorrectiveActionItem:
    return CorrectiveActionItem.objects.select_for_update().select_related("review").get(pk=item.pk)


def _review_url(review) -> str:
    return reverse("integrity:monitoring_detail", args=[review.pk])


REVIEW_FIELDS = ["status", "sampled_at", "plan_issued_at", "closed_at"]
ITEM_FIELDS = ["status", "responded_at", "decided_at", "escalated_on"]


def review_open(
    *,
    actor,
    party: str,
    title: str,
    scope: list[str],
    period_start: datetime.date,
    period_end: datetime.date,
    county=None,
    program=None,
    seed: int | None = None,
) -> Review:
    """Open a review of a county (scope among employments, supervision, paid lines) or a program
    (applications, certifications) over a past or current period. The seed is drawn when not given.

    Refuses: not DHCS; the actor works for the party; a scope kind the party does not have; an empty
    scope; a period out of order, longer than three years or ending after today. Audited."""
    _ensure_runner(actor)
    if party == ReviewParty.COUNTY:
        if county is None or program is not None:
            raise ApplicationError("Choose the county to review.", field="county")
        allowed = COUNTY_KINDS
    elif party == ReviewParty.PROGRAM:
        if program is None or county is not None:
            raise ApplicationError("Choose the certification program to review.", field="program")
        allowed = PROGRAM_KINDS
    else:
        raise ApplicationError("Choose whether a county or a certification program is reviewed.", field="party")
    scope = list(dict.fromkeys(scope or []))
    if not scope:
        raise ApplicationError("Choose at least one kind of record to review.", field="scope")
    if any(kind not in allowed for kind in scope):
        raise ApplicationError(
            "A county review looks at employments, supervision and paid service lines; a program review at "
            "applications and certifications. Choose kinds of record that this party keeps.",
            field="scope",
        )
    if period_end < period_start:
        raise ApplicationError("The period ends before it starts.", field="period_end")
    if (period_end - period_start).days > MAX_PERIOD_DAYS:
        raise ApplicationError("A review covers at most three years. Choose a shorter period.", field="period_end")
    if period_end > clock.today():
        raise ApplicationError("A review looks back: the period cannot end after today.", field="period_end")
    if seed is not None and not 0 <= seed < _P:
        raise ApplicationError("The seed is a whole number from 0 to 2147483646.", field="seed")
    title = (title or "").strip()
    if not title:
        raise ApplicationError("Give the review a title.", field="title")
    review = Review(
        party=party,
        county=county,
        program=program,
        title=title[:200],
        scope=scope,
        period_start=period_start,
        period_end=period_end,
        seed=secrets.randbelow(_P) if seed is None else seed,
        created_by=actor,
    )
    # The party check needs the review's county or program, so it runs on the unsaved row.
    _ensure_runner(actor, review)
    with transaction.atomic():
        review.save()
        audit_record(
            actor=actor,
            action=AuditAction.REVIEW_OPEN,
            obj=review,
            after=snapshot(review, ["party", "county", "program", "scope", "period_start", "period_end", "seed"]),
        )
    return review


def sample_key(seed: int):
    """An expression over a row's id that orders the rows in a fixed pseudo-random order for a seed.

    Two multiply-and-square rounds modulo a prime: not linear in the id (so neighbouring ids land far
    apart), integer arithmetic only (so SQLite and PostgreSQL agree), and the same seed always gives
    the same order."""
    p = Value(_P)
    a = ExpressionWrapper((F("id") % p) * Value(48271) + Value(seed), output_field=IntegerField()) % p
    b = ExpressionWrapper((a * a) % p, output_field=IntegerField())
    c = ExpressionWrapper((b * Value(16807) + Value(seed % 65536)) % p, output_field=IntegerField())
    return ExpressionWrapper((c * c) % p, output_field=IntegerField())


def _population(review: Review, kind: str):
    window = {"start": review.period_start, "end": review.period_end}
    if kind == "employment":
        return benefit_selectors.employments_for_review(county_id=review.county_id, **window)
    if kind == "supervision":
        return benefit_selectors.supervision_for_review(county_id=review.county_id, **window)
    if kind == "service_line":
        return billing_selectors.paid_lines_for_review(county_id=review.county_id, **window)
    if kind == "application":
        return certification_selectors.applications_for_review(program_id=review.program_id, **window)
    return certification_selectors.certifications_for_review(program_id=review.program_id, **window)


def _insert_sample(review: Review, kind: str, size: int, now) -> int:
    """INSERT ... SELECT the first `size` rows of the kind's population in the seed's order: one statement."""
    drawn = _population(review, kind).annotate(k=sample_key(review.seed)).order_by("k", "id").values("id", "k")[:size]
    select_sql, select_params = drawn.query.sql_with_params()
    table = ReviewRecord._meta.db_table
    column = ReviewRecord._meta.get_field(RECORD_FIELDS[kind]).column
    stamp = connection.ops.adapt_datetimefield_value(now)
    sql = (
        f'INSERT INTO {table} (created_at, updated_at, review_id, kind, position, "{column}", outcome, category, note) '  # noqa: S608 - names come from the model, values are parameters
        f"SELECT %s, %s, %s, %s, ROW_NUMBER() OVER (ORDER BY s.k, s.id), s.id, %s, '', '' FROM ({select_sql}) s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [stamp, stamp, review.pk, kind, FindingOutcome.PENDING, *select_params])
        return cursor.rowcount


def review_sample(*, actor, review: Review) -> dict[str, int]:
    """Draw the review's sample: for each kind in scope, up to `review_sample_size` records of the party
    in the period, in the order the seed gives (same seed, same records, same order), in one
    INSERT ... SELECT per kind. Planned -> sampled. Refuses a review with no record to sample. Audited."""
    _ensure_runner(actor, review)
    with transaction.atomic():
        review = _locked_review(review)
        before = transition(review, ReviewStatus.SAMPLED, allowed=REVIEW_TRANSITIONS, noun=REVIEW_NOUN)
        rules = rules_on(clock.today())
        now = clock.now()
        counts = {kind: _insert_sample(review, kind, rules.review_sample_size, now) for kind in review.scope}
        if not sum(counts.values()):
            raise ApplicationError(
                "The party has no record of these kinds in this period, so there is nothing to sample. "
                "Check the period and the scope.",
                code="state",
            )
        review.sample_size = rules.review_sample_size
        review.rules_version = rules.version
        review.sampled_at = now
        review.save(update_fields=["status", "sample_size", "rules_version", "sampled_at", "updated_at"])
        audit_record(
            actor=actor,
            action=AuditAction.REVIEW_SAMPLE,
            obj=review,
            before={"status": before},
            after={"status": review.status, "counts": counts, "seed": review.seed, "rules": rules.version},
        )
    return counts


def review_record_finding(
    *, actor, review: Review, kind: str, record_id: int, outcome: str, category: str = "", note: str = ""
) -> ReviewRecord:
    """Record DHCS's finding on one sampled record: compliant, or not compliant with a category and a note.

    Refuses: a kind outside the review's scope, a record not among those sampled (for the review, it is
    outside its scope), a review not at the findings stage, a not-compliant finding without a category
    or a note. A finding may be changed until the plan is issued; each change is audited."""
    _ensure_runner(actor, review)
    if kind not in review.scope:
        raise ApplicationError(
            "This kind of record is outside the review's scope, so it cannot have a finding here.",
            field="kind",
        )
    if outcome not in (FindingOutcome.COMPLIANT, FindingOutcome.NOT_COMPLIANT):
        raise ApplicationError("Say whether the record is compliant or not.", field="outcome")
    note = (note or "").strip()
    if outcome == FindingOutcome.NOT_COMPLIANT:
        if category not in FindingCategory.values:
            raise ApplicationError("Choose what is not compliant.", field="category")
        if not note:
            raise ApplicationError("Say what is not compliant, so the reviewed party can correct it.", field="note")
    else:
        category = ""
    with transaction.atomic():
        review = _locked_review(review)
        if review.status != ReviewStatus.SAMPLED:
            raise ApplicationError(
                "Findings are recorded after the sample is drawn and before the plan is issued.", code="state"
            )
        record = (
            ReviewRecord.objects.select_for_update()
            .filter(review=review, kind=kind, **{f"{RECORD_FIELDS[kind]}_id": record_id})
            .first()
        )
        if record is None:
            raise ApplicationError(
                "This record is outside the review's scope: it is not among the records sampled for this review.",
                field="record",
            )
        before = snapshot(record, ["outcome", "category", "note"])
        record.outcome, record.category, record.note = outcome, category, note[:4000]
        record.found_by, record.found_at = actor, clock.now()
        record.save(update_fields=["outcome", "category", "note", "found_by", "found_at", "updated_at"])
        audit_record(
            actor=actor,
            action=AuditAction.REVIEW_FINDING,
            obj=record,
            before=before,
            after={**snapshot(record, ["outcome", "category", "note"]), "review": review.pk},
        )
    return record


def _ensure_owner(review: Review, owner) -> None:
    if owner is None or not owner.is_active or not permissions.can_answer_review(owner, review):
        raise ApplicationError(
            "The owner must be staff of the county or program under review.", field="owner", code="invalid"
        )


def corrective_action_add(
    *, actor, review: Review, description: str, owner, due_on: datetime.date, finding: ReviewRecord | None = None
) -> CorrectiveActionItem:
    """Add an item to the review's corrective action plan: what to do, its owner in the reviewed party
    and the due date (at least `corrective_action_min_days` away). Added before the plan is issued it is
    a draft; added to an issued plan it goes to the owner at once. The finding it answers, if named,
    must be one of the review's not-compliant records. Audited."""
    _ensure_runner(actor, review)
    description = (description or "").strip()
    if not description:
        raise ApplicationError("Say what must be done.", field="description")
    today = clock.today()
    earliest = today + datetime.timedelta(days=rules_on(today).corrective_action_min_days)
    if due_on < earliest:
        raise ApplicationError(
            "Give the reviewed party until %(day)s at least.", field="due_on", params={"day": earliest}
        )
    if due_on > today + datetime.timedelta(days=366):
        raise ApplicationError("A plan item is due within a year.", field="due_on")
    with transaction.atomic():
        review = _locked_review(review)
        if review.status not in (ReviewStatus.SAMPLED, ReviewStatus.CORRECTIVE_ACTION):
            raise ApplicationError("Plan items are written once the records are sampled.", code="state")
        _ensure_owner(review, owner)
        if finding is not None and (finding.review_id != review.pk or finding.outcome != FindingOutcome.NOT_COMPLIANT):
            raise ApplicationError(
                "The finding must be one of this review's records found not compliant.", field="finding"
            )
        issued = review.status == ReviewStatus.CORRECTIVE_ACTION
        item = CorrectiveActionItem.objects.create(
            review=review,
            finding=finding,
            description=description[:4000],
            owner=owner,
            due_on=due_on,
            status=CorrectiveActionStatus.OPEN if issued else CorrectiveActionStatus.DRAFT,
            created_by=actor,
        )
        audit_record(
            actor=actor,
            action=AuditAction.CAP_ITEM_ADD,
            obj=item,
            after={**snapshot(item, ["review", "finding", "owner", "due_on", "status"])},
        )
        if issued:
            _tell_owner_new(item)
    return item


def _tell_owner_new(item) -> None:
    tell_user(
        item.owner,
        subject=gettext_noop("Corrective action due %(day)s: %(title)s"),
        body=gettext_noop(
            "DHCS's monitoring review “%(title)s” asks you to: %(what)s\n\nAnswer by %(day)s, with evidence."
        ),
        params={"title": item.review.title, "what": item.description, "day": item.due_on},
        link=_review_url(item.review),
    )


def review_issue_plan(*, actor, review: Review) -> Review:
    """Issue the corrective action plan: every sampled record has a finding, at least one is not
    compliant and every draft item goes to its owner. Sampled -> corrective action; each item
    draft -> open, in one UPDATE, each audited. Owners are told."""
    _ensure_runner(actor, review)
    with transaction.atomic():
        review = _locked_review(review)
        before = transition(review, ReviewStatus.CORRECTIVE_ACTION, allowed=REVIEW_TRANSITIONS, noun=REVIEW_NOUN)
        if review.records.filter(outcome=FindingOutcome.PENDING).exists():
            raise ApplicationError("Record a finding on every sampled record before issuing the plan.", code="state")
        if not review.records.filter(outcome=FindingOutcome.NOT_COMPLIANT).exists():
            raise ApplicationError(
                "Every record is compliant, so no corrective action is needed: close the review instead.",
                code="state",
            )
        drafts = list(review.items.filter(status=CorrectiveActionStatus.DRAFT).select_related("owner", "review"))
        if not drafts:
            raise ApplicationError("Add at least one corrective action before issuing the plan.", code="state")
        review.plan_issued_at = clock.now()
        review.save(update_fields=["status", "plan_issued_at", "updated_at"])
        CorrectiveActionItem.objects.filter(pk__in=[d.pk for d in drafts]).update(
            status=CorrectiveActionStatus.OPEN, updated_at=review.plan_issued_at
        )
        audit_record(
            actor=actor,
            action=AuditAction.REVIEW_ISSUE_PLAN,
            obj=review,
            before={"status": before},
            after={"status": review.status, "items": len(drafts)},
        )
        audit_record_many(
            actor=actor,
            action=AuditAction.CAP_ITEM_OPEN,
            object_type=CorrectiveActionItem._meta.label_lower,
            rows=[
                (d.pk, d, {"status": CorrectiveActionStatus.DRAFT}, {"status": CorrectiveActionStatus.OPEN})
                for d in drafts
            ],
        )
        for item in drafts:
            _tell_owner_new(item)
    return review


def corrective_action_respond(*, actor, item: CorrectiveActionItem, response: str, files=()) -> CorrectiveActionItem:
    """The reviewed party answers a plan item, with up to five evidence files (PDF, JPEG or PNG, each
    checked by its contents). Open or sent back -> responded. All or nothing: a bad file saves nothing.
    Refuses anyone but the reviewed party's staff. Audited; the DHCS staff who opened the review is told."""
    review = item.review
    if not permissions.can_answer_review(actor, review):
        raise ApplicationError("Only staff of the county or program under review answer its plan.", code="forbidden")
    if permissions.can_run_reviews(actor):
        raise ApplicationError(
            "You run DHCS reviews, so you cannot answer one for the party under review. Another staff member must.",
            code=OWN_MATTER,
        )
    response = (response or "").strip()
    if not response:
        raise ApplicationError("Say what was done.", field="response")
    files = [f for f in files if f]
    if len(files) > MAX_EVIDENCE_FILES:
        raise ApplicationError("Attach at most %(n)s files.", field="evidence", params={"n": MAX_EVIDENCE_FILES})
    kinds = [validate_upload(f, field="evidence") for f in files]
    with transaction.atomic():
        item = _locked_item(item)
        if item.review.status != ReviewStatus.CORRECTIVE_ACTION:
            raise ApplicationError("This review's plan is not open for responses.", code="state")
        before = transition(
            item, CorrectiveActionStatus.RESPONDED, allowed=CORRECTIVE_ACTION_TRANSITIONS, noun=ITEM_NOUN
        )
        item.response = response[:4000]
        item.responded_at, item.responded_by = clock.now(), actor
        item.save(update_fields=["status", "response", "responded_at", "responded_by", "updated_at"])
        stored = []
        for upload, kind in zip(files, kinds, strict=True):
            evidence = ReviewEvidence(
                item=item, kind=kind, original_name=str(upload.name)[:255], size=upload.size, uploaded_by=actor
            )
            evidence.file.save(upload.name, upload, save=False)
            evidence.save()
            stored.append(evidence)
        audit_record(
            actor=actor,
            action=AuditAction.CAP_ITEM_RESPOND,
            obj=item,
            before={"status": before},
            after={"status": item.status, "evidence": [e.pk for e in stored]},
        )
        for evidence in stored:
            audit_record(
                actor=actor,
                action=AuditAction.REVIEW_EVIDENCE_ADD,
                obj=evidence,
                after={"item": item.pk, "kind": evidence.kind, "size": evidence.size},
            )
        if item.review.created_by_id:
            tell_user(
                item.review.created_by,
                subject=gettext_noop("Corrective action answered: %(title)s"),
                body=gettext_noop("The reviewed party answered “%(what)s”. Accept the response or send it back."),
                params={"title": item.review.title, "what": item.description[:200]},
                link=_review_url(item.review),
            )
    return item


def _decide(*, actor, item, to: str, note: str, action) -> CorrectiveActionItem:
    _ensure_runner(actor, item.review)
    note = (note or "").strip()
    if to == CorrectiveActionStatus.RETURNED and not note:
        raise ApplicationError("Say what more is needed.", field="note")
    with transaction.atomic():
        item = _locked_item(item)
        if item.review.status != ReviewStatus.CORRECTIVE_ACTION:
            raise ApplicationError("This review's plan is not open for follow-up.", code="state")
        if item.responded_by_id and item.responded_by_id == actor.pk:
            raise ApplicationError(
                "You wrote this response, so another DHCS staff member must decide it.", code=OWN_MATTER
            )
        before = transition(item, to, allowed=CORRECTIVE_ACTION_TRANSITIONS, noun=ITEM_NOUN)
        item.decision_note = note[:4000]
        item.decided_at, item.decided_by = clock.now(), actor
        item.save(update_fields=["status", "decision_note", "decided_at", "decided_by", "updated_at"])
        audit_record(
            actor=actor, action=action, obj=item, before={"status": before}, after={"status": item.status}, reason=note
        )
        if to == CorrectiveActionStatus.RETURNED:
            subject = gettext_noop("Corrective action sent back: %(title)s")
            body = gettext_noop("DHCS needs more on “%(what)s”: %(note)s\n\nAnswer by %(day)s.")
        else:
            subject = gettext_noop("Corrective action accepted: %(title)s")
            body = gettext_noop("DHCS accepted your response to “%(what)s”.")
        tell_user(
            item.owner,
            subject=subject,
            body=body,
            params={"title": item.review.title, "what": item.description[:200], "note": note, "day": item.due_on},
            link=_review_url(item.review),
        )
    return item


def corrective_action_accept(*, actor, item: CorrectiveActionItem, note: str = "") -> CorrectiveActionItem:
    """DHCS accepts the response to a plan item. Responded -> accepted. Audited; the owner is told."""
    return _decide(
        actor=actor, item=item, to=CorrectiveActionStatus.ACCEPTED, note=note, action=AuditAction.CAP_ITEM_ACCEPT
    )


def corrective_action_return(*, actor, item: CorrectiveActionItem, note: str) -> CorrectiveActionItem:
    """DHCS sends a response back for more, saying what. Responded -> returned. Audited; the owner is told."""
    return _decide(
        actor=actor, item=item, to=CorrectiveActionStatus.RETURNED, note=note, action=AuditAction.CAP_ITEM_RETURN
    )


def review_close(*, actor, review: Review, note: str = "") -> Review:
    """Close a review: from sampled when every record has a finding and all are compliant; from
    corrective action when every plan item's response is accepted. Audited."""
    _ensure_runner(actor, review)
    with transaction.atomic():
        review = _locked_review(review)
        before = transition(review, ReviewStatus.CLOSED, allowed=REVIEW_TRANSITIONS, noun=REVIEW_NOUN)
        if before == ReviewStatus.SAMPLED:
            if review.records.filter(outcome=FindingOutcome.PENDING).exists():
                raise ApplicationError("Record a finding on every sampled record before closing.", code="state")
            if review.records.filter(outcome=FindingOutcome.NOT_COMPLIANT).exists():
                raise ApplicationError(
                    "Some records are not compliant: issue a corrective action plan before closing.", code="state"
                )
        elif review.items.exclude(status=CorrectiveActionStatus.ACCEPTED).exists():
            raise ApplicationError("Every corrective action must be accepted before the review closes.", code="state")
        review.closed_at = clock.now()
        review.closing_note = (note or "").strip()[:4000]
        review.save(update_fields=["status", "closed_at", "closing_note", "updated_at"])
        audit_record(
            actor=actor,
            action=AuditAction.REVIEW_CLOSE,
            obj=review,
            before={"status": before},
            after={"status": review.status},
            reason=review.closing_note,
        )
    return review


def review_cancel(*, actor, review: Review, reason: str) -> Review:
    """Call off a review before a plan is issued, saying why. Planned or sampled -> cancelled. Audited."""
    _ensure_runner(actor, review)
    reason = (reason or "").strip()
    if not reason:
        raise ApplicationError("Say why the review is cancelled.", field="reason")
    with transaction.atomic():
        review = _locked_review(review)
        before = transition(review, ReviewStatus.CANCELLED, allowed=REVIEW_TRANSITIONS, noun=REVIEW_NOUN)
        review.closed_at = clock.now()
        review.closing_note = reason[:4000]
        review.save(update_fields=["status", "closed_at", "closing_note", "updated_at"])
        audit_record(
            actor=actor,
            action=AuditAction.REVIEW_CANCEL,
            obj=review,
            before={"status": before},
            after={"status": review.status},
            reason=reason,
        )
    return review


def corrective_actions_escalate(today: datetime.date) -> dict:
    """Daily job: every plan item past its due date and still waiting for the reviewed party is marked
    escalated (one UPDATE) and its owner and the DHCS staff who opened the review are told. An item is
    escalated once, so a second run on the same day (or any later day) changes nothing."""
    overdue = CorrectiveActionItem.objects.filter(
        review__status=ReviewStatus.CORRECTIVE_ACTION,
        status__in=AWAITING_PARTY,
        due_on__lt=today,
        escalated_on__isnull=True,
    )
    items = list(overdue.select_related("owner", "review", "review__created_by").select_for_update(of=("self",)))
    if not items:
        return {"escalated": 0}
    CorrectiveActionItem.objects.filter(pk__in=[i.pk for i in items], escalated_on__isnull=True).update(
        escalated_on=today, updated_at=clock.now()
    )
    audit_record_many(
        actor=None,
        action=AuditAction.CAP_ITEM_ESCALATE,
        object_type=CorrectiveActionItem._meta.label_lower,
        rows=[
            (i.pk, i, {"escalated_on": None}, {"escalated_on": today.isoformat(), "due_on": i.due_on.isoformat()})
            for i in items
        ],
    )
    params_of = lambda i: {"title": i.review.title, "what": i.description[:200], "day": i.due_on}  # noqa: E731
    for item in items:
        tell_user(
            item.owner,
            subject=gettext_noop("Overdue corrective action: %(title)s"),
            body=gettext_noop("“%(what)s” was due %(day)s and is not answered. DHCS has been told. Answer it now."),
            params=params_of(item),
            link=_review_url(item.review),
        )
        if item.review.created_by_id:
            tell_user(
                item.review.created_by,
                subject=gettext_noop("Overdue corrective action: %(title)s"),
                body=gettext_noop("“%(what)s” was due %(day)s and the reviewed party has not answered it."),
                params=params_of(item),
                link=_review_url(item.review),
            )
    return {"escalated": len(items)}
