"""The workforce pages: two counties side by side, the forms, the statewide view, Spanish."""

import datetime
import re

import pytest
import time_machine
from django.urls import reverse

from peercert.accounts.roles import Role
from peercert.accounts.tests.factories import PersonFactory, user_with_role
from peercert.benefit.models import Employment, EmploymentStatus, Provider, SupervisorAssignment
from peercert.benefit.tests.factories import EmploymentFactory, ProviderFactory, SupervisorAssignmentFactory, county
from peercert.certification.tests.factories import CertificationFactory
from peercert.web.tests.spanish import get_in_spanish

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(datetime.datetime(2026, 3, 10, 18, 0, tzinfo=datetime.UTC), tick=False):
        yield


@pytest.fixture
def la_staff(db):
    return user_with_role(Role.COUNTY_STAFF, county_name="Los Angeles")


@pytest.fixture
def fresno_staff(db):
    return user_with_role(Role.COUNTY_STAFF, county_name="Fresno")


@pytest.fixture
def side_by_side(db):
    """One provider, employment and assignment in each of Los Angeles and Fresno."""
    out = {}
    for name in ("Los Angeles", "Fresno"):
        provider = ProviderFactory(county=county(name), name=f"{name} Wellness", city=name)
        employment = EmploymentFactory(provider=provider, person=PersonFactory(legal_last_name=f"Peer{name[:2]}"))
        assignment = SupervisorAssignmentFactory(employment=employment)
        out[name] = {"provider": provider, "employment": employment, "assignment": assignment}
    return out


def test_each_county_sees_only_its_own_records(client, la_staff, fresno_staff, side_by_side):
    for user, mine, theirs in ((la_staff, "Los Angeles", "Fresno"), (fresno_staff, "Fresno", "Los Angeles")):
        client.force_login(user)
        providers = client.get(reverse("benefit:provider_list")).content.decode()
        assert f"{mine} Wellness" in providers and f"{theirs} Wellness" not in providers
        employments = client.get(reverse("benefit:employment_list")).content.decode()
        assert f"Peer{mine[:2]}" in employments and f"Peer{theirs[:2]}" not in employments
        other = side_by_side[theirs]
        for url in (
            reverse("benefit:provider_detail", args=[other["provider"].pk]),
            reverse("benefit:provider_edit", args=[other["provider"].pk]),
            reverse("benefit:employment_detail", args=[other["employment"].pk]),
            reverse("benefit:employment_edit", args=[other["employment"].pk]),
        ):
            assert client.get(url).status_code == 404, url
        for url in (
            reverse("benefit:employment_hire", args=[other["employment"].pk]),
            reverse("benefit:employment_end", args=[other["employment"].pk]),
            reverse("benefit:employment_assign", args=[other["employment"].pk]),
            reverse("benefit:employment_direction", args=[other["employment"].pk]),
            reverse("benefit:assignment_end", args=[other["assignment"].pk]),
        ):
            assert client.post(url, {"end-end_on": "2026-03-10", "end-end_reason": "resigned"}).status_code == 404, url
        own = side_by_side[mine]
        assert client.get(reverse("benefit:employment_detail", args=[own["employment"].pk])).status_code == 200
        assert client.get(reverse("benefit:provider_detail", args=[own["provider"].pk])).status_code == 200
        supervision = client.get(reverse("benefit:supervision") + f"?county={other['provider'].county_id}")
        assert supervision.status_code == 200 and f"Supervision: {mine} County" in supervision.content.decode()
    assert Employment.objects.filter(status=EmploymentStatus.HIRED).count() == 2  # nothing ended by the attempts


def test_county_staff_add_a_provider_and_a_refusal_stays_on_the_form(client, la_staff):
    client.force_login(la_staff)
    data = {
        "name": "Clínica del Pueblo",
        "kind": "contracted",
        "npi": "1234567890",
        "delivery_systems": ["smhs"],
        "address_line1": "2000 E 1st St",
        "city": "Los Angeles",
        "postal_code": "90033",
        "active_from": "2024-07-01",
    }
    refused = client.post(reverse("benefit:provider_add"), data)
    assert refused.status_code == 400 and "1234567890 does not check" in refused.content.decode()
    assert not Provider.objects.exists()
    done = client.post(reverse("benefit:provider_add"), {**data, "npi": "1234567893"})
    provider = Provider.objects.get()
    assert done.status_code == 302 and done["Location"] == reverse("benefit:provider_detail", args=[provider.pk])


def test_record_hire_and_supervise_through_the_pages(client, la_staff):
    client.force_login(la_staff)
    provider = ProviderFactory()
    cert = CertificationFactory(number="PSS-000777")
    response = client.post(
        reverse("benefit:employment_add"),
        {
            "certification_number": "PSS-000777",
            "provider": provider.pk,
            "position_title": "Peer Support Specialist",
            "fte": "0.75",
            "delivery_systems": ["smhs"],
            "start_on": "2026-03-02",
        },
    )
    employment = Employment.objects.get(person=cert.person)
    assert response.status_code == 302 and employment.status == EmploymentStatus.RECORDED
    detail = reverse("benefit:employment_detail", args=[employment.pk])
    page = client.get(detail).content.decode()
    assert "Record the formal hire" in page and "March 2, 2026" in page and "2026-03-02<" not in page
    future = client.post(reverse("benefit:employment_hire", args=[employment.pk]), {"hire-hired_on": "2026-03-11"})
    assert future.status_code == 400 and "A hire is recorded when it happens" in future.content.decode()
    client.post(reverse("benefit:employment_hire", args=[employment.pk]), {"hire-hired_on": "2026-03-09"})
    employment.refresh_from_db()
    assert employment.status == EmploymentStatus.HIRED
    supervisor = PersonFactory(email="lead@clinic.example")
    client.post(
        reverse("benefit:employment_assign", args=[employment.pk]),
        {"sup-supervisor_email": "lead@clinic.example", "sup-start_on": "2026-03-09"},
    )
    assert SupervisorAssignment.objects.get(employment=employment).supervisor == supervisor
    page = client.get(reverse("benefit:supervision")).content.decode()
    assert supervisor.full_name in page and "1 / 12" in page


def test_billing_reads_but_cannot_change(client, side_by_side):
    billing = user_with_role(Role.COUNTY_BILLING, county_name="Los Angeles")
    client.force_login(billing)
    employment = side_by_side["Los Angeles"]["employment"]
    page = client.get(reverse("benefit:employment_detail", args=[employment.pk])).content.decode()
    assert "End this employment" not in page
    assert client.get(reverse("benefit:provider_add")).status_code == 403
    assert client.post(reverse("benefit:employment_end", args=[employment.pk])).status_code == 403


def test_dhcs_sees_the_counts_by_county_and_the_ceiling(client, side_by_side):
    approver = user_with_role(Role.DHCS_APPROVER)
    client.force_login(approver)
    page = client.get(reverse("benefit:workforce_by_county")).content.decode()
    assert "Los Angeles" in page and "Fresno" in page
    done = client.post(
        reverse("benefit:supervision_ceiling_set"),
        {
            "ceiling-max_peers_per_supervisor": "10",
            "ceiling-effective_from": "2026-04-01",
            "ceiling-reason": "Guidance",
        },
    )
    assert done.status_code == 302
    assert "April 1, 2026" in client.get(reverse("benefit:supervision_ceiling")).content.decode()
    analyst = user_with_role(Role.DHCS_ANALYST)
    client.force_login(analyst)
    page = client.get(reverse("benefit:supervision_ceiling")).content.decode()
    assert "Set a ceiling" not in page
    assert client.post(reverse("benefit:supervision_ceiling_set")).status_code == 403


def test_county_staff_worklist_names_the_overdue_supervisor(client, la_staff, side_by_side):
    assignment = side_by_side["Los Angeles"]["assignment"]
    SupervisorAssignment.objects.filter(pk=assignment.pk).update(training_due_on=datetime.date(2026, 3, 1))
    client.force_login(la_staff)
    home = client.get(reverse("web:home")).content.decode()
    assert "Supervisor training overdue" in home and assignment.supervisor.full_name in home
    fresno_assignment = side_by_side["Fresno"]["assignment"]
    assert fresno_assignment.supervisor.full_name not in home


def test_junk_filters_are_ignored(client, la_staff, side_by_side):
    client.force_login(la_staff)
    for query in ("?status=zzz&provider=99999999999999999999&page=-1&q=%00", "?county=abc", "?provider=1e9"):
        assert client.get(reverse("benefit:employment_list") + query).status_code in (200, 400)
        assert client.get(reverse("benefit:supervision") + query).status_code in (200, 400)


@pytest.mark.parametrize(
    ("name", "heading"),
    [
        ("benefit:provider_list", "Proveedores"),
        ("benefit:employment_list", "Empleo"),
        ("benefit:supervision", "Supervisión"),
    ],
)
def test_county_pages_in_spanish(client, la_staff, side_by_side, name, heading):
    client.force_login(la_staff)
    body = get_in_spanish(client, reverse(name)).content.decode()
    assert re.search(rf"<h1>{heading}", body), body[:500]


def test_employment_detail_in_spanish(client, la_staff, side_by_side):
    client.force_login(la_staff)
    employment = side_by_side["Los Angeles"]["employment"]
    body = get_in_spanish(client, reverse("benefit:employment_detail", args=[employment.pk])).content.decode()
    assert "Supervisores" in body and "1 de febrero de 2025" in body


def test_staff_of_two_counties_choose_the_providers_county(client):
    from peercert.accounts.models import RoleAssignment

    staff = user_with_role(Role.COUNTY_STAFF, county_name="Los Angeles")
    RoleAssignment.objects.create(user=staff, role=Role.COUNTY_STAFF, county=county("Fresno"))
    client.force_login(staff)
    data = {
        "county": county("Fresno").pk,
        "name": "Clovis Peer Wellness Center",
        "kind": "contracted",
        "npi": "1234567893",
        "delivery_systems": ["smhs"],
        "address_line1": "650 Pollasky Ave",
        "city": "Clovis",
        "postal_code": "93612",
        "active_from": "2024-07-01",
    }
    assert client.post(reverse("benefit:provider_add"), data).status_code == 302
    assert Provider.objects.get().county == county("Fresno")


def test_edit_direction_and_policy_through_the_pages(client, la_staff, side_by_side):
    client.force_login(la_staff)
    employment = side_by_side["Los Angeles"]["employment"]
    edit = reverse("benefit:employment_edit", args=[employment.pk])
    assert client.get(edit).status_code == 200
    bad = client.post(edit, {"position_title": "Peer", "fte": "1.5", "delivery_systems": ["smhs"]})
    assert bad.status_code == 400
    client.post(edit, {"position_title": "Senior Peer", "fte": "0.50", "delivery_systems": ["smhs"]})
    employment.refresh_from_db()
    assert (employment.position_title, str(employment.fte)) == ("Senior Peer", "0.50")
    direction = {
        "dir-name": "Dr. Rosa Chávez",
        "dir-credential_kind": "licensed",
        "dir-license_type": "LCSW",
        "dir-license_number": "LCSW 12345",
        "dir-issuing_board": "Board of Behavioral Sciences",
        "dir-start_on": "2026-03-01",
    }
    assert client.post(reverse("benefit:employment_direction", args=[employment.pk]), direction).status_code == 302
    assert "Dr. Rosa Chávez" in client.get(reverse("benefit:employment_detail", args=[employment.pk])).content.decode()
    from peercert.benefit.models import SupervisionCeiling

    SupervisionCeiling.objects.create(effective_from=datetime.date(2026, 1, 1), max_peers_per_supervisor=10, reason="x")
    policy = {"county": county().pk, "policy-max_peers_per_supervisor": "11", "policy-effective_from": "2026-03-10"}
    refused = client.post(reverse("benefit:supervision_policy"), policy)
    assert refused.status_code == 400 and "DHCS allows at most 10 peers per supervisor" in refused.content.decode()
    done = client.post(reverse("benefit:supervision_policy"), {**policy, "policy-max_peers_per_supervisor": "9"})
    assert done.status_code == 302
    assert "Today one supervisor may supervise at most 9 peers here." in client.get(done["Location"]).content.decode()
