"""The benefit's "done when", in the browser at phone width with axe on every page.

County staff add a provider, record an employment, hire a certified peer (and are refused for a suspended
one), assign a trained supervisor and propose a rate that a DHCS approver approves; program staff suspend
the peer; within that same request the county's alert is raised and the county's webhook receives one
event whose HMAC-SHA256 signature checks against the webhook's secret.
"""

import datetime
import hashlib
import hmac
import json
import zoneinfo

import pytest
import time_machine
from django.test.utils import override_settings

from peercert.accounts.demo import DEMO_PASSWORD
from peercert.accounts.roles import Role
from peercert.accounts.tests.factories import PersonFactory, user_with_role
from peercert.benefit.models import AlertStatus, Employment, EmploymentStatus, Rate, RateStatus, WorkforceAlert
from peercert.benefit.tests.factories import FederalAuthorityFactory, LocalReceiver, WebhookFactory, county
from peercert.certification.models import CertificationStatusChange
from peercert.certification.tests.factories import CertificationFactory
from peercert.core import clock
from peercert.training.models import Completion, CurriculumKind
from peercert.training.tests.factories import OfferingFactory

NARROW = {"width": 320, "height": 800}


@pytest.fixture(autouse=True)
def _five_past_midnight_pacific():
    """Frozen at 00:05 Pacific, when the UTC date is already the next day: the pages' dates must still agree."""
    with time_machine.travel(
        datetime.datetime(2026, 11, 17, 0, 5, tzinfo=zoneinfo.ZoneInfo("America/Los_Angeles")), tick=True
    ):
        yield


def _user(role, email):
    user = user_with_role(role, email=email)
    user.set_password(DEMO_PASSWORD)
    user.save()
    return user


def _switch(page, sign_in, user):
    page.context.clear_cookies()
    sign_in(page, user.email, DEMO_PASSWORD)


def _fits(page, label):
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= NARROW["width"], f"{label} scrolls sideways at 320 px ({width} px wide)"


def _trained_supervisor(today):
    supervisor = PersonFactory(
        legal_first_name="Teresa", legal_last_name="Villanueva", email="t.villanueva@clinic.example"
    )
    offering = OfferingFactory(
        curriculum_version__curriculum__kind=CurriculumKind.SUPERVISOR,
        starts_on=today - datetime.timedelta(days=30),
        ends_on=today - datetime.timedelta(days=30),
    )
    Completion.objects.create(
        person=supervisor,
        offering=offering,
        completed_on=offering.ends_on,
        hours=1,
        idempotency_key=Completion.key_for(supervisor.pk, offering.pk),
    )
    return supervisor


@pytest.mark.django_db(transaction=True)
def test_county_hires_supervises_and_is_told_at_once_when_the_peer_is_suspended(page, axe_check, sign_in):
    today = clock.today()
    staff = _user(Role.COUNTY_STAFF, "county.journey@test.peercert.example")
    approver = _user(Role.DHCS_APPROVER, "approver.journey@test.peercert.example")
    manager = _user(Role.PROGRAM_MANAGER, "manager.journey@test.peercert.example")
    peer = CertificationFactory(
        number="PSS-000601",
        person=PersonFactory(legal_first_name="Xóchitl", legal_last_name="Domínguez"),
        issued_on=today - datetime.timedelta(days=200),
        expires_on=today + datetime.timedelta(days=500),
    )
    suspended = CertificationFactory(
        number="PSS-000602",
        person=PersonFactory(legal_first_name="María", legal_last_name="López"),
        status="suspended",
        issued_on=today - datetime.timedelta(days=200),
        expires_on=today + datetime.timedelta(days=500),
    )
    CertificationStatusChange.objects.create(
        certification=suspended,
        from_status="active",
        to_status="suspended",
        effective_on=today - datetime.timedelta(days=7),
        reason="Ethics complaint substantiated",
    )
    _trained_supervisor(today)
    FederalAuthorityFactory(number="SPA 22-0026")
    page.set_viewport_size(NARROW)

    with LocalReceiver() as receiver, override_settings(DEBUG=True):  # DEBUG lets the hook be plain http
        hook = WebhookFactory(county=county("Los Angeles"), url=receiver.url("/19"))

        # County staff: a provider, two employments, one hire refused and one recorded, a supervisor.
        sign_in(page, staff.email, DEMO_PASSWORD)
        page.goto("/benefit/providers/")
        page.get_by_role("link", name="Add a provider").click()
        axe_check(page, "add a provider")
        page.get_by_label("Provider name").fill("Clínica del Pueblo")
        page.get_by_label("Kind of provider").select_option("contracted")
        page.get_by_label("Organization NPI").fill("1234567893")
        page.locator("label[for=id_delivery_systems_0]").click()
        page.get_by_label("Street address").fill("2000 E 1st St")
        page.get_by_label("City").fill("Los Angeles")
        page.get_by_label("ZIP code").fill("90033")
        page.get_by_role("button", name="Add provider").click()
        page.wait_for_load_state()
        axe_check(page, "provider")
        _fits(page, "provider")
        for number in ("PSS-000602", "PSS-000601"):
            page.get_by_role("link", name="Record an employment").click()
            axe_check(page, "record an employment")
            page.get_by_label("Certification number").fill(number)
            page.get_by_label("Provider").select_option(label="Clínica del Pueblo")
            page.locator("label[for=id_delivery_systems_0]").click()
            page.get_by_role("button", name="Record employment").click()
            page.wait_for_load_state()
            assert page.get_by_text("Employment recorded.").count() == 1
            page.get_by_role("button", name="Record hire").click()
            page.wait_for_load_state()
            if number == "PSS-000602":
                refusal = page.locator(".usa-error-message").inner_text()
                assert "is suspended since" in refusal, refusal
                axe_check(page, "hire refused")
                page.goto("/benefit/providers/")
                page.get_by_role("link", name="Clínica del Pueblo").click()
        assert page.get_by_text("Formal hire recorded.").count() == 1
        page.get_by_label("Supervisor's email").fill("t.villanueva@clinic.example")
        page.get_by_role("button", name="Assign supervisor").click()
        page.wait_for_load_state()
        assert page.get_by_text("Supervisor assigned.").count() == 1
        axe_check(page, "employment, hired and supervised")
        page.goto("/benefit/supervision/")
        axe_check(page, "supervision")
        assert page.get_by_text("Teresa Villanueva").count() >= 1

        # The county proposes a rate; a DHCS approver approves it.
        page.goto("/benefit/rates/")
        page.get_by_role("link", name="Propose a rate").first.click()
        axe_check(page, "propose a rate")
        page.get_by_label("Delivery system").select_option("smhs")
        page.get_by_label("HCPCS code").select_option("H0038")
        page.get_by_label("Rate per unit, in dollars").fill("41.25")
        page.get_by_label("In force from").fill(datetime.date(2025, 7, 1).isoformat())
        page.get_by_role("button", name="Save draft").click()
        page.wait_for_load_state()
        page.get_by_role("button", name="Submit to DHCS").click()
        page.wait_for_load_state()
        axe_check(page, "rate submitted")
        _switch(page, sign_in, approver)
        page.goto("/benefit/rates/")
        axe_check(page, "rates awaiting decision")
        page.get_by_role("link", name="Decide rate").first.click()
        page.locator("label[for=id_decide-decision_0]").click()
        page.get_by_role("button", name="Record decision").click()
        page.wait_for_load_state()
        assert "Rate approved." in page.content()
        assert Rate.objects.get(code="H0038", county=hook.county).status == RateStatus.APPROVED

        # Program staff suspend the peer; the county's alert and signed event come from that one request.
        _switch(page, sign_in, manager)
        page.goto(f"/certification/certifications/{peer.number}/")
        axe_check(page, "certification (staff)")
        page.get_by_label("New status").select_option("suspended")
        page.get_by_label("Reason").fill("Suspended for 90 days after an ethics complaint")
        page.get_by_role("button", name="Change status").click()
        page.wait_for_load_state()
        assert WorkforceAlert.objects.filter(
            county=hook.county, certification=peer, to_status="suspended", status=AlertStatus.OPEN
        ).exists()
        assert len(receiver.requests) == 1, receiver.requests
        event = receiver.requests[0]
        expected = hmac.new(hook.secret.encode(), event["body"], hashlib.sha256).hexdigest()
        assert event["headers"]["X-PeerCert-Signature"] == f"sha256={expected}"
        payload = json.loads(event["body"])
        assert payload["certification"]["number"] == "PSS-000601"

        # The county sees the alert at once and acknowledges it.
        _switch(page, sign_in, staff)
        page.goto("/")
        assert page.get_by_text("Workforce alerts").count() >= 1
        page.goto("/benefit/alerts/")
        axe_check(page, "alerts")
        _fits(page, "alerts")
        page.get_by_role("link", name="Xóchitl Domínguez").first.click()
        axe_check(page, "alert")
        page.get_by_role("button", name="Acknowledge").click()
        page.wait_for_load_state()
        assert WorkforceAlert.objects.get(certification=peer).status == AlertStatus.ACKNOWLEDGED

    assert Employment.objects.get(person=peer.person).status == EmploymentStatus.HIRED
    assert Employment.objects.get(person=suspended.person).status == EmploymentStatus.RECORDED
