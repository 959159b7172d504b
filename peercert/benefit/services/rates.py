"""Changes to rates and federal authorities: the only place they change.

County rates: county staff propose one for their own county (draft), change it while it is a draft
or returned, submit it to DHCS, or withdraw it; a DHCS approver approves, returns it with comments
or rejects it. Interim DMC rates go the same way, proposed by one DHCS user and decided by another
approver. Approved periods of one county (or statewide), kind, system and code never overlap.

Federal authorities: DHCS records a State Plan amendment or waiver with the codes and systems it
covers, and later sets its end date.
"""

import datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext_lazy, gettext_noop

from peercert.accounts.models import County, User
from peercert.accounts.roles import Role
from peercert.benefit import permissions
from peercert.benefit.audit import AuditAction
from peercert.benefit.models import (
    COUNTY_OPT_IN_FIELDS,
    RATE_TRANSITIONS,
    SYSTEM_FIELDS,
    AuthorityCode,
    AuthorityKind,
    DeliverySystem,
    FederalAuthority,
    Rate,
    RateKind,
    RateStatus,
)
from peercert.benefit.selectors.rates import code_allowed_throughout, known_codes, overlapping_approved_rates
from peercert.core import clock
from peercert.core.audit import audit_record, snapshot
from peercert.core.duties import OWN_MATTER, is_party
from peercert.core.errors import ApplicationError
from peercert.core.tell import tell_user, tell_users
from peercert.core.text import fill
from peercert.core.transitions import check_transition, transition
from peercert.core.types import Actor
from peercert.core.uploads import validate_upload

__all__ = [
    "MAX_RATE",
    "authority_end",
    "authority_record",
    "interim_rate_propose",
    "rate_approve",
    "rate_propose",
    "rate_reject",
    "rate_return",
    "rate_submit",
    "rate_update",
    "rate_withdraw",
]

# What a refused status change calls the record ("This rate is approved, so it cannot become withdrawn.").
RATE = gettext_noop("rate")
# A rate per 15-minute unit above this is a typing slip, not a proposal (peer rates are tens of dollars).
MAX_RATE = Decimal("10000.00")
CENT = Decimal("0.01")
RATE_FIELDS = (
    "status",
    "county",
    "delivery_system",
    "code",
    "amount",
    "effective_from",
    "effective_to",
    "justification",
    "decision_comment",
)
TERMS = ("delivery_system", "code", "amount", "effective_from", "effective_to", "justification")
INTERIM_SYSTEMS = (DeliverySystem.DMC, DeliverySystem.DMC_ODS)
AUTHORITY_FIELDS = ("number", "kind", "title", "approved_on", "effective_from", "effective_to", "document_name")
PERIOD = gettext_noop("%(start)s to %(end)s")
OPEN_PERIOD = gettext_noop("from %(start)s with no end date")
# The delivery systems by their acronyms, the same in every language, for short subjects.
SHORT = {DeliverySystem.SMHS: "SMHS", DeliverySystem.DMC: "DMC", DeliverySystem.DMC_ODS: "DMC-ODS"}
COMMENT_MAX = 4000
JUSTIFICATION_MAX = 4000


def _user(actor: Actor):
    return actor if getattr(actor, "is_authenticated", False) else None


def _period_text(start: datetime.date, end: datetime.date | None) -> str:
    """A period as a reader writes it, in the active language ("July 1, 2025 to June 30, 2026")."""
    if end is None:
        return fill(OPEN_PERIOD, {"start": start})
    return fill(PERIOD, {"start": start, "end": end})


def _money(value) -> Decimal:
    try:
        amount = Decimal(str(value).strip().lstrip("$").replace(",", ""))
    except (InvalidOperation, ValueError):
        raise ApplicationError("Enter the rate in dollars and cents, like 41.25.", field="amount") from None
    if not amount.is_finite():
        raise ApplicationError("Enter the rate in dollars and cents, like 41.25.", field="amount")
    if amount != amount.quantize(CENT, rounding=ROUND_HALF_UP):
        raise ApplicationError("Enter the rate to the cent, with no more than two decimal places.", field="amount")
    if amount <= 0:
        raise ApplicationError("Enter a rate greater than zero.", field="amount")
    if amount > MAX_RATE:
        raise ApplicationError(
            "A rate of $%(amount)s per unit is more than $%(limit)s. Check the amount: it is the rate for one unit.",
            params={"amount": amount, "limit": MAX_RATE},
            field="amount",
        )
    return amount.quantize(CENT)


def _period(effective_from, effective_to) -> None:
    if not isinstance(effective_from, datetime.date):
        raise ApplicationError("Enter the date the rate starts.", field="effective_from")
    if effective_to is not None and effective_to < effective_from:
        raise ApplicationError(
            "The rate ends (%(end)s) before it starts (%(start)s). Enter an end date on or after the start.",
            params={"end": effective_to, "start": effective_from},
            field="effective_to",
        )


def _check_terms(
    *, kind: str, county, system: str, code: str, amount, effective_from, effective_to
) -> tuple[Decimal, str]:
    """Refuse a rate the program cannot pay; returns the amount as money and the code as stored."""
    if system not in DeliverySystem.values:
        raise ApplicationError("Choose a delivery system: SMHS, DMC or DMC-ODS.", field="delivery_system")
    if kind == RateKind.INTERIM and system not in INTERIM_SYSTEMS:
        raise ApplicationError(
            "Interim rates are for Drug Medi-Cal only. Choose DMC or DMC-ODS.", field="delivery_system"
        )
    if county is not None and not getattr(county, COUNTY_OPT_IN_FIELDS[system]):
        opted = [str(DeliverySystem(s).label) for s, f in COUNTY_OPT_IN_FIELDS.items() if getattr(county, f)]
        raise ApplicationError(
            "%(county)s has not opted into %(system)s, so it has no rate there. "
            "Choose a delivery system the county opted into: %(opted)s.",
            params={"county": county, "system": DeliverySystem(system).label, "opted": "; ".join(opted) or "—"},
            field="delivery_system",
        )
    code = (code or "").strip().upper()
    if code not in known_codes():
        raise ApplicationError(
            "“%(code)s” is not in the billing code table. Choose one of the codes listed.",
            params={"code": code},
            field="code",
        )
    amount = _money(amount)
    _period(effective_from, effective_to)
    if not code_allowed_throughout(code, system, effective_from, effective_to):
        params = {
            "code": code,
            "system": DeliverySystem(system).label,
            "period": _period_text(effective_from, effective_to),
        }
        raise ApplicationError(
            "%(code)s may not be billed in %(system)s for the whole period, %(period)s "
            "(see the billing codes page). Choose another code or system, or shorten the period.",
            params=params,
            field="code",
        )
    return amount, code


def _refuse_overlap(rate: Rate, *, when: str) -> None:
    """409 naming the approved period this rate's period would overlap."""
    clash = overlapping_approved_rates(
        kind=rate.kind,
        county_id=rate.county_id,
        system=rate.delivery_system,
        code=rate.code,
        start=rate.effective_from,
        end=rate.effective_to,
        exclude_id=rate.pk,
    ).first()
    if clash is None:
        return
    params = {
        "code": rate.code,
        "system": DeliverySystem(rate.delivery_system).label,
        "id": clash.pk,
        "period": _period_text(clash.effective_from, clash.effective_to),
    }
    if when == "submit":
        message = (
            "Approved rate %(id)s for %(code)s in %(system)s already covers %(period)s, which overlaps "
            "this period. Change this rate's dates so they do not overlap it."
        )
    else:
        message = (
            "Approved rate %(id)s for %(code)s in %(system)s already covers %(period)s, which overlaps "
            "this period. Return this rate so its dates can be changed, or reject it."
        )
    raise ApplicationError(message, params=params, code="conflict", field="effective_from")


def _lock(rate: Rate) -> Rate:
    return Rate.objects.select_for_update(of=("self",)).select_related("county", "proposed_by").get(pk=rate.pk)


def _lock_key(rate: Rate) -> Rate:
    """Lock every rate of the rate's county (or statewide), kind, system and code, then the rate.

    Two approvals of rates with the same key each lock all of the key's rows (both rates among
    them), so the second waits for the first and then sees its approval.
    """
    if rate.county_id is not None:
        County.objects.select_for_update().filter(pk=rate.county_id).first()
    key = Rate.objects.select_for_update().filter(kind=rate.kind, delivery_system=rate.delivery_system, code=rate.code)
    key = key.filter(county_id=rate.county_id) if rate.county_id is not None else key.filter(county__isnull=True)
    list(key.order_by("pk").values_list("pk", flat=True))
    return _lock(rate)


def _rate_url(rate: Rate) -> str:
    return reverse("benefit:rate_detail", args=[rate.pk])


def _describe(rate: Rate) -> dict:
    """A rate's values for the messages people are told, each filled in their own language."""
    return {
        "id": rate.pk,
        "code": rate.code,
        "system": SHORT[rate.delivery_system],
        "amount": rate.amount,
        "start": rate.effective_from,
        "county": rate.county or gettext_lazy("statewide"),
    }


def _ensure_may_change(actor: Actor, rate: Rate) -> None:
    if actor is not None and not permissions.can_change_rate(actor, rate):
        if rate.kind == RateKind.INTERIM:
            raise ApplicationError("Only DHCS may change an interim rate.", code="forbidden")
        raise ApplicationError("Only staff of this county may change its rate.", code="forbidden")


def _ensure_not_own_rate(actor: Actor, rate: Rate) -> None:
    """Nobody decides a rate they proposed, nor one of a county whose rates they keep."""
    if actor is None:
        return
    if is_party(actor, rate.proposed_by) or (
        rate.county_id is not None
        and rate.kind == RateKind.COUNTY
        and permissions.can_manage_county(actor, rate.county_id)
    ):
        raise ApplicationError(
            "You proposed this rate or keep this county's rates, so you cannot decide it. "
            "Another DHCS approver must decide it.",
            code=OWN_MATTER,
        )


def _new_rate(
    *,
    actor: Actor,
    kind: str,
    county,
    delivery_system: str,
    code: str,
    amount,
    effective_from,
    effective_to,
    justification: str,
) -> Rate:
    amount, code = _check_terms(
        kind=kind,
        county=county,
        system=delivery_system,
        code=code,
        amount=amount,
        effective_from=effective_from,
        effective_to=effective_to,
    )
    rate = Rate.objects.create(
        kind=kind,
        county=county,
        delivery_system=delivery_system,
        code=code,
        amount=amount,
        effective_from=effective_from,
        effective_to=effective_to,
        justification=(justification or "").strip()[:JUSTIFICATION_MAX],
        status=RateStatus.DRAFT,
        proposed_by=_user(actor),
    )
    audit_record(actor=actor, action=AuditAction.RATE_PROPOSE, obj=rate, after=snapshot(rate, RATE_FIELDS))
    return rate


@transaction.atomic
def rate_propose(
    *,
    actor: Actor,
    county: County,
    delivery_system: str,
    code: str,
    amount,
    effective_from: datetime.date,
    effective_to: datetime.date | None = None,
    justification: str = "",
) -> Rate:
    """A county proposes a rate for one code in one delivery system, for a period (a draft).

    Preconditions: the actor is staff of the county (or the system); the county opted into the
    system; the code is allowed in the system throughout the period (the code table); the amount
    is above zero and at most MAX_RATE; the period ends on or after it starts.
    Side effects: a draft county rate; audited as rate.propose. Nobody is told until it is submitted.
    """
    if actor is not None and not permissions.can_manage_county(actor, county.pk):
        raise ApplicationError(
            "Only staff of %(county)s may propose its rates.", params={"county": county}, code="forbidden"
        )
    return _new_rate(
        actor=actor,
        kind=RateKind.COUNTY,
        county=county,
        delivery_system=delivery_system,
        code=code,
        amount=amount,
        effective_from=effective_from,
        effective_to=effective_to,
        justification=justification,
    )


@transaction.atomic
def interim_rate_propose(
    *,
    actor: Actor,
    county: County | None,
    delivery_system: str,
    code: str,
    amount,
    effective_from: datetime.date,
    effective_to: datetime.date | None = None,
    justification: str = "",
) -> Rate:
    """DHCS proposes an interim DMC rate, for one county or (county None) statewide (a draft).

    Preconditions: a DHCS analyst or approver (or the system); DMC or DMC-ODS; a county given has
    opted into that system; the code rules, amount and period as for a county rate.
    Side effects: a draft interim rate; audited as rate.propose. Another approver decides it.
    """
    if actor is not None and not permissions.can_propose_interim_rate(actor):
        raise ApplicationError("Only DHCS may propose an interim rate.", code="forbidden")
    return _new_rate(
        actor=actor,
        kind=RateKind.INTERIM,
        county=county,
        delivery_system=delivery_system,
        code=code,
        amount=amount,
        effective_from=effective_from,
        effective_to=effective_to,
        justification=justification,
    )


@transaction.atomic
def rate_update(
    *,
    actor: Actor,
    rate: Rate,
    delivery_system: str,
    code: str,
    amount,
    effective_from: datetime.date,
    effective_to: datetime.date | None = None,
    justification: str = "",
) -> Rate:
    """Change a draft or returned rate's terms (its county and kind stay).

    Preconditions: as for proposing; the rate is a draft or was returned.
    Side effects: audited as rate.update with before and after.
    """
    rate = _lock(rate)
    _ensure_may_change(actor, rate)
    if rate.status not in (RateStatus.DRAFT, RateStatus.RETURNED):
        raise ApplicationError(
            "This rate is %(status)s, so it can no longer be changed. Propose a new rate instead.",
            params={"status": rate.get_status_display().lower()},
            code="state",
        )
    amount, code = _check_terms(
        kind=rate.kind,
        county=rate.county,
        system=delivery_system,
        code=code,
        amount=amount,
        effective_from=effective_from,
        effective_to=effective_to,
    )
    before = snapshot(rate, RATE_FIELDS)
    rate.delivery_system, rate.code, rate.amount = delivery_system, code, amount
    rate.effective_from, rate.effective_to = effective_from, effective_to
    rate.justification = (justification or "").strip()[:JUSTIFICATION_MAX]
    rate.save(update_fields=[*TERMS, "updated_at"])
    audit_record(
        actor=actor, action=AuditAction.RATE_UPDATE, obj=rate, before=before, after=snapshot(rate, RATE_FIELDS)
    )
    return rate


def _approvers(rate: Rate, actor: Actor):
    qs = User.objects.filter(is_active=True, role_assignments__role=Role.DHCS_APPROVER).distinct()
    if rate.proposed_by_id:
        qs = qs.exclude(pk=rate.proposed_by_id)
    if _user(actor) is not None:
        qs = qs.exclude(pk=actor.pk)
    return qs.select_related("person")


def _county_staff(rate: Rate):
    return (
        User.objects.filter(
            is_active=True, role_assignments__role=Role.COUNTY_STAFF, role_assignments__county=rate.county_id
        )
        .distinct()
        .select_related("person")
    )


@transaction.atomic
def rate_submit(*, actor: Actor, rate: Rate) -> Rate:
    """Send a draft or returned rate to DHCS for a decision.

    Preconditions: the county's staff (county rate) or DHCS (interim rate); the rate is a draft or
    returned; its terms still hold (opt-in, code table); no approved rate of the same key overlaps
    its period (checked again at approval: this warns early).
    Side effects: submitted_at; audited as rate.submit; DHCS approvers other than the proposer are told.
    """
    rate = _lock(rate)
    _ensure_may_change(actor, rate)
    check_transition(rate, RateStatus.SUBMITTED, allowed=RATE_TRANSITIONS, noun=RATE)
    _check_terms(
        kind=rate.kind,
        county=rate.county,
        system=rate.delivery_system,
        code=rate.code,
        amount=rate.amount,
        effective_from=rate.effective_from,
        effective_to=rate.effective_to,
    )
    _refuse_overlap(rate, when="submit")
    before = snapshot(rate, RATE_FIELDS)
    transition(rate, RateStatus.SUBMITTED, allowed=RATE_TRANSITIONS, noun=RATE)
    rate.submitted_at = clock.now()
    rate.save(update_fields=["status", "submitted_at", "updated_at"])
    audit_record(
        actor=actor, action=AuditAction.RATE_SUBMIT, obj=rate, before=before, after=snapshot(rate, RATE_FIELDS)
    )
    tell_users(
        _approvers(rate, actor),
        subject=gettext_noop("Rate to decide: %(code)s %(system)s, %(county)s"),
        body=gettext_noop(
            "A rate of $%(amount)s per unit for %(code)s in %(system)s (%(county)s), from %(start)s, "
            "is waiting for a DHCS decision."
        ),
        params=_describe(rate),
        link=_rate_url(rate),
    )
    return rate


@transaction.atomic
def rate_withdraw(*, actor: Actor, rate: Rate, reason: str = "") -> Rate:
    """Give up a rate that is a draft, submitted or returned.

    Preconditions: the county's staff (county rate) or DHCS (interim rate).
    Side effects: audited as rate.withdraw (with the reason, if any). A withdrawn rate stays on record.
    """
    rate = _lock(rate)
    _ensure_may_change(actor, rate)
    before = snapshot(rate, RATE_FIELDS)
    transition(rate, RateStatus.WITHDRAWN, allowed=RATE_TRANSITIONS, noun=RATE)
    rate.save(update_fields=["status", "updated_at"])
    audit_record(
        actor=actor,
        action=AuditAction.RATE_WITHDRAW,
        obj=rate,
        before=before,
        after=snapshot(rate, RATE_FIELDS),
        reason=(reason or "").strip(),
    )
    return rate


DECISIONS = {
    RateStatus.APPROVED: (
        AuditAction.RATE_APPROVE,
        gettext_noop("Rate approved: %(code)s %(system)s, %(county)s"),
        gettext_noop("DHCS approved the rate of $%(amount)s per unit for %(code)s in %(system)s from %(start)s."),
    ),
    RateStatus.RETURNED: (
        AuditAction.RATE_RETURN,
        gettext_noop("Rate returned with comments: %(code)s %(system)s, %(county)s"),
        gettext_noop(
            "DHCS returned the rate of $%(amount)s per unit for %(code)s in %(system)s from %(start)s: "
            "%(comment)s Change it and submit it again, or withdraw it."
        ),
    ),
    RateStatus.REJECTED: (
        AuditAction.RATE_REJECT,
        gettext_noop("Rate rejected: %(code)s %(system)s, %(county)s"),
        gettext_noop(
            "DHCS rejected the rate of $%(amount)s per unit for %(code)s in %(system)s from %(start)s: %(comment)s"
        ),
    ),
}


def _decide(*, actor: Actor, rate: Rate, to: str, comment: str) -> Rate:
    if actor is None or not permissions.can_decide_rate(actor):
        raise ApplicationError("Only a DHCS approver may decide a rate.", code="forbidden")
    comment = (comment or "").strip()
    if to != RateStatus.APPROVED and not comment:
        raise ApplicationError("Say why in the comment: the county reads it to know what to change.", field="comment")
    if len(comment) > COMMENT_MAX:
        raise ApplicationError(
            "Keep the comment under %(limit)s characters.", params={"limit": COMMENT_MAX}, field="comment"
        )
    rate = _lock_key(rate) if to == RateStatus.APPROVED else _lock(rate)
    _ensure_not_own_rate(actor, rate)
    check_transition(rate, to, allowed=RATE_TRANSITIONS, noun=RATE)
    if to == RateStatus.APPROVED:
        _check_terms(
            kind=rate.kind,
            county=rate.county,
            system=rate.delivery_system,
            code=rate.code,
            amount=rate.amount,
            effective_from=rate.effective_from,
            effective_to=rate.effective_to,
        )
        _refuse_overlap(rate, when="approve")
    before = snapshot(rate, RATE_FIELDS)
    transition(rate, to, allowed=RATE_TRANSITIONS, noun=RATE)
    rate.decided_by, rate.decided_at, rate.decision_comment = actor, clock.now(), comment
    rate.save(update_fields=["status", "decided_by", "decided_at", "decision_comment", "updated_at"])
    action, subject, body = DECISIONS[to]
    audit_record(actor=actor, action=action, obj=rate, before=before, after=snapshot(rate, RATE_FIELDS), reason=comment)
    params = {**_describe(rate), "comment": comment}
    if rate.kind == RateKind.COUNTY:
        tell_users(_county_staff(rate), subject=subject, body=body, params=params, link=_rate_url(rate))
    elif rate.proposed_by_id and rate.proposed_by.is_active:
        tell_user(rate.proposed_by, subject=subject, body=body, params=params, link=_rate_url(rate))
    return rate


@transaction.atomic
def rate_approve(*, actor: Actor, rate: Rate, comment: str = "") -> Rate:
    """A DHCS approver approves a submitted rate; from its start date it prices services.

    Preconditions: a DHCS approver who did not propose it (nor keeps that county's rates); the rate
    is submitted; its terms still hold; no approved rate of the same county (or statewide), kind,
    system and code overlaps its period (open ends run forever): else 409 naming that period.
    The key's rates are locked first, so two approvals cannot both pass the overlap check.
    Side effects: decided_by/at and the comment; audited as rate.approve; the county's staff (or the
    interim rate's proposer) are told, each in their language.
    """
    return _decide(actor=actor, rate=rate, to=RateStatus.APPROVED, comment=comment)


@transaction.atomic
def rate_return(*, actor: Actor, rate: Rate, comment: str) -> Rate:
    """A DHCS approver returns a submitted rate with comments (required) so it can be changed.

    Preconditions and side effects as rate_approve, without the overlap check; audited as rate.return.
    """
    return _decide(actor=actor, rate=rate, to=RateStatus.RETURNED, comment=comment)


@transaction.atomic
def rate_reject(*, actor: Actor, rate: Rate, comment: str) -> Rate:
    """A DHCS approver rejects a submitted rate, saying why (required). Final; audited as rate.reject."""
    return _decide(actor=actor, rate=rate, to=RateStatus.REJECTED, comment=comment)


# ---- Federal authorities ----------------------------------------------------------------------


@transaction.atomic
def authority_record(
    *,
    actor: Actor,
    number: str,
    kind: str,
    title: str,
    delivery_systems: list[str],
    codes: list[str],
    approved_on: datetime.date,
    effective_from: datetime.date,
    effective_to: datetime.date | None = None,
    document=None,
) -> FederalAuthority:
    """DHCS records a State Plan amendment or waiver that makes peer services billable.

    Preconditions: a DHCS analyst or approver (or the system); a number not already recorded; a
    kind; at least one delivery system and one code, each code in the code table; the period ends
    on or after it starts; a document, if given, is a real PDF (core.uploads).
    Side effects: the authority and one AuthorityCode row per code; audited as federal_authority.record.
    """
    if actor is not None and not permissions.can_record_federal_authority(actor):
        raise ApplicationError("Only DHCS may record a federal authority.", code="forbidden")
    number = " ".join((number or "").split())
    title = " ".join((title or "").split())
    if not number:
        raise ApplicationError("Enter the SPA or waiver number, like SPA 22-0026.", field="number")
    if len(number) > 40:
        raise ApplicationError("Keep the number to 40 characters or fewer.", field="number")
    if not title:
        raise ApplicationError("Enter the title, as CMS approved it.", field="title")
    if kind not in AuthorityKind.values:
        raise ApplicationError("Choose the kind: State Plan amendment or waiver.", field="kind")
    systems = sorted(set(delivery_systems or ()))
    if not systems or not set(systems) <= set(DeliverySystem.values):
        raise ApplicationError("Choose the delivery systems it covers.", field="delivery_systems")
    codes = sorted({(c or "").strip().upper() for c in codes or ()} - {""})
    if not codes:
        raise ApplicationError("Choose the billing codes it covers.", field="codes")
    unknown = sorted(set(codes) - set(known_codes()))
    if unknown:
        raise ApplicationError(
            "These are not in the billing code table: %(codes)s. Choose codes from the list.",
            params={"codes": ", ".join(unknown)},
            field="codes",
        )
    if not isinstance(approved_on, datetime.date):
        raise ApplicationError("Enter the date CMS approved it.", field="approved_on")
    if not isinstance(effective_from, datetime.date):
        raise ApplicationError("Enter the date it takes effect.", field="effective_from")
    if effective_to is not None and effective_to < effective_from:
        raise ApplicationError(
            "It ends (%(end)s) before it takes effect (%(start)s). Enter an end date on or after the start.",
            params={"end": effective_to, "start": effective_from},
            field="effective_to",
        )
    if FederalAuthority.objects.filter(number__iexact=number).exists():
        raise ApplicationError(
            "%(number)s is already recorded. Open it from the list to change its end date.",
            params={"number": number},
            code="duplicate",
            field="number",
        )
    authority = FederalAuthority(
        number=number,
        kind=kind,
        title=title[:200],
        approved_on=approved_on,
        effective_from=effective_from,
        effective_to=effective_to,
        recorded_by=_user(actor),
        **{SYSTEM_FIELDS[s]: True for s in systems},
    )
    if document:
        authority.document_type = validate_upload(document, kinds=("pdf",), field="document")
        authority.document_name = (getattr(document, "name", "") or "document.pdf")[-255:]
        authority.document.save(authority.document_name, document, save=False)
    authority.save()
    AuthorityCode.objects.bulk_create([AuthorityCode(authority=authority, code=c) for c in codes])
    audit_record(
        actor=actor,
        action=AuditAction.AUTHORITY_RECORD,
        obj=authority,
        after={**snapshot(authority, AUTHORITY_FIELDS), "delivery_systems": systems, "codes": codes},
    )
    return authority


@transaction.atomic
def authority_end(
    *, actor: Actor, authority: FederalAuthority, effective_to: datetime.date, reason: str = ""
) -> FederalAuthority:
    """Set (or move) the last day a federal authority is in force.

    Preconditions: DHCS (or the system); the end date is on or after the day it took effect.
    Side effects: audited as federal_authority.end with before and after, and the reason.
    """
    if actor is not None and not permissions.can_record_federal_authority(actor):
        raise ApplicationError("Only DHCS may change a federal authority.", code="forbidden")
    authority = FederalAuthority.objects.select_for_update().get(pk=authority.pk)
    if not isinstance(effective_to, datetime.date):
        raise ApplicationError("Enter the last day it is in force.", field="effective_to")
    if effective_to < authority.effective_from:
        raise ApplicationError(
            "It took effect on %(start)s; the end date must be on or after that day.",
            params={"start": authority.effective_from},
            field="effective_to",
        )
    before = snapshot(authority, AUTHORITY_FIELDS)
    authority.effective_to = effective_to
    authority.save(update_fields=["effective_to", "updated_at"])
    audit_record(
        actor=actor,
        action=AuditAction.AUTHORITY_END,
        obj=authority,
        before=before,
        after=snapshot(authority, AUTHORITY_FIELDS),
        reason=(reason or "").strip(),
    )
    return authority
