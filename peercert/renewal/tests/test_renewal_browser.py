"""A peer renews in the browser: home-page reminder, renewal page, sign, pay, send; every page checked with axe."""

import datetime

import pytest

from peercert.accounts.demo import DEMO_PASSWORD
from peercert.core import clock
from peercert.renewal.models import Renewal, RenewalStatus
from peercert.renewal.tests.factories import certified_peer, give_ce, number_not_audited, pay_all


@pytest.mark.django_db(transaction=True)
def test_peer_renews_in_the_browser(page, axe_check, sign_in):
    today = clock.today()
    expires = today + datetime.timedelta(days=45)
    user, cert = certified_peer(
        "Xóchitl",
        "Domínguez",
        issued=expires - datetime.timedelta(days=730),
        expires=expires,
        number=number_not_audited(cycle=expires),
    )
    user.set_password(DEMO_PASSWORD)
    user.save()
    give_ce(cert.person, today - datetime.timedelta(days=100))
    sign_in(page, user.email, DEMO_PASSWORD)
    assert page.get_by_text("You can renew it now").count() >= 1  # the home-page worklist
    page.goto("/renewal/")
    axe_check(page, "renewal page")
    page.get_by_role("button", name="Start your renewal").click()
    page.wait_for_load_state()
    axe_check(page, "renewal detail")
    page.get_by_label("Type your full legal name to sign the Code of Ethics").fill("Xóchitl Domínguez")
    # USWDS draws the box on the label and hides the input, so a person (and the test) clicks the label.
    page.locator("label[for=id_sign-attest]").click()
    page.get_by_role("button", name="Sign", exact=True).click()
    page.wait_for_load_state()
    pay_all(Renewal.objects.get(certification=cert), user)
    page.get_by_role("button", name="Send my renewal").click()
    page.wait_for_load_state()
    assert page.get_by_test_id("renewal-status").inner_text().lower() == "renewed"
    axe_check(page, "renewed")
    page.goto("/renewal/timeline/")
    axe_check(page, "timeline")
    page.goto("/renewal/name-change/")
    axe_check(page, "name change")
    page.goto("/renewal/surrender/")
    axe_check(page, "surrender")
    cert.refresh_from_db()
    assert cert.expires_on > expires
    assert Renewal.objects.get(certification=cert).status == RenewalStatus.APPROVED
