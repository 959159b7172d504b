"""Out-of-range numbers in the query string or path are refused (4xx), never a 500 (issue 11, finding 10)."""

import pytest
from django.test import Client

from peercert.accounts.roles import Role
from peercert.accounts.tests.factories import user_with_role

pytestmark = pytest.mark.django_db

HUGE = "9605417440677047345058052778452058112"
PAST_BIGINT = str(2**63)


@pytest.fixture
def anonymous():
    return Client(raise_request_exception=False)


@pytest.fixture
def staff():
    client = Client(raise_request_exception=False)
    client.force_login(user_with_role(Role.PROGRAM_MANAGER))
    return client


@pytest.mark.parametrize(
    "url",
    [
        f"/api/v1/registry/certifications?county={HUGE}",
        f"/api/v1/registry/certifications?county={PAST_BIGINT}",
        "/api/v1/registry/certifications?county=0",
        f"/api/v1/registry/certifications?page={HUGE}",
        "/api/v1/registry/certifications?page=0",
        "/api/v1/registry/certifications?page=501",
        "/api/v1/registry/certifications?name=a%00b",
        "/api/v1/discipline/public-actions?number=CA%00",
    ],
)
def test_public_api_refuses_out_of_range_input(anonymous, url):
    assert anonymous.get(url).status_code == 422


@pytest.mark.parametrize(
    "url",
    [
        f"/api/v1/finance/invoices?offset={HUGE}",
        f"/api/v1/finance/invoices?offset={2**31}",
        "/api/v1/finance/invoices?offset=-1",
        f"/api/v1/finance/invoices?limit={HUGE}",
        "/api/v1/finance/invoices?limit=0",
        f"/api/v1/finance/invoices/{HUGE}",
        "/api/v1/finance/invoices/0",
        f"/api/v1/discipline/cases/{PAST_BIGINT}",
        f"/api/v1/exams/attempts/{HUGE}/report",
        "/api/v1/discipline/cases?status=%00",
    ],
)
def test_staff_api_refuses_out_of_range_input(staff, url):
    assert staff.get(url).status_code == 422


def test_an_answer_with_huge_numbers_is_refused(staff):
    response = staff.post(
        "/api/v1/exams/attempts/1/answers", {"item": int(HUGE), "choice": 7}, content_type="application/json"
    )
    assert response.status_code == 422
    response = staff.post(
        "/api/v1/exams/attempts/1/answers", {"item": 1, "choice": int(HUGE)}, content_type="application/json"
    )
    assert response.status_code == 422


def test_in_range_values_still_work(anonymous, staff):
    assert anonymous.get("/api/v1/registry/certifications?county=1&page=2").status_code == 200
    assert staff.get(f"/api/v1/finance/invoices?offset={2**31 - 1}&limit=500").json() == []


@pytest.mark.parametrize(
    "query",
    [{"county": HUGE}, {"county": PAST_BIGINT, "name": "a"}, {"page": HUGE, "name": "a"}, {"page": "-3", "name": "a"}],
)
def test_registry_search_page_ignores_numbers_no_county_can_have(anonymous, query):
    # Refused as a form error the person can act on (or ignored, for a page past the end), never a 500.
    response = anonymous.get("/registry/", query)
    assert response.status_code in (200, 400)
