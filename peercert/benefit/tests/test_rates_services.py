"""County and interim rates: every move allowed and refused with its audit event, and the rules."""

import datetime
from decimal import Decimal

import pytest
from django.utils import translation

from peercert.accounts.models import County
from peercert.accounts.roles import Role
from peercert.accounts.tests.factories import user_with_role
from peercert.benefit import services
from peercert.benefit.models import RATE_TRANSITIONS, BillingCode, Rate, RateKind, RateStatus
from peercert.benefit.tests.factories import RateFactory
from peercert.core.errors import ApplicationError
from peercert.core.models import AuditEvent, Notification
from peercert.core.transitions import assert_map_covers, every_move

pytestmark = pytest.mark.django_db

JULY_2025 = datetime.date(2025, 7, 1)


@pytest.fixture
def la():
    return County.objects.get(name="Los Angeles")


@pytest.fixture
def staff(role_users):
    return role_users[Role.COUNTY_STAFF]


@pytest.fixture
def approver(role_users):
    return role_users[Role.DHCS_APPROVER]


@pytest.fixture
def analyst(role_users):
    return role_users[Role.DHCS_ANALYST]


def propose(staff, la, **kwargs):
    terms = {
        "delivery_system": "smhs",
        "code": "H0038",
        "amount": "41.25",
        "effective_from": JULY_2025,
        "effective_to": None,
        "justification": "FY 2025-26 cost report",
    }
    terms.update(kwargs)
    return services.rate_propose(actor=staff, county=la, **terms)


def events(rate, action):
    return AuditEvent.objects.filter(object_type="benefit.rate", object_id=str(rate.pk), action=action)


# ---- Every move ---------------------------------------------------------------------------------


def test_the_map_covers_every_state():
    assert_map_covers(RATE_TRANSITIONS, RateStatus)


MOVES = {
    RateStatus.SUBMITTED: ("rate.submit", lambda rate, who: services.rate_submit(actor=who["staff"], rate=rate)),
    RateStatus.WITHDRAWN: ("rate.withdraw", lambda rate, who: services.rate_withdraw(actor=who["staff"], rate=rate)),
    RateStatus.APPROVED: ("rate.approve", lambda rate, who: services.rate_approve(actor=who["approver"], rate=rate)),
    RateStatus.RETURNED: (
        "rate.return",
        lambda rate, who: services.rate_return(actor=who["approver"], rate=rate, comment="Attach the cost report."),
    ),
    RateStatus.REJECTED: (
        "rate.reject",
        lambda rate, who: services.rate_reject(actor=who["approver"], rate=rate, comment="Above the range."),
    ),
}


@pytest.mark.parametrize(("source", "target", "allowed"), every_move(RATE_TRANSITIONS, RateStatus))
def test_every_move(source, target, allowed, staff, approver, la):
    if target == RateStatus.DRAFT:
        assert not allowed  # nothing leads back to a draft, and no service tries
        return
    comment = "Earlier comment." if source in (RateStatus.RETURNED, RateStatus.REJECTED) else ""
    rate = RateFactory(county=la, status=source, proposed_by=staff, decision_comment=comment)
    action, move = MOVES[target]
    if allowed:
        move(rate, {"staff": staff, "approver": approver})
        rate.refresh_from_db()
        assert rate.status == target
        event = events(rate, action).get()
        assert event.before["status"] == source and event.after["status"] == target
    else:
        with pytest.raises(ApplicationError) as refused:
            move(rate, {"staff": staff, "approver": approver})
        assert refused.value.code == "state" and refused.value.http_status == 409
        rate.refresh_from_db()
        assert rate.status == source
        assert not events(rate, action).exists()


def test_the_whole_county_path_tells_approvers_then_the_county(staff, approver, la):
    other_staff = user_with_role(Role.COUNTY_STAFF)  # Los Angeles too
    fresno_staff = user_with_role(Role.COUNTY_STAFF, county_name="Fresno")
    rate = propose(staff, la)
    assert rate.status == RateStatus.DRAFT and events(rate, "rate.propose").exists()
    assert not Notification.objects.filter(user=approver).exists()
    services.rate_submit(actor=staff, rate=rate)
    assert Notification.objects.filter(user=approver, subject__startswith="Rate to decide: H0038").exists()
    services.rate_return(actor=approver, rate=rate, comment="Show the cost basis.")
    rate.refresh_from_db()
    assert rate.status == RateStatus.RETURNED and rate.decision_comment == "Show the cost basis."
    assert events(rate, "rate.return").get().reason == "Show the cost basis."
    told = set(Notification.objects.filter(subject__startswith="Rate returned").values_list("user_id", flat=True))
    assert told == {staff.pk, other_staff.pk}  # the county's staff, not Fresno's
    assert fresno_staff.pk not in told
    services.rate_update(
        actor=staff,
        rate=rate,
        delivery_system="smhs",
        code="H0038",
        amount="39.80",
        effective_from=JULY_2025,
        justification="Cost report attached",
    )
    update = events(rate, "rate.update").get()
    assert update.before["amount"] == "41.25" and update.after["amount"] == "39.80"
    services.rate_submit(actor=staff, rate=rate)
    services.rate_approve(actor=approver, rate=rate)
    rate.refresh_from_db()
    assert rate.status == RateStatus.APPROVED and rate.decided_by == approver and rate.amount == Decimal("39.80")
    assert Notification.objects.filter(user=staff, subject__startswith="Rate approved").exists()


def test_a_spanish_reader_is_told_in_spanish(staff, approver, la):
    staff_person = user_with_role(Role.COUNTY_STAFF, with_person=True)
    staff_person.person.preferred_language = "es"
    staff_person.person.save()
    rate = propose(staff, la)
    services.rate_submit(actor=staff, rate=rate)
    with translation.override("en"):
        services.rate_reject(actor=approver, rate=rate, comment="Fuera de rango.")
    note = Notification.objects.get(user=staff_person)
    assert note.subject.startswith("Tarifa rechazada")


def test_only_an_approver_decides_and_returning_or_rejecting_needs_a_comment(staff, approver, analyst, la):
    rate = RateFactory(county=la, status=RateStatus.SUBMITTED, proposed_by=staff)
    for who in (staff, analyst, user_with_role(Role.AUDITOR)):
        with pytest.raises(ApplicationError) as refused:
            services.rate_approve(actor=who, rate=rate)
        assert refused.value.code == "forbidden"
    for decide in (services.rate_return, services.rate_reject):
        with pytest.raises(ApplicationError) as refused:
            decide(actor=approver, rate=rate, comment="   ")
        assert refused.value.field == "comment"
    rate.refresh_from_db()
    assert rate.status == RateStatus.SUBMITTED and not AuditEvent.objects.filter(object_id=str(rate.pk)).exists()


def test_nobody_decides_their_own_proposal(approver, analyst):
    rate = services.interim_rate_propose(
        actor=approver, county=None, delivery_system="dmc", code="H0038", amount="30.00", effective_from=JULY_2025
    )
    services.rate_submit(actor=approver, rate=rate)
    with pytest.raises(ApplicationError) as refused:
        services.rate_approve(actor=approver, rate=rate)
    assert refused.value.code == "own_matter" and refused.value.http_status == 403
    other = user_with_role(Role.DHCS_APPROVER)
    services.rate_approve(actor=other, rate=rate)
    assert Rate.objects.get(pk=rate.pk).status == RateStatus.APPROVED


def test_a_county_staff_member_who_is_also_an_approver_cannot_decide_the_county_rate(staff, la):
    from peercert.accounts.models import RoleAssignment

    both = user_with_role(Role.DHCS_APPROVER)
    RoleAssignment.objects.create(user=both, role=Role.COUNTY_STAFF, county=la)
    rate = RateFactory(county=la, status=RateStatus.SUBMITTED, proposed_by=staff)
    with pytest.raises(ApplicationError) as refused:
        services.rate_approve(actor=both, rate=rate)
    assert refused.value.code == "own_matter"


# ---- What a rate may be -------------------------------------------------------------------------


def test_a_county_proposes_only_for_itself(staff):
    fresno = County.objects.get(name="Fresno")
    with pytest.raises(ApplicationError) as refused:
        propose(staff, fresno)
    assert refused.value.code == "forbidden"
    with pytest.raises(ApplicationError):
        propose(user_with_role(Role.COUNTY_BILLING), County.objects.get(name="Los Angeles"))
    assert not Rate.objects.exists()


def test_refused_when_the_county_did_not_opt_into_the_system(staff, la):
    # Los Angeles runs DMC-ODS, not State Plan DMC.
    assert not la.opts_in_dmc
    with pytest.raises(ApplicationError) as refused:
        propose(staff, la, delivery_system="dmc")
    assert refused.value.field == "delivery_system"
    assert "has not opted into Drug Medi-Cal (DMC)" in refused.value.message
    assert "Drug Medi-Cal Organized Delivery System" in refused.value.message  # what it may choose


def test_refused_when_the_code_is_not_allowed_in_the_system(staff, la):
    with pytest.raises(ApplicationError) as refused:
        propose(staff, la, code="H0050")  # contingency management: DMC-ODS only
    assert refused.value.field == "code" and "H0050 may not be billed in" in refused.value.message
    assert propose(staff, la, code="H0050", delivery_system="dmc_ods").status == RateStatus.DRAFT


def test_refused_when_the_code_is_not_allowed_throughout_the_period(staff, la):
    with pytest.raises(ApplicationError):
        propose(staff, la, effective_from=datetime.date(2022, 6, 1))  # before the table starts
    BillingCode.objects.filter(code="H0025").update(effective_to=datetime.date(2026, 6, 30))
    with pytest.raises(ApplicationError):
        propose(staff, la, code="H0025")  # open-ended, but the code ends
    assert propose(staff, la, code="H0025", effective_to=datetime.date(2026, 6, 30))
    # A superseding row that follows on without a gap keeps the code allowed.
    BillingCode.objects.create(
        code="H0025", description="Prevention education", effective_from=datetime.date(2026, 7, 1), smhs=True
    )
    assert propose(staff, la, code="H0025", effective_from=datetime.date(2026, 1, 1))


def test_unknown_code_is_refused(staff, la):
    with pytest.raises(ApplicationError) as refused:
        propose(staff, la, code="99213")
    assert refused.value.field == "code"


@pytest.mark.parametrize("amount", ["0", "-5", "10000.01", "1e9", "abc", "NaN", "41.255", "Infinity"])
def test_amounts_out_of_range_are_refused(staff, la, amount):
    with pytest.raises(ApplicationError) as refused:
        propose(staff, la, amount=amount)
    assert refused.value.field == "amount"
    assert not Rate.objects.exists()


def test_the_largest_sensible_amount_is_taken(staff, la):
    assert propose(staff, la, amount="10000.00").amount == Decimal("10000.00")


def test_dates_out_of_order_are_refused(staff, la):
    with pytest.raises(ApplicationError) as refused:
        propose(staff, la, effective_from=datetime.date(2026, 7, 1), effective_to=datetime.date(2026, 6, 30))
    assert refused.value.field == "effective_to" and "before it starts" in refused.value.message


def test_only_a_draft_or_returned_rate_changes(staff, la):
    rate = RateFactory(county=la, status=RateStatus.SUBMITTED, proposed_by=staff)
    with pytest.raises(ApplicationError) as refused:
        services.rate_update(
            actor=staff, rate=rate, delivery_system="smhs", code="H0038", amount="1", effective_from=JULY_2025
        )
    assert refused.value.code == "state"
    other_county = user_with_role(Role.COUNTY_STAFF, county_name="Fresno")
    draft = RateFactory(county=la, status=RateStatus.DRAFT, proposed_by=staff)
    with pytest.raises(ApplicationError) as refused:
        services.rate_submit(actor=other_county, rate=draft)
    assert refused.value.code == "forbidden"


# ---- Overlapping periods ------------------------------------------------------------------------


OVERLAPS = [
    # existing approved (from, to), new (from, to): overlap?
    ((JULY_2025, datetime.date(2026, 6, 30)), (datetime.date(2026, 7, 1), None), False),
    ((JULY_2025, datetime.date(2026, 6, 30)), (datetime.date(2026, 6, 30), None), True),  # shares a day
    ((JULY_2025, None), (datetime.date(2030, 1, 1), datetime.date(2030, 12, 31)), True),  # open-ended existing
    ((datetime.date(2027, 1, 1), None), (JULY_2025, None), True),  # open-ended new runs into it
    ((datetime.date(2027, 1, 1), None), (JULY_2025, datetime.date(2026, 12, 31)), False),
    ((JULY_2025, datetime.date(2025, 12, 31)), (datetime.date(2025, 9, 1), datetime.date(2025, 10, 1)), True),
]


@pytest.mark.parametrize(("existing", "new", "overlaps"), OVERLAPS)
def test_approved_periods_never_overlap(existing, new, overlaps, staff, approver, la):
    RateFactory(county=la, status=RateStatus.APPROVED, effective_from=existing[0], effective_to=existing[1])
    rate = RateFactory(
        county=la, status=RateStatus.SUBMITTED, proposed_by=staff, effective_from=new[0], effective_to=new[1]
    )
    if overlaps:
        with pytest.raises(ApplicationError) as refused:
            services.rate_approve(actor=approver, rate=rate)
        assert refused.value.code == "conflict" and refused.value.http_status == 409
        assert "already covers" in refused.value.message
        assert not events(rate, "rate.approve").exists()
        assert Rate.objects.get(pk=rate.pk).status == RateStatus.SUBMITTED
    else:
        services.rate_approve(actor=approver, rate=rate)
        assert Rate.objects.get(pk=rate.pk).status == RateStatus.APPROVED


def test_the_refusal_names_the_overlapping_period(staff, approver, la):
    RateFactory(county=la, status=RateStatus.APPROVED, effective_from=JULY_2025, effective_to=None)
    rate = RateFactory(
        county=la, status=RateStatus.SUBMITTED, proposed_by=staff, effective_from=datetime.date(2026, 1, 1)
    )
    with pytest.raises(ApplicationError) as refused:
        services.rate_approve(actor=approver, rate=rate)
    assert "covers from July 1, 2025 with no end date" in refused.value.message


def test_overlap_is_per_county_system_code_and_kind(staff, approver, la):
    fresno = County.objects.get(name="Fresno")
    RateFactory(county=fresno, status=RateStatus.APPROVED)  # another county
    RateFactory(county=la, status=RateStatus.APPROVED, code="H0025")  # another code
    RateFactory(county=la, status=RateStatus.APPROVED, delivery_system="dmc_ods")  # another system
    RateFactory(county=la, status=RateStatus.REJECTED, decision_comment="No.")  # not approved
    RateFactory(kind=RateKind.INTERIM, county=la, delivery_system="dmc_ods", status=RateStatus.APPROVED)
    rate = RateFactory(county=la, status=RateStatus.SUBMITTED, proposed_by=staff)
    services.rate_approve(actor=approver, rate=rate)


def test_submitting_an_overlapping_rate_is_refused_early(staff, la):
    RateFactory(county=la, status=RateStatus.APPROVED, effective_from=JULY_2025, effective_to=None)
    rate = propose(staff, la, effective_from=datetime.date(2026, 7, 1))
    with pytest.raises(ApplicationError) as refused:
        services.rate_submit(actor=staff, rate=rate)
    assert refused.value.code == "conflict" and "Change this rate's dates" in refused.value.message
    assert Rate.objects.get(pk=rate.pk).status == RateStatus.DRAFT


def test_two_submitted_rates_for_one_period_cannot_both_be_approved(staff, approver, la):
    first = RateFactory(county=la, status=RateStatus.SUBMITTED, proposed_by=staff)
    second = RateFactory(county=la, status=RateStatus.SUBMITTED, proposed_by=staff, amount="45.00")
    services.rate_approve(actor=approver, rate=first)
    with pytest.raises(ApplicationError):
        services.rate_approve(actor=approver, rate=second)


# ---- Interim rates ------------------------------------------------------------------------------


def interim(actor, **kwargs):
    terms = {"county": None, "delivery_system": "dmc", "code": "H0038", "amount": "28.50", "effective_from": JULY_2025}
    terms.update(kwargs)
    return services.interim_rate_propose(actor=actor, **terms)


def test_an_analyst_proposes_and_an_approver_decides_an_interim_rate(analyst, approver):
    rate = interim(analyst)
    assert rate.kind == RateKind.INTERIM and rate.county is None
    services.rate_submit(actor=analyst, rate=rate)
    services.rate_approve(actor=approver, rate=rate)
    assert Rate.objects.get(pk=rate.pk).status == RateStatus.APPROVED
    assert Notification.objects.filter(user=analyst, subject__startswith="Rate approved").exists()


def test_interim_rates_are_dhcs_and_drug_medi_cal_only(analyst, staff):
    with pytest.raises(ApplicationError) as refused:
        interim(staff)
    assert refused.value.code == "forbidden"
    with pytest.raises(ApplicationError) as refused:
        interim(analyst, delivery_system="smhs")
    assert refused.value.field == "delivery_system" and "Drug Medi-Cal only" in refused.value.message
    la = County.objects.get(name="Los Angeles")  # DMC-ODS, not DMC
    with pytest.raises(ApplicationError):
        interim(analyst, county=la, delivery_system="dmc")
    assert interim(analyst, county=la, delivery_system="dmc_ods").county == la


def test_county_staff_cannot_change_an_interim_rate(analyst, staff):
    rate = interim(analyst)
    with pytest.raises(ApplicationError) as refused:
        services.rate_submit(actor=staff, rate=rate)
    assert refused.value.code == "forbidden"


def test_statewide_interim_periods_never_overlap(analyst, approver):
    RateFactory(kind=RateKind.INTERIM, county=None, delivery_system="dmc", status=RateStatus.APPROVED)
    rate = RateFactory(
        kind=RateKind.INTERIM,
        county=None,
        delivery_system="dmc",
        status=RateStatus.SUBMITTED,
        proposed_by=analyst,
        effective_from=datetime.date(2026, 1, 1),
    )
    with pytest.raises(ApplicationError) as refused:
        services.rate_approve(actor=approver, rate=rate)
    assert refused.value.code == "conflict"
    # A county's own interim rate is another key: it may overlap the statewide one.
    alpine = County.objects.get(name="Alpine")
    own = RateFactory(
        kind=RateKind.INTERIM, county=alpine, delivery_system="dmc", status=RateStatus.SUBMITTED, proposed_by=analyst
    )
    services.rate_approve(actor=approver, rate=own)
