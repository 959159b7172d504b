"""Past decisions from before PeerCert, entered by staff or imported from a file (legacy_import):
one set of checks for both."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop

from peercert.certification import requirements, steps
from peercert.certification.audit import AuditAction
from peercert.certification.models import (
    Application,
    ApplicationStatus,
    Pathway,
)
from peercert.certification.permissions import (
    can_review_in,
)
from peercert.core import clock
from peercert.core.audit import audit_record
from peercert.core.dates import add_months
from peercert.core.duties import ensure_not_own_matter
from peercert.core.errors import ApplicationError
from peercert.core.rules import rules_picker
from peercert.core.types import Actor

HISTORICAL_ANSWERS = (
    frozenset(steps.BY_CODE["pathway"].fields) | frozenset(steps.BY_CODE["experience"].fields) | {"county"}
)
# What an approved grandparenting record must say, so the closed pathway's decisions stay complete.
GRANDPARENTING_FACTS = {
    "employed_as_peer_on_cutoff": gettext_noop("whether they were employed as a peer on the cutoff date"),
    "peer_work_hours": gettext_noop("the hours of peer work"),
    "ce_hours": gettext_noop("the CE hours"),
    "ce_law_ethics_hours": gettext_noop("the CE hours in law and ethics"),
}
MAX_CE_HOURS = Decimal("9999.99")


@dataclass
class HistoricalRecord:
    """A past decision checked and ready to save (application unsaved), with its audit details."""

    application: Application
    audit_after: dict


class HistoricalRecordError(ApplicationError):
    """Every reason one past record cannot be saved; errors holds them all (the first is the message)."""

    def __init__(self, errors: list[ApplicationError]):
        super().__init__(errors[0].message, code=errors[0].code, field=errors[0].field)
        self.errors = errors


def _local_noon(day: datetime.date) -> datetime.datetime:
    # Noon local time keeps the calendar day whatever the server's time zone offset.
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))


def historical_record_build(
    *,
    actor: Actor,
    person,
    program,
    pathway: str,
    status: str,
    submitted_on: datetime.date | None,
    decided_on: datetime.date | None,
    reason: str = "",
    today: datetime.date,
    rules_for,
    legal_names: tuple[str, str, str] | None = None,
    date_of_birth: datetime.date | None = None,
    **answers,
) -> tuple[HistoricalRecord | None, list[ApplicationError]]:
    """Check one past decision and build its unsaved Application: the rules staff entry and file import share.

    person may be unsaved (a file import creating people). legal_names and date_of_birth, as
    given on the past application, default to the person's. rules_for(day) gives the program
    rules of a day (a core.rules.rules_picker). Runs no query of its own. Returns (record, [])
    or (None, every problem, each with the field it concerns).
    """
    errors: list[ApplicationError] = []
    born = date_of_birth or person.date_of_birth

    def refuse(message: str, field: str | None = None, params: dict | None = None) -> None:
        errors.append(ApplicationError(message, field=field, params=params))

    if pathway not in Pathway.values:
        refuse(
            "The pathway “%(pathway)s” is unknown; use %(choices)s.",
            "pathway",
            {"pathway": pathway, "choices": ", ".join(Pathway.values)},
        )
    if status not in (ApplicationStatus.APPROVED, ApplicationStatus.DENIED):
        refuse("A past record is either approved or denied, not “%(status)s”.", "status", {"status": status})
    if submitted_on is None:
        refuse("Give the date the application was submitted.", "submitted_on")
    if decided_on is None:
        refuse("Give the date of the decision.", "decided_on")
    if submitted_on is not None and submitted_on > today:
        refuse("The submission date %(day)s is in the future.", "submitted_on", {"day": f"{submitted_on:%Y-%m-%d}"})
    if decided_on is not None and decided_on > today:
        refuse("The decision date %(day)s is in the future.", "decided_on", {"day": f"{decided_on:%Y-%m-%d}"})
    if submitted_on and decided_on and decided_on < submitted_on:
        refuse("The decision date cannot be before the submission date.", "decided_on")
    reason = (reason or "").strip()
    if status == ApplicationStatus.DENIED and not reason:
        refuse("Give the reason for the denial.", "reason")
    unknown = set(answers) - HISTORICAL_ANSWERS
    if unknown:
        refuse("Unknown fields: %(fields)s.", params={"fields": ", ".join(sorted(unknown))})
    for field in ("peer_work_hours", "ce_hours", "ce_law_ethics_hours"):
        value = answers.get(field)
        if value is None:
            continue
        if value < 0:
            refuse("Hours cannot be negative (%(field)s: %(value)s).", field, {"field": field, "value": value})
        elif field == "peer_work_hours" and value != int(value):
            refuse("Hours of peer work must be a whole number, not %(value)s.", field, {"value": value})
        elif field != "peer_work_hours" and (
            value > MAX_CE_HOURS or Decimal(value) != Decimal(value).quantize(Decimal("0.01"))
        ):
            refuse(
                "CE hours “%(value)s” must be under 10,000 with at most two decimal places.", field, {"value": value}
            )
    ce, law = answers.get("ce_hours"), answers.get("ce_law_ethics_hours")
    if ce is not None and law is not None and law > ce:
        refuse(
            "CE hours in law and ethics (%(law)s) cannot be more than the CE hours (%(ce)s).",
            "ce_law_ethics_hours",
            {"law": law, "ce": ce},
        )
    if pathway == Pathway.GRANDPARENTING and status == ApplicationStatus.APPROVED:
        missing = [gettext(label) for field, label in GRANDPARENTING_FACTS.items() if answers.get(field) is None]
        if missing:
            refuse("An approved grandparenting record must give %(facts)s.", params={"facts": ", ".join(missing)})
    rules = None
    try:
        if submitted_on and born:
            minimum = rules_for(submitted_on).minimum_age
            if requirements.age_on(born, submitted_on) < minimum:
                refuse(
                    "The applicant was under %(age)s on the submission date %(submitted)s (born %(born)s).",
                    "submitted_on",
                    {"age": minimum, "submitted": f"{submitted_on:%Y-%m-%d}", "born": f"{born:%Y-%m-%d}"},
                )
        if decided_on:
            rules = rules_for(decided_on)
    except ApplicationError as exc:
        errors.append(exc)
    if errors:
        return None, errors
    if "peer_work_hours" in answers and answers["peer_work_hours"] is not None:
        answers["peer_work_hours"] = int(answers["peer_work_hours"])
    first, middle, last = legal_names or (person.legal_first_name, person.legal_middle_name, person.legal_last_name)
    application = Application(
        person=person,
        program=program,
        pathway=pathway,
        status=status,
        entered_by_staff=True,
        legal_first_name=first,
        legal_middle_name=middle,
        legal_last_name=last,
        date_of_birth=born,
        first_submitted_at=_local_noon(submitted_on),
        submitted_at=_local_noon(submitted_on),
        decided_at=_local_noon(decided_on),
        decided_by=actor,
        decision_reason=reason,
        rules_version=rules.version,
        review_days_banked=(decided_on - submitted_on).days,
        valid_until=add_months(decided_on, rules.application_valid_months)
        if status == ApplicationStatus.APPROVED
        else None,
        steps_completed=steps.step_codes(pathway),
        **answers,
    )
    after = {
        "pathway": pathway,
        "status": status,
        "submitted_on": submitted_on.isoformat(),
        "decided_on": decided_on.isoformat(),
        **{k: str(v.pk if hasattr(v, "pk") else v) for k, v in answers.items()},
    }
    return HistoricalRecord(application=application, audit_after=after), []


def historical_already_recorded(program, keys) -> dict[tuple, int]:
    """{(person_id, pathway, decided_on): application id} for past records staff already saved.

    keys: (person_id, pathway, decided_on) triples. One query per 500 people.
    """
    wanted = {k for k in keys if k[0] is not None}
    people = sorted({k[0] for k in wanted})
    found = {}
    for i in range(0, len(people), 500):
        rows = Application.objects.filter(
            program=program, entered_by_staff=True, person_id__in=people[i : i + 500], decided_at__isnull=False
        ).values_list("pk", "person_id", "pathway", "decided_at")
        for pk, person_id, pathway, decided_at in rows:
            key = (person_id, pathway, timezone.localdate(decided_at))
            if key in wanted:
                found.setdefault(key, pk)
    return found


@transaction.atomic
def application_enter_historical(
    *,
    actor: Actor,
    person,
    program,
    pathway: str,
    status: str,
    submitted_on: datetime.date,
    decided_on: datetime.date,
    reason: str = "",
    **answers,
) -> Application:
    """Staff enter a decided application from before PeerCert (e.g. grandparenting, closed to new applicants).

    Preconditions (shared with the file import, legacy_import): actor reviews in the program;
    see historical_record_build; not already recorded (same person, pathway and decision date).
    Raises HistoricalRecordError listing every problem. The record is complete and readable
    like any other; it carries entered_by_staff. Audited.
    """
    if not can_review_in(actor, program.pk):
        raise ApplicationError("Only staff of the program may enter past records.", code="forbidden")
    ensure_not_own_matter(actor, person, what="record")
    record, errors = historical_record_build(
        actor=actor,
        person=person,
        program=program,
        pathway=pathway,
        status=status,
        submitted_on=submitted_on,
        decided_on=decided_on,
        reason=reason,
        today=clock.today(),
        rules_for=rules_picker(older_use_first=True),
        **answers,
    )
    if record is not None:
        existing = historical_already_recorded(program, [(person.pk, pathway, decided_on)])
        if existing:
            errors = [
                ApplicationError(
                    "This past decision is already recorded (application %(number)s).",
                    params={"number": next(iter(existing.values()))},
                    code="duplicate",
                )
            ]
    if errors:
        raise HistoricalRecordError(errors)
    application = record.application
    application.save()
    audit_record(
        actor=actor,
        action=AuditAction.APPLICATION_ENTER_HISTORICAL,
        obj=application,
        after=record.audit_after,
        reason=application.decision_reason,
    )
    return application
