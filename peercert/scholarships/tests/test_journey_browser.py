"""In the browser, on a phone: a county nominates two people to its fund; one applies and is awarded
the exam fee and training tuition; she pays her exam fee with the scholarship, the entity's tuition is
disbursed, and the fund's remaining budget is right to the cent."""

import datetime
import zoneinfo
from decimal import Decimal

import pytest
import time_machine

from peercert.accounts.demo import DEMO_PASSWORD
from peercert.accounts.roles import Role
from peercert.accounts.tests.factories import county, user_with_role
from peercert.core import clock
from peercert.finance import services as finance_services
from peercert.finance.models import Invoice
from peercert.scholarships import services
from peercert.scholarships.models import Application, Award, Nomination


@pytest.fixture(autouse=True)
def _five_past_midnight_pacific():
    """Frozen at 00:05 Pacific, when the UTC date is already the next day: the pages' dates must still agree."""
    with time_machine.travel(
        datetime.datetime(2026, 11, 17, 0, 5, tzinfo=zoneinfo.ZoneInfo("America/Los_Angeles")), tick=True
    ):
        yield


def _switch(page, sign_in, user):
    page.context.clear_cookies()
    sign_in(page, user.email, DEMO_PASSWORD)


@pytest.mark.django_db(transaction=True)
def test_county_nominates_she_applies_is_awarded_pays_and_tuition_is_disbursed(page, axe_check, sign_in):
    from peercert.training.tests.factories import ApprovedProviderFactory, EnrollmentFactory, OfferingFactory

    today = clock.today()
    staff = user_with_role(Role.COUNTY_STAFF, county_name="Los Angeles")
    manager = user_with_role(Role.PROGRAM_MANAGER)
    reviewer = user_with_role(Role.PROGRAM_REVIEWER)
    maria = user_with_role(Role.PEER, email="maria.lopez@example.org")
    for user in (staff, manager, reviewer, maria):
        user.set_password(DEMO_PASSWORD)
        user.save()
    fund = services.fund_create(
        actor=None,
        name="LA Peer Scholarship",
        funder_kind="county",
        county=county("Los Angeles"),
        budget=Decimal("10000.00"),
        fee_codes=["fee_application", "fee_exam"],
        covers_tuition=True,
        nomination_required=True,
        opens_on=today - datetime.timedelta(days=5),
    )
    approval = ApprovedProviderFactory(
        approved_from=today - datetime.timedelta(days=365), approved_until=today + datetime.timedelta(days=365)
    )
    offering = OfferingFactory(
        training_entity=approval.training_entity, title="Core peer training", cost=Decimal("412.37")
    )
    EnrollmentFactory(offering=offering, person=maria.person)
    exam_fee = finance_services.invoice_create(
        actor=None, payer=maria.person, fee_code="fee_exam", reference_type="journey.exam", reference_id="1"
    )

    # The county nominates two people: one by an existing account's email, one by name and email.
    sign_in(page, staff.email, DEMO_PASSWORD)
    page.goto("/scholarships/funds/")
    page.get_by_role("link", name="LA Peer Scholarship").click()
    axe_check(page, "fund page (county)")
    page.get_by_role("link", name="Nominate someone").click()
    page.get_by_label("Email").fill("maria.lopez@example.org")
    axe_check(page, "nominate")
    with page.expect_navigation():
        page.get_by_role("button", name="Nominate", exact=True).click()
    page.goto(f"/scholarships/funds/{fund.pk}/nominate/")
    page.get_by_label("Email").fill("jo.kim@example.org")
    page.locator("#id_name").fill("Jo Kim")
    with page.expect_navigation():
        page.get_by_role("button", name="Nominate", exact=True).click()
    assert "Jo Kim" in page.content()
    assert Nomination.objects.filter(fund=fund).count() == 2

    # María applies: exam fee and training tuition.
    _switch(page, sign_in, maria)
    page.goto("/scholarships/")
    axe_check(page, "my scholarships")
    page.get_by_role("link", name="Apply to the LA Peer Scholarship").click()
    page.get_by_label("Your financial need").fill("I work part time and support my family.")
    page.locator("label", has_text="Exam fee").click()
    page.locator("label", has_text="Training tuition").click()
    axe_check(page, "apply")
    with page.expect_navigation():
        page.get_by_role("button", name="Send my application").click()
    application = Application.objects.get(person=maria.person)

    # The program manager awards her the exam fee and the tuition.
    _switch(page, sign_in, manager)
    page.goto("/scholarships/applications/")
    page.get_by_role("link", name=str(maria.person)).click()
    page.get_by_label("Amount in dollars").fill("600.00")
    page.get_by_label("Pays until").fill(str(today + datetime.timedelta(days=120)))
    axe_check(page, "award")
    with page.expect_navigation():
        page.get_by_role("button", name="Award", exact=True).click()
    award = Award.objects.get(application=application)
    assert award.fee_codes == ["fee_exam"] and award.covers_tuition

    # She pays her exam fee with the scholarship from the pay page.
    _switch(page, sign_in, maria)
    page.goto(f"/payments/invoices/{exam_fee.pk}/pay/")
    axe_check(page, "pay with your scholarship")
    with page.expect_navigation():
        page.get_by_role("button", name="Apply scholarship").click()
    exam_fee.refresh_from_db()
    assert exam_fee.status == "paid"

    # Program staff pay the entity's tuition from the award.
    _switch(page, sign_in, reviewer)
    page.goto(f"/scholarships/awards/{award.pk}/")
    page.get_by_label("Amount in dollars").fill("412.37")
    page.get_by_label("Payment reference (check or transfer number)").fill("EFT-20261201")
    axe_check(page, "disburse")
    with page.expect_navigation():
        page.get_by_role("button", name="Record tuition payment").click()
    assert (
        page.get_by_test_id("award-left").text_content()
        == f"${Decimal('600.00') - exam_fee.amount - Decimal('412.37')}"
    )

    # The fund's remaining budget is right to the cent.
    _switch(page, sign_in, manager)
    page.goto(f"/scholarships/funds/{fund.pk}/")
    assert page.get_by_test_id("fund-remaining").text_content() == "$9400.00"
    assert "reconciles to the cent" in page.content()
    assert Invoice.objects.get(pk=exam_fee.pk).amount_paid == exam_fee.amount
