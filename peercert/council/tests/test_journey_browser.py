"""In the browser, on a phone: the council's part of issue 18's "Done when". A visitor answers the call for
members, staff seat her, a meeting's agenda and minutes appear on the public page, and the program's
response to a recommendation is published."""

import datetime
import zoneinfo

import pytest
import time_machine
from django.core.cache import cache

from peercert.accounts.demo import DEMO_PASSWORD
from peercert.accounts.roles import Role
from peercert.accounts.tests.factories import user_with_role
from peercert.core import clock
from peercert.council.models import CouncilApplication, CouncilMember, MemberStatus
from peercert.council.tests.factories import CouncilCallFactory


@pytest.fixture(autouse=True)
def _five_past_midnight_pacific():
    """Frozen at 00:05 Pacific, when the UTC date is already the next day: the pages' dates must still agree."""
    with time_machine.travel(
        datetime.datetime(2026, 11, 17, 0, 5, tzinfo=zoneinfo.ZoneInfo("America/Los_Angeles")), tick=True
    ):
        yield


@pytest.mark.django_db(transaction=True)
def test_the_call_is_answered_a_member_seated_and_the_council_published(page, axe_check, sign_in):
    cache.clear()
    CouncilCallFactory(title="Seats for 2027")
    staff = user_with_role(Role.PROGRAM_MANAGER)
    staff.set_password(DEMO_PASSWORD)
    staff.save()
    today = clock.today().isoformat()

    # A visitor, not signed in, finds the council from the footer and answers the call.
    page.goto("/")
    page.get_by_role("link", name="Stakeholder Advisory Council").click()
    axe_check(page, "council page")
    page.get_by_role("link", name="Apply to join the council").click()
    page.get_by_label("Your name").fill("Thảo Nguyễn")
    page.get_by_label("Your email").fill("thao@example.org")
    page.get_by_label("Your county").select_option(label="Orange County")
    page.get_by_label("The language you prefer").select_option("vi")
    page.get_by_label("The community or stakeholder group you would represent").fill(
        "Vietnamese families caring for an adult child"
    )
    page.get_by_label("The population closest to it").select_option("families")
    page.get_by_label("Your lived experience").fill("I cared for my son through years of county services.")
    axe_check(page, "application form")
    page.get_by_role("button", name="Send my application").click()
    assert "Thank you, Thảo Nguyễn" in page.locator("main").inner_text()
    assert CouncilApplication.objects.filter(email="thao@example.org").exists()

    # Program staff see the gap, seat her for a term.
    sign_in(page, staff.email, DEMO_PASSWORD)
    page.goto("/council/staff/")
    axe_check(page, "staff council page")
    page.get_by_role("link", name="Thảo Nguyễn").click()
    page.get_by_label("Seat", exact=True).fill("Family seat 1")
    page.get_by_label("Term starts on").fill(today)
    page.get_by_label("Term ends on").fill(clock.today().replace(year=clock.today().year + 2).isoformat())
    axe_check(page, "application review")
    page.get_by_role("button", name="Seat this member").click()
    assert "The member is seated." in page.locator("main").inner_text()
    assert CouncilMember.objects.get(email="thao@example.org").status == MemberStatus.SEATED

    # A meeting today: planned, announced, its minutes written and published.
    page.goto("/council/staff/meetings/new/")
    page.get_by_label("Title").fill("Winter council meeting")
    page.get_by_label("Meeting date").fill(today)
    page.get_by_label("Start time (Pacific)").fill("10:00")
    page.locator("#id_place").fill("1500 Capitol Avenue, Sacramento")
    page.get_by_label("Agenda").fill("1. Welcome\n2. Language access for the exam")
    page.get_by_role("button", name="Plan the meeting").click()
    page.get_by_role("button", name="Announce: put the date and agenda on the public page").click()
    page.locator("#id_edit-minutes").fill("The council agreed to recommend exams in more languages.")
    page.get_by_role("button", name="Save the meeting").click()
    page.get_by_role("button", name="Publish the minutes").click()
    assert "The minutes are published on the public page." in page.locator("main").inner_text()
    axe_check(page, "meeting management")

    # A recommendation with the program's response, published.
    page.goto("/council/staff/recommendations/new/")
    page.get_by_label("Title").fill("Offer the exam in Vietnamese")
    page.get_by_label("The council's recommendation").fill("Offer the certification exam in Vietnamese.")
    page.get_by_label("Made on").fill(today)
    page.locator("#id_meeting").select_option(label=f"Winter council meeting ({today})")
    page.get_by_role("button", name="Record it").click()
    page.get_by_label("The program's response").fill("The program agrees and will translate the exam next year.")
    page.get_by_role("button", name="Save the response").click()
    page.get_by_role("button", name="Publish the recommendation and the response").click()
    axe_check(page, "recommendation")

    # The public sees it all, signed out.
    page.context.clear_cookies()
    page.goto("/council/")
    main = page.locator("main").inner_text()
    assert "Thảo Nguyễn" in main and "Family seat 1" in main
    assert "The program agrees and will translate the exam next year." in main
    page.get_by_role("link", name="Winter council meeting").click()
    meeting = page.locator("main").inner_text()
    assert "Language access for the exam" in meeting
    assert "The council agreed to recommend exams in more languages." in meeting
    axe_check(page, "public meeting page")

    # At 320 px nothing runs off the side: the council page and the fee schedule.
    page.set_viewport_size({"width": 320, "height": 640})
    for path in ("/council/", "/payments/schedule/"):
        page.goto(path)
        assert page.evaluate("document.documentElement.scrollWidth") <= 320, path
    axe_check(page, "fee schedule")
