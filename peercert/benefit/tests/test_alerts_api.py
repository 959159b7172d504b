"""The EHR API: county staff and billing read their own county's employments with credential status;
updated_since sees a certification status change; junk is a 422; another county's id a 404."""

import datetime

import pytest
import time_machine

from peercert.accounts.roles import Role
from peercert.accounts.services import api_token_create
from peercert.accounts.tests.factories import PersonFactory, user_with_role
from peercert.benefit.models import DirectingProfessional, EmploymentStatus
from peercert.benefit.tests.factories import SupervisorAssignmentFactory, open_employment
from peercert.certification.services import certification_change_status
from peercert.certification.tests.factories import CertificationFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/benefit/employments"
DAY_ONE = datetime.datetime(2026, 2, 1, 9, tzinfo=datetime.UTC)


def _token(user) -> str:
    return api_token_create(actor=user, name="EHR sync")[1]


def _get(client, token, url, **params):
    return client.get(url, params, headers={"Authorization": f"Bearer {token}"})


@pytest.fixture
def two_counties():
    with time_machine.travel(DAY_ONE, tick=False):
        la_peer = PersonFactory(legal_first_name="Ana", legal_last_name="Angeles")
        la_cert = CertificationFactory(person=la_peer, expires_on=datetime.date(2027, 1, 15))
        la_job = open_employment(la_peer, "Los Angeles")
        fresno_peer = PersonFactory(legal_first_name="Fer", legal_last_name="Fresno")
        CertificationFactory(person=fresno_peer)
        fresno_job = open_employment(fresno_peer, "Fresno")
        supervisor = PersonFactory(legal_first_name="Sam", legal_last_name="Supervisor")
        SupervisorAssignmentFactory(employment=la_job, supervisor=supervisor, training_due_on=datetime.date(2025, 4, 1))
        DirectingProfessional.objects.create(
            employment=la_job,
            name="Dr. Rivera",
            credential_kind="licensed",
            license_type="LCSW",
            license_number="LCSW 12345",
            issuing_board="Board of Behavioral Sciences",
            start_on=datetime.date(2025, 2, 1),
        )
    return {"la_job": la_job, "la_cert": la_cert, "fresno_job": fresno_job}


def test_county_staff_read_their_countys_employments_with_credential_facts(client, two_counties):
    staff = user_with_role(Role.COUNTY_STAFF)
    with time_machine.travel(DAY_ONE + datetime.timedelta(days=1), tick=False):
        body = _get(client, _token(staff), URL).json()
    assert body["count"] == 1 and len(body["results"]) == 1
    row = body["results"][0]
    assert row["id"] == two_counties["la_job"].pk and row["person_name"] == "Ana Angeles"
    assert row["certification"] == {
        "number": two_counties["la_cert"].number,
        "status": "active",
        "expires_on": "2027-01-15",
        "status_changed_on": None,
    }
    assert row["county_code"] == "19" and row["status"] == "hired" and row["delivery_systems"] == ["smhs"]
    assert row["provider"]["npi"] == two_counties["la_job"].provider.npi
    [supervisor] = row["supervisors"]
    assert supervisor["name"] == "Sam Supervisor" and supervisor["trained"] is False
    assert supervisor["training_overdue"] is True
    assert row["directing_professional"]["license_type"] == "LCSW"


def test_billing_reads_too_and_other_roles_are_refused(client, two_counties):
    billing = user_with_role(Role.COUNTY_BILLING)
    assert _get(client, _token(billing), URL).json()["count"] == 1
    for role in (Role.DHCS_ANALYST, Role.PEER, Role.PROGRAM_MANAGER, Role.AUDITOR):
        assert _get(client, _token(user_with_role(role)), URL).status_code == 403
    assert client.get(URL).status_code == 401


def test_another_countys_employment_is_a_404(client, two_counties):
    token = _token(user_with_role(Role.COUNTY_STAFF, county_name="Fresno"))
    assert _get(client, token, f"{URL}/{two_counties['la_job'].pk}").status_code == 404
    own = _get(client, token, f"{URL}/{two_counties['fresno_job'].pk}")
    assert own.status_code == 200 and own.json()["person_name"] == "Fer Fresno"
    listed = _get(client, token, URL).json()
    assert [r["id"] for r in listed["results"]] == [two_counties["fresno_job"].pk]


def test_updated_since_sees_a_status_change_and_not_older_rows(
    client, two_counties, django_capture_on_commit_callbacks
):
    token = _token(user_with_role(Role.COUNTY_STAFF))
    last_sync = DAY_ONE + datetime.timedelta(days=10)
    assert _get(client, token, URL, updated_since=last_sync.isoformat()).json()["count"] == 0
    with time_machine.travel(last_sync + datetime.timedelta(hours=3), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            certification_change_status(
                actor=None,
                certification=two_counties["la_cert"],
                to_status="suspended",
                reason="Suspended.",
                source="discipline",
            )
    body = _get(client, token, URL, updated_since=last_sync.isoformat()).json()
    assert body["count"] == 1
    row = body["results"][0]
    assert row["certification"]["status"] == "suspended"
    assert row["updated_at"].startswith("2026-02-11T12:00")
    # A naive timestamp is read as UTC.
    assert _get(client, token, URL, updated_since="2026-02-11T13:00:00").json()["count"] == 0


def test_status_and_paging(client, two_counties):
    staff = user_with_role(Role.COUNTY_STAFF)
    with time_machine.travel(DAY_ONE, tick=False):
        open_employment(
            PersonFactory(),
            "Los Angeles",
            status=EmploymentStatus.ENDED,
            end_on=datetime.date(2025, 6, 1),
            end_reason="resigned",
        )
    token = _token(staff)
    assert _get(client, token, URL, status="ended").json()["count"] == 1
    assert _get(client, token, URL, status="hired").json()["count"] == 1
    page = _get(client, token, URL, limit=1, offset=1).json()
    assert page["count"] == 2 and len(page["results"]) == 1


@pytest.mark.parametrize(
    "params",
    [
        {"updated_since": "yesterday"},
        {"updated_since": "2026-13-45T00:00:00"},
        {"status": "fired"},
        {"limit": 201},
        {"limit": 0},
        {"offset": -1},
        {"offset": 2**40},
        {"status": "hired\x00"},
    ],
)
def test_junk_is_a_422(client, two_counties, params):
    token = _token(user_with_role(Role.COUNTY_STAFF))
    assert _get(client, token, URL, **params).status_code == 422


def test_junk_ids_are_refused_without_a_server_error(client, two_counties):
    token = _token(user_with_role(Role.COUNTY_STAFF))
    for bad in ("0", "-3", "abc", str(2**70)):
        assert _get(client, token, f"{URL}/{bad}").status_code in (404, 422)
