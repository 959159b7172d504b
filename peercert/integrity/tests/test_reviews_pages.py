"""Monitoring review pages and API: scoping (another county's review is a 404), the forms' refusals,
evidence served as an attachment, the home-page worklists."""

import datetime

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from peercert.accounts.roles import Role
from peercert.accounts.tests.factories import user_with_role
from peercert.benefit.tests.factories import EmploymentFactory, ProviderFactory, county
from peercert.core import samples
from peercert.integrity.models.reviews import CorrectiveActionStatus, Review, ReviewStatus
from peercert.integrity.tests.factories.reviews import ReviewFactory, evidence_for, review_with_plan

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 12, 1, 8, 5, tzinfo=datetime.UTC)  # 00:05 Pacific


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def analyst(db):
    return user_with_role(Role.DHCS_ANALYST, email="analyst@test.peercert.example")


@pytest.fixture
def la_staff(db):
    return user_with_role(Role.COUNTY_STAFF, email="county@test.peercert.example")


@pytest.fixture
def fresno_staff(db):
    return user_with_role(Role.COUNTY_STAFF, email="fresno@test.peercert.example", county_name="Fresno")


def test_another_countys_review_is_a_404(client, la_staff, fresno_staff):
    review, _record, item = review_with_plan(owner=la_staff, employment=EmploymentFactory())
    evidence = evidence_for(item, uploaded_by=la_staff)
    client.force_login(fresno_staff)
    assert client.get(reverse("integrity:monitoring_detail", args=[review.pk])).status_code == 404
    assert client.get(reverse("integrity:monitoring_item_respond", args=[item.pk])).status_code == 404
    assert client.get(reverse("integrity:monitoring_evidence", args=[evidence.pk])).status_code == 404
    listing = client.get(reverse("integrity:monitoring_list"))
    assert listing.status_code == 200 and review.title not in listing.content.decode()
    api = client.get("/api/v1/integrity/reviews")
    assert api.status_code == 200 and api.json()["count"] == 0

    client.force_login(la_staff)
    page = client.get(reverse("integrity:monitoring_detail", args=[review.pk]))
    assert page.status_code == 200 and "Answer this corrective action" in page.content.decode()
    body = client.get("/api/v1/integrity/reviews").json()
    assert [r["id"] for r in body["reviews"]] == [review.pk]
    assert body["reviews"][0]["items"][0]["status"] == "open"


def test_api_filters_by_status_and_refuses_a_bad_one(client, analyst, la_staff):
    review_with_plan(owner=la_staff, employment=EmploymentFactory())
    ReviewFactory(county=county("Fresno"), title="Fresno review")
    client.force_login(analyst)
    assert client.get("/api/v1/integrity/reviews").json()["count"] == 2
    assert client.get("/api/v1/integrity/reviews?status=planned").json()["count"] == 1
    assert client.get("/api/v1/integrity/reviews?status=nonsense").status_code == 422
    assert client.get("/api/v1/integrity/reviews?limit=100000").status_code == 422
    assert client.get(f"/api/v1/integrity/reviews?offset={2**40}").status_code == 422


def test_dhcs_opens_a_review_and_a_mismatched_scope_is_refused(client, analyst):
    client.force_login(analyst)
    data = {
        "party": "county",
        "county": county("Los Angeles").pk,
        "title": "Los Angeles 2026",
        "scope": ["employment", "certification"],
        "period_start": "2026-01-01",
        "period_end": "2026-10-31",
    }
    refused = client.post(reverse("integrity:monitoring_new"), data)
    assert refused.status_code == 400 and "kinds of record" in refused.content.decode()
    assert not Review.objects.exists()
    data["scope"] = ["employment"]
    done = client.post(reverse("integrity:monitoring_new"), data)
    review = Review.objects.get()
    assert done.status_code == 302 and done["Location"] == reverse("integrity:monitoring_detail", args=[review.pk])


def test_county_answers_with_evidence_served_as_an_attachment(client, la_staff, analyst):
    review, _record, item = review_with_plan(owner=la_staff, employment=EmploymentFactory(), created_by=analyst)
    client.force_login(la_staff)
    url = reverse("integrity:monitoring_item_respond", args=[item.pk])
    upload = SimpleUploadedFile("log.pdf", samples.PDF, content_type="application/pdf")
    answer = client.post(url, {"response": "Logs kept monthly.", "evidence": [upload]})
    assert answer.status_code == 302
    item.refresh_from_db()
    assert item.status == CorrectiveActionStatus.RESPONDED
    evidence = item.evidence.get()
    download = client.get(reverse("integrity:monitoring_evidence", args=[evidence.pk]))
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment")
    assert download["Content-Type"] == "application/pdf"
    assert download["X-Content-Type-Options"] == "nosniff"


def test_worklists_on_the_home_pages(client, analyst, la_staff, fresno_staff):
    review, _record, item = review_with_plan(owner=la_staff, employment=EmploymentFactory(provider=ProviderFactory()))
    ReviewFactory(title="Planned Los Angeles review")
    client.force_login(la_staff)
    home = client.get(reverse("web:home")).content.decode()
    assert "Corrective actions due" in home and item.description[:40] in home
    client.force_login(fresno_staff)
    assert "Corrective actions due" not in client.get(reverse("web:home")).content.decode()
    client.force_login(analyst)
    home = client.get(reverse("web:home")).content.decode()
    assert "Reviews to follow up" in home and "Planned Los Angeles review" in home


def test_a_not_compliant_finding_needs_a_category_on_the_page(client, analyst):
    review = ReviewFactory(status=ReviewStatus.SAMPLED, scope=["employment"])
    record = review.records.create(kind="employment", position=1, employment=EmploymentFactory())
    client.force_login(analyst)
    url = reverse("integrity:monitoring_finding", args=[record.pk])
    refused = client.post(url, {"outcome": "not_compliant", "category": "", "note": "Missing"})
    assert refused.status_code == 400 and "Choose what is not compliant" in refused.content.decode()
    assert client.post(url, {"outcome": "compliant"}).status_code == 302
    record.refresh_from_db()
    assert record.outcome == "compliant"
