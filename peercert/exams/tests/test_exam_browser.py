"""In the browser: a candidate with an approved accommodation takes the written part with the extra time."""

import pytest

from peercert.accounts.demo import DEMO_PASSWORD
from peercert.exams.models import Answer
from peercert.exams.tests.factories import (
    ItemFactory,
    approved_accommodation,
    candidate,
    checked_in_attempt,
    published_form,
)


@pytest.mark.django_db(transaction=True)
def test_candidate_with_extra_time_takes_the_written_part(page, axe_check, sign_in):
    # given: a checked-in candidate whose accommodation gives time x 1.5, on a three-question form
    user = candidate()
    user.set_password(DEMO_PASSWORD)
    user.save()
    approved_accommodation(user.person, "1.50")
    items = [
        ItemFactory(content_area="advocacy", key=0),
        ItemFactory(content_area="crisis_management", key=1),
        ItemFactory(content_area="resource_linkage", key=2),
    ]
    attempt = checked_in_attempt(user=user, form=published_form(items=items, cut_score=2), multiplier="1.50")

    sign_in(page, user.email, DEMO_PASSWORD)
    page.goto("/exams/mine/")
    page.get_by_test_id("take-exam").click()
    assert "225 minutes" in page.content()  # 150 minutes x 1.5, before starting
    page.get_by_test_id("start-exam").click()
    page.wait_for_load_state()

    # then: the timer shows the extra time
    timer = page.locator("#exam-timer")
    assert timer.is_visible()
    assert "extra time × 1.50" in page.locator("#timer-box").inner_text()
    assert "225 minutes" in page.locator("#timer-box").inner_text()
    axe_check(page, "written exam")

    # each answer is saved as it is chosen (two right, one wrong)
    for item, choice in ((items[0], 0), (items[1], 1), (items[2], 0)):
        page.locator(f"label[for=q{item.pk}-{choice}]").click()  # USWDS hides the input behind its label
        page.locator(f"#saved-{item.pk}").get_by_text("Saved at").wait_for()
    assert dict(Answer.objects.filter(attempt=attempt).values_list("item_id", "choice")) == {
        items[0].pk: 0,
        items[1].pk: 1,
        items[2].pk: 0,
    }

    # a reload (as after a lost connection) shows the saved answers
    page.reload()
    assert page.locator(f"#q{items[1].pk}-1").is_checked()

    page.get_by_test_id("submit-exam").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name="Score report").is_visible()
    assert "Passed" in page.content()
    axe_check(page, "score report")
    attempt.refresh_from_db()
    assert (attempt.status, attempt.written_raw, attempt.result) == ("scored", 2, "passed")
    assert (attempt.deadline_at - attempt.started_at).total_seconds() == 225 * 60
