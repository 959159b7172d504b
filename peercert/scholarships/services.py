"""Changes to scholarship funds, nominations, applications, awards and tuition disbursements.

Money moves only through finance: an award is a finance Scholarship (finance.services.scholarship_award),
fees are paid from it by finance's invoice flow (scholarship_apply, "Pay with your scholarship"),
tuition leaves it by finance.services.scholarship_draw, and expiry gives the rest back with
finance.services.scholarship_release. This app decides who gets what and keeps the fund's books.
"""

import datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy, gettext_noop

from peercert.accounts.models import Person, User
from peercert.accounts.selectors import person_for_user
from peercert.core import clock
from peercert.core.audit import audit_record, snapshot
from peercert.core.duties import ensure_not_own_matter
from peercert.core.errors import ApplicationError
from peercert.core.tell import tell_email, tell_person
from peercert.core.transitions import check_transition, transition
from peercert.core.types import Actor
from peercert.finance import services as finance_services
from peercert.finance.selectors import known_fee_codes
from peercert.scholarships import permissions as perms
from peercert.scholarships import selectors
from peercert.scholarships.audit import AuditAction
from peercert.scholarships.models import (
    APPLICATION_TRANSITIONS,
    AWARD_TRANSITIONS,
    NEVER_ELIGIBLE_PATHWAYS,
    NOMINATION_TRANSITIONS,
    Application,
    ApplicationStatus,
    Award,
    AwardStatus,
    Disbursement,
    Fund,
    FunderKind,
    Nomination,
    NominationStatus,
)
from peercert.training import selectors as training_selectors

CENT = Decimal("0.01")
NOMINATION = gettext_noop("nomination")
APPLICATION = gettext_noop("scholarship application")
AWARD = gettext_noop("scholarship award")
APPLICATION_FIELDS = ("status", "decided_at", "decline_reason")
TUITION = "tuition"
# Lazy: it is written into the message in the reader's language when the message is filled.
TUITION_LABEL = gettext_lazy("training tuition")


def _user_or_none(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


def _money(value, field: str = "amount") -> Decimal:
    try:
        amount = Decimal(str(value).strip().lstrip("$").replace(",", ""))
    except (InvalidOperation, ValueError):
        raise ApplicationError("Enter an amount in dollars and cents, like 100.00.", field=field) from None
    if not amount.is_finite() or amount != amount.quantize(CENT, rounding=ROUND_HALF_UP):
        raise ApplicationError("Enter the amount in dollars and cents, like 100.00.", field=field)
    if amount <= 0:
        raise ApplicationError("Enter an amount greater than zero.", field=field)
    if amount >= Decimal("1e10"):
        raise ApplicationError("Enter an amount under $10,000,000,000.", field=field)
    return amount.quantize(CENT)


def _fee_codes(codes, field: str = "fee_codes") -> list[str]:
    codes = sorted(set(codes or []))
    unknown = sorted(set(codes) - set(known_fee_codes()))
    if unknown:
        raise ApplicationError(
            "These are not fees in the program rules: %(fees)s.", params={"fees": ", ".join(unknown)}, field=field
        )
    return codes


def _refuse_ineligible_pathway(fund: Fund, pathway: str, field: str | None = "pathway") -> None:
    if pathway in NEVER_ELIGIBLE_PATHWAYS:
        raise ApplicationError(
            "Scholarships do not pay for out-of-state reciprocity. "
            "If you are applying another way, choose that pathway.",
            code="ineligible",
            field=field,
        )
    if pathway in fund.all_excluded_pathways:
        raise ApplicationError(
            "The %(fund)s does not pay for applicants on this pathway. Choose another fund.",
            params={"fund": fund.name},
            code="ineligible",
            field=field,
        )


# --- funds ----------------------------------------------------------------------------


@transaction.atomic
def fund_create(
    *,
    actor: Actor,
    name: str,
    funder_kind: str,
    budget,
    opens_on: datetime.date,
    closes_on: datetime.date | None = None,
    county=None,
    grant_name: str = "",
    fee_codes=(),
    covers_tuition: bool = False,
    nomination_required: bool = False,
    excluded_pathways=(),
    description: str = "",
) -> Fund:
    """Open a scholarship fund.

    Preconditions: a program manager or system administrator (or the system); a unique name; a
    county for a county's fund (and none otherwise), a grant's name for a grant; a budget of zero or
    more; at least one fee or tuition to pay; dates in order.
    Side effects: out-of-state reciprocity is always among the excluded pathways; audited as
    scholarship_fund.create.
    """
    if not perms.can_manage_funds(actor):
        raise ApplicationError("Only a program manager may open a scholarship fund.", code="forbidden")
    name = (name or "").strip()
    if not name:
        raise ApplicationError("Give the fund a name.", field="name")
    if Fund.objects.filter(name__iexact=name).exists():
        raise ApplicationError("There is already a fund called %(name)s.", params={"name": name}, field="name")
    if funder_kind not in FunderKind.values:
        raise ApplicationError("Choose who funds it: a county, DHCS or a named grant.", field="funder_kind")
    if funder_kind == FunderKind.COUNTY and county is None:
        raise ApplicationError("Choose the county that funds it.", field="county")
    if funder_kind != FunderKind.COUNTY:
        county = None
    grant_name = (grant_name or "").strip()
    if funder_kind == FunderKind.GRANT and not grant_name:
        raise ApplicationError("Name the grant that funds it.", field="grant_name")
    try:
        budget = Decimal(str(budget))
    except (InvalidOperation, ValueError):
        raise ApplicationError("Enter the budget in dollars and cents, like 5000.00.", field="budget") from None
    if not budget.is_finite() or budget < 0 or budget != budget.quantize(CENT) or budget >= Decimal("1e10"):
        raise ApplicationError("Enter the budget in dollars and cents, like 5000.00.", field="budget")
    fee_codes = _fee_codes(fee_codes)
    if not fee_codes and not covers_tuition:
        raise ApplicationError("Choose at least one fee or training tuition for the fund to pay.", field="fee_codes")
    if closes_on is not None and closes_on < opens_on:
        raise ApplicationError("The fund cannot close before it opens.", field="closes_on")
    excluded = sorted(set(excluded_pathways or []) | NEVER_ELIGIBLE_PATHWAYS)
    fund = Fund.objects.create(
        name=name,
        funder_kind=funder_kind,
        county=county,
        grant_name=grant_name if funder_kind == FunderKind.GRANT else "",
        budget=budget.quantize(CENT),
        fee_codes=fee_codes,
        covers_tuition=bool(covers_tuition),
        nomination_required=bool(nomination_required),
        excluded_pathways=excluded,
        opens_on=opens_on,
        closes_on=closes_on,
        description=(description or "").strip(),
        created_by=_user_or_none(actor),
    )
    audit_record(
        actor=actor,
        action=AuditAction.FUND_CREATE,
        obj=fund,
        after={
            "name": name,
            "funder_kind": funder_kind,
            "county": fund.county_id,
            "budget": fund.budget,
            "fee_codes": fee_codes,
            "covers_tuition": fund.covers_tuition,
            "nomination_required": fund.nomination_required,
            "excluded_pathways": excluded,
            "opens_on": opens_on,
            "closes_on": closes_on,
        },
    )
    return fund


# --- nominations ----------------------------------------------------------------------


@transaction.atomic
def nomination_create(*, actor: Actor, fund: Fund, name: str = "", email: str, note: str = "") -> Nomination:
    """County staff nominate a person from their county: by name and email, or by the email of an
    existing account (then the account's person is nominated).

    Preconditions: county staff whose county funds the fund (or any county's staff for a statewide
    fund that asks for nominations); the fund needs nominations and is open today; an email; a name
    unless the email is an account's; no live nomination of the same email for the fund.
    Side effects: the nominee is told, in their language, how to apply; audited as
    scholarship_nomination.create.
    """
    fund = Fund.objects.select_for_update().get(pk=fund.pk)
    counties = perms.nominating_county_ids(actor)
    if not counties:
        raise ApplicationError("Only county staff may nominate people for a scholarship.", code="forbidden")
    if not fund.nomination_required:
        raise ApplicationError(
            "The %(fund)s needs no nomination: anyone may apply to it directly.", params={"fund": fund.name}
        )
    if fund.county_id is not None and fund.county_id not in counties:
        raise ApplicationError(
            "The %(fund)s belongs to another county. Nominate people for your own county's funds.",
            params={"fund": fund.name},
            code="forbidden",
        )
    today = clock.today()
    if not fund.is_open_on(today):
        raise ApplicationError(
            "The %(fund)s is not open for nominations today.", params={"fund": fund.name}, code="closed"
        )
    county_id = fund.county_id or min(counties)
    email = (email or "").strip().lower()
    if not email or "@" not in email:
        raise ApplicationError("Enter the person's email address.", field="email")
    user = User.objects.filter(email__iexact=email).select_related("person").first()
    person = getattr(user, "person", None) if user is not None else None
    if person is None:
        person = Person.objects.filter(email__iexact=email, user=None).first()
    ensure_not_own_matter(actor, person, what="scholarship")
    name = (name or "").strip() or (person.full_name if person else "")
    if not name:
        raise ApplicationError("Enter the person's name.", field="name")
    language = person.preferred_language if person else "en"
    try:
        with transaction.atomic():
            nomination = Nomination.objects.create(
                fund=fund,
                county_id=county_id,
                person=person,
                name=name[:200],
                email=email,
                language=language,
                note=(note or "").strip(),
                nominated_by=actor,
            )
    except IntegrityError:
        raise ApplicationError(
            "%(email)s is already nominated for the %(fund)s.",
            params={"email": email, "fund": fund.name},
            code="duplicate",
            field="email",
        ) from None
    audit_record(
        actor=actor,
        action=AuditAction.NOMINATION_CREATE,
        obj=nomination,
        after={"fund": fund.pk, "county": county_id, "person": person.pk if person else None, "email": email},
    )
    message = {
        "subject": gettext_noop("You are nominated for a scholarship: %(fund)s"),
        "body": gettext_noop(
            "%(county)s County nominated you for the %(fund)s. It can pay PeerCert fees and training. "
            "Sign in to PeerCert (or create an account with this email address) and apply from “Scholarships”."
        ),
        "params": {"fund": fund.name, "county": nomination.county.name},
        "link": reverse("scholarships:my_scholarships"),
    }
    if person is not None:
        tell_person(person, **message)
    else:
        tell_email(email, language=language, **message)
    return nomination


@transaction.atomic
def nomination_withdraw(*, actor: Actor, nomination: Nomination, reason: str) -> Nomination:
    """Take back a nomination the person has not acted on.

    Preconditions: the nominating county's staff or a program manager; a reason; still nominated.
    Side effects: audited as scholarship_nomination.withdraw with the reason.
    """
    nomination = Nomination.objects.select_for_update().get(pk=nomination.pk)
    if not perms.can_withdraw_nomination(actor, nomination):
        raise ApplicationError("Only the nominating county's staff may withdraw this nomination.", code="forbidden")
    reason = (reason or "").strip()
    if not reason:
        raise ApplicationError("Give the reason for withdrawing the nomination.", field="reason")
    before = transition(nomination, NominationStatus.WITHDRAWN, allowed=NOMINATION_TRANSITIONS, noun=NOMINATION)
    nomination.withdrawn_reason = reason
    nomination.save(update_fields=["status", "withdrawn_reason", "updated_at"])
    audit_record(
        actor=actor,
        action=AuditAction.NOMINATION_WITHDRAW,
        obj=nomination,
        before={"status": before},
        after={"status": nomination.status},
        reason=reason,
    )
    return nomination


# --- applications ---------------------------------------------------------------------


@transaction.atomic
def application_submit(
    *,
    actor: Actor,
    fund: Fund,
    pathway: str,
    need_statement: str,
    fee_codes=(),
    wants_tuition: bool = False,
    training_note: str = "",
) -> Application:
    """A person asks a fund to pay their fees or training.

    Preconditions: a signed-in person; the fund is open; where the fund needs a nomination, a live
    nomination of this person (by their record or sign-in email); a pathway the fund pays for
    (out-of-state reciprocity never is, nor is an open certification application on it); a
    statement of need; fees the fund pays, or tuition where it pays tuition; no other application
    of theirs waiting at this fund.
    Side effects: the nomination becomes applied (and is linked to the person); audited as
    scholarship_application.submit (and scholarship_nomination.apply).
    """
    person = person_for_user(actor)
    if person is None or not perms.can_apply(actor):
        raise ApplicationError("Sign in with your own PeerCert account to apply.", code="forbidden")
    fund = Fund.objects.select_for_update().get(pk=fund.pk)
    if fund.migrated or not fund.is_open_on(clock.today()):
        raise ApplicationError(
            "The %(fund)s is not taking applications today.", params={"fund": fund.name}, code="closed"
        )
    nomination = None
    if fund.nomination_required:
        nomination = selectors.live_nominations_for(person).filter(fund=fund).select_for_update().first()
        if nomination is None:
            raise ApplicationError(
                "The %(fund)s takes applications only from people their county nominated. Ask your county's "
                "behavioral health staff about a nomination, or choose a fund open to everyone.",
                params={"fund": fund.name},
                code="forbidden",
            )
    _refuse_ineligible_pathway(fund, pathway)
    open_pathway = selectors.person_pathway(person)
    if open_pathway:
        _refuse_ineligible_pathway(fund, open_pathway)
    need_statement = (need_statement or "").strip()
    if not need_statement:
        raise ApplicationError("Tell us briefly why you need help paying.", field="need_statement")
    fee_codes = _fee_codes(fee_codes)
    not_paid = sorted(set(fee_codes) - set(fund.fee_codes))
    if not_paid:
        raise ApplicationError(
            "The %(fund)s does not pay these fees: %(fees)s.",
            params={"fund": fund.name, "fees": selectors.fee_names(not_paid)},
            field="fee_codes",
        )
    if wants_tuition and not fund.covers_tuition:
        raise ApplicationError(
            "The %(fund)s does not pay training tuition.", params={"fund": fund.name}, field="wants_tuition"
        )
    if not fee_codes and not wants_tuition:
        raise ApplicationError("Choose the fees or the training you need paid.", field="fee_codes")
    try:
        with transaction.atomic():
            application = Application.objects.create(
                fund=fund,
                person=person,
                nomination=nomination,
                pathway=pathway,
                need_statement=need_statement,
                fee_codes=fee_codes,
                wants_tuition=bool(wants_tuition),
                training_note=(training_note or "").strip()[:300],
            )
    except IntegrityError:
        raise ApplicationError(
            "You already have an application waiting at the %(fund)s.", params={"fund": fund.name}, code="duplicate"
        ) from None
    if nomination is not None:
        before = transition(nomination, NominationStatus.APPLIED, allowed=NOMINATION_TRANSITIONS, noun=NOMINATION)
        nomination.person = person
        nomination.save(update_fields=["status", "person", "updated_at"])
        audit_record(
            actor=actor,
            action=AuditAction.NOMINATION_APPLY,
            obj=nomination,
            before={"status": before},
            after={"status": nomination.status, "application": application.pk},
        )
    audit_record(
        actor=actor,
        action=AuditAction.APPLICATION_SUBMIT,
        obj=application,
        after={
            "fund": fund.pk,
            "pathway": pathway,
            "fee_codes": fee_codes,
            "wants_tuition": application.wants_tuition,
            "nomination": nomination.pk if nomination else None,
        },
    )
    return application


def _lock_application(application: Application) -> Application:
    return Application.objects.select_for_update().select_related("person", "fund").get(pk=application.pk)


@transaction.atomic
def application_award(
    *,
    actor: Actor,
    application: Application,
    amount,
    fee_codes=(),
    covers_tuition: bool = False,
    expires_on: datetime.date,
) -> Award:
    """Award an application: commit money from the fund to the person.

    Preconditions: a program manager or system administrator, not the applicant; the application
    is waiting; the amount is positive and no more than the fund's remaining budget (the fund row
    is locked, so two awards cannot both spend the last dollars); it covers fees the fund pays
    and/or tuition where the fund pays tuition; the pathway is eligible; it expires today or later.
    Side effects: a finance Scholarship holding the money (finance.services.scholarship_award) and
    the Award; the applicant is told in their language; audited as scholarship_application.award
    (and finance's scholarship.award).
    """
    if not perms.can_decide(actor):
        raise ApplicationError("Only a program manager may award a scholarship.", code="forbidden")
    application = _lock_application(application)
    ensure_not_own_matter(actor, application.person, what="scholarship")
    check_transition(application, ApplicationStatus.AWARDED, allowed=APPLICATION_TRANSITIONS, noun=APPLICATION)
    fund = Fund.objects.select_for_update().get(pk=application.fund_id)
    _refuse_ineligible_pathway(fund, application.pathway, field=None)
    amount = _money(amount)
    fee_codes = _fee_codes(fee_codes)
    not_paid = sorted(set(fee_codes) - set(fund.fee_codes))
    if not_paid:
        raise ApplicationError(
            "The %(fund)s does not pay these fees: %(fees)s.",
            params={"fund": fund.name, "fees": selectors.fee_names(not_paid)},
            field="fee_codes",
        )
    if covers_tuition and not fund.covers_tuition:
        raise ApplicationError(
            "The %(fund)s does not pay training tuition.", params={"fund": fund.name}, field="covers_tuition"
        )
    if not fee_codes and not covers_tuition:
        raise ApplicationError("Choose the fees or the tuition the award pays.", field="fee_codes")
    if expires_on is None or expires_on < clock.today():
        raise ApplicationError("Choose an expiry date that is today or later.", field="expires_on")
    remaining = selectors.fund_ledger(fund).remaining
    if amount > remaining:
        raise ApplicationError(
            "The %(fund)s has only $%(remaining)s left to award. Award $%(remaining)s or less.",
            params={"fund": fund.name, "remaining": remaining},
            code="overspend",
            field="amount",
        )
    # An award that pays only tuition still needs a finance scholarship to hold the money; a fee
    # list that is empty would let it pay any fee, so it is given a code no invoice carries.
    scholarship = finance_services.scholarship_award(
        actor=actor,
        person=application.person,
        fund_name=fund.name,
        amount=amount,
        fee_codes=fee_codes,
        note=f"scholarships.award application {application.pk}",
        expires_on=expires_on,
        tell=False,
    )
    if not fee_codes:
        scholarship.fee_codes = [TUITION]
        scholarship.save(update_fields=["fee_codes", "updated_at"])
    award = Award.objects.create(
        fund=fund,
        application=application,
        person=application.person,
        scholarship=scholarship,
        amount=amount,
        fee_codes=fee_codes,
        covers_tuition=bool(covers_tuition),
        expires_on=expires_on,
        awarded_by=_user_or_none(actor),
    )
    before = snapshot(application, APPLICATION_FIELDS)
    transition(application, ApplicationStatus.AWARDED, allowed=APPLICATION_TRANSITIONS, noun=APPLICATION)
    application.decided_by = _user_or_none(actor)
    application.decided_at = clock.now()
    application.save(update_fields=["status", "decided_by", "decided_at", "updated_at"])
    audit_record(
        actor=actor,
        action=AuditAction.APPLICATION_AWARD,
        obj=application,
        before=before,
        after={
            **snapshot(application, APPLICATION_FIELDS),
            "award": award.pk,
            "scholarship": scholarship.pk,
            "amount": amount,
            "fee_codes": fee_codes,
            "covers_tuition": award.covers_tuition,
            "expires_on": expires_on,
            "fund_remaining": remaining - amount,
        },
    )
    covers = selectors.fee_names(fee_codes)
    if covers_tuition:
        covers = format_lazy("{}, {}", covers, TUITION_LABEL) if covers else TUITION_LABEL
    tell_person(
        application.person,
        subject=gettext_noop("Scholarship awarded: $%(amount)s from the %(fund)s"),
        body=gettext_noop(
            "The %(fund)s awarded you $%(amount)s, until %(day)s. It pays: %(covers)s. "
            "Use it from “Pay with your scholarship” when you pay a fee."
        ),
        params={
            "fund": fund.name,
            "amount": amount,
            "day": expires_on,
            "covers": covers,
        },
        link=reverse("scholarships:award_detail", args=[award.pk]),
    )
    return award


@transaction.atomic
def application_decline(*, actor: Actor, application: Application, reason: str) -> Application:
    """Decline an application with a reason the applicant reads.

    Preconditions: a program manager or system administrator, not the applicant; a reason; waiting.
    Side effects: the applicant is told, in their language, with the reason; audited as
    scholarship_application.decline.
    """
    if not perms.can_decide(actor):
        raise ApplicationError("Only a program manager may decline a scholarship application.", code="forbidden")
    reason = (reason or "").strip()
    if not reason:
        raise ApplicationError("Give the reason, which the applicant will read.", field="reason")
    application = _lock_application(application)
    ensure_not_own_matter(actor, application.person, what="scholarship")
    before = snapshot(application, APPLICATION_FIELDS)
    transition(application, ApplicationStatus.DECLINED, allowed=APPLICATION_TRANSITIONS, noun=APPLICATION)
    application.decline_reason = reason
    application.decided_by = _user_or_none(actor)
    application.decided_at = clock.now()
    application.save(update_fields=["status", "decline_reason", "decided_by", "decided_at", "updated_at"])
    audit_record(
        actor=actor,
        action=AuditAction.APPLICATION_DECLINE,
        obj=application,
        before=before,
        after=snapshot(application, APPLICATION_FIELDS),
        reason=reason,
    )
    tell_person(
        application.person,
        subject=gettext_noop("Scholarship application declined: %(fund)s"),
        body=gettext_noop("The %(fund)s could not award your application. The reason: %(reason)s"),
        params={"fund": application.fund.name, "reason": reason},
        link=reverse("scholarships:application_detail", args=[application.pk]),
    )
    return application


@transaction.atomic
def application_withdraw(*, actor: Actor, application: Application) -> Application:
    """The applicant takes back an application that is still waiting.

    Side effects: audited as scholarship_application.withdraw.
    """
    application = _lock_application(application)
    if not perms.is_applicant(actor, application):
        raise ApplicationError("Only the applicant may withdraw this application.", code="forbidden")
    before = snapshot(application, APPLICATION_FIELDS)
    transition(application, ApplicationStatus.WITHDRAWN, allowed=APPLICATION_TRANSITIONS, noun=APPLICATION)
    application.save(update_fields=["status", "updated_at"])
    audit_record(
        actor=actor,
        action=AuditAction.APPLICATION_WITHDRAW,
        obj=application,
        before=before,
        after=snapshot(application, APPLICATION_FIELDS),
    )
    return application


# --- disbursement, expiry -------------------------------------------------------------


@transaction.atomic
def disbursement_record(
    *, actor: Actor, award: Award, offering, amount, paid_on: datetime.date, reference: str
) -> Disbursement:
    """Pay training tuition from an award to the training entity that teaches the offering.

    Preconditions: program staff (not the holder); the award is active, pays tuition and has the
    money; the holder is enrolled (not waitlisted or cancelled) in the offering; the entity is
    approved today; the amount is no more than the offering's cost; no tuition was paid for this
    person and offering before (from any fund: one cost is paid once); paid_on is not in the future;
    a payment reference.
    Side effects: the money leaves the award's finance scholarship (finance.services.scholarship_draw);
    a Disbursement row; the holder is told; audited as scholarship_disbursement.record (and
    finance's scholarship.draw).
    """
    if not perms.can_disburse(actor):
        raise ApplicationError("Only program staff may record a tuition payment.", code="forbidden")
    award = Award.objects.select_for_update().select_related("person", "fund").get(pk=award.pk)
    ensure_not_own_matter(actor, award.person, what="scholarship")
    if award.status != AwardStatus.ACTIVE:
        raise ApplicationError(
            "This award is %(status)s and can no longer pay anything.",
            params={"status": award.get_status_display()},
            code="state",
        )
    if not award.covers_tuition:
        raise ApplicationError("This award does not pay training tuition.", code="ineligible")
    if offering is None:
        raise ApplicationError("Choose the course the tuition is for.", field="offering")
    enrolled = (
        training_selectors.enrollments_for_person(award.person)
        .filter(offering_id=offering.pk, status="enrolled")
        .exists()
    )
    if not enrolled:
        raise ApplicationError(
            "%(person)s is not enrolled in %(course)s, so its tuition cannot be paid. "
            "Pay only for a course the person is enrolled in.",
            params={"person": award.person.full_name, "course": str(offering)},
            code="ineligible",
            field="offering",
        )
    today = clock.today()
    approved = {e["entity"].pk for e in training_selectors.approved_providers(today)}
    if offering.training_entity_id not in approved:
        raise ApplicationError(
            "%(entity)s is not an approved training entity today, so scholarships cannot pay its tuition.",
            params={"entity": str(offering.training_entity)},
            code="ineligible",
            field="offering",
        )
    amount = _money(amount)
    if amount > offering.cost:
        raise ApplicationError(
            "The course costs $%(cost)s. Pay no more than that.", params={"cost": offering.cost}, field="amount"
        )
    if paid_on is None or paid_on > today:
        raise ApplicationError("Enter the day the tuition was paid (today or earlier).", field="paid_on")
    reference = (reference or "").strip()
    if not reference:
        raise ApplicationError("Enter the payment's reference (check or transfer number).", field="reference")
    if Disbursement.objects.filter(person=award.person, offering_id=offering.pk).exists():
        raise ApplicationError(
            "Tuition for this course was already paid for %(person)s. The same cost is not paid twice.",
            params={"person": award.person.full_name},
            code="duplicate",
            field="offering",
        )
    scholarship = finance_services.scholarship_draw(
        actor=actor,
        scholarship=award.scholarship,
        amount=amount,
        reference=f"tuition {offering.pk} {reference}"[:255],
    )
    disbursement = Disbursement.objects.create(
        award=award,
        person=award.person,
        offering=offering,
        training_entity_id=offering.training_entity_id,
        amount=amount,
        paid_on=paid_on,
        reference=reference[:100],
        recorded_by=_user_or_none(actor),
    )
    audit_record(
        actor=actor,
        action=AuditAction.DISBURSEMENT_RECORD,
        obj=disbursement,
        after={
            "award": award.pk,
            "offering": offering.pk,
            "training_entity": offering.training_entity_id,
            "amount": amount,
            "paid_on": paid_on,
            "reference": reference,
            "award_remaining": scholarship.remaining,
        },
    )
    tell_person(
        award.person,
        subject=gettext_noop("Your scholarship paid your tuition: %(course)s"),
        body=gettext_noop("The %(fund)s paid $%(amount)s to %(entity)s for %(course)s."),
        params={
            "fund": award.fund.name,
            "amount": amount,
            "entity": str(offering.training_entity),
            "course": str(offering),
        },
        link=reverse("scholarships:award_detail", args=[award.pk]),
    )
    return disbursement


def _release(actor: Actor, award: Award, to_status: str, reason: str, action) -> Decimal:
    before = transition(award, to_status, allowed=AWARD_TRANSITIONS, noun=AWARD)
    released = finance_services.scholarship_release(actor=actor, scholarship=award.scholarship, reason=reason)
    award.ended_reason = reason
    award.save(update_fields=["status", "ended_reason", "updated_at"])
    audit_record(
        actor=actor,
        action=action,
        obj=award,
        before={"status": before},
        after={"status": award.status, "released": released},
        reason=reason,
    )
    return released


@transaction.atomic
def award_end(*, actor: Actor, award: Award, reason: str) -> Award:
    """End an award early and give what is left back to the fund.

    Preconditions: a program manager or system administrator, not the holder; a reason; active.
    Side effects: finance releases what is left; the holder is told; audited as scholarship_award.end.
    """
    if not perms.can_decide(actor):
        raise ApplicationError("Only a program manager may end a scholarship award.", code="forbidden")
    reason = (reason or "").strip()
    if not reason:
        raise ApplicationError("Give the reason for ending the award.", field="reason")
    award = Award.objects.select_for_update().select_related("person", "fund", "scholarship").get(pk=award.pk)
    ensure_not_own_matter(actor, award.person, what="scholarship")
    released = _release(actor, award, AwardStatus.ENDED, reason, AuditAction.AWARD_END)
    tell_person(
        award.person,
        subject=gettext_noop("Your scholarship award has ended: %(fund)s"),
        body=gettext_noop("Your award from the %(fund)s has ended ($%(amount)s unspent). The reason: %(reason)s"),
        params={"fund": award.fund.name, "amount": released, "reason": reason},
        link=reverse("scholarships:award_detail", args=[award.pk]),
    )
    return award


def awards_expire_due(today: datetime.date) -> dict:
    """Daily: awards past their date expire and give what is left back to their funds.

    Idempotent (an expired award is no longer active). Each award is released through finance,
    row by row, because every movement of money writes its own audit event.
    """
    expired = 0
    released = Decimal("0.00")
    for award in selectors.expired_awards(today).order_by("pk"):
        with transaction.atomic():
            award = Award.objects.select_for_update().select_related("scholarship").get(pk=award.pk)
            if award.status != AwardStatus.ACTIVE:
                continue
            released += _release(
                None, award, AwardStatus.EXPIRED, "The award passed its expiry date.", AuditAction.AWARD_EXPIRE
            )
            expired += 1
    return {"expired": expired, "released_cents": int(released * 100)}
