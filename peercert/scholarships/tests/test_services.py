import datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.http import Http404

from peercert.core.errors import ApplicationError
from peercert.core.models import AuditEvent, Notification
from peercert.core.transitions import assert_map_covers
from peercert.finance import services as finance_services
from peercert.finance.models import Scholarship
from peercert.scholarships import selectors, services
from peercert.scholarships.models import (
    APPLICATION_TRANSITIONS,
    AWARD_TRANSITIONS,
    NOMINATION_TRANSITIONS,
    ApplicationStatus,
    AwardStatus,
    NominationStatus,
)
from peercert.scholarships.tests.conftest import TODAY

pytestmark = pytest.mark.django_db


def events(action, obj):
    return AuditEvent.objects.filter(action=action, object_id=str(obj.pk))


def test_the_maps_cover_every_state():
    assert_map_covers(NOMINATION_TRANSITIONS, NominationStatus)
    assert_map_covers(APPLICATION_TRANSITIONS, ApplicationStatus)
    assert_map_covers(AWARD_TRANSITIONS, AwardStatus)


# --- funds ---------------------------------------------------------------------------


def test_a_fund_always_excludes_out_of_state_reciprocity(make_fund):
    fund = make_fund(excluded_pathways=[])
    assert "reciprocity_out_of_state" in fund.excluded_pathways
    assert AuditEvent.objects.filter(action="scholarship_fund.create", object_id=str(fund.pk)).exists()


def test_a_county_fund_needs_its_county_and_a_grant_its_name(make_fund):
    with pytest.raises(ApplicationError) as exc:
        services.fund_create(
            actor=None, name="X", funder_kind="county", budget="10", fee_codes=["fee_exam"], opens_on=TODAY
        )
    assert exc.value.field == "county"
    with pytest.raises(ApplicationError) as exc:
        make_fund(funder_kind="grant")
    assert exc.value.field == "grant_name"


def test_only_a_manager_opens_a_fund(reviewer):
    with pytest.raises(ApplicationError) as exc:
        services.fund_create(
            actor=reviewer, name="X", funder_kind="dhcs", budget="1", fee_codes=["fee_exam"], opens_on=TODAY
        )
    assert exc.value.code == "forbidden"


# --- nominations ---------------------------------------------------------------------


def test_county_staff_nominate_by_email_and_the_nominee_is_told(
    make_fund, la_staff, django_capture_on_commit_callbacks
):
    fund = make_fund(funder_kind="county", nomination_required=True)
    with django_capture_on_commit_callbacks(execute=True):
        nomination = services.nomination_create(actor=la_staff, fund=fund, name="Ana Ruiz", email="Ana@Example.org")
    assert nomination.status == NominationStatus.NOMINATED and nomination.email == "ana@example.org"
    assert nomination.county.name == "Los Angeles"
    assert events("scholarship_nomination.create", nomination).exists()
    assert [m.to for m in mail.outbox] == [["ana@example.org"]]


def test_nominating_an_account_tells_the_person_in_their_language(make_fund, la_staff, peer):
    peer.person.preferred_language = "es"
    peer.person.save()
    fund = make_fund(funder_kind="county", nomination_required=True)
    nomination = services.nomination_create(actor=la_staff, fund=fund, email=peer.email)
    assert nomination.person == peer.person
    note = Notification.objects.get(user=peer)
    assert "nominó" in note.body or "beca" in note.subject.lower()


def test_another_countys_staff_cannot_nominate_for_a_fund_that_is_not_theirs(make_fund, sf_staff):
    fund = make_fund(funder_kind="county", nomination_required=True)
    with pytest.raises(ApplicationError) as exc:
        services.nomination_create(actor=sf_staff, fund=fund, name="X", email="x@example.org")
    assert exc.value.code == "forbidden"
    with pytest.raises(Http404):
        selectors.access_nominating_fund(sf_staff, fund.pk)


def test_a_statewide_fund_that_asks_for_nominations_takes_them_from_any_county(make_fund, sf_staff):
    fund = make_fund(nomination_required=True)
    nomination = services.nomination_create(actor=sf_staff, fund=fund, name="X", email="x@example.org")
    assert nomination.county.name == "San Francisco"


def test_the_same_email_is_not_nominated_twice(make_fund, la_staff):
    fund = make_fund(funder_kind="county", nomination_required=True)
    services.nomination_create(actor=la_staff, fund=fund, name="X", email="x@example.org")
    with pytest.raises(ApplicationError) as exc:
        services.nomination_create(actor=la_staff, fund=fund, name="X", email="X@example.org")
    assert exc.value.code == "duplicate"


def test_a_closed_fund_takes_no_nominations(make_fund, la_staff):
    fund = make_fund(
        funder_kind="county",
        nomination_required=True,
        closes_on=TODAY - datetime.timedelta(days=1),
        opens_on=TODAY - datetime.timedelta(days=20),
    )
    with pytest.raises(ApplicationError) as exc:
        services.nomination_create(actor=la_staff, fund=fund, name="X", email="x@example.org")
    assert exc.value.code == "closed"


def test_a_county_sees_only_its_own_nominations(make_fund, la_staff, sf_staff, manager):
    fund = make_fund(nomination_required=True)
    la = services.nomination_create(actor=la_staff, fund=fund, name="A", email="a@example.org")
    sf = services.nomination_create(actor=sf_staff, fund=fund, name="B", email="b@example.org")
    assert list(selectors.nomination_list(actor=la_staff)) == [la]
    assert list(selectors.nomination_list(actor=sf_staff)) == [sf]
    assert set(selectors.nomination_list(actor=manager)) == {la, sf}
    with pytest.raises(Http404):
        selectors.access_nomination(la_staff, sf.pk)


@pytest.mark.parametrize("target", list(NominationStatus))
def test_every_nomination_move(make_fund, la_staff, peer, apply, target):
    fund = make_fund(funder_kind="county", nomination_required=True)
    nomination = services.nomination_create(actor=la_staff, fund=fund, email=peer.email)
    if target == NominationStatus.APPLIED:
        apply(peer, fund)
        nomination.refresh_from_db()
        assert nomination.status == NominationStatus.APPLIED
        assert events("scholarship_nomination.apply", nomination).exists()
        with pytest.raises(ApplicationError) as exc:
            services.nomination_withdraw(actor=la_staff, nomination=nomination, reason="late")
        assert exc.value.code == "state"
    elif target == NominationStatus.WITHDRAWN:
        services.nomination_withdraw(actor=la_staff, nomination=nomination, reason="Moved away")
        nomination.refresh_from_db()
        assert nomination.status == NominationStatus.WITHDRAWN
        assert events("scholarship_nomination.withdraw", nomination).get().reason == "Moved away"
        with pytest.raises(ApplicationError):
            apply(peer, fund)
        with pytest.raises(ApplicationError) as exc:
            services.nomination_withdraw(actor=la_staff, nomination=nomination, reason="again")
        assert exc.value.code == "state"
    else:
        assert nomination.status == target


def test_another_county_cannot_withdraw_a_nomination(make_fund, la_staff, sf_staff):
    fund = make_fund(nomination_required=True)
    nomination = services.nomination_create(actor=la_staff, fund=fund, name="A", email="a@example.org")
    with pytest.raises(ApplicationError) as exc:
        services.nomination_withdraw(actor=sf_staff, nomination=nomination, reason="no")
    assert exc.value.code == "forbidden"


# --- applications --------------------------------------------------------------------


def test_a_fund_needing_nomination_refuses_someone_not_nominated(make_fund, peer, apply):
    fund = make_fund(nomination_required=True)
    with pytest.raises(ApplicationError) as exc:
        apply(peer, fund)
    assert exc.value.code == "forbidden"


def test_reciprocity_is_refused_on_application_and_award(make_fund, peer, apply, manager):
    fund = make_fund()
    with pytest.raises(ApplicationError) as exc:
        apply(peer, fund, pathway="reciprocity_out_of_state")
    assert exc.value.code == "ineligible" and "reciprocity" in exc.value.message
    # Even an application row that says reciprocity (written around the form) is never awarded.
    application = apply(peer, fund)
    application.pathway = "reciprocity_out_of_state"
    application.save()
    with pytest.raises(ApplicationError) as exc:
        services.application_award(
            actor=manager, application=application, amount="10", fee_codes=["fee_exam"], expires_on=TODAY
        )
    assert exc.value.code == "ineligible"
    assert not Scholarship.objects.exists()


def test_a_fund_excluded_pathway_is_refused(make_fund, peer, apply):
    fund = make_fund(excluded_pathways=["transfer_in_state"])
    with pytest.raises(ApplicationError):
        apply(peer, fund, pathway="transfer_in_state")


def test_an_application_asks_only_for_what_the_fund_pays(make_fund, peer, apply):
    fund = make_fund(fee_codes=["fee_exam"], covers_tuition=False)
    with pytest.raises(ApplicationError) as exc:
        apply(peer, fund, fee_codes=["fee_renewal"])
    assert exc.value.field == "fee_codes"
    with pytest.raises(ApplicationError) as exc:
        apply(peer, fund, wants_tuition=True)
    assert exc.value.field == "wants_tuition"
    with pytest.raises(ApplicationError):
        apply(peer, fund, fee_codes=[])


@pytest.mark.parametrize("target", list(ApplicationStatus))
def test_every_application_move(make_fund, peer, apply, manager, target):
    fund = make_fund()
    application = apply(peer, fund)
    assert events("scholarship_application.submit", application).exists()
    if target == ApplicationStatus.AWARDED:
        award = services.application_award(
            actor=manager, application=application, amount="150.00", fee_codes=["fee_exam"], expires_on=TODAY
        )
        assert award.scholarship.remaining == Decimal("150.00")
        assert events("scholarship_application.award", application).exists()
        assert events("scholarship.award", award.scholarship).exists()
        assert Notification.objects.filter(user=peer).exists()
    elif target == ApplicationStatus.DECLINED:
        services.application_decline(actor=manager, application=application, reason="The fund pays residents only.")
        assert events("scholarship_application.decline", application).get().reason
        assert "residents only" in Notification.objects.get(user=peer).body
    elif target == ApplicationStatus.WITHDRAWN:
        services.application_withdraw(actor=peer, application=application)
        assert events("scholarship_application.withdraw", application).exists()
    application.refresh_from_db()
    assert application.status == target
    if target == ApplicationStatus.SUBMITTED:
        return
    # Every decided state is final: nothing else may happen to it.
    with pytest.raises(ApplicationError) as exc:
        services.application_decline(actor=manager, application=application, reason="again")
    assert exc.value.code == "state"
    with pytest.raises(ApplicationError) as exc:
        services.application_award(
            actor=manager, application=application, amount="1", fee_codes=["fee_exam"], expires_on=TODAY
        )
    assert exc.value.code == "state"
    with pytest.raises(ApplicationError) as exc:
        services.application_withdraw(actor=peer, application=application)
    assert exc.value.code == "state"


def test_nobody_decides_their_own_application(make_fund, apply):
    from peercert.accounts.roles import Role
    from peercert.accounts.tests.factories import user_with_role

    manager_who_is_a_peer = user_with_role(Role.PROGRAM_MANAGER, with_person=True)
    from peercert.accounts.models import RoleAssignment

    RoleAssignment.objects.create(user=manager_who_is_a_peer, role=Role.PEER)
    application = apply(manager_who_is_a_peer, make_fund())
    with pytest.raises(ApplicationError) as exc:
        services.application_award(
            actor=manager_who_is_a_peer, application=application, amount="1", fee_codes=["fee_exam"], expires_on=TODAY
        )
    assert exc.value.code == "own_matter"


def test_a_reviewer_may_not_award(make_fund, peer, apply, reviewer):
    application = apply(peer, make_fund())
    with pytest.raises(ApplicationError) as exc:
        services.application_award(
            actor=reviewer, application=application, amount="1", fee_codes=["fee_exam"], expires_on=TODAY
        )
    assert exc.value.code == "forbidden"


# --- awards and the budget -----------------------------------------------------------


def test_an_award_that_would_overspend_the_fund_is_refused_and_nothing_is_saved(
    make_fund, peer, other_peer, award, apply, manager
):
    fund = make_fund(budget="500.00")
    award(peer, fund, amount="400.00")
    application = apply(other_peer, fund)
    with pytest.raises(ApplicationError) as exc:
        services.application_award(
            actor=manager, application=application, amount="100.01", fee_codes=["fee_exam"], expires_on=TODAY
        )
    assert exc.value.code == "overspend" and "$100.00" in exc.value.message
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED
    assert Scholarship.objects.count() == 1
    services.application_award(
        actor=manager, application=application, amount="100.00", fee_codes=["fee_exam"], expires_on=TODAY
    )
    assert selectors.fund_ledger(fund).remaining == Decimal("0.00")


def test_the_award_pays_the_exam_fee_through_the_invoice_flow(make_fund, peer, award):
    fund = make_fund()
    granted = award(peer, fund, amount="200.00", fee_codes=["fee_exam"])
    invoice = finance_services.invoice_create(
        actor=None, payer=peer.person, fee_code="fee_exam", reference_type="test.exam", reference_id="1"
    )
    finance_services.scholarship_apply(actor=peer, invoice=invoice, scholarship=granted.scholarship)
    invoice.refresh_from_db()
    assert invoice.status == "paid"
    ledger = selectors.fund_ledger(fund)
    assert (ledger.committed, ledger.disbursed, ledger.remaining) == (
        Decimal("50.00"),
        Decimal("150.00"),
        Decimal("800.00"),
    )
    assert ledger.reconciles
    # It does not pay a fee it does not cover.
    other = finance_services.invoice_create(
        actor=None, payer=peer.person, fee_code="fee_application", reference_type="test.app", reference_id="1"
    )
    with pytest.raises(ApplicationError):
        finance_services.scholarship_apply(actor=peer, invoice=other, scholarship=granted.scholarship)


def test_a_tuition_only_award_pays_no_fee(make_fund, peer, award):
    granted = award(peer, make_fund(), amount="100.00", fee_codes=[], covers_tuition=True)
    invoice = finance_services.invoice_create(
        actor=None, payer=peer.person, fee_code="fee_exam", reference_type="test.exam", reference_id="1"
    )
    with pytest.raises(ApplicationError):
        finance_services.scholarship_apply(actor=peer, invoice=invoice, scholarship=granted.scholarship)


# --- disbursement --------------------------------------------------------------------


def test_tuition_is_disbursed_to_the_entity_for_an_enrolled_offering(
    make_fund, peer, award, reviewer, enrolled_offering
):
    fund = make_fund()
    granted = award(peer, fund, amount="600.00")
    offering = enrolled_offering(peer.person, cost="400.00")
    disbursement = services.disbursement_record(
        actor=reviewer, award=granted, offering=offering, amount="400.00", paid_on=TODAY, reference="EFT-1"
    )
    assert disbursement.training_entity_id == offering.training_entity_id
    assert events("scholarship_disbursement.record", disbursement).exists()
    assert events("scholarship.draw", granted.scholarship).exists()
    granted.scholarship.refresh_from_db()
    assert granted.scholarship.remaining == Decimal("200.00")
    ledger = selectors.fund_ledger(fund)
    assert ledger.disbursed == Decimal("400.00") and ledger.reconciles
    # The same cost is never paid twice.
    with pytest.raises(ApplicationError) as exc:
        services.disbursement_record(
            actor=reviewer, award=granted, offering=offering, amount="1.00", paid_on=TODAY, reference="EFT-2"
        )
    assert exc.value.code == "duplicate"


@pytest.mark.parametrize("status", ["waitlisted", "cancelled", None])
def test_a_disbursement_for_an_offering_the_person_did_not_enroll_in_is_refused(
    make_fund, peer, other_peer, award, reviewer, enrolled_offering, status
):
    granted = award(peer, make_fund(), amount="600.00")
    offering = enrolled_offering(peer.person if status else other_peer.person, status=status or "enrolled")
    with pytest.raises(ApplicationError) as exc:
        services.disbursement_record(
            actor=reviewer, award=granted, offering=offering, amount="100.00", paid_on=TODAY, reference="EFT-1"
        )
    assert exc.value.code == "ineligible" and exc.value.field == "offering"
    granted.scholarship.refresh_from_db()
    assert granted.scholarship.remaining == Decimal("600.00")


def test_no_more_than_the_award_holds_or_the_course_costs(make_fund, peer, award, reviewer, enrolled_offering):
    granted = award(peer, make_fund(), amount="100.00")
    offering = enrolled_offering(peer.person, cost="400.00")
    with pytest.raises(ApplicationError) as exc:
        services.disbursement_record(
            actor=reviewer, award=granted, offering=offering, amount="150.00", paid_on=TODAY, reference="x"
        )
    assert exc.value.code == "overspend"
    with pytest.raises(ApplicationError):
        services.disbursement_record(
            actor=reviewer, award=granted, offering=offering, amount="401.00", paid_on=TODAY, reference="x"
        )


def test_an_award_without_tuition_pays_no_tuition(make_fund, peer, award, reviewer, enrolled_offering):
    granted = award(peer, make_fund(covers_tuition=False), amount="100.00")
    with pytest.raises(ApplicationError) as exc:
        services.disbursement_record(
            actor=reviewer,
            award=granted,
            offering=enrolled_offering(peer.person),
            amount="10",
            paid_on=TODAY,
            reference="x",
        )
    assert exc.value.code == "ineligible"


# --- expiry and ending ---------------------------------------------------------------


@pytest.mark.parametrize("target", list(AwardStatus))
def test_every_award_move(make_fund, peer, award, manager, target, enrolled_offering, reviewer):
    fund = make_fund()
    granted = award(peer, fund, amount="300.00", expires_on=TODAY)
    if target == AwardStatus.EXPIRED:
        counts = services.awards_expire_due(TODAY + datetime.timedelta(days=1))
        assert counts == {"expired": 1, "released_cents": 30000}
        assert services.awards_expire_due(TODAY + datetime.timedelta(days=1))["expired"] == 0  # idempotent
        assert events("scholarship_award.expire", granted).exists()
        assert events("scholarship.release", granted.scholarship).exists()
    elif target == AwardStatus.ENDED:
        services.award_end(actor=manager, award=granted, reason="Left the program")
        assert events("scholarship_award.end", granted).get().reason == "Left the program"
    granted.refresh_from_db()
    assert granted.status == target
    ledger = selectors.fund_ledger(fund)
    assert ledger.reconciles
    if target == AwardStatus.ACTIVE:
        assert ledger.committed == Decimal("300.00")
        return
    assert (ledger.committed, ledger.released, ledger.remaining) == (
        Decimal("0"),
        Decimal("300.00"),
        Decimal("1000.00"),
    )
    with pytest.raises(ApplicationError) as exc:
        services.award_end(actor=manager, award=granted, reason="again")
    assert exc.value.code == "state"
    with pytest.raises(ApplicationError):
        services.disbursement_record(
            actor=reviewer,
            award=granted,
            offering=enrolled_offering(peer.person),
            amount="1",
            paid_on=TODAY,
            reference="x",
        )


def test_an_award_not_yet_due_does_not_expire(make_fund, peer, award):
    award(peer, make_fund(), expires_on=TODAY + datetime.timedelta(days=5))
    assert services.awards_expire_due(TODAY)["expired"] == 0


def test_an_expired_award_pays_no_fee_and_is_not_offered(make_fund, peer, award, today):
    import time_machine

    from peercert.finance.selectors import usable_scholarships

    granted = award(peer, make_fund(), amount="200.00", expires_on=TODAY)
    invoice = finance_services.invoice_create(
        actor=None, payer=peer.person, fee_code="fee_exam", reference_type="test.exam", reference_id="1"
    )
    assert usable_scholarships(invoice) == [granted.scholarship]
    with time_machine.travel(datetime.datetime(2026, 6, 3, 17, 0, tzinfo=datetime.UTC), tick=False):
        assert usable_scholarships(invoice) == []
        with pytest.raises(ApplicationError) as exc:
            finance_services.scholarship_apply(actor=peer, invoice=invoice, scholarship=granted.scholarship)
        assert exc.value.code == "state" and "expired" in exc.value.message
