"""The issue's last "done when" sentence in the browser, at phone width with axe on every page: DHCS opens
a review of Los Angeles, records a finding, the county answers the corrective action plan with an
evidence file, DHCS closes it."""

import datetime

import pytest
import time_machine

from peercert.accounts.demo import DEMO_PASSWORD
from peercert.accounts.roles import Role
from peercert.accounts.tests.factories import user_with_role
from peercert.benefit.tests.factories import EmploymentFactory
from peercert.core import samples
from peercert.integrity.models.reviews import CorrectiveActionStatus, Review, ReviewStatus


def _user(role, email):
    user = user_with_role(role, email=email)
    user.set_password(DEMO_PASSWORD)
    user.save()
    return user


def _switch(page, sign_in, user):
    page.context.clear_cookies()
    sign_in(page, user.email, DEMO_PASSWORD)


@pytest.mark.django_db(transaction=True)
def test_dhcs_reviews_los_angeles_and_the_county_answers_the_plan(page, axe_check, sign_in, tmp_path):
    # 00:05 in Los Angeles on 1 December 2026 (UTC already 08:05).
    with time_machine.travel(datetime.datetime(2026, 12, 1, 8, 5, tzinfo=datetime.UTC), tick=True):
        EmploymentFactory.create_batch(2, start_on=datetime.date(2025, 6, 1))
        analyst = _user(Role.DHCS_ANALYST, "analyst.journey@test.peercert.example")
        staff = _user(Role.COUNTY_STAFF, "county.journey@test.peercert.example")

        sign_in(page, analyst.email, DEMO_PASSWORD)
        page.goto("/integrity/monitoring/")
        axe_check(page, "monitoring reviews")
        page.get_by_role("link", name="Open a review").click()
        page.wait_for_load_state()
        axe_check(page, "open a review")
        page.select_option("#id_party", "county")
        page.select_option("#id_county", label="Los Angeles County")
        page.get_by_label("Title").fill("Los Angeles peer services 2026")
        page.locator("label[for=id_scope_0]").click()  # Employment
        page.get_by_label("Period from").fill("2026-01-01")
        page.get_by_label("Period until").fill("2026-10-31")
        page.get_by_role("button", name="Open the review").click()
        page.wait_for_load_state()
        axe_check(page, "review opened")
        review = Review.objects.get()
        assert review.status == ReviewStatus.PLANNED and review.scope == ["employment"]

        page.get_by_role("button", name="Draw the sample").click()
        page.wait_for_load_state()
        axe_check(page, "sample drawn")
        assert "2 records sampled" in page.content()

        # One record not compliant, the other compliant.
        page.get_by_role("link", name="Record the finding Employment 1").click()
        page.wait_for_load_state()
        axe_check(page, "record a finding")
        page.select_option("#id_outcome", "not_compliant")
        page.select_option("#id_category", "supervision")
        page.get_by_label("Note").fill("No signed supervision log for March through June.")
        page.get_by_role("button", name="Save the finding").click()
        page.wait_for_load_state()
        page.get_by_role("link", name="Record the finding Employment 2").click()
        page.wait_for_load_state()
        page.select_option("#id_outcome", "compliant")
        page.get_by_role("button", name="Save the finding").click()
        page.wait_for_load_state()
        axe_check(page, "findings recorded")

        page.get_by_role("link", name="Add a corrective action").click()
        page.wait_for_load_state()
        axe_check(page, "add a corrective action")
        page.get_by_label("What must be done").fill("Keep a signed supervision log for every peer, reviewed monthly.")
        page.get_by_label("Owner").select_option(label=staff.email)
        page.get_by_label("Due by").fill("2026-12-31")
        page.get_by_role("button", name="Add to the plan").click()
        page.wait_for_load_state()
        page.get_by_role("button", name="Issue the plan to the reviewed party").click()
        page.wait_for_load_state()
        axe_check(page, "plan issued")
        review.refresh_from_db()
        assert review.status == ReviewStatus.CORRECTIVE_ACTION

        # The county sees the plan item on its home page and answers it with a file.
        _switch(page, sign_in, staff)
        page.goto("/")
        axe_check(page, "county home")
        assert "Corrective actions due" in page.content()
        page.get_by_role("link", name="Keep a signed supervision log").first.click()
        page.wait_for_load_state()
        axe_check(page, "answer a corrective action")
        evidence = tmp_path / "supervision-log.pdf"
        evidence.write_bytes(samples.PDF)
        page.get_by_label("What was done").fill("Supervisors now sign the log in SmartCare each month; logs attached.")
        page.locator("input[type=file]").set_input_files(str(evidence))
        page.get_by_role("button", name="Send the response to DHCS").click()
        page.wait_for_load_state()
        axe_check(page, "response sent")
        item = review.items.get()
        assert item.status == CorrectiveActionStatus.RESPONDED and item.evidence.count() == 1

        # DHCS accepts the answer and closes the review.
        _switch(page, sign_in, analyst)
        page.goto(f"/integrity/monitoring/{review.pk}/")
        axe_check(page, "review to follow up")
        assert "Download supervision-log.pdf" in page.content()
        page.get_by_role("button", name="Accept the response").click()
        page.wait_for_load_state()
        axe_check(page, "response accepted")
        page.get_by_role("button", name="Close the review").click()
        page.wait_for_load_state()
        axe_check(page, "review closed")
        review.refresh_from_db()
        assert review.status == ReviewStatus.CLOSED
        assert "Nothing more: this review is finished." in page.content()
