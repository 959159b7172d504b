import pytest

from peercert.accounts import services
from peercert.accounts.models import RoleAssignment
from peercert.accounts.roles import Role
from peercert.accounts.tests.factories import user_with_role


def test_sign_up_sign_in_and_sign_out(client, db):
    page = client.post(
        "/register/",
        {
            "legal_first_name": "José",
            "legal_last_name": "Ramírez",
            "date_of_birth": "1990-02-03",
            "email": "jose@test.peercert.example",
            "preferred_language": "es",
            "password": "una-frase-larga-2026",
            "password_again": "una-frase-larga-2026",
        },
    )
    assert page.status_code == 302 and page["Location"] == "/register/sent/"
    assert "Revise su correo electrónico" in client.get("/register/sent/").content.decode()  # José chose Spanish
    assert (
        client.post(
            "/sign-in/", {"username": "jose@test.peercert.example", "password": "una-frase-larga-2026"}
        ).status_code
        == 302
    )
    home = client.get("/")
    assert "Solicitante o par" in home.content.decode()
    client.post("/sign-out/")
    assert "_auth_user_id" not in client.session


def test_sign_up_explains_mismatched_passwords(client, db):
    page = client.post(
        "/register/",
        {
            "legal_first_name": "Ana",
            "legal_last_name": "Lee",
            "date_of_birth": "1990-02-03",
            "email": "ana@test.peercert.example",
            "preferred_language": "en",
            "password": "una-frase-larga-2026",
            "password_again": "different-phrase",
        },
    )
    assert page.status_code == 400 and "Type the same password twice" in page.content.decode()


def test_manager_grants_a_scoped_role_from_the_ui(as_user, db):
    manager = user_with_role(Role.PROGRAM_MANAGER)
    target = user_with_role(Role.PEER)
    client = as_user(manager)
    from peercert.accounts.tests.factories import county, statewide_program

    response = client.post(
        f"/users/{target.pk}/", {"role": Role.PROGRAM_REVIEWER, "program": statewide_program().pk, "reason": "hired"}
    )
    assert response.status_code == 302
    assert RoleAssignment.objects.filter(user=target, role=Role.PROGRAM_REVIEWER, program__code="statewide").exists()
    missing = client.post(f"/users/{target.pk}/", {"role": Role.EXAM_ADMINISTRATOR})
    assert missing.status_code == 400 and "needs a program" in missing.content.decode()
    # County roles belong to the county's own administrators: a program manager is not offered them.
    county_role = client.post(f"/users/{target.pk}/", {"role": Role.COUNTY_STAFF, "county": county("Fresno").pk})
    assert county_role.status_code == 400 and "You may not grant that role." in county_role.content.decode()
    assert not RoleAssignment.objects.filter(user=target, role=Role.COUNTY_STAFF).exists()


def test_api_me_with_session_and_token(client, db):
    peer = user_with_role(Role.PEER)
    assert client.get("/api/v1/me").status_code == 401
    client.force_login(peer)
    body = client.get("/api/v1/me").json()
    assert body["email"] == peer.email and body["roles"][0]["role"] == "peer"
    assert body["person"]["legal_name"] == peer.person.full_name
    client.logout()
    token, key = services.api_token_create(actor=peer, name="script")
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {key}"}).json()["id"] == peer.pk
    services.api_token_revoke(actor=peer, token=token)
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {key}"}).status_code == 401


def test_api_shows_scope_of_county_roles(client, db):
    billing = user_with_role(Role.COUNTY_BILLING, county_name="Fresno")
    client.force_login(billing)
    role = client.get("/api/v1/me").json()["roles"][0]
    assert role["scope_type"] == "county" and role["scope_name"] == "Fresno County"


def test_openapi_document_is_served(client, db):
    schema = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/me" in schema["paths"]
    assert client.get("/api/v1/docs").status_code == 200


def test_application_error_maps_to_400_and_409():
    from peercert.core.errors import ApplicationError

    assert ApplicationError("bad input").http_status == 400
    assert ApplicationError("already done", code="state").http_status == 409


@pytest.mark.parametrize("path", ["/account/", "/users/"])
def test_pages_need_sign_in(client, db, path):
    response = client.get(path)
    assert response.status_code == 302 and "/sign-in/" in response["Location"]
