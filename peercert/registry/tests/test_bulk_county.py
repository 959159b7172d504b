"""Signed-in county staff verify every peer their county employs in one step; nobody else sees the button."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from peercert.accounts.roles import Role
from peercert.accounts.tests.factories import PersonFactory, user_with_role
from peercert.benefit.models import EmploymentStatus
from peercert.benefit.tests.factories import EmploymentFactory, ProviderFactory, county
from peercert.certification.tests.factories import CertificationFactory

pytestmark = pytest.mark.django_db


def _employed(number, county_name="Los Angeles", status=EmploymentStatus.HIRED, **person):
    cert = CertificationFactory(number=number, person=PersonFactory(**person))
    EmploymentFactory(
        person=cert.person,
        provider=ProviderFactory(county=county(county_name)),
        status=status,
        end_on=datetime.date(2025, 6, 1) if status == EmploymentStatus.ENDED else None,
        end_reason="resigned" if status == EmploymentStatus.ENDED else "",
    )
    return cert


def test_county_staff_check_all_their_employees_and_only_theirs(client):
    mine = _employed("PSS-700001", legal_first_name="Xóchitl", legal_last_name="Domínguez")
    _employed("PSS-700002", status=EmploymentStatus.RECORDED)
    _employed("PSS-700003", status=EmploymentStatus.ENDED)
    _employed("PSS-700004", county_name="Fresno")
    client.force_login(user_with_role(Role.COUNTY_STAFF))
    page = client.get("/registry/bulk/")
    assert b'data-testid="bulk-our-employees"' in page.content
    response = client.post("/registry/bulk/", {"our_employees": "1", "format": "page"})
    assert response.status_code == 200
    numbers = [row["number"] for row in response.context["answer"]["results"]]
    assert numbers == ["PSS-700001", "PSS-700002"]
    assert response.context["answer"]["results"][0]["name_matches"] is True
    csv = client.post("/registry/bulk/", {"our_employees": "1", "format": "csv"})
    assert csv.status_code == 200 and mine.number in b"".join(csv.streaming_content).decode()


def test_the_employee_list_is_one_statement_whatever_the_size():
    from peercert.benefit.selectors import employees_to_verify

    staff = user_with_role(Role.COUNTY_STAFF)
    employees_to_verify(staff)  # reads the user's roles once; they are cached on the user
    for n in range(3):
        _employed(f"PSS-71{n:04d}")
    with CaptureQueriesContext(connection) as small:
        assert len(employees_to_verify(staff)) == 3
    for n in range(3, 30):
        _employed(f"PSS-71{n:04d}")
    with CaptureQueriesContext(connection) as large:
        assert len(employees_to_verify(staff)) == 30
    assert len(small) == len(large)


@pytest.mark.parametrize("role", [None, Role.PEER, Role.DHCS_ANALYST, Role.PROGRAM_REVIEWER])
def test_others_get_the_plain_page(client, role):
    _employed("PSS-700011")
    if role:
        client.force_login(user_with_role(role))
    page = client.get("/registry/bulk/")
    assert b'data-testid="bulk-our-employees"' not in page.content
    response = client.post("/registry/bulk/", {"our_employees": "1", "format": "page"})
    assert response.status_code == 400  # no file: the form asks for one
    assert response.context["answer"] is None
