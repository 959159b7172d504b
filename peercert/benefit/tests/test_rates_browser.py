"""The rates pages in a real browser: a county proposes, DHCS approves; axe on every page, 320 px wide,
and no Content-Security-Policy violation (the page fixture fails on one)."""

import datetime
import zoneinfo

import pytest
import time_machine

from peercert.accounts.models import County
from peercert.accounts.roles import Role
from peercert.accounts.tests.factories import user_with_role
from peercert.benefit.tests.factories import FederalAuthorityFactory

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "rates-browser-pass-2026"


@pytest.fixture(autouse=True)
def _five_past_midnight_pacific():
    """Frozen at 00:05 Pacific, when the UTC date is already the next day: the pages' dates must still agree."""
    with time_machine.travel(
        datetime.datetime(2026, 11, 17, 0, 5, tzinfo=zoneinfo.ZoneInfo("America/Los_Angeles")), tick=True
    ):
        yield


def _user(role, **kwargs):
    user = user_with_role(role, **kwargs)
    user.set_password(PASSWORD)
    user.save()
    return user


def _fits_320(page, label):
    page.set_viewport_size({"width": 320, "height": 800})
    wide = page.evaluate("document.scrollingElement.scrollWidth")
    assert wide <= 320, f"{label} is {wide} px wide at 320 px"


def test_a_county_proposes_and_dhcs_approves(page, axe_check, sign_in):
    staff = _user(Role.COUNTY_STAFF)
    approver = _user(Role.DHCS_APPROVER)
    FederalAuthorityFactory(number="SPA 22-0026")
    assert County.objects.get(name="Los Angeles").opts_in_smhs
    sign_in(page, staff.email, PASSWORD)
    page.goto("/benefit/rates/")
    axe_check(page, "county rates")
    page.get_by_role("link", name="Propose a rate").first.click()
    axe_check(page, "propose a rate")
    page.get_by_label("Delivery system").select_option("smhs")
    page.get_by_label("HCPCS code").select_option("H0038")
    page.get_by_label("Rate per unit, in dollars").fill("41.25")
    page.get_by_label("In force from").fill(datetime.date(2025, 7, 1).isoformat())
    page.get_by_role("button", name="Save draft").click()
    page.wait_for_load_state()
    assert "Rate saved as a draft" in page.content()
    axe_check(page, "rate detail (draft)")
    _fits_320(page, "rate detail")
    page.get_by_role("button", name="Submit to DHCS").click()
    page.wait_for_load_state()
    assert "Awaiting DHCS decision" in page.content()
    page.goto("/benefit/codes/")
    axe_check(page, "codes")
    _fits_320(page, "codes")
    page.goto("/benefit/federal-authorities/")
    axe_check(page, "federal authorities")
    page.context.clear_cookies()  # signed out; the approver signs in next

    sign_in(page, approver.email, PASSWORD)
    page.goto("/benefit/rates/")
    axe_check(page, "rates awaiting decision")
    _fits_320(page, "rates awaiting decision")
    page.get_by_role("link", name="Decide rate").first.click()
    axe_check(page, "rate detail (to decide)")
    page.locator("label[for=id_decide-decision_0]").click()  # USWDS draws the radio on its label
    page.get_by_role("button", name="Record decision").click()
    page.wait_for_load_state()
    assert "Rate approved." in page.content()
    axe_check(page, "rate detail (approved)")
    page.goto("/benefit/interim-rates/propose/")
    axe_check(page, "propose an interim rate")
    page.goto("/benefit/federal-authorities/record/")
    axe_check(page, "record a federal authority")
    _fits_320(page, "record a federal authority")
