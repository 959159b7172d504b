"""The voluntary demographic questions on the application: optional, "prefer not to say", the latest answers
kept once per person, audited without the answers, and counted by the certification report."""

import pytest
from django.urls import reverse

from peercert.accounts.roles import Role
from peercert.accounts.tests.factories import user_with_role
from peercert.certification.models import ApplicantDemographics
from peercert.certification.tests.factories import applicant, started_application
from peercert.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_the_applicant_answers_some_questions_and_skips_others(client):
    user = applicant()
    application = started_application(user)
    client.force_login(user)
    url = reverse("certification:application_demographics", args=[application.pk])
    page = client.get(url)
    assert page.status_code == 200 and "Prefer not to say" in page.content.decode()
    response = client.post(url, {"veteran": "prefer_not", "gender_identity": "woman", "race_ethnicity": ""})
    assert response.status_code == 302
    row = ApplicantDemographics.objects.get(person=user.person)
    assert (row.veteran, row.gender_identity, row.race_ethnicity) == ("prefer_not", "woman", "")
    # Changing the answers keeps one row per person.
    client.post(url, {"veteran": "yes"})
    row.refresh_from_db()
    assert ApplicantDemographics.objects.count() == 1 and row.veteran == "yes" and row.gender_identity == ""
    event = AuditEvent.objects.filter(action="demographics.save").latest("at")
    assert event.after == {"answered": 1}


def test_the_review_page_offers_the_questions_but_submitting_does_not_need_them(client):
    user = applicant()
    application = started_application(user)
    client.force_login(user)
    page = client.get(reverse("certification:application_review", args=[application.pk]))
    assert reverse("certification:application_demographics", args=[application.pk]) in page.content.decode()


def test_an_unknown_answer_is_refused_and_nobody_else_may_answer(client):
    user = applicant()
    application = started_application(user)
    client.force_login(user)
    url = reverse("certification:application_demographics", args=[application.pk])
    assert client.post(url, {"veteran": "maybe"}).status_code == 400
    assert not ApplicantDemographics.objects.exists()
    client.force_login(applicant(first="Lupe", last="Ortega"))
    assert client.get(url).status_code == 404
    client.force_login(user_with_role(Role.PROGRAM_REVIEWER))
    assert client.get(url).status_code == 403
