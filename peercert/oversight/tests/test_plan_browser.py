"""The plan's "done when", in the browser at phone width with axe on every page: the program submits a
plan that DHCS returns with a comment on a section, then submits a new version that DHCS approves, and
anyone signed in reads the plan in force."""

import datetime

import pytest
import time_machine

from peercert.accounts.demo import DEMO_PASSWORD
from peercert.accounts.roles import Role
from peercert.accounts.tests.factories import user_with_role
from peercert.oversight.models.plan import PLAN_SECTIONS, PlanStatus, PlanVersion


def _user(role, email):
    user = user_with_role(role, email=email)
    user.set_password(DEMO_PASSWORD)
    user.save()
    return user


def _switch(page, sign_in, user):
    page.context.clear_cookies()
    sign_in(page, user.email, DEMO_PASSWORD)


@pytest.mark.django_db(transaction=True)
def test_the_program_submits_a_plan_dhcs_returns_it_then_approves_the_next(page, axe_check, sign_in, tmp_path):
    # 00:05 in Los Angeles: the UTC date is already the next day.
    with time_machine.travel(datetime.datetime(2026, 9, 2, 7, 5, tzinfo=datetime.UTC), tick=True):
        manager = _user(Role.PROGRAM_MANAGER, "manager.journey@test.peercert.example")
        approver = _user(Role.DHCS_APPROVER, "approver.journey@test.peercert.example")
        peer = _user(Role.PEER, "peer.journey@test.peercert.example")
        appendix = tmp_path / "organization-chart.pdf"
        from peercert.core import samples

        appendix.write_bytes(samples.PDF)

        sign_in(page, manager.email, DEMO_PASSWORD)
        page.goto("/oversight/plan/")
        axe_check(page, "plan, none in force")
        page.get_by_role("link", name="Submit a new version").click()
        page.wait_for_load_state()
        axe_check(page, "submit a plan version")
        page.get_by_label("What this version changes").fill("The program's first plan.")
        for _code, heading in PLAN_SECTIONS:
            page.get_by_label(str(heading), exact=True).fill(f"How the program handles {heading}.")
        page.locator("input[name=governance_file]").set_input_files(str(appendix))
        page.get_by_role("button", name="Submit to DHCS").click()
        page.wait_for_load_state()
        assert page.get_by_text("Plan version submitted to DHCS for a decision.").count() == 1
        axe_check(page, "version submitted")
        first = PlanVersion.objects.get()

        _switch(page, sign_in, approver)
        page.goto(f"/oversight/plan/versions/{first.pk}/")
        axe_check(page, "version to decide")
        page.locator("label", has_text="Return with comments, so the program can change it").click()
        page.get_by_label("Comment on “Data, reporting and quality assurance”").fill(
            "Say by which day after each quarter the data reaches DHCS."
        )
        page.get_by_role("button", name="Record decision").click()
        page.wait_for_load_state()
        assert page.get_by_text("Plan returned with your comments.").count() == 1
        axe_check(page, "version returned")
        first.refresh_from_db()
        assert first.status == PlanStatus.RETURNED

        _switch(page, sign_in, manager)
        page.goto(f"/oversight/plan/versions/{first.pk}/")
        assert page.get_by_text("Say by which day after each quarter the data reaches DHCS.").count() == 1
        page.get_by_role("link", name="Submit a new version that answers the comments").click()
        page.wait_for_load_state()
        page.get_by_label("Data, reporting and quality assurance", exact=True).fill(
            "Data reaches DHCS by the 15th of the month after each quarter."
        )
        page.get_by_role("button", name="Submit to DHCS").click()
        page.wait_for_load_state()
        axe_check(page, "second version submitted")
        second = PlanVersion.objects.get(number=2)

        _switch(page, sign_in, approver)
        page.goto(f"/oversight/plan/versions/{second.pk}/")
        page.locator("label", has_text="Approve: it comes into force today").click()
        page.get_by_role("button", name="Record decision").click()
        page.wait_for_load_state()
        assert page.get_by_text("Plan approved: it is in force from today.").count() == 1
        axe_check(page, "version approved")
        second.refresh_from_db()
        assert second.status == PlanStatus.APPROVED
        assert second.in_force_from == datetime.date(2026, 9, 2)

        _switch(page, sign_in, peer)
        page.goto("/oversight/plan/")
        axe_check(page, "plan in force, as a peer")
        assert page.get_by_text("Data reaches DHCS by the 15th of the month after each quarter.").count() == 1
