"""The overpayments half of issue 15's "done when", in the browser at phone width with axe on every page.

Program staff revoke a peer with an effective date two months back; the employing county's billing staff
see the overpayment at once with its lines, amount and 60-day clock, build the void claims and prepare
the state report; the county's authorized signer signs it; billing records the return; a DHCS analyst
sees it in the statewide list.
"""

import datetime

import pytest
import time_machine

from peercert.accounts.demo import DEMO_PASSWORD
from peercert.accounts.roles import Role
from peercert.accounts.tests.factories import user_with_role
from peercert.billing.models import ClaimFile
from peercert.integrity.models import Overpayment, OverpaymentStatus
from peercert.integrity.tests.factories.overpayments import paid_lines_for, two_county_peer

TODAY = datetime.date(2026, 11, 20)
FIRST = datetime.date(2026, 9, 1)


def _user(role, email, county_name="Los Angeles"):
    user = user_with_role(role, email=email, county_name=county_name)
    user.set_password(DEMO_PASSWORD)
    user.save()
    return user


def _switch(page, sign_in, user):
    page.context.clear_cookies()
    sign_in(page, user.email, DEMO_PASSWORD)


@pytest.mark.django_db(transaction=True)
def test_a_back_dated_revocation_becomes_an_overpayment_reported_signed_and_returned(page, axe_check, sign_in):
    effective = datetime.date(2026, 9, 20)  # two months back
    with time_machine.travel(datetime.datetime(2026, 11, 20, 18, 0, tzinfo=datetime.UTC), tick=True):
        page.set_default_timeout(180_000)  # a busy machine builds and validates each void with pyx12
        world = two_county_peer(FIRST, 60)
        # A claim a week from September 20 on (the revocation's day), so the voids cancel only overpaid claims.
        la_lines = paid_lines_for(world["la"], FIRST, 19) + paid_lines_for(
            world["la"], effective, 41, days_per_claim=7, prefix="WK"
        )
        paid_lines_for(world["fresno"], FIRST, 60)
        reviewer = _user(Role.PROGRAM_REVIEWER, "reviewer.journey@test.peercert.example")
        billing = _user(Role.COUNTY_BILLING, "billing.journey@test.peercert.example")
        signer = _user(Role.COUNTY_AUTHORIZED_SIGNER, "signer.journey@test.peercert.example")
        analyst = _user(Role.DHCS_ANALYST, "analyst.journey@test.peercert.example")
        expected = [line for line in la_lines if line.service_date >= effective]

        # Program staff revoke the peer, effective two months back.
        sign_in(page, reviewer.email, DEMO_PASSWORD)
        page.goto(f"/certification/certifications/{world['certification'].number}/")
        axe_check(page, "certification")
        page.get_by_label("New status").select_option("revoked")
        page.get_by_label("Effective on").fill(effective.isoformat())
        page.get_by_label("Reason").fill("Revoked after a hearing; effective the date of the conduct.")
        page.get_by_role("button", name="Change status").click()
        page.wait_for_load_state()
        axe_check(page, "certification revoked")

        # Billing staff of Los Angeles see it at once on their home page, with its lines, amount and clock.
        _switch(page, sign_in, billing)
        page.goto("/")
        axe_check(page, "billing home")
        op = Overpayment.objects.get(county__name="Los Angeles")
        assert op.lines.count() == len(expected) == 41
        page.get_by_role("link", name=f"Overpayment {op.pk}").first.click()
        page.wait_for_load_state()
        axe_check(page, "overpayment")
        text = page.content()
        assert "60 days left" in text
        assert f"{len(expected)} paid lines, {82.5 * len(expected):.2f} dollars" in text
        assert "certification was not active" in text
        page.get_by_role("button", name="Build the void claims").click()
        page.wait_for_load_state()
        axe_check(page, "voids built")
        assert ClaimFile.objects.filter(frequency="8").count() == 6  # 41 days, a claim a week
        page.get_by_role("link", name="Prepare the report").click()
        page.wait_for_load_state()
        axe_check(page, "prepare the report")
        # USWDS draws its own radio and checkbox over the hidden input: press the input itself.
        page.evaluate("document.querySelector('input[name=reason_category][value=other]').click()")
        page.get_by_label("What happened").fill(
            "The peer's certification was revoked back to September 20 after payment."
        )
        page.get_by_role("button", name="Save and send to the signer").click()
        page.wait_for_load_state()
        with page.expect_download() as download:
            page.get_by_role("link", name="Download the report (PDF)").click()
        assert download.value.suggested_filename == f"overpayment-{op.pk}.pdf"

        # The county's authorized signer signs.
        _switch(page, sign_in, signer)
        page.goto("/")
        axe_check(page, "signer home")
        page.locator(f"a[href='/integrity/overpayments/{op.pk}/sign/']").first.click()
        page.wait_for_load_state()
        axe_check(page, "sign the report")
        page.get_by_label("Your title").fill("Behavioral Health Director")
        page.evaluate("document.querySelector('input[name=attest]').click()")
        page.get_by_role("button", name="Sign", exact=True).click()
        page.wait_for_load_state()
        axe_check(page, "report signed")
        op.refresh_from_db()
        assert op.status == OverpaymentStatus.REPORTED and op.signed_by_id == signer.pk

        # Billing records the return.
        _switch(page, sign_in, billing)
        page.goto(f"/integrity/overpayments/{op.pk}/return/")
        axe_check(page, "record the return")
        page.get_by_label("Date the money was returned").fill(TODAY.isoformat())
        page.get_by_label("Reference (warrant, check or offset number)").fill("Warrant 4471")
        page.locator("main form.usa-form button[type=submit]").last.click()
        page.wait_for_load_state()
        axe_check(page, "returned")
        op.refresh_from_db()
        assert op.status == OverpaymentStatus.RETURNED and op.returned_on == TODAY

        # A DHCS analyst sees it in the statewide list, beside Fresno's.
        _switch(page, sign_in, analyst)
        page.goto("/integrity/overpayments/")
        axe_check(page, "statewide overpayments")
        text = page.content()
        assert f"Overpayment {op.pk}" in text and "Los Angeles" in text and "Fresno" in text
