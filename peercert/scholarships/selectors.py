"""Reads of funds, nominations, applications and awards, scoped to what the asking user may see."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, DecimalField, Exists, F, OuterRef, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce
from django.http import Http404

from peercert.accounts.models import County
from peercert.accounts.selectors import person_for_user
from peercert.certification import selectors as certification_selectors
from peercert.core import clock
from peercert.finance.selectors import fee_label
from peercert.scholarships import permissions as perms
from peercert.scholarships.models import (
    Application,
    ApplicationStatus,
    Award,
    AwardStatus,
    Disbursement,
    Fund,
    Nomination,
    NominationStatus,
)

ZERO = Decimal("0.00")
MONEY = DecimalField(max_digits=14, decimal_places=2)


def _money_sum(expression) -> Coalesce:
    return Coalesce(Sum(expression, output_field=MONEY), Value(ZERO, output_field=MONEY), output_field=MONEY)


def _get_or_404(qs, pk):
    try:
        return qs.get(pk=int(pk))
    except (qs.model.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404 from None


# --- funds and their ledgers -----------------------------------------------------------


@dataclass(frozen=True)
class Ledger:
    """A fund's money, to the cent: committed + disbursed + remaining = budget.

    committed: what active awards still hold; disbursed: what awards have paid out (fees and
    tuition); released: what expired or ended awards gave back (it is part of remaining);
    remaining: what the fund may still award. paid_rows: the same disbursed total counted from
    the payment and disbursement rows themselves, so a page can show that the two agree.
    """

    budget: Decimal
    awarded: Decimal
    committed: Decimal
    disbursed: Decimal
    released: Decimal
    paid_rows: Decimal

    @property
    def remaining(self) -> Decimal:
        return self.budget - self.committed - self.disbursed

    @property
    def reconciles(self) -> bool:
        return self.committed + self.disbursed + self.remaining == self.budget and self.paid_rows == self.disbursed


def fund_ledger(fund: Fund) -> Ledger:
    """The fund's ledger, summed in SQL from its awards' finance scholarships and their payments."""
    sums = Award.objects.filter(fund=fund).aggregate(
        awarded=_money_sum("scholarship__amount"),
        committed=_money_sum("scholarship__remaining"),
        released=_money_sum("scholarship__released"),
    )
    fees_paid = Award.objects.filter(fund=fund).aggregate(paid=_money_sum("scholarship__payments__amount"))["paid"]
    tuition = Disbursement.objects.filter(award__fund=fund).aggregate(paid=_money_sum("amount"))["paid"]
    # SQLite sums decimals as floats; every figure is brought back to the cent (they are all whole
    # cents, so this only removes the float's noise) before any comparison.
    awarded, committed, released = (_cents(sums[k]) for k in ("awarded", "committed", "released"))
    return Ledger(
        budget=_cents(fund.budget),
        awarded=awarded,
        committed=committed,
        disbursed=awarded - committed - released,
        released=released,
        paid_rows=_cents(fees_paid) + _cents(tuition),
    )


def _cents(value) -> Decimal:
    return Decimal(str(value or 0)).quantize(Decimal("0.01"))


def funds_with_figures(qs: QuerySet[Fund]) -> QuerySet[Fund]:
    """Funds with committed, disbursed and remaining annotated in one query (list pages)."""
    awarded = _money_sum("awards__scholarship__amount")
    committed = _money_sum("awards__scholarship__remaining")
    released = _money_sum("awards__scholarship__released")
    return qs.annotate(
        f_committed=committed,
        f_disbursed=awarded - committed - released,
        f_remaining=F("budget") - awarded + released,
    )


def fund_rows(funds) -> list[Fund]:
    """The annotated funds with their figures brought back to the cent (see _cents)."""
    out = list(funds)
    for f in out:
        f.f_committed, f.f_disbursed, f.f_remaining = (_cents(v) for v in (f.f_committed, f.f_disbursed, f.f_remaining))
    return out


def fund_list(*, actor) -> QuerySet[Fund]:
    """Every fund for program staff and statewide readers; a county's staff see their county's funds
    and the statewide funds they may nominate for (without figures for those: see can_read_fund)."""
    qs = Fund.objects.select_related("county").order_by("name")
    if perms.reads_everything(actor):
        return qs
    counties = perms.nominating_county_ids(actor)
    if counties:
        return qs.filter(Q(county_id__in=counties) | Q(county=None, nomination_required=True))
    return qs.none()


def access_fund(actor, fund_id) -> Fund:
    """A fund whose figures the actor may read; 404 otherwise (another county's fund looks absent)."""
    fund = _get_or_404(Fund.objects.select_related("county"), fund_id)
    if not perms.can_read_fund(actor, fund):
        raise Http404
    return fund


def access_nominating_fund(actor, fund_id) -> Fund:
    fund = _get_or_404(Fund.objects.select_related("county"), fund_id)
    if not perms.can_nominate(actor, fund):
        raise Http404
    return fund


def open_funds(day=None) -> QuerySet[Fund]:
    day = day or clock.today()
    return (
        Fund.objects.filter(opens_on__lte=day)
        .filter(Q(closes_on__isnull=True) | Q(closes_on__gte=day))
        .select_related("county")
        .order_by("name")
    )


def funds_open_to(person, day=None) -> list[Fund]:
    """Open funds a person may apply to: those needing no nomination, and those they were nominated for."""
    if person is None:
        return []
    nominated = live_nominations_for(person).values("fund_id")
    return list(open_funds(day).filter(Q(nomination_required=False) | Q(pk__in=nominated)).exclude(migrated=True))


def access_fund_to_apply(actor, fund_id) -> Fund:
    person = person_for_user(actor)
    fund = _get_or_404(Fund.objects.select_related("county"), fund_id)
    if fund not in funds_open_to(person):
        raise Http404
    return fund


def fee_names(codes) -> str:
    return ", ".join(str(fee_label(c)) for c in codes or [])


# --- nominations ----------------------------------------------------------------------


def nomination_list(*, actor, status: str = "", fund_id: int | None = None) -> QuerySet[Nomination]:
    """All nominations for program staff and statewide readers; only their county's for county staff."""
    qs = Nomination.objects.select_related("fund", "county", "person", "nominated_by").order_by("-created_at", "-id")
    if not perms.reads_everything(actor):
        qs = qs.filter(county_id__in=perms.nominating_county_ids(actor))
    if status:
        qs = qs.filter(status=status)
    if fund_id:
        qs = qs.filter(fund_id=fund_id)
    return qs


def access_nomination(actor, nomination_id) -> Nomination:
    nomination = _get_or_404(Nomination.objects.select_related("fund", "county", "person"), nomination_id)
    if not perms.can_read_nomination(actor, nomination):
        raise Http404
    return nomination


def live_nominations_for(person) -> QuerySet[Nomination]:
    """Nominations waiting for this person: made for their record, or for their sign-in email."""
    q = Q(person=person)
    email = (person.user.email if person.user_id else person.email) or ""
    if email:
        q |= Q(person=None, email__iexact=email)
    return Nomination.objects.filter(q, status=NominationStatus.NOMINATED).select_related("fund", "county")


# --- applications and awards ----------------------------------------------------------


def application_list(*, actor, status: str = "", fund_id: int | None = None) -> QuerySet[Application]:
    qs = Application.objects.select_related("fund", "person", "nomination__county").order_by("created_at", "id")
    if not perms.reads_everything(actor):
        return qs.none()
    if status:
        qs = qs.filter(status=status)
    if fund_id:
        qs = qs.filter(fund_id=fund_id)
    return qs


def waiting_applications() -> QuerySet[Application]:
    return Application.objects.filter(status=ApplicationStatus.SUBMITTED).select_related("fund", "person")


def access_application(actor, application_id) -> Application:
    application = _get_or_404(
        Application.objects.select_related("fund", "person", "person__user", "nomination__county"), application_id
    )
    if not perms.can_read_application(actor, application):
        raise Http404
    return application


def applications_of(person) -> QuerySet[Application]:
    return Application.objects.filter(person=person).select_related("fund").order_by("-created_at", "-id")


def awards_of(person) -> QuerySet[Award]:
    return Award.objects.filter(person=person).select_related("fund", "scholarship").order_by("-created_at", "-id")


def access_award(actor, award_id) -> Award:
    award = _get_or_404(Award.objects.select_related("fund", "person", "person__user", "scholarship"), award_id)
    mine = getattr(actor, "is_authenticated", False) and award.person.user_id == actor.pk
    if not (perms.reads_everything(actor) or mine):
        raise Http404
    return award


def disbursements_of(award: Award) -> QuerySet[Disbursement]:
    return award.disbursements.select_related("offering", "training_entity", "recorded_by").order_by("paid_on", "id")


def award_fee_payments(award: Award):
    return award.scholarship.payments.select_related("invoice").order_by("created_at", "id")


def fund_awards(fund: Fund) -> QuerySet[Award]:
    return fund.awards.select_related("person", "scholarship").order_by("-created_at", "-id")


def person_pathway(person) -> str:
    """The pathway of the person's open certification application, if they have one."""
    application = certification_selectors.open_application_of(person)
    return application.pathway if application is not None else ""


def expired_awards(today) -> QuerySet[Award]:
    return Award.objects.filter(status=AwardStatus.ACTIVE, expires_on__lt=today).select_related("scholarship")


# --- reports --------------------------------------------------------------------------


def report_rows(*, actor) -> list[dict]:
    """Per fund and county: nominated, applied, awarded (count and amount), disbursed, and how many
    award holders went on to hold a certification. Each figure is one grouped query in SQL.

    The county of an application or award is its nomination's county; a fund needing no
    nomination counts its direct applicants under its own county (none for DHCS and grants).
    """
    funds = fund_list(actor=actor)
    if not perms.reads_everything(actor):
        funds = funds.filter(county_id__in=perms.nominating_county_ids(actor))
    fund_ids = list(funds.values_list("pk", flat=True))
    rows: dict[tuple, dict] = {}

    def row(fund_id, county_id):
        return rows.setdefault(
            (fund_id, county_id),
            {
                "fund_id": fund_id,
                "county_id": county_id,
                "nominated": 0,
                "applied": 0,
                "awarded": 0,
                "awarded_amount": ZERO,
                "disbursed": ZERO,
                "certified": 0,
            },
        )

    for r in (
        Nomination.objects.filter(fund_id__in=fund_ids)
        .exclude(status=NominationStatus.WITHDRAWN)
        .values("fund_id", "county_id")
        .annotate(n=Count("id"))
    ):
        row(r["fund_id"], r["county_id"])["nominated"] = r["n"]
    county_of_application = Coalesce("nomination__county_id", "fund__county_id")
    for r in (
        Application.objects.filter(fund_id__in=fund_ids)
        .annotate(c=county_of_application)
        .values("fund_id", "c")
        .annotate(n=Count("id"))
    ):
        row(r["fund_id"], r["c"])["applied"] = r["n"]
    holder_certified = Exists(certification_selectors.certifications_of(OuterRef("person_id")))
    county_of_award = Coalesce("application__nomination__county_id", "fund__county_id")
    for r in (
        Award.objects.filter(fund_id__in=fund_ids)
        .annotate(c=county_of_award, certified=holder_certified)
        .values("fund_id", "c")
        .annotate(
            n=Count("id"),
            amount=_money_sum("amount"),
            spent=_money_sum(F("scholarship__amount") - F("scholarship__remaining") - F("scholarship__released")),
            holders_certified=Count("person_id", filter=Q(certified=True), distinct=True),
        )
    ):
        entry = row(r["fund_id"], r["c"])
        entry.update(awarded=r["n"], awarded_amount=r["amount"], disbursed=r["spent"], certified=r["holders_certified"])
    names = dict(Fund.objects.filter(pk__in=fund_ids).values_list("pk", "name"))
    counties = dict(County.objects.filter(pk__in={k[1] for k in rows if k[1]}).values_list("pk", "name"))
    out = []
    for (fund_id, county_id), entry in sorted(
        rows.items(), key=lambda kv: (names.get(kv[0][0], ""), counties.get(kv[0][1], ""))
    ):
        entry["fund"] = names.get(fund_id, "")
        entry["county"] = counties.get(county_id, "")
        out.append(entry)
    return out
