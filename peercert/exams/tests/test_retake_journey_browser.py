"""In the browser, at 390 px and 1280 px: issue 17's "Done when" for the exam. A candidate who did not
pass pays the retake from their page, registers for a 5:00 PM Pacific session, takes the written part
with a break, leaves it open and finds it scored after the deadline. Every time they read is Pacific
(the server's own clock in UTC would have written "2026-12-17 01:00"). axe on each page at both sizes."""

import datetime
import zoneinfo

import pytest
import time_machine

from peercert.accounts.demo import DEMO_PASSWORD
from peercert.accounts.roles import Role
from peercert.accounts.tests.factories import user_with_role
from peercert.exams import services
from peercert.exams.models import Attempt, ExamAuthorization, Registration
from peercert.exams.tests.factories import ItemFactory, candidate, checked_in_attempt, published_form, session
from peercert.finance.models import Invoice

PACIFIC = zoneinfo.ZoneInfo("America/Los_Angeles")
MORNING = datetime.datetime(2026, 12, 16, 0, 5, tzinfo=PACIFIC)  # 08:05 UTC: the UTC date is the 16th too
FIVE_PM = datetime.datetime(2026, 12, 16, 17, 0, tzinfo=PACIFIC)  # 2026-12-17 01:00 UTC
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


@pytest.mark.django_db(transaction=True)
def test_a_candidate_retakes_the_exam_with_a_break_and_finds_it_scored_after_the_deadline(page, axe_check, sign_in):
    def both_sizes(label):
        for size in (PHONE, DESKTOP):
            page.set_viewport_size(size)
            axe_check(page, f"{label} at {size['width']} px")
        page.set_viewport_size(PHONE)

    def main_text():
        return page.locator("main").inner_text()

    with time_machine.travel(MORNING - datetime.timedelta(days=20), tick=True):
        # given: a candidate who sat the exam 20 days ago and did not pass (0 of 3)
        user = candidate()
        user.set_password(DEMO_PASSWORD)
        user.save()
        items = [ItemFactory(content_area="advocacy", key=k) for k in (0, 1, 2)]
        form = published_form(items=items, cut_score=2)
        first = checked_in_attempt(user=user, form=form)
        services.attempt_start(actor=user, attempt=first)
        services.attempt_submit(actor=user, attempt=first)

    with time_machine.travel(MORNING, tick=True):
        proctor = user_with_role(Role.EXAM_ADMINISTRATOR)
        evening = session(form=form, starts_at=FIVE_PM, proctor_user=proctor)

        # the candidate's page says the one next thing: get the retake invoice
        sign_in(page, user.email, DEMO_PASSWORD)
        page.goto("/exams/mine/")
        assert "Next step: take the exam again" in main_text()
        both_sizes("my exam, after a failed attempt")
        page.get_by_test_id("request-retake").click()
        page.wait_for_load_state()
        invoice = Invoice.objects.get(reference_type="exams.retake", reference_id=str(first.pk))
        assert "Your retake invoice is ready" in main_text()
        both_sizes("paying the retake fee")
        page.get_by_label("Card number").fill("4242 4242 4242 4242")
        page.get_by_role("button", name="Pay $150.00").click()
        page.wait_for_load_state()
        invoice.refresh_from_db()
        assert invoice.status == "paid"
        assert ExamAuthorization.objects.get(person=user.person).attempts_left == 1

        # once paid, the next step is a session; the list reads in Pacific time
        page.goto(f"/exams/attempts/{first.pk}/report/")
        assert "Next step: choose a session" in main_text()
        both_sizes("score report with the retake paid")
        page.get_by_test_id("choose-session").click()
        page.wait_for_load_state()
        listing = main_text()
        assert "December 16, 2026, 5:00 PM" in listing and "01:00" not in listing
        both_sizes("session list")
        page.get_by_test_id(f"register-{evening.pk}").click()
        page.wait_for_load_state()
        assert "Your registration is confirmed" in main_text()
        assert "December 16, 2026, 5:00 PM" in page.get_by_test_id("seat-time").inner_text()
        both_sizes("my exam with a seat")
        registration = Registration.objects.get(person=user.person, session=evening)

    with time_machine.travel(FIVE_PM - datetime.timedelta(minutes=10), tick=True):
        # the proctor checks the candidate in at the session
        services.registration_check_in(actor=proctor, registration=registration, photo_id_confirmed=True)

    with time_machine.travel(FIVE_PM + datetime.timedelta(minutes=1), tick=False):  # to the minute
        page.goto("/exams/mine/")
        page.get_by_test_id("take-exam").click()
        page.wait_for_load_state()
        page.get_by_test_id("start-exam").click()
        page.wait_for_load_state()
        attempt = Attempt.objects.get(registration=registration)
        assert "Time ends at 7:31 PM (Pacific time)" in page.get_by_test_id("deadline").inner_text()
        both_sizes("written exam")
        page.locator(f"label[for=q{items[0].pk}-0]").click()  # right
        page.locator(f"#saved-{items[0].pk}").get_by_text("Saved at").wait_for()
        page.get_by_test_id("take-break").click()
        page.wait_for_load_state()
        assert "You are on your break" in main_text()
        assert "7:11 PM" not in main_text()  # the break ends at 5:11 PM, not in UTC or the deadline
        assert "5:11 PM" in page.get_by_test_id("break-until").inner_text()
        both_sizes("on the break")

    with time_machine.travel(FIVE_PM + datetime.timedelta(minutes=5), tick=False):
        page.get_by_test_id("resume-exam").click()
        page.wait_for_load_state()
        # four minutes of break taken: the deadline moved from 7:31 PM to 7:35 PM
        assert "7:35 PM" in page.get_by_test_id("deadline").inner_text()
        assert "You have taken your break." in main_text()
        page.locator(f"label[for=q{items[1].pk}-1]").click()  # right
        page.locator(f"#saved-{items[1].pk}").get_by_text("Saved at").wait_for()
        # ...and the candidate closes the page, leaving the exam open

    with time_machine.travel(FIVE_PM + datetime.timedelta(hours=3), tick=True):
        page.goto("/exams/mine/")
        mine = main_text()
        assert "handed in when time ran out" in mine and "December 16, 2026, 5:00 PM" in mine
        both_sizes("my exam after the deadline")
        page.get_by_role("link", name="Score report").first.click()
        page.wait_for_load_state()
        report = main_text()
        assert "Passed" in report
        assert "Time ran out at December 16, 2026, 7:35 PM (Pacific time)" in report
        both_sizes("score report after the deadline")
    attempt.refresh_from_db()
    assert attempt.auto_submitted and attempt.status == "scored" and attempt.written_raw == 2
    assert attempt.break_ended_at - attempt.break_started_at == datetime.timedelta(minutes=4)
