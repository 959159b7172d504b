"""oversight: the plan part's services: the only code that changes the implementation plan.

The program's manager submits a version (every section's text, an optional attachment per section);
a DHCS approver other than the submitter approves it (it comes into force, the version in force
before is superseded), returns it with comments per section, or rejects it. A version cannot be
submitted while another awaits DHCS's decision.
"""

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.urls import reverse
from django.utils.translation import gettext_noop

from peercert.accounts.models import User
from peercert.accounts.roles import Role
from peercert.core import clock
from peercert.core.audit import audit_record, snapshot
from peercert.core.duties import OWN_MATTER
from peercert.core.errors import ApplicationError
from peercert.core.tell import tell_users
from peercert.core.transitions import check_transition, transition
from peercert.core.types import Actor
from peercert.core.uploads import validate_upload
from peercert.oversight import permissions
from peercert.oversight.audit import AuditAction
from peercert.oversight.models.plan import (
    PLAN_SECTIONS,
    PLAN_TRANSITIONS,
    PlanComment,
    PlanSection,
    PlanStatus,
    PlanVersion,
)

__all__ = [
    "PLAN_TEXT_MAX",
    "plan_approve",
    "plan_reject",
    "plan_return",
    "plan_submit",
]

PLAN = gettext_noop("plan version")
PLAN_TEXT_MAX = 20_000
COMMENT_MAX = 4_000
ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024
VERSION_FIELDS = ("number", "status", "decided_at", "decision_comment", "in_force_from", "in_force_to")


def _people_with(role: str):
    return User.objects.filter(is_active=True, role_assignments__role=role).distinct().select_related("person")


def _version_url(version: PlanVersion) -> str:
    return reverse("oversight:plan_version", args=[version.pk])


@transaction.atomic
def plan_submit(*, actor: Actor, sections: dict[str, dict], summary: str = "") -> PlanVersion:
    """Submit a new version of the implementation plan to DHCS.

    sections: {code: {"body": str, "attachment": UploadedFile | None}} for every code of PLAN_SECTIONS.
    Preconditions: a program manager; no version awaits a decision; every section has text (at most
    PLAN_TEXT_MAX characters); an attachment is a PDF, JPEG or PNG that validate_upload accepts.
    Side effects: the version and its sections; it answers the latest returned version, if any;
    audited as plan.submit; DHCS approvers are told after commit.
    """
    if actor is None or not permissions.can_submit_plan(actor):
        raise ApplicationError("Only the program's manager may submit the implementation plan.", code="forbidden")
    # Lock the versions so two submissions at once cannot both pass the check below.
    list(PlanVersion.objects.select_for_update().values_list("pk", flat=True))
    waiting = PlanVersion.objects.filter(status=PlanStatus.SUBMITTED).first()
    if waiting is not None:
        raise ApplicationError(
            "Version %(number)s is still waiting for DHCS's decision. Submit a new version once DHCS has "
            "decided it (returned, approved or rejected).",
            params={"number": waiting.number},
            code="state",
        )
    summary = (summary or "").strip()
    if len(summary) > COMMENT_MAX:
        raise ApplicationError(
            "Keep the summary under %(limit)s characters.", params={"limit": COMMENT_MAX}, field="summary"
        )
    checked = []
    for code, heading in PLAN_SECTIONS:
        given = sections.get(code) or {}
        body = (given.get("body") or "").strip()
        if not body:
            raise ApplicationError("Write the section “%(section)s”.", params={"section": heading}, field=code)
        if len(body) > PLAN_TEXT_MAX:
            raise ApplicationError(
                "The section “%(section)s” is longer than %(limit)s characters. Move the detail to an attachment.",
                params={"section": heading, "limit": PLAN_TEXT_MAX},
                field=code,
            )
        upload = given.get("attachment")
        kind = validate_upload(upload, max_bytes=ATTACHMENT_MAX_BYTES, field=f"{code}_file") if upload else ""
        checked.append((code, str(heading), body, upload, kind))
    number = (PlanVersion.objects.aggregate(n=Max("number"))["n"] or 0) + 1
    latest = PlanVersion.objects.order_by("-number").first()
    # A version answers DHCS's comments only when the one before it was returned.
    responds_to = latest if latest is not None and latest.status == PlanStatus.RETURNED else None
    try:
        with transaction.atomic():
            version = PlanVersion.objects.create(
                number=number,
                status=PlanStatus.SUBMITTED,
                summary=summary,
                responds_to=responds_to,
                submitted_by=actor,
                submitted_at=clock.now(),
            )
    except IntegrityError:
        raise ApplicationError(
            "Another version was submitted a moment ago and is waiting for DHCS's decision.", code="state"
        ) from None
    for position, (code, heading, body, upload, kind) in enumerate(checked):
        section = PlanSection(version=version, code=code, position=position, heading=heading, body=body)
        if upload:
            section.attachment_kind = kind
            section.attachment_name = (upload.name or "attachment")[:255]
            section.attachment_size = upload.size
            section.attachment.save(upload.name or "attachment", upload, save=False)
        section.save()
    audit_record(actor=actor, action=AuditAction.PLAN_SUBMIT, obj=version, after=snapshot(version, VERSION_FIELDS))
    tell_users(
        _people_with(Role.DHCS_APPROVER).exclude(pk=actor.pk),
        subject=gettext_noop("Implementation plan to decide: version %(number)s"),
        body=gettext_noop("The program submitted version %(number)s of its implementation plan for DHCS's decision."),
        params={"number": version.number},
        link=_version_url(version),
    )
    return version


DECISIONS = {
    PlanStatus.APPROVED: (
        AuditAction.PLAN_APPROVE,
        gettext_noop("Implementation plan approved: version %(number)s"),
        gettext_noop("DHCS approved version %(number)s of the implementation plan. It is in force from today."),
    ),
    PlanStatus.RETURNED: (
        AuditAction.PLAN_RETURN,
        gettext_noop("Implementation plan returned: version %(number)s"),
        gettext_noop(
            "DHCS returned version %(number)s of the implementation plan with comments on its sections. "
            "Read them and submit a new version."
        ),
    ),
    PlanStatus.REJECTED: (
        AuditAction.PLAN_REJECT,
        gettext_noop("Implementation plan rejected: version %(number)s"),
        gettext_noop("DHCS rejected version %(number)s of the implementation plan: %(comment)s"),
    ),
}


def _decide(*, actor: Actor, version: PlanVersion, to: str, comment: str, section_comments: dict | None) -> PlanVersion:
    if actor is None or not permissions.can_decide_plan(actor):
        raise ApplicationError("Only a DHCS approver may decide the implementation plan.", code="forbidden")
    version = PlanVersion.objects.select_for_update().get(pk=version.pk)
    if version.submitted_by_id == actor.pk:
        raise ApplicationError("You submitted this version, so another DHCS approver must decide it.", code=OWN_MATTER)
    check_transition(version, to, allowed=PLAN_TRANSITIONS, noun=PLAN)
    comment = (comment or "").strip()
    notes = {code: (text or "").strip() for code, text in (section_comments or {}).items() if (text or "").strip()}
    for text in [comment, *notes.values()]:
        if len(text) > COMMENT_MAX:
            raise ApplicationError(
                "Keep each comment under %(limit)s characters.", params={"limit": COMMENT_MAX}, field="comment"
            )
    sections = {s.code: s for s in version.sections.all()}
    unknown = set(notes) - set(sections)
    if unknown:
        raise ApplicationError("That section is not in this version.", field="comment")
    if to == PlanStatus.RETURNED and not notes:
        raise ApplicationError(
            "Write a comment on at least one section: the program reads them to know what to change.",
            field="comment",
        )
    if to == PlanStatus.REJECTED and not comment:
        raise ApplicationError("Say why the plan is rejected.", field="comment")
    today, now = clock.today(), clock.now()
    if to == PlanStatus.APPROVED:
        in_force = PlanVersion.objects.select_for_update().filter(status=PlanStatus.APPROVED).first()
        if in_force is not None:
            before = snapshot(in_force, VERSION_FIELDS)
            transition(in_force, PlanStatus.SUPERSEDED, allowed=PLAN_TRANSITIONS, noun=PLAN)
            in_force.in_force_to = today
            in_force.save(update_fields=["status", "in_force_to", "updated_at"])
            audit_record(
                actor=actor,
                action=AuditAction.PLAN_SUPERSEDE,
                obj=in_force,
                before=before,
                after=snapshot(in_force, VERSION_FIELDS),
                reason=f"v{version.number}",
            )
    before = snapshot(version, VERSION_FIELDS)
    transition(version, to, allowed=PLAN_TRANSITIONS, noun=PLAN)
    version.decided_by, version.decided_at, version.decision_comment = actor, now, comment
    fields = ["status", "decided_by", "decided_at", "decision_comment", "updated_at"]
    if to == PlanStatus.APPROVED:
        version.in_force_from = today
        fields.append("in_force_from")
    version.save(update_fields=fields)
    PlanComment.objects.bulk_create(
        [PlanComment(version=version, section=sections[code], author=actor, text=text) for code, text in notes.items()]
    )
    action, subject, body = DECISIONS[to]
    audit_record(
        actor=actor,
        action=action,
        obj=version,
        before=before,
        after={**snapshot(version, VERSION_FIELDS), "section_comments": notes},
        reason=comment,
    )
    tell_users(
        _people_with(Role.PROGRAM_MANAGER),
        subject=subject,
        body=body,
        params={"number": version.number, "comment": comment},
        link=_version_url(version),
    )
    return version


@transaction.atomic
def plan_approve(*, actor: Actor, version: PlanVersion, comment: str = "", section_comments=None) -> PlanVersion:
    """A DHCS approver approves the version awaiting decision: it is in force from today.

    Preconditions: a DHCS approver who did not submit it; the version is submitted.
    Side effects: the version in force before is superseded (audited as plan.supersede); section
    comments, if any, are kept; audited as plan.approve; the program's managers are told.
    """
    return _decide(
        actor=actor, version=version, to=PlanStatus.APPROVED, comment=comment, section_comments=section_comments
    )


@transaction.atomic
def plan_return(*, actor: Actor, version: PlanVersion, section_comments: dict, comment: str = "") -> PlanVersion:
    """A DHCS approver returns the version with comments on its sections (at least one required).

    The version in force (if any) stays in force. Audited as plan.return; the program's managers are told.
    """
    return _decide(
        actor=actor, version=version, to=PlanStatus.RETURNED, comment=comment, section_comments=section_comments
    )


@transaction.atomic
def plan_reject(*, actor: Actor, version: PlanVersion, comment: str, section_comments=None) -> PlanVersion:
    """A DHCS approver rejects the version, saying why (required). Final; audited as plan.reject."""
    return _decide(
        actor=actor, version=version, to=PlanStatus.REJECTED, comment=comment, section_comments=section_comments
    )
