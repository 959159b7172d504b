"""The journey every user starts with: sign in, reach your home page, find your way around."""

import pytest

from peercert.accounts.demo import DEMO_PASSWORD
from peercert.accounts.roles import Role
from peercert.accounts.tests.factories import user_with_role


@pytest.mark.django_db(transaction=True)
def test_each_role_signs_in_and_reaches_an_accessible_home(page, axe_check, sign_in):
    page.goto("/")
    axe_check(page, "landing page")
    page.goto("/sign-in/")
    axe_check(page, "sign-in page")
    checked = set()
    for role in Role.values:
        user = user_with_role(role, email=f"{role}@browser.peercert.example")
        user.set_password(DEMO_PASSWORD)
        user.save()
        sign_in(page, user.email, DEMO_PASSWORD)
        assert page.locator(f'[data-role="{role}"]').count() == 1, f"{role} did not reach the home page"
        axe_check(page, f"home page of {role}")
        # Every page the role's menu offers opens and is accessible.
        links = page.locator("nav.usa-nav a.usa-nav-link").evaluate_all("els => els.map(e => e.getAttribute('href'))")
        for href in links:
            if href in ("/",):
                continue
            response = page.goto(href)
            assert response.status < 400, f"{role}: {href} answered {response.status}"
            # Pages shared by many roles (the account page, say) are checked once.
            if href not in checked:
                axe_check(page, f"{href} as {role}")
                checked.add(href)
        page.goto("/")
        page.get_by_role("button", name="Menu").click()
        page.get_by_test_id("sign-out").click()
        page.wait_for_load_state()
    assert len(axe_check.visited) > len(Role.values)
