"""Billing's "done when", in the browser at phone width with axe on every page.

County billing staff import an eligibility file and the county EHR's 837P, see which lines are held and
why, get a hire date and an eligibility month fixed, check the batch again, download a clean 837P that
pyx12 accepts, then import the state's 835 and see the denial on the worklist.
"""

import datetime

import pytest
import time_machine

from peercert.accounts.demo import DEMO_PASSWORD
from peercert.accounts.roles import Role
from peercert.accounts.tests.factories import user_with_role
from peercert.billing.demo.gate import ehr_837p
from peercert.billing.models import ClaimFile, LineStatus, ServiceBatch
from peercert.billing.tests.factories import BeneficiaryFactory, billable_world
from peercert.billing.x12_835_in import answer_837p
from peercert.billing.x12_837_out import validate

DAY = datetime.date(2026, 10, 14)


def _user(role, email):
    user = user_with_role(role, email=email)
    user.set_password(DEMO_PASSWORD)
    user.save()
    return user


def _switch(page, sign_in, user):
    page.context.clear_cookies()
    sign_in(page, user.email, DEMO_PASSWORD)


@pytest.mark.django_db(transaction=True)
def test_billing_staff_take_an_ehr_file_through_the_gate_to_a_clean_837p_and_the_835(
    page, axe_check, sign_in, tmp_path
):
    with time_machine.travel(datetime.datetime(2026, 11, 16, 18, 0, tzinfo=datetime.UTC), tick=True):
        world = billable_world(day=DAY)
        employment = world["employment"]
        employment.hired_on = DAY + datetime.timedelta(days=6)  # entered wrongly: after the service
        employment.save(update_fields=["hired_on"])
        second = BeneficiaryFactory(county=world["county"])  # no October eligibility on file yet
        billing = _user(Role.COUNTY_BILLING, "billing.journey@test.peercert.example")
        staff = _user(Role.COUNTY_STAFF, "county.journey@test.peercert.example")
        npi = employment.individual_npi

        # The county's monthly eligibility file says the second beneficiary was not eligible in October.
        eligibility = tmp_path / "eligibility-2026-10.csv"
        eligibility.write_text(f"cin,month,eligible,aid_code\n{second.cin},2026-10,N,\n", encoding="utf-8")
        sign_in(page, billing.email, DEMO_PASSWORD)
        page.goto("/billing/eligibility/")
        axe_check(page, "eligibility")
        page.locator("input[type=file]").first.set_input_files(str(eligibility))
        page.get_by_role("button", name="Import", exact=True).click()
        page.wait_for_load_state()
        axe_check(page, "eligibility imported")

        # The EHR's 837P: one line for each beneficiary on the day.
        claims = [
            {"id": "EHR-1", "cin": world["beneficiary"].cin, "npi": npi, "lines": [
                {"code": "H0038", "minutes": 60, "charge": "165.00", "date": DAY, "ref": "A1"}]},
            {"id": "EHR-2", "cin": second.cin, "npi": npi, "lines": [
                {"code": "H0038", "minutes": 30, "charge": "82.50", "date": DAY, "ref": "B1"}]},
        ]  # fmt: skip
        ehr = tmp_path / "smartcare-837p.x12"
        ehr.write_bytes(ehr_837p(billing_npi=world["provider"].npi, claims=claims))
        page.goto("/billing/batches/")
        axe_check(page, "service batches")
        page.locator("input[type=file]").first.set_input_files(str(ehr))
        page.get_by_role("button", name="Import and check").click()
        page.wait_for_load_state()
        axe_check(page, "batch checked")
        batch = ServiceBatch.objects.get()
        assert batch.lines.filter(status=LineStatus.HELD).count() == 2
        text = page.content()
        assert "not_hired" in str(batch.counts) and "not_eligible" in str(batch.counts), batch.counts
        assert "Held" in text

        # County staff correct the hire date; billing corrects the eligibility month by hand.
        _switch(page, sign_in, staff)
        page.goto(f"/benefit/employments/{employment.pk}/")
        page.locator("summary", has_text="Correct it").click()
        page.get_by_label("Correct formal hire date").fill("2026-10-01")
        page.get_by_label("Why the date changes").fill("The hire was entered as the orientation day")
        page.get_by_role("button", name="Correct the hire date").click()
        page.wait_for_load_state()
        assert page.get_by_text("Hire date corrected.").count() == 1
        axe_check(page, "hire date corrected")
        _switch(page, sign_in, billing)
        month = second.eligibility.get(superseded_at__isnull=True)
        page.goto(f"/billing/eligibility/{month.pk}/correct/")
        axe_check(page, "correct an eligibility month")
        page.evaluate("document.querySelector('input[name=eligible][value=yes]').click()")
        page.get_by_label("Aid code").fill("1H")
        page.get_by_label("Reference").fill("MEDS inquiry 2026-11-16 #4471")
        page.get_by_label("Why it is corrected").fill("The county file had the wrong aid status")
        page.locator("form.usa-form button[type=submit]").last.click()
        page.wait_for_load_state()

        # Check again: both lines pass; build the 837P (pyx12 accepts it) and download it.
        page.goto(f"/billing/batches/{batch.pk}/")
        page.get_by_role("button", name="Check the batch again").click()
        page.wait_for_load_state()
        assert batch.lines.filter(status=LineStatus.BILLABLE).count() == 2
        page.get_by_test_id("batch-claims").click()
        axe_check(page, "claims for the batch")
        page.get_by_role("button", name="Build and validate the 837P").click()
        page.wait_for_load_state()
        claim_file = ClaimFile.objects.get(batch=batch)
        result = validate(claim_file.content)
        assert result.ok, result.messages
        with page.expect_download() as download:
            page.get_by_role("link", name="Download").first.click()
        assert download.value.suggested_filename.endswith(".x12")
        page.get_by_role("button", name="Mark as sent to the state").click()
        page.wait_for_load_state()

        # The state's 835 pays one line and denies the other.
        remit = tmp_path / "state-835.x12"
        first_line = batch.lines.order_by("pk").first()
        remit.write_text(
            answer_837p(claim_file.content, icn=77, now=datetime.datetime(2026, 11, 16, 10, 0), deny={first_line.pk}),
            encoding="ascii",
        )
        page.goto("/billing/remittances/upload/")
        axe_check(page, "upload an 835")
        page.locator("input[type=file]").first.set_input_files(str(remit))
        page.get_by_role("button", name="Import and post").click()
        page.wait_for_load_state()
        axe_check(page, "remittance posted")
        page.goto("/billing/denials/")
        axe_check(page, "denials")
        assert page.locator("table tbody tr").count() == 1
