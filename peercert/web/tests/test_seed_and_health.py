from io import StringIO
from unittest import mock

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection

from peercert.accounts.models import County, RoleAssignment, User
from peercert.accounts.roles import Role


def table_counts() -> dict[str, int]:
    return {m._meta.label: m.objects.count() for m in apps.get_models() if m._meta.managed and not m._meta.proxy}


@pytest.mark.django_db
def test_seed_demo_twice_leaves_the_same_rows_as_once():
    out = StringIO()
    call_command("seed_demo", stdout=out)
    once = table_counts()
    call_command("seed_demo", stdout=StringIO())
    assert table_counts() == once
    assert "peer@demo.peercert.example" in out.getvalue()
    assert {a.role for a in RoleAssignment.objects.filter(user__email__endswith="@demo.peercert.example")} == set(
        Role.values
    )
    assert User.objects.get(email="peer@demo.peercert.example").check_password("peercert-demo-2026")


@pytest.mark.django_db
def test_all_58_counties_with_codes_and_opt_ins():
    assert County.objects.count() == 58
    la = County.objects.get(name="Los Angeles")
    assert (la.code, la.fips, la.opts_in_smhs, la.opts_in_dmc_ods) == ("19", "06037", True, True)
    assert County.objects.get(name="Alpine").fips == "06003"


@pytest.mark.django_db
def test_healthz_answers_200_when_the_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json()["status"] == "ok"


@pytest.mark.django_db
def test_healthz_answers_503_when_the_database_does_not(client):
    from django.db import OperationalError

    with mock.patch.object(connection, "cursor", side_effect=OperationalError("server closed the connection")):
        response = client.get("/healthz")
    assert response.status_code == 503 and response.json()["status"] == "unavailable"


@pytest.mark.django_db
def test_language_switcher_turns_on_spanish(client):
    response = client.post("/i18n/setlang/", {"language": "es", "next": "/"})
    assert response.status_code == 302
    page = client.get("/")
    assert '<html lang="es">' in page.content.decode()


@pytest.mark.django_db
def test_home_page_per_role_lists_its_work(client, role_users):
    for role, user in role_users.items():
        client.force_login(user)
        page = client.get("/").content.decode()
        assert f'data-role="{role}"' in page, role
