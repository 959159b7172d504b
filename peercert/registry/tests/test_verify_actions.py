"""Issue 17, point 6: numbers as people type them, a revocation shown as a public action with its date and
summary, the registry_update_hours rule on the page, and no sideways scroll at 320 px."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from peercert.accounts.roles import Role
from peercert.accounts.tests.factories import PersonFactory, user_with_role
from peercert.certification import services
from peercert.certification.tests.factories import CertificationFactory

NIGHT = datetime.datetime(2026, 3, 3, 8, 5, tzinfo=datetime.UTC)  # 00:05 Pacific, 3 March


@pytest.fixture
def frozen():
    with time_machine.travel(NIGHT, tick=False):
        yield


@pytest.mark.django_db
@pytest.mark.parametrize("typed", ["193", "pss000193", "PSS 193", "pss-000193"])
def test_typed_numbers_find_the_record(client, frozen, typed):
    CertificationFactory(number="PSS-000193", person=PersonFactory(legal_first_name="Ana", legal_last_name="Díaz"))
    found = client.get(reverse("registry:search"), {"number": typed})
    assert "PSS-000193" in found.content.decode()
    page = client.get(reverse("registry:verify", args=[typed]))
    assert page.status_code == 302 and page["Location"] == reverse("registry:verify", args=["PSS-000193"])


@pytest.mark.django_db
def test_a_revoked_record_shows_the_revocation_with_its_date_and_summary(client, frozen):
    cert = CertificationFactory(number="PSS-000194")
    manager = user_with_role(Role.PROGRAM_MANAGER)
    services.certification_change_status(
        actor=manager, certification=cert, to_status="revoked", reason="Internal note", source="staff"
    )
    body = client.get(reverse("registry:verify", args=["PSS-000194"])).content.decode()
    actions = body.split('data-testid="public-actions"')[1].split("</dd>")[0]
    assert "Revoked" in actions and "March 3, 2026" in actions
    assert "The certifying program revoked this certification." in actions
    assert "None" not in actions and "Internal note" not in actions
    assert "within 72 hours" in body


@pytest.mark.django_db
def test_an_active_record_has_no_public_action(client, frozen):
    CertificationFactory(number="PSS-000195")
    body = client.get(reverse("registry:verify", args=["PSS-000195"])).content.decode()
    assert body.split('data-testid="public-actions"')[1].split("</dd>")[0].endswith(">None")


@pytest.mark.django_db(transaction=True)
def test_results_page_does_not_scroll_sideways_at_320_px(page, axe_check):
    for n in range(3):
        CertificationFactory(
            number=f"PSS-0003{n:02d}",
            person=PersonFactory(legal_first_name="Maximiliano Bartolomé", legal_last_name=f"Villaseñor-Hernández {n}"),
        )
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto("/registry/?name=villase")
    page.wait_for_load_state()
    assert page.get_by_test_id("registry-results").is_visible()
    widths = page.evaluate("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert widths[0] <= widths[1], f"the page is {widths[0]} px wide in a {widths[1]} px window"
    axe_check(page, "registry results at 320 px")
