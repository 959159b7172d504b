"""Changes to providers, employments, hires, directing professionals and supervision.

Every service follows the house recipe: atomic, reloads its row with select_for_update, checks the
actor's county, the move and the rules, saves named fields, writes its audit event, and tells people
(core.tell sends mail after commit). Nothing is deleted: employments and assignments end.
"""

import datetime
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_noop

from peercert.accounts.models import County, Person
from peercert.benefit import permissions
from peercert.benefit.audit import AuditAction
from peercert.benefit.models import (
    ASSIGNMENT_TRANSITIONS,
    COUNTY_OPT_IN_FIELDS,
    EMPLOYMENT_TRANSITIONS,
    SYSTEM_FIELDS,
    AssignmentStatus,
    CredentialKind,
    DeliverySystem,
    DirectingProfessional,
    Employment,
    EmploymentStatus,
    EndReason,
    Provider,
    ProviderKind,
    SupervisionCeiling,
    SupervisionPolicy,
    SupervisorAssignment,
)
from peercert.benefit.npi import npi_problem
from peercert.benefit.selectors.workforce import ceiling_in_force, supervision_limit_on
from peercert.benefit.signals import announce_employment_facts
from peercert.certification import selectors as certification_selectors
from peercert.core import clock
from peercert.core.audit import audit_record, snapshot
from peercert.core.duties import ensure_not_own_matter
from peercert.core.errors import ApplicationError
from peercert.core.rules import rules_on
from peercert.core.tell import tell_person
from peercert.core.transitions import check_transition, transition
from peercert.core.types import Actor

__all__ = [
    "assignment_create",
    "assignment_end",
    "direction_record",
    "employment_end",
    "employment_hire",
    "employment_hire_correct",
    "employment_record",
    "employment_update",
    "provider_create",
    "provider_update",
    "supervision_ceiling_set",
    "supervision_policy_set",
]

# What a refused status change calls the record ("This employment is ended, so it cannot become hired.").
EMPLOYMENT = gettext_noop("employment")
ASSIGNMENT = gettext_noop("supervisor assignment")

PROVIDER_FIELDS = (
    "name",
    "kind",
    "npi",
    "smhs",
    "dmc",
    "dmc_ods",
    "address_line1",
    "city",
    "postal_code",
    "active_from",
    "active_to",
)
EMPLOYMENT_FIELDS = (
    "status",
    "provider",
    "person",
    "position_title",
    "fte",
    "smhs",
    "dmc",
    "dmc_ods",
    "start_on",
    "end_on",
    "end_reason",
    "individual_npi",
    "hired_on",
    "hire_certification_number",
)
ASSIGNMENT_FIELDS = ("status", "supervisor", "employment", "start_on", "end_on", "training_due_on", "end_reason")
DIRECTION_FIELDS = (
    "name",
    "credential_kind",
    "license_type",
    "license_number",
    "issuing_board",
    "start_on",
    "end_on",
)
MAX_TEXT = 200
EARLIEST_DAY, LATEST_DAY = datetime.date(1950, 1, 1), datetime.date(2100, 12, 31)
FTE_MIN, FTE_MAX = Decimal("0.01"), Decimal("1.00")
# A limit nobody could mean; keeps the number inside a small integer column.
MAX_PEERS_LIMIT = 200


def _user(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


def _require_county(actor: Actor, county_id: int) -> None:
    if actor is not None and not permissions.can_manage_county(actor, county_id):
        raise ApplicationError("Only county staff of this county may change its workforce records.", code="forbidden")


def _text(value, *, field: str, required: bool = True, max_length: int = MAX_TEXT) -> str:
    text = " ".join(str(value or "").split())
    if required and not text:
        raise ApplicationError("This field is required.", field=field)
    if len(text) > max_length:
        raise ApplicationError("Keep this to %(n)s characters or fewer.", params={"n": max_length}, field=field)
    return text


def _date(value, *, field: str) -> datetime.date:
    if not isinstance(value, datetime.date) or isinstance(value, datetime.datetime):
        raise ApplicationError("Enter a date, like 2026-03-01.", field=field)
    if not EARLIEST_DAY <= value <= LATEST_DAY:
        # Far-off dates are typing slips, and date arithmetic near the year 9999 would overflow.
        raise ApplicationError("Enter a date between 1950 and 2100.", field=field)
    return value


def _systems(systems) -> dict[str, bool]:
    chosen = set(systems or [])
    unknown = chosen - set(DeliverySystem.values)
    if unknown:
        raise ApplicationError(
            "%(system)s is not a delivery system. Choose SMHS, DMC or DMC-ODS.",
            params={"system": sorted(unknown)[0]},
            field="delivery_systems",
        )
    if not chosen:
        raise ApplicationError("Choose at least one delivery system.", field="delivery_systems")
    return {field: system in chosen for system, field in SYSTEM_FIELDS.items()}


def _check_npi(value, *, field: str) -> str:
    text = str(value or "").strip()
    problem = npi_problem(text)
    if problem:
        raise ApplicationError(problem, field=field)
    return text


def _check_county_opt_in(county: County, flags: dict[str, bool]) -> None:
    for system, field in SYSTEM_FIELDS.items():
        if flags[field] and not getattr(county, COUNTY_OPT_IN_FIELDS[system]):
            raise ApplicationError(
                "%(county)s has not opted into %(system)s, so its providers cannot serve it. Choose the delivery systems the county offers.",
                params={"county": str(county), "system": DeliverySystem(system).label},
                field="delivery_systems",
            )


def _check_provider_dates(active_from, active_to) -> None:
    _date(active_from, field="active_from")
    if active_to is not None:
        _date(active_to, field="active_to")
        if active_to < active_from:
            raise ApplicationError(
                "The provider cannot stop being active before it starts. Enter an end date on or after %(start)s.",
                params={"start": active_from},
                field="active_to",
            )


def _provider_values(county: County, data: dict) -> dict:
    flags = _systems(data.get("delivery_systems"))
    _check_county_opt_in(county, flags)
    kind = data.get("kind")
    if kind not in ProviderKind.values:
        raise ApplicationError("Choose whether the county runs the clinic or contracts with it.", field="kind")
    postal = _text(data.get("postal_code"), field="postal_code", max_length=10)
    if not (len(postal) in (5, 10) and postal[:5].isdigit()):
        raise ApplicationError("Enter a 5-digit ZIP code, like 90033.", field="postal_code")
    _check_provider_dates(data.get("active_from"), data.get("active_to"))
    return {
        "name": _text(data.get("name"), field="name"),
        "kind": kind,
        "npi": _check_npi(data.get("npi"), field="npi"),
        "address_line1": _text(data.get("address_line1"), field="address_line1"),
        "city": _text(data.get("city"), field="city", max_length=100),
        "postal_code": postal,
        "active_from": data["active_from"],
        "active_to": data.get("active_to"),
        **flags,
    }


def _npi_taken(county_id: int, npi: str, exclude_pk: int | None = None) -> None:
    qs = Provider.objects.filter(county_id=county_id, npi=npi)
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    other = qs.first()
    if other is not None:
        raise ApplicationError(
            "%(name)s already has the NPI %(npi)s in this county. Edit that provider instead.",
            params={"name": other.name, "npi": npi},
            code="duplicate",
            field="npi",
        )


# ---- Providers -------------------------------------------------------------------------------


@transaction.atomic
def provider_create(*, actor: Actor, county: County, **data) -> Provider:
    """Add a county's clinic or contracted organization.

    Preconditions: the actor is county staff of the county; the NPI checks and is not used by another
    of the county's providers; every delivery system is one the county opted into; active_to, when
    given, is on or after active_from.
    Side effects: audited as provider.create with the values.
    """
    _require_county(actor, county.pk)
    values = _provider_values(county, data)
    _npi_taken(county.pk, values["npi"])
    provider = Provider(county=county, created_by=_user(actor), **values)
    try:
        with transaction.atomic():
            provider.save()
    except IntegrityError:
        raise ApplicationError(
            "Another provider of this county was just saved with the NPI %(npi)s. Edit that provider instead.",
            params={"npi": values["npi"]},
            code="duplicate",
            field="npi",
        ) from None
    audit_record(
        actor=actor, action=AuditAction.PROVIDER_CREATE, obj=provider, after=snapshot(provider, PROVIDER_FIELDS)
    )
    return provider


@transaction.atomic
def provider_update(*, actor: Actor, provider: Provider, **data) -> Provider:
    """Change a provider's details (its county never changes).

    Preconditions: as provider_create; a delivery system open employments use cannot be taken away.
    Side effects: audited as provider.update with before and after.
    """
    provider = Provider.objects.select_for_update().select_related("county").get(pk=provider.pk)
    _require_county(actor, provider.county_id)
    values = _provider_values(provider.county, data)
    _npi_taken(provider.county_id, values["npi"], exclude_pk=provider.pk)
    for system, field in SYSTEM_FIELDS.items():
        if (
            not values[field]
            and provider.employments.filter(status__in=("recorded", "hired"), **{field: True}).exists()
        ):
            raise ApplicationError(
                "Open employments at this provider are in %(system)s. End them, or take %(system)s off them, first.",
                params={"system": DeliverySystem(system).label},
                field="delivery_systems",
            )
    before = snapshot(provider, PROVIDER_FIELDS)
    for name, value in values.items():
        setattr(provider, name, value)
    after = snapshot(provider, PROVIDER_FIELDS)
    if after == before:
        return provider
    provider.save(update_fields=[*values, "updated_at"])
    audit_record(actor=actor, action=AuditAction.PROVIDER_UPDATE, obj=provider, before=before, after=after)
    return provider


# ---- Employments -----------------------------------------------------------------------------


def _fte(value) -> Decimal:
    try:
        fte = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise ApplicationError("Enter the FTE as a number from 0.01 to 1.00, like 0.75.", field="fte") from None
    if not fte.is_finite() or fte != fte.quantize(FTE_MIN) or not FTE_MIN <= fte <= FTE_MAX:
        raise ApplicationError("Enter the FTE as a number from 0.01 to 1.00, like 0.75.", field="fte")
    return fte


def _employment_systems(provider: Provider, systems) -> dict[str, bool]:
    flags = _systems(systems)
    for system, field in SYSTEM_FIELDS.items():
        if flags[field] and not getattr(provider, field):
            raise ApplicationError(
                "%(provider)s does not serve %(system)s. Choose the delivery systems the provider serves.",
                params={"provider": provider.name, "system": DeliverySystem(system).label},
                field="delivery_systems",
            )
    return flags


def _individual_npi(value) -> str:
    text = str(value or "").strip()
    return _check_npi(text, field="individual_npi") if text else ""


@transaction.atomic
def employment_record(
    *,
    actor: Actor,
    provider: Provider,
    person: Person,
    position_title: str,
    fte,
    start_on: datetime.date,
    delivery_systems,
    individual_npi: str = "",
) -> Employment:
    """Record that a certified person works (or is about to work) as a peer at one of the county's providers.

    Preconditions: the actor is county staff of the provider's county and not the person; the person
    holds a certification (any status: the hire checks it is active); the provider is active on
    start_on; the delivery systems are ones the provider serves; FTE is 0.01-1.00; an individual NPI,
    when given, checks. A person may hold several employments, at different providers.
    Side effects: status recorded (not yet hired); audited as employment.record.
    """
    provider = Provider.objects.select_for_update().select_related("county").get(pk=provider.pk)
    _require_county(actor, provider.county_id)
    ensure_not_own_matter(actor, person, what="record")
    if not certification_selectors.certifications_of(person).exists():
        raise ApplicationError(
            "%(name)s has no certification. Only certified peers are recorded here.",
            params={"name": person.full_name},
            field="certification_number",
        )
    twin = Employment.objects.filter(
        person=person, provider=provider, status__in=(EmploymentStatus.RECORDED, EmploymentStatus.HIRED)
    ).first()
    if twin is not None:
        # A second open job at the same provider is almost always the same form sent twice.
        raise ApplicationError(
            "%(name)s already has an open employment at %(provider)s (%(title)s). Edit that one, or end it first.",
            params={"name": person.full_name, "provider": provider.name, "title": twin.position_title},
            code="duplicate",
            field="provider",
        )
    start_on = _date(start_on, field="start_on")
    if start_on < provider.active_from or (provider.active_to is not None and start_on > provider.active_to):
        raise ApplicationError(
            "%(provider)s is not active on %(day)s. Choose a start date while the provider is active, or edit the provider's dates.",
            params={"provider": provider.name, "day": start_on},
            field="start_on",
        )
    employment = Employment(
        person=person,
        provider=provider,
        county_id=provider.county_id,
        position_title=_text(position_title, field="position_title", max_length=150),
        fte=_fte(fte),
        start_on=start_on,
        individual_npi=_individual_npi(individual_npi),
        status=EmploymentStatus.RECORDED,
        recorded_by=_user(actor),
        **_employment_systems(provider, delivery_systems),
    )
    employment.save()
    audit_record(
        actor=actor, action=AuditAction.EMPLOYMENT_RECORD, obj=employment, after=snapshot(employment, EMPLOYMENT_FIELDS)
    )
    return employment


def _lock_employment(employment: Employment) -> Employment:
    return Employment.objects.select_for_update().select_related("person", "provider", "county").get(pk=employment.pk)


def _require_open(employment: Employment) -> None:
    if not employment.is_open:
        raise ApplicationError(
            "This employment has ended, so it cannot be changed. A return to work is recorded as a new employment.",
            code="state",
        )


@transaction.atomic
def employment_update(
    *, actor: Actor, employment: Employment, position_title: str, fte, delivery_systems, individual_npi: str = ""
) -> Employment:
    """Change an open employment's title, FTE, delivery systems and the peer's individual NPI.

    Preconditions: the employment is open (recorded or hired); the rules of employment_record.
    Side effects: audited as employment.update with before and after.
    """
    employment = _lock_employment(employment)
    _require_county(actor, employment.county_id)
    ensure_not_own_matter(actor, employment.person, what="record")
    _require_open(employment)
    values = {
        "position_title": _text(position_title, field="position_title", max_length=150),
        "fte": _fte(fte),
        "individual_npi": _individual_npi(individual_npi),
        **_employment_systems(employment.provider, delivery_systems),
    }
    before = snapshot(employment, EMPLOYMENT_FIELDS)
    for name, value in values.items():
        setattr(employment, name, value)
    after = snapshot(employment, EMPLOYMENT_FIELDS)
    if after == before:
        return employment
    employment.save(update_fields=[*values, "updated_at"])
    audit_record(actor=actor, action=AuditAction.EMPLOYMENT_UPDATE, obj=employment, before=before, after=after)
    return employment


def _certification_refusal(person: Person, day: datetime.date) -> ApplicationError:
    """Why the person cannot be hired on a day: which status their certification had, and since when."""
    cert = certification_selectors.current_certification(person)
    if cert is None:
        return ApplicationError(
            "%(name)s holds no certification, so they cannot be hired as a peer. They must be certified first.",
            params={"name": person.full_name},
            field="hired_on",
        )
    if cert.issued_on > day:
        return ApplicationError(
            "%(name)s's certification %(number)s was issued on %(issued)s, after the hire date. Enter a hire date on or after %(issued)s.",
            params={"name": person.full_name, "number": cert.number, "issued": cert.issued_on},
            field="hired_on",
        )
    last = (
        certification_selectors.status_history(cert)
        .filter(effective_on__lte=day)
        .order_by("-effective_on", "-id")
        .first()
    )
    status = last.to_status if last else cert.status
    since = last.effective_on if last else cert.issued_on
    if status == "active" and cert.expires_on < day:
        status, since = "expired", cert.expires_on + datetime.timedelta(days=1)
    label = str(dict(type(cert)._meta.get_field("status").flatchoices).get(status, status)).lower()
    return ApplicationError(
        "%(name)s's certification %(number)s is %(status)s since %(since)s, so they cannot be hired. A suspended, revoked, expired or vacated certification must be active again first.",
        params={"name": person.full_name, "number": cert.number, "status": label, "since": since},
        field="hired_on",
    )


@transaction.atomic
def employment_hire(*, actor: Actor, employment: Employment, hired_on: datetime.date) -> Employment:
    """The formal hire, before which no service counts.

    Preconditions: the employment is recorded (not yet hired, not ended); hired_on is on or after the
    start date and not after today (a hire is recorded when it happens); the person's certification is
    active on hired_on, read from certification's history (a suspended, revoked, expired, vacated or
    surrendered one is refused, saying which and since when).
    Side effects: status hired; hired_by and the certification number recorded; audited as
    employment.hire; the peer is told.
    """
    employment = _lock_employment(employment)
    _require_county(actor, employment.county_id)
    ensure_not_own_matter(actor, employment.person, what="record")
    check_transition(employment, EmploymentStatus.HIRED, allowed=EMPLOYMENT_TRANSITIONS, noun=EMPLOYMENT)
    hired_on = _date(hired_on, field="hired_on")
    if hired_on < employment.start_on:
        raise ApplicationError(
            "The hire cannot come before the employment starts (%(start)s). Enter a hire date on or after it.",
            params={"start": employment.start_on},
            field="hired_on",
        )
    if hired_on > clock.today():
        raise ApplicationError(
            "A hire is recorded when it happens. Come back on %(day)s, or enter today's date or an earlier one.",
            params={"day": hired_on},
            field="hired_on",
        )
    cert = certification_selectors.certification_active_on(employment.person, hired_on)
    if cert is None:
        raise _certification_refusal(employment.person, hired_on)
    before = snapshot(employment, EMPLOYMENT_FIELDS)
    transition(employment, EmploymentStatus.HIRED, allowed=EMPLOYMENT_TRANSITIONS, noun=EMPLOYMENT)
    employment.hired_on = hired_on
    employment.hired_by = _user(actor)
    employment.hire_certification_number = cert.number
    employment.save(update_fields=["status", "hired_on", "hired_by", "hire_certification_number", "updated_at"])
    audit_record(
        actor=actor,
        action=AuditAction.EMPLOYMENT_HIRE,
        obj=employment,
        before=before,
        after=snapshot(employment, EMPLOYMENT_FIELDS),
    )
    tell_person(
        employment.person,
        subject=gettext_noop("You are hired at %(provider)s"),
        body=gettext_noop(
            "%(provider)s recorded your formal hire as %(title)s on %(day)s, with your certification %(number)s."
        ),
        params={
            "provider": employment.provider.name,
            "title": employment.position_title,
            "day": hired_on,
            "number": cert.number,
        },
    )
    return employment


@transaction.atomic
def employment_hire_correct(
    *, actor: Actor, employment: Employment, hired_on: datetime.date, reason: str
) -> Employment:
    """Correct the date of a formal hire recorded wrongly (the hire happened earlier or later than entered).

    Preconditions: the employment was hired (hired, or ended after its hire); a reason, kept in the history;
    the new date on or after the start date, not after the end date nor today, and different from the
    recorded one; the person's certification active on the new date (refused as at the hire, saying which
    status and since when). Side effects: hired_on and the certification number of the hire change;
    audited as employment.hire_correct with both dates and the reason. Services already billed stay as
    they were: billing's checks read the corrected date from now on.
    """
    employment = _lock_employment(employment)
    _require_county(actor, employment.county_id)
    ensure_not_own_matter(actor, employment.person, what="record")
    if employment.hired_on is None:
        raise ApplicationError(
            "This employment has no formal hire to correct. Record the hire instead.", code="state", field="hired_on"
        )
    reason = _text(reason, field="reason")
    hired_on = _date(hired_on, field="hired_on")
    if hired_on == employment.hired_on:
        raise ApplicationError(
            "The hire is already recorded on %(day)s. Enter the date it really happened.",
            params={"day": hired_on},
            field="hired_on",
        )
    if hired_on < employment.start_on:
        raise ApplicationError(
            "The hire cannot come before the employment starts (%(start)s). Enter a hire date on or after it.",
            params={"start": employment.start_on},
            field="hired_on",
        )
    if employment.end_on is not None and hired_on > employment.end_on:
        raise ApplicationError(
            "The employment ended on %(end)s, so the hire cannot come after that day.",
            params={"end": employment.end_on},
            field="hired_on",
        )
    if hired_on > clock.today():
        raise ApplicationError(
            "A hire is recorded when it happens. Come back on %(day)s, or enter today's date or an earlier one.",
            params={"day": hired_on},
            field="hired_on",
        )
    cert = certification_selectors.certification_active_on(employment.person, hired_on)
    if cert is None:
        raise _certification_refusal(employment.person, hired_on)
    before = snapshot(employment, EMPLOYMENT_FIELDS)
    announce_employment_facts(
        kind="hire_date",
        employment_ids=[employment.pk],
        start=min(hired_on, employment.hired_on),
        end=max(hired_on, employment.hired_on),
        reference=f"employment {employment.pk}",
        actor=actor,
    )
    employment.hired_on = hired_on
    employment.hire_certification_number = cert.number
    employment.save(update_fields=["hired_on", "hire_certification_number", "updated_at"])
    audit_record(
        actor=actor,
        action=AuditAction.EMPLOYMENT_HIRE_CORRECT,
        obj=employment,
        before=before,
        after=snapshot(employment, EMPLOYMENT_FIELDS),
        reason=reason,
    )
    return employment


def _end_assignments_and_direction(actor: Actor, employment: Employment, end_on: datetime.date) -> None:
    """An ending employment ends its supervisors and its directing professional on the same day."""
    for assignment in SupervisorAssignment.objects.select_for_update().filter(
        employment=employment, status=AssignmentStatus.ACTIVE
    ):
        before = snapshot(assignment, ASSIGNMENT_FIELDS)
        transition(assignment, AssignmentStatus.ENDED, allowed=ASSIGNMENT_TRANSITIONS, noun=ASSIGNMENT)
        assignment.end_on = max(end_on, assignment.start_on)
        assignment.end_reason = "The employment ended."
        assignment.save(update_fields=["status", "end_on", "end_reason", "updated_at"])
        audit_record(
            actor=actor,
            action=AuditAction.ASSIGNMENT_END,
            obj=assignment,
            before=before,
            after=snapshot(assignment, ASSIGNMENT_FIELDS),
            reason="The employment ended.",
        )
    for direction in DirectingProfessional.objects.select_for_update().filter(
        employment=employment, end_on__isnull=True
    ):
        before = snapshot(direction, DIRECTION_FIELDS)
        direction.end_on = max(end_on, direction.start_on)
        direction.save(update_fields=["end_on", "updated_at"])
        audit_record(
            actor=actor,
            action=AuditAction.DIRECTION_END,
            obj=direction,
            before=before,
            after=snapshot(direction, DIRECTION_FIELDS),
            reason="The employment ended.",
        )


@transaction.atomic
def employment_end(
    *, actor: Actor, employment: Employment, end_on: datetime.date, end_reason: str, end_note: str = ""
) -> Employment:
    """End an employment (it is kept, never deleted; a return is a new employment).

    Preconditions: the employment is recorded or hired; end_on is on or after the start (and the
    hire) and not after today; the reason is one of EndReason.
    Side effects: status ended; its active supervisor assignments and its directing professional end
    on the same day; audited as employment.end (and each assignment and direction ended); the peer
    is told.
    """
    employment = _lock_employment(employment)
    _require_county(actor, employment.county_id)
    ensure_not_own_matter(actor, employment.person, what="record")
    check_transition(employment, EmploymentStatus.ENDED, allowed=EMPLOYMENT_TRANSITIONS, noun=EMPLOYMENT)
    end_on = _date(end_on, field="end_on")
    if end_reason not in EndReason.values:
        raise ApplicationError("Choose why the employment ended.", field="end_reason")
    first_day = employment.hired_on or employment.start_on
    if end_on < first_day:
        raise ApplicationError(
            "An employment cannot end before it starts. Enter an end date on or after %(start)s.",
            params={"start": first_day},
            field="end_on",
        )
    if end_on > clock.today():
        raise ApplicationError(
            "An employment is ended on or after its last day. Come back on %(day)s to record it.",
            params={"day": end_on},
            field="end_on",
        )
    before = snapshot(employment, EMPLOYMENT_FIELDS)
    transition(employment, EmploymentStatus.ENDED, allowed=EMPLOYMENT_TRANSITIONS, noun=EMPLOYMENT)
    employment.end_on = end_on
    employment.end_reason = end_reason
    employment.end_note = _text(end_note, field="end_note", required=False, max_length=500)
    employment.save(update_fields=["status", "end_on", "end_reason", "end_note", "updated_at"])
    _end_assignments_and_direction(actor, employment, end_on)
    announce_employment_facts(
        kind="employment_end",
        employment_ids=[employment.pk],
        start=end_on + datetime.timedelta(days=1),
        reference=f"employment {employment.pk}",
        actor=actor,
    )
    audit_record(
        actor=actor,
        action=AuditAction.EMPLOYMENT_END,
        obj=employment,
        before=before,
        after=snapshot(employment, EMPLOYMENT_FIELDS),
        reason=employment.end_note,
    )
    tell_person(
        employment.person,
        subject=gettext_noop("Your employment at %(provider)s is recorded as ended"),
        body=gettext_noop("%(provider)s recorded that your work as %(title)s ended on %(day)s."),
        params={"provider": employment.provider.name, "title": employment.position_title, "day": end_on},
    )
    return employment


# ---- Directing professional ------------------------------------------------------------------


@transaction.atomic
def direction_record(
    *,
    actor: Actor,
    employment: Employment,
    name: str,
    credential_kind: str,
    license_type: str,
    license_number: str,
    issuing_board: str,
    start_on: datetime.date,
) -> DirectingProfessional:
    """Name the behavioral health professional who directs the peer's services, from a date.

    Preconditions: the employment is open; start_on is on or after the employment's start and after
    the current professional's start; the credential kind is licensed, waivered or registered.
    Side effects: the current professional (if any) ends the day before; audited as direction.record
    (and direction.end for the one replaced).
    """
    employment = _lock_employment(employment)
    _require_county(actor, employment.county_id)
    ensure_not_own_matter(actor, employment.person, what="record")
    _require_open(employment)
    if credential_kind not in CredentialKind.values:
        raise ApplicationError(
            "Choose whether the professional is licensed, waivered or registered.", field="credential_kind"
        )
    start_on = _date(start_on, field="start_on")
    if start_on < employment.start_on:
        raise ApplicationError(
            "The professional cannot direct before the employment starts (%(start)s). Enter a date on or after it.",
            params={"start": employment.start_on},
            field="start_on",
        )
    values = {
        "name": _text(name, field="name"),
        "credential_kind": credential_kind,
        "license_type": _text(license_type, field="license_type", max_length=60),
        "license_number": _text(license_number, field="license_number", max_length=40),
        "issuing_board": _text(issuing_board, field="issuing_board", max_length=150),
    }
    current = (
        DirectingProfessional.objects.select_for_update()
        .filter(employment=employment, end_on__isnull=True)
        .order_by("-start_on", "-id")
        .first()
    )
    if current is not None:
        if start_on <= current.start_on:
            raise ApplicationError(
                "%(name)s directs from %(start)s. The new professional must start after that day.",
                params={"name": current.name, "start": current.start_on},
                field="start_on",
            )
        before = snapshot(current, DIRECTION_FIELDS)
        current.end_on = start_on - datetime.timedelta(days=1)
        current.save(update_fields=["end_on", "updated_at"])
        audit_record(
            actor=actor,
            action=AuditAction.DIRECTION_END,
            obj=current,
            before=before,
            after=snapshot(current, DIRECTION_FIELDS),
            reason="Another professional directs from the next day.",
        )
    direction = DirectingProfessional.objects.create(
        employment=employment, start_on=start_on, recorded_by=_user(actor), **values
    )
    audit_record(
        actor=actor, action=AuditAction.DIRECTION_RECORD, obj=direction, after=snapshot(direction, DIRECTION_FIELDS)
    )
    return direction


# ---- Supervision -----------------------------------------------------------------------------


def _max_peers(value) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        number = 0
    if not 1 <= number <= MAX_PEERS_LIMIT:
        raise ApplicationError(
            "Enter a number of peers from 1 to %(max)s.",
            params={"max": MAX_PEERS_LIMIT},
            field="max_peers_per_supervisor",
        )
    return number


@transaction.atomic
def supervision_ceiling_set(
    *, actor: Actor, max_peers_per_supervisor: int, effective_from: datetime.date, reason: str
) -> SupervisionCeiling:
    """DHCS's statewide ceiling on peers per supervisor, from a date.

    Preconditions: the actor is a DHCS approver (or the system); no ceiling already starts that day.
    Side effects: counties' limits in force from that day are capped by it; audited as
    supervision_ceiling.set.
    """
    if actor is not None and not permissions.can_set_supervision_ceiling(actor):
        raise ApplicationError("Only a DHCS approver may set the statewide supervision ceiling.", code="forbidden")
    effective_from = _date(effective_from, field="effective_from")
    number = _max_peers(max_peers_per_supervisor)
    reason = _text(reason, field="reason", max_length=500)
    if SupervisionCeiling.objects.select_for_update().filter(effective_from=effective_from).exists():
        raise ApplicationError(
            "A ceiling already starts on %(day)s. Choose another date; the history is kept as it is.",
            params={"day": effective_from},
            code="duplicate",
            field="effective_from",
        )
    ceiling = SupervisionCeiling.objects.create(
        effective_from=effective_from, max_peers_per_supervisor=number, reason=reason, set_by=_user(actor)
    )
    audit_record(
        actor=actor,
        action=AuditAction.SUPERVISION_CEILING_SET,
        obj=ceiling,
        after={"effective_from": effective_from, "max_peers_per_supervisor": number},
        reason=reason,
    )
    return ceiling


@transaction.atomic
def supervision_policy_set(
    *, actor: Actor, county: County, max_peers_per_supervisor: int, effective_from: datetime.date, reason: str = ""
) -> SupervisionPolicy:
    """A county's supervision staffing policy (most peers per supervisor), from a date.

    Preconditions: the actor is county staff of the county; the number is within DHCS's ceiling in
    force on that date (no ceiling recorded: no statewide cap); no policy already starts that day.
    Side effects: new assignments from that day are counted against it; audited as supervision_policy.set.
    """
    _require_county(actor, county.pk)
    County.objects.select_for_update().filter(pk=county.pk).first()
    effective_from = _date(effective_from, field="effective_from")
    number = _max_peers(max_peers_per_supervisor)
    ceiling = ceiling_in_force(effective_from)
    if ceiling is not None and number > ceiling.max_peers_per_supervisor:
        raise ApplicationError(
            "DHCS allows at most %(max)s peers per supervisor from %(since)s. Enter %(max)s or fewer.",
            params={"max": ceiling.max_peers_per_supervisor, "since": ceiling.effective_from},
            field="max_peers_per_supervisor",
        )
    if SupervisionPolicy.objects.filter(county=county, effective_from=effective_from).exists():
        raise ApplicationError(
            "A policy already starts on %(day)s. Choose another date; the history is kept as it is.",
            params={"day": effective_from},
            code="duplicate",
            field="effective_from",
        )
    policy = SupervisionPolicy.objects.create(
        county=county,
        effective_from=effective_from,
        max_peers_per_supervisor=number,
        reason=_text(reason, field="reason", required=False, max_length=500),
        set_by=_user(actor),
    )
    audit_record(
        actor=actor,
        action=AuditAction.SUPERVISION_POLICY_SET,
        obj=policy,
        after={"county": county.pk, "effective_from": effective_from, "max_peers_per_supervisor": number},
        reason=policy.reason,
    )
    return policy


@transaction.atomic
def assignment_create(
    *, actor: Actor, employment: Employment, supervisor: Person, start_on: datetime.date
) -> SupervisorAssignment:
    """Assign a supervisor to an open employment from a date.

    Preconditions: the actor is county staff of the employment's county and not the peer; the
    supervisor is not the peer and does not already supervise this employment; start_on is on or
    after the employment's start; the supervisor has fewer active assignments (in every county) than
    the limit of the employment's county on start_on.
    Side effects: training is due by start_on plus supervisor_training_within_days; audited as
    supervisor_assignment.create; the supervisor is told.
    """
    employment = _lock_employment(employment)
    _require_county(actor, employment.county_id)
    ensure_not_own_matter(actor, employment.person, what="record")
    _require_open(employment)
    # One supervisor's assignments are counted under a lock on them, so two at once cannot both pass.
    supervisor = Person.objects.select_for_update().get(pk=supervisor.pk)
    if supervisor.pk == employment.person_id:
        raise ApplicationError(
            "A peer cannot supervise themselves. Choose another supervisor.", field="supervisor_email"
        )
    start_on = _date(start_on, field="start_on")
    if start_on < employment.start_on:
        raise ApplicationError(
            "Supervision cannot start before the employment does (%(start)s). Enter a date on or after it.",
            params={"start": employment.start_on},
            field="start_on",
        )
    if SupervisorAssignment.objects.filter(
        supervisor=supervisor, employment=employment, status=AssignmentStatus.ACTIVE
    ).exists():
        raise ApplicationError(
            "%(name)s already supervises this peer.", params={"name": supervisor.full_name}, code="duplicate"
        )
    limit = supervision_limit_on(employment.county_id, start_on)
    count = SupervisorAssignment.objects.filter(supervisor=supervisor, status=AssignmentStatus.ACTIVE).count()
    if count >= limit:
        raise ApplicationError(
            "%(name)s already supervises %(count)s peers, and %(county)s allows %(limit)s per supervisor. Choose another supervisor, or end one of their assignments first.",
            params={"name": supervisor.full_name, "count": count, "county": str(employment.county), "limit": limit},
            code="conflict",
            field="start_on",
        )
    rules = rules_on(start_on)
    assignment = SupervisorAssignment.objects.create(
        supervisor=supervisor,
        employment=employment,
        county_id=employment.county_id,
        start_on=start_on,
        training_due_on=start_on + datetime.timedelta(days=rules.supervisor_training_within_days),
        rules_version=rules.version,
        assigned_by=_user(actor),
    )
    audit_record(
        actor=actor,
        action=AuditAction.ASSIGNMENT_CREATE,
        obj=assignment,
        after={**snapshot(assignment, ASSIGNMENT_FIELDS), "limit": limit, "count_before": count},
    )
    tell_person(
        supervisor,
        subject=gettext_noop("You supervise %(peer)s from %(day)s"),
        body=gettext_noop(
            "%(county)s assigned you to supervise %(peer)s from %(day)s. If you have not finished supervisor training, finish it by %(due)s."
        ),
        params={
            "peer": employment.person.full_name,
            "day": start_on,
            "county": str(employment.county),
            "due": assignment.training_due_on,
        },
    )
    return assignment


@transaction.atomic
def assignment_end(
    *, actor: Actor, assignment: SupervisorAssignment, end_on: datetime.date, reason: str
) -> SupervisorAssignment:
    """End a supervisor's assignment on a date.

    Preconditions: the assignment is active; end_on is on or after its start and not after today
    (or its start, for one that has not begun); a reason.
    Side effects: status ended; audited as supervisor_assignment.end.
    """
    assignment = (
        SupervisorAssignment.objects.select_for_update()
        .select_related("employment__person", "supervisor")
        .get(pk=assignment.pk)
    )
    _require_county(actor, assignment.county_id)
    ensure_not_own_matter(actor, assignment.employment.person, what="record")
    check_transition(assignment, AssignmentStatus.ENDED, allowed=ASSIGNMENT_TRANSITIONS, noun=ASSIGNMENT)
    end_on = _date(end_on, field="end_on")
    reason = _text(reason, field="reason", max_length=500)
    if end_on < assignment.start_on:
        raise ApplicationError(
            "Supervision cannot end before it starts. Enter a date on or after %(start)s.",
            params={"start": assignment.start_on},
            field="end_on",
        )
    if end_on > max(clock.today(), assignment.start_on):
        raise ApplicationError(
            "Supervision is ended on or after its last day. Come back on %(day)s to record it.",
            params={"day": end_on},
            field="end_on",
        )
    before = snapshot(assignment, ASSIGNMENT_FIELDS)
    transition(assignment, AssignmentStatus.ENDED, allowed=ASSIGNMENT_TRANSITIONS, noun=ASSIGNMENT)
    assignment.end_on = end_on
    assignment.end_reason = reason
    assignment.save(update_fields=["status", "end_on", "end_reason", "updated_at"])
    announce_employment_facts(
        kind="supervision",
        employment_ids=[assignment.employment_id],
        start=end_on + datetime.timedelta(days=1),
        reference=f"supervisor assignment {assignment.pk}",
        actor=actor,
    )
    audit_record(
        actor=actor,
        action=AuditAction.ASSIGNMENT_END,
        obj=assignment,
        before=before,
        after=snapshot(assignment, ASSIGNMENT_FIELDS),
        reason=reason,
    )
    return assignment
