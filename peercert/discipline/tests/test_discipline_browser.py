"""The public complaint and help pages in a real browser, checked with axe; a peer's view of a case."""

import pytest

from peercert.accounts.demo import DEMO_PASSWORD
from peercert.accounts.roles import Role
from peercert.accounts.tests.factories import user_with_role
from peercert.assistance.tests.factories import FaqEntryFactory
from peercert.discipline.models import ComplaintStatus
from peercert.discipline.tests.factories import ComplaintFactory


@pytest.mark.django_db(transaction=True)
def test_public_forms_and_respondent_pages_are_accessible(page, axe_check, sign_in):
    FaqEntryFactory(question="How do I renew?", answer="Every 2 years, with 20 CE hours.")
    page.goto("/assistance/")
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
    page.goto("/assistance/ask/")
    axe_check(page, "ask form")

    peer = user_with_role(Role.PEER, email="respondent@browser.peercert.example")
    peer.set_password(DEMO_PASSWORD)
    peer.save()
    case = ComplaintFactory(respondent_person=peer.person, status=ComplaintStatus.ACKNOWLEDGED)
    sign_in(page, peer.email, DEMO_PASSWORD)
    page.goto(f"/discipline/my/cases/{case.pk}/")
    axe_check(page, "respondent case page")
    assert "Rosalía" not in page.content()
    page.goto("/assistance/my/")
    axe_check(page, "my questions")


@pytest.mark.django_db(transaction=True)
def test_staff_case_pages_are_accessible(page, axe_check, sign_in):
    from peercert.discipline.tests.factories import (
        ActionFactory,
        AppealFactory,
        RequiredClassFactory,
    )

    reviewer = user_with_role(Role.PROGRAM_REVIEWER, email="reviewer@browser.peercert.example")
    reviewer.set_password(DEMO_PASSWORD)
    reviewer.save()
    case = ComplaintFactory(status=ComplaintStatus.INVESTIGATING)
    action = ActionFactory()
    RequiredClassFactory(action=ActionFactory(kind="corrective_action", ends_on=None, due_on=action.effective_on))
    corrective = RequiredClassFactory().action
    appeal = AppealFactory(action=action)
    sign_in(page, reviewer.email, DEMO_PASSWORD)
    for url, label in [
        (f"/discipline/cases/{case.pk}/", "case"),
        (f"/discipline/cases/{case.pk}/decide/", "decide"),
        ("/discipline/cases/new/", "staff entry"),
        (f"/discipline/actions/{corrective.pk}/", "corrective action"),
        (f"/discipline/actions/{action.pk}/", "suspension"),
        (f"/discipline/appeals/{appeal.pk}/", "appeal"),
        ("/discipline/appeals/", "appeals"),
        ("/discipline/appeals/new/", "record an appeal"),
        ("/discipline/records/", "records"),
    ]:
        response = page.goto(url)
        assert response.status < 400, url
        axe_check(page, label)
