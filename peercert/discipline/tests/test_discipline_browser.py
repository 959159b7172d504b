"""The public complaint and help pages in a real browser, checked with axe; a peer's view of a case."""

import pytest

from peercert.accounts.demo import DEMO_PASSWORD
from peercert.accounts.roles import Role
from peercert.accounts.tests.factories import user_with_role
from peercert.discipline.models import ComplaintStatus
from peercert.discipline.tests.factories import ComplaintFactory, FaqEntryFactory


@pytest.mark.django_db(transaction=True)
def test_public_forms_and_respondent_pages_are_accessible(page, axe_check, sign_in):
    FaqEntryFactory(question="How do I renew?", answer="Every 2 years, with 20 CE hours.")
    page.goto("/discipline/help/")
    axe_check(page, "FAQ")
    page.get_by_role("link", name="Make a complaint").click()
    axe_check(page, "complaint form")
    page.get_by_label("Name or certification number").fill("Nobody")
    page.get_by_role("button", name="Search").click()
    page.wait_for_selector("text=No certified peer matches")
    page.get_by_label("Your name").fill("Rosalía Quintanilla")
    page.get_by_role("button", name="Send the complaint").click()
    page.wait_for_selector(".usa-error-message")
    axe_check(page, "complaint form with errors")
    page.goto("/discipline/help/ask/")
    axe_check(page, "ask form")

    peer = user_with_role(Role.PEER, email="respondent@browser.peercert.example")
    peer.set_password(DEMO_PASSWORD)
    peer.save()
    case = ComplaintFactory(respondent_person=peer.person, status=ComplaintStatus.ACKNOWLEDGED)
    sign_in(page, peer.email, DEMO_PASSWORD)
    page.goto(f"/discipline/my/cases/{case.pk}/")
    axe_check(page, "respondent case page")
    assert "Rosalía" not in page.content()
    page.goto("/discipline/my/questions/")
    axe_check(page, "my questions")
