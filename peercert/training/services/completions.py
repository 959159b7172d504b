"""Who finished a course: one at a time, by roster, or a supervisor by name."""

import datetime
import hashlib
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext, gettext_noop

from peercert.accounts.audit import AccountsAuditAction
from peercert.accounts.models import Person
from peercert.core import clock
from peercert.core.audit import audit_record
from peercert.core.duties import ensure_not_own_matter
from peercert.core.errors import ApplicationError
from peercert.core.tell import tell_person
from peercert.core.types import Actor
from peercert.core.vocabulary import CECategory
from peercert.training import permissions as perms
from peercert.training.audit import TrainingAuditAction
from peercert.training.models import (
    Completion,
    CompletionSource,
    CurriculumKind,
    Offering,
    OfferingStatus,
    RosterUpload,
    VersionStatus,
)
from peercert.training.services._common import (
    _deny,
)


def check_completion_values(offering, *, hours, completed_on: datetime.date, today: datetime.date) -> list[str]:
    """The problems with one completion's values, as plain sentences (used by the roster too)."""
    problems = []
    if hours is None:
        problems.append(gettext("Hours are missing."))
    elif hours <= 0:
        problems.append(gettext("Hours must be more than zero; got %(hours)s.") % {"hours": hours})
    elif hours > offering.hours:
        problems.append(
            gettext("Hours (%(hours)s) are more than the course's %(limit)s hours.")
            % {"hours": hours, "limit": offering.hours}
        )
    if completed_on is None:
        problems.append(gettext("The completion date is missing."))
    elif completed_on < offering.starts_on:
        problems.append(
            gettext("The completion date %(day)s is before the course started (%(start)s).")
            % {"day": f"{completed_on:%Y-%m-%d}", "start": f"{offering.starts_on:%Y-%m-%d}"}
        )
    elif completed_on > today:
        problems.append(gettext("The completion date %(day)s is in the future.") % {"day": f"{completed_on:%Y-%m-%d}"})
    return problems


def _check_offering_accepts_completions(offering) -> None:
    if offering.status == OfferingStatus.CANCELLED:
        raise ApplicationError("This course was cancelled; it has no completions.", code="state")
    version = offering.curriculum_version
    if version.status not in (VersionStatus.APPROVED, VersionStatus.SUPERSEDED):
        raise ApplicationError(
            "The course teaches %(version)s, which DHCS has not approved (“%(status)s”). "
            "Completions cannot be recorded.",
            params={"version": version, "status": version.get_status_display()},
            code="state",
        )


@transaction.atomic
def completion_record(
    *, actor: Actor, offering, person, hours, completed_on: datetime.date | None = None, ce_category: str | None = None
) -> Completion:
    """Record one person's completion of a course.

    Preconditions: staff of the entity; the course's version approved; hours above zero and no
    more than the course's; the date within the course and not in the future; not recorded
    before for this person and course. Audited; the person is told.
    """
    o = (
        Offering.objects.select_for_update(of=("self",))
        .select_related("curriculum_version__curriculum")
        .get(pk=offering.pk)
    )
    if not perms.can_manage_offering(actor, o):
        raise _deny("Only staff of this training entity record its completions.")
    ensure_not_own_matter(actor, person, what="training_record")
    _check_offering_accepts_completions(o)
    completed_on = completed_on or min(o.ends_on, clock.today())
    hours = Decimal(str(hours)) if hours is not None else None
    problems = check_completion_values(o, hours=hours, completed_on=completed_on, today=clock.today())
    if problems:
        # The pieces are translated where they are made; the hours' problem, if any, comes first.
        hours_wrong = hours is None or hours <= 0 or hours > o.hours
        raise ApplicationError(
            "%(problems)s", params={"problems": " ".join(problems)}, field="hours" if hours_wrong else "completed_on"
        )
    category = ce_category or o.curriculum_version.curriculum.ce_category
    if category not in CECategory.values:
        raise ApplicationError("Choose a CE category.", field="ce_category")
    key = Completion.key_for(person.pk, o.pk)
    if Completion.objects.filter(idempotency_key=key).exists():
        raise ApplicationError(
            "%(person)s already has a completion for this course.", params={"person": person}, code="duplicate"
        )
    completion = Completion.objects.create(
        person=person,
        offering=o,
        completed_on=completed_on,
        hours=hours,
        ce_category=category,
        idempotency_key=key,
        source=CompletionSource.SINGLE,
        recorded_by=actor,
    )
    audit_record(
        actor=actor,
        action=TrainingAuditAction.COMPLETION_RECORD,
        obj=completion,
        after={
            "person": person.pk,
            "offering": o.pk,
            "hours": hours,
            "ce_category": category,
            "completed_on": completed_on,
        },
    )
    tell_person(
        person,
        subject=gettext_noop("Training completed: %(course)s"),
        body=gettext_noop("%(hours)s hours recorded. Your certificate of completion is ready."),
        params={"course": o.display_title, "hours": hours},
        link=reverse("training:my_training"),
    )
    return completion


@transaction.atomic
def roster_commit(*, actor: Actor, offering, content: bytes, filename: str) -> tuple:
    """Write every new completion in a roster file, all or nothing.

    Preconditions: staff of the entity; the file validates with no errors (the same checks
    the preview showed, run again now). Rows already recorded are skipped, so the same file
    twice adds nothing. Side effects: one bulk insert; a RosterUpload row when anything was
    added; one audit event for the upload. Returns (RosterUpload | None, RosterResult).
    """
    from peercert.training.roster import RosterError, validate_roster

    o = (
        Offering.objects.select_for_update(of=("self",))
        .select_related("curriculum_version__curriculum")
        .get(pk=offering.pk)
    )
    if not perms.can_manage_offering(actor, o):
        raise _deny("Only staff of this training entity upload its rosters.")
    result = validate_roster(o, content=content, filename=filename, today=clock.today())
    if result.errors:
        raise RosterError(result)
    new_rows = [r for r in result.rows if r.is_new]
    # A trainer on her own course's roster has her completion recorded by a colleague.
    ensure_not_own_matter(actor, *(r.person_id for r in new_rows), what="training_record")
    if not new_rows:
        return None, result
    upload = RosterUpload.objects.create(
        offering=o,
        uploaded_by=actor,
        filename=filename[:255],
        sha256=hashlib.sha256(content).hexdigest(),
        row_count=len(result.rows),
        created_count=len(new_rows),
    )
    try:
        with transaction.atomic():
            Completion.objects.bulk_create(
                [
                    Completion(
                        person_id=r.person_id,
                        offering=o,
                        completed_on=r.completed_on,
                        hours=r.hours,
                        ce_category=r.ce_category,
                        idempotency_key=Completion.key_for(r.person_id, o.pk),
                        source=CompletionSource.ROSTER,
                        roster_upload=upload,
                        recorded_by=actor,
                    )
                    for r in new_rows
                ],
                batch_size=500,
            )
    except IntegrityError:
        raise ApplicationError(
            "Someone recorded completions for this course at the same time. Upload the roster "
            "again: rows already recorded will be skipped.",
            code="conflict",
        ) from None
    audit_record(
        actor=actor,
        action=TrainingAuditAction.ROSTER_COMMIT,
        obj=upload,
        after={
            "offering": o.pk,
            "filename": filename,
            "sha256": upload.sha256,
            "rows": len(result.rows),
            "created": len(new_rows),
        },
    )
    return upload, result


@transaction.atomic
def supervisor_completion_record(
    *,
    actor: Actor,
    offering,
    first_name: str,
    last_name: str,
    date_of_birth: datetime.date,
    email: str = "",
    hours,
    completed_on: datetime.date | None = None,
) -> Completion:
    """Record supervisor training for anyone who supervises peers, peer or not.

    Preconditions: the course teaches a supervisor curriculum; the other checks of
    completion_record. The person is found by name and date of birth (accents and case
    ignored); someone not yet on file gets a person record (no sign-in). Refused when two
    people match. Audited.
    """
    from peercert.core.text import fold

    o = Offering.objects.select_related("curriculum_version__curriculum").get(pk=offering.pk)
    if o.curriculum_version.curriculum.kind != CurriculumKind.SUPERVISOR:
        raise ApplicationError("This form is for supervisor training courses only.", code="state")
    if not perms.can_manage_offering(actor, o):
        raise _deny("Only staff of this training entity record its completions.")
    if not ((first_name or "").strip() and (last_name or "").strip() and date_of_birth):
        raise ApplicationError("Give the supervisor's first name, last name and date of birth.", field="first_name")
    key = (fold(first_name), fold(last_name))
    matches = [
        p
        for p in Person.objects.filter(date_of_birth=date_of_birth)
        if (fold(p.legal_first_name), fold(p.legal_last_name)) == key
    ]
    if len(matches) > 1:
        raise ApplicationError(
            "More than one person on file has this name and date of birth. Ask the program to record this completion.",
            code="conflict",
        )
    if matches:
        person = matches[0]
    else:
        person = Person.objects.create(
            legal_first_name=first_name.strip(),
            legal_last_name=last_name.strip(),
            date_of_birth=date_of_birth,
            email=(email or "").strip(),
        )
        audit_record(
            actor=actor,
            action=AccountsAuditAction.PERSON_CREATE,
            obj=person,
            reason="supervisor training completion",
            after={"legal_first_name": person.legal_first_name, "legal_last_name": person.legal_last_name},
        )
    return completion_record(actor=actor, offering=o, person=person, hours=hours, completed_on=completed_on)
