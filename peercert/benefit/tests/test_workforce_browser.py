"""County staff in the browser at 320 px: add a provider, record two peers, hire the certified one (the
suspended one is refused, saying since when), assign a supervisor; axe on every page, no sideways scroll."""

import datetime
import zoneinfo

import pytest
import time_machine

from peercert.accounts.demo import DEMO_PASSWORD
from peercert.accounts.roles import Role
from peercert.accounts.tests.factories import PersonFactory, user_with_role
from peercert.benefit.models import Employment, EmploymentStatus, SupervisorAssignment
from peercert.certification.models import CertificationStatusChange
from peercert.certification.tests.factories import CertificationFactory
from peercert.core import clock

NARROW = {"width": 320, "height": 800}


@pytest.fixture(autouse=True)
def _five_past_midnight_pacific():
    """Frozen at 00:05 Pacific, when the UTC date is already the next day: the pages' dates must still agree."""
    with time_machine.travel(
        datetime.datetime(2026, 11, 17, 0, 5, tzinfo=zoneinfo.ZoneInfo("America/Los_Angeles")), tick=True
    ):
        yield


def _fits(page, label):
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= NARROW["width"], f"{label} scrolls sideways at 320 px ({width} px wide)"


@pytest.mark.django_db(transaction=True)
def test_county_staff_hire_and_supervise_in_the_browser(page, axe_check, sign_in):
    today = clock.today()
    staff = user_with_role(Role.COUNTY_STAFF, county_name="Los Angeles", email="county.la@test.peercert.example")
    staff.set_password(DEMO_PASSWORD)
    staff.save()
    good = CertificationFactory(
        number="PSS-000501",
        person=PersonFactory(legal_first_name="Xóchitl", legal_last_name="Domínguez"),
        issued_on=today - datetime.timedelta(days=200),
        expires_on=today + datetime.timedelta(days=500),
    )
    bad = CertificationFactory(
        number="PSS-000502",
        person=PersonFactory(legal_first_name="María", legal_last_name="López"),
        status="suspended",
        issued_on=today - datetime.timedelta(days=200),
        expires_on=today + datetime.timedelta(days=500),
    )
    suspended_on = today - datetime.timedelta(days=7)
    CertificationStatusChange.objects.create(
        certification=bad, from_status="active", to_status="suspended", effective_on=suspended_on, reason="x"
    )
    PersonFactory(legal_first_name="Teresa", legal_last_name="Villanueva", email="t.villanueva@clinic.example")

    page.set_viewport_size(NARROW)
    sign_in(page, staff.email, DEMO_PASSWORD)
    page.goto("/benefit/providers/")
    axe_check(page, "providers")
    _fits(page, "providers")
    page.get_by_role("link", name="Add a provider").click()
    axe_check(page, "add a provider")
    _fits(page, "add a provider")
    page.get_by_label("Provider name").fill("Clínica del Pueblo")
    page.get_by_label("Kind of provider").select_option("contracted")
    page.get_by_label("Organization NPI").fill("1234567893")
    page.locator("label[for=id_delivery_systems_0]").click()
    page.get_by_label("Street address").fill("2000 E 1st St")
    page.get_by_label("City").fill("Los Angeles")
    page.get_by_label("ZIP code").fill("90033")
    page.get_by_role("button", name="Add provider").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name="Clínica del Pueblo").count() == 1
    axe_check(page, "provider")
    _fits(page, "provider")

    for number in ("PSS-000501", "PSS-000502"):
        page.get_by_role("link", name="Record an employment").click()
        page.get_by_label("Certification number").fill(number)
        page.get_by_label("Provider").select_option(label="Clínica del Pueblo")
        page.locator("label[for=id_delivery_systems_0]").click()
        page.get_by_role("button", name="Record employment").click()
        page.wait_for_load_state()
        assert page.get_by_text("Employment recorded.").count() == 1
        if number == "PSS-000502":
            axe_check(page, "employment detail")
            _fits(page, "employment detail")
            page.get_by_role("button", name="Record hire").click()
            page.wait_for_load_state()
            refusal = page.locator(".usa-error-message").inner_text()
            assert "is suspended since" in refusal and "so they cannot be hired" in refusal
            axe_check(page, "hire refused")
        page.goto("/benefit/providers/")
        page.get_by_role("link", name="Clínica del Pueblo").click()

    page.goto("/benefit/employments/?q=PSS-000501")
    axe_check(page, "employments")
    _fits(page, "employments")
    page.get_by_role("link", name="Xóchitl Domínguez").click()
    page.get_by_role("button", name="Record hire").click()
    page.wait_for_load_state()
    assert page.get_by_text("Formal hire recorded.").count() == 1
    page.get_by_label("Supervisor's email").fill("t.villanueva@clinic.example")
    page.get_by_role("button", name="Assign supervisor").click()
    page.wait_for_load_state()
    assert page.get_by_text("Supervisor assigned.").count() == 1
    page.goto("/benefit/supervision/")
    axe_check(page, "supervision")
    _fits(page, "supervision")
    assert page.get_by_text("Teresa Villanueva").count() >= 1

    hired = Employment.objects.get(person=good.person)
    assert hired.status == EmploymentStatus.HIRED and hired.hire_certification_number == "PSS-000501"
    assert Employment.objects.get(person=bad.person).status == EmploymentStatus.RECORDED
    assert SupervisorAssignment.objects.get(employment=hired).supervisor.email == "t.villanueva@clinic.example"


@pytest.mark.django_db(transaction=True)
def test_dhcs_reads_the_statewide_view_and_sets_the_ceiling(page, axe_check, sign_in):
    from peercert.benefit.tests.factories import EmploymentFactory, ProviderFactory, county

    EmploymentFactory.create_batch(2, provider=ProviderFactory())
    EmploymentFactory(provider=ProviderFactory(county=county("Fresno"), city="Fresno"))
    approver = user_with_role(Role.DHCS_APPROVER, email="approver.browser@test.peercert.example")
    approver.set_password(DEMO_PASSWORD)
    approver.save()
    page.set_viewport_size(NARROW)
    sign_in(page, approver.email, DEMO_PASSWORD)
    page.goto("/benefit/workforce/")
    axe_check(page, "workforce by county")
    _fits(page, "workforce by county")
    assert page.get_by_role("link", name="Fresno").count() == 1
    page.get_by_role("link", name="Statewide supervision ceiling").first.click()
    axe_check(page, "ceiling")
    page.get_by_label("Most peers one supervisor may supervise, statewide").fill("14")
    page.get_by_label("Why").fill("Federal guidance on supervision (assumed)")
    page.get_by_role("button", name="Save ceiling").click()
    page.wait_for_load_state()
    assert page.get_by_text("Statewide ceiling saved.").count() == 1
    _fits(page, "ceiling")
    page.goto("/benefit/supervision/?county=" + str(county("Fresno").pk))
    axe_check(page, "supervision, Fresno")
    _fits(page, "supervision, Fresno")
