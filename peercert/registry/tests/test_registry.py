import datetime
import json

import pytest

from peercert.accounts.models import County
from peercert.accounts.tests.factories import PersonFactory
from peercert.certification import services
from peercert.certification.models import ApplicationDocument, CertificationNumberRecord, CertificationSpecialization
from peercert.certification.tests.factories import CertificationFactory, applicant, filled_application
from peercert.registry import selectors

pytestmark = pytest.mark.django_db
API = "/api/v1/registry/certifications"


@pytest.fixture
def people():
    la = County.objects.get(name="Los Angeles")
    fresno = County.objects.get(name="Fresno")
    josé = CertificationFactory(
        number="PSS-000101", county=la, person=PersonFactory(legal_first_name="José", legal_last_name="Núñez-Ibáñez")
    )
    zoe = CertificationFactory(
        number="PSS-000102",
        county=fresno,
        status="suspended",
        person=PersonFactory(legal_first_name="Zoë", legal_last_name="Møller"),
    )
    thao = CertificationFactory(
        number="PSS-000103", person=PersonFactory(legal_first_name="Thảo", legal_last_name="Trần")
    )
    CertificationSpecialization.objects.create(
        certification=thao, specialization="crisis", added_on=datetime.date(2025, 3, 1)
    )
    return {"jose": josé, "zoe": zoe, "thao": thao, "la": la}


def numbers(result):
    return [r["number"] for r in result["results"]]


def test_name_search_is_partial_and_ignores_case_and_accents(people):
    assert numbers(selectors.registry_search(name="NUNEZ")) == ["PSS-000101"]
    assert numbers(selectors.registry_search(name="ibáñ")) == ["PSS-000101"]
    assert numbers(selectors.registry_search(name="ZOE")) == ["PSS-000102"]
    assert numbers(selectors.registry_search(name="tran")) == ["PSS-000103"]


def test_search_by_number_status_specialization_and_county(people):
    assert numbers(selectors.registry_search(number="pss-000102")) == ["PSS-000102"]
    assert numbers(selectors.registry_search(status="suspended")) == ["PSS-000102"]
    assert numbers(selectors.registry_search(specialization="crisis")) == ["PSS-000103"]
    assert numbers(selectors.registry_search(county_id=people["la"].pk)) == ["PSS-000101"]


def test_paging_without_a_count():
    for i in range(25):
        CertificationFactory(
            number=f"PSS-1{i:05d}", person=PersonFactory(legal_first_name="Ana", legal_last_name=f"Peña{i:02d}")
        )
    first = selectors.registry_search(name="ana", page=1)
    second = selectors.registry_search(name="ana", page=2)
    assert len(first["results"]) == 20 and first["has_next"] and not first["has_previous"]
    assert len(second["results"]) == 5 and not second["has_next"] and second["has_previous"]
    # Both pages together hold every match once, in name order (Peña00 ... Peña24).
    assert numbers(first) + numbers(second) == [f"PSS-1{i:05d}" for i in range(25)]
    assert selectors.registry_search(name="ana", page=3)["results"] == []


def test_api_search_and_verify_need_no_sign_in(client, people):
    body = client.get(API, {"name": "nunez"}).json()
    assert body["results"][0]["name"] == "José Núñez-Ibáñez" and body["results"][0]["status"] == "active"
    detail = client.get(f"{API}/PSS-000103").json()
    assert detail["specializations"] == [{"code": "crisis", "label": "Crisis services"}]
    assert detail["disciplinary_actions"] == []
    assert client.get(f"{API}/PSS-NOPE").status_code == 404


def test_status_change_shows_at_once(client, people):
    assert client.get(f"{API}/PSS-000101").json()["status"] == "active"
    services.certification_change_status(
        actor=None, certification=people["jose"], to_status="suspended", reason="order", source="discipline"
    )
    assert client.get(f"{API}/PSS-000101").json()["status"] == "suspended"
    page = client.get("/registry/PSS-000101")
    assert "Suspended" in page.content.decode()
    assert "no-cache" in page.headers.get("Cache-Control", "") or "max-age=0" in page.headers.get("Cache-Control", "")


def test_verification_page_and_old_numbers(client, people):
    response = client.get("/registry/PSS-000101")
    assert response.status_code == 200 and "José Núñez-Ibáñez" in response.content.decode()
    CertificationNumberRecord.objects.create(certification=people["jose"], number="FRE-0042", program_name="Fresno")
    assert client.get("/registry/FRE-0042").headers["Location"] == "/registry/PSS-000101"
    assert client.get("/registry/PSS-999999").status_code == 404
    html = client.get("/registry/", {"name": "josé"}).content.decode()
    assert "PSS-000101" in html and "PSS-000102" not in html


def test_public_pages_and_responses_never_show_private_details(client):
    user = applicant(first="Renée", last="Dubois-Castañeda", born=datetime.date(1979, 11, 23))
    person = user.person
    person.phone, person.email = "(213) 555-0199", "renee.private@example.org"
    person.address_line1, person.city, person.postal_code = "1234 Calle Secreta", "Pasadena", "91101"
    person.save()
    application = filled_application(user)  # lived experience, documents, ID name
    cert = CertificationFactory(person=person, number="PSS-000555", application=application)
    private = [
        "1979-11-23",
        "1979",
        "Nov. 23",
        "555-0199",
        "renee.private@example.org",
        "Calle Secreta",
        "91101",
        "Pasadena",
        user.email,
        "id.pdf",
        "scan.pdf",
        "/media/",
        "documents",
        "lived",
        "experience_area",
        "mental",
        "substance",
        "date_of_birth",
        "phone",
        "email",
        "address",
    ]
    docs = ApplicationDocument.objects.filter(application=application)
    private += [d.file.name for d in docs]
    pages = [
        client.get("/registry/", {"name": "renee"}).content.decode(),
        client.get("/registry/PSS-000555").content.decode(),
        json.dumps(client.get(API, {"name": "renee"}).json()),
        json.dumps(client.get(API, {"number": "PSS-000555"}).json()),
        json.dumps(client.get(f"{API}/PSS-000555").json()),
    ]
    assert all("Dubois-Castañeda" in p or "Dubois-Casta\\u00f1eda" in p for p in pages)
    for text in pages:
        for secret in private:
            assert secret.lower() not in text.lower(), f"{secret!r} leaked"
    assert set(selectors.registry_record(cert.number)) == {
        *selectors.PUBLIC_FIELDS,
        "disciplinary_actions",
        "current_number",
    }
