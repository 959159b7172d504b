"""The FHIR directory's resources: what a Practitioner and an Organization say, and what they never say."""

import datetime
import json

import pytest
import time_machine
from django.urls import get_resolver
from fhir.resources.R4B import get_fhir_model_class

from peercert.accounts.models import Person
from peercert.accounts.tests.factories import PersonFactory, TrainingEntityFactory
from peercert.certification import services
from peercert.certification.models import CertificationNumberRecord, CertificationSpecialization
from peercert.certification.tests.factories import CertificationFactory
from peercert.core.access import PUBLIC
from peercert.registry.access import ACCESS
from peercert.registry.fhir import resources
from peercert.training.tests.factories import ApprovedProviderFactory, ProviderApplicationFactory

pytestmark = pytest.mark.django_db
NDH = "http://hl7.org/fhir/us/ndh/StructureDefinition/base-ext-practitioner-qualification"


def fhir(response, status=200):
    """The response body parsed back into its fhir.resources model: it must validate, and the model's
    own serialization must be exactly what was served (the views write validated data with json)."""
    assert response.status_code == status, response.content[:500]
    assert response["Content-Type"].startswith("application/fhir+json")
    body = json.loads(response.content)
    model = get_fhir_model_class(body["resourceType"]).model_validate(body)
    assert json.loads(model.model_dump_json()) == body
    return body, model


@pytest.fixture
def maria():
    """A peer with every private field filled in, so their absence means something."""
    person = PersonFactory(
        legal_first_name="María",
        legal_middle_name="Inés",
        legal_last_name="Núñez",
        preferred_name="Mimi",
        date_of_birth=datetime.date(1979, 4, 23),
        email="maria.private@example.org",
        phone="(530) 555-0199",
        address_line1="1200 Hidden Lane",
        city="Quincy",
        postal_code="95971",
    )
    with time_machine.travel(datetime.datetime(2026, 3, 2, 17, 30, tzinfo=datetime.UTC), tick=False):
        cert = CertificationFactory(number="PSS-000193", person=person)
        CertificationSpecialization.objects.create(
            certification=cert, specialization="crisis", added_on=datetime.date(2025, 6, 1)
        )
        CertificationSpecialization.objects.create(
            certification=cert, specialization="unhoused", added_on=datetime.date(2025, 8, 1)
        )
    return cert


def extension(qualification: dict, url: str) -> dict:
    return next(e for e in qualification["extension"] if e["url"] == url)


def test_a_practitioner_carries_the_certification_and_each_specialization(client, maria):
    body, model = fhir(client.get("/fhir/Practitioner/PSS-000193"))
    assert model.id == "PSS-000193"
    assert body["meta"]["lastUpdated"] == "2026-03-02T17:30:00Z"
    assert body["active"] is True
    assert body["name"] == [
        {"use": "official", "text": "María Inés Núñez", "family": "Núñez", "given": ["María", "Inés"]}
    ]
    assert body["identifier"] == [{"system": resources.number_system(), "value": "PSS-000193"}]
    codes = [q["code"]["coding"][0]["code"] for q in body["qualification"]]
    assert codes == ["medi-cal-peer-support-specialist", "crisis", "unhoused"]
    core, crisis, _unhoused = body["qualification"]
    assert core["code"]["coding"][0]["system"] == resources.code_system()
    assert core["code"]["coding"][0]["display"] == "Medi-Cal Peer Support Specialist"
    assert core["identifier"] == [{"system": resources.number_system(), "value": "PSS-000193"}]
    assert core["period"] == {"start": "2025-01-15", "end": "2027-01-15"}
    assert crisis["period"] == {"start": "2025-06-01", "end": "2027-01-15"}
    assert crisis["code"]["coding"][0]["display"] == "Crisis services"
    assert core["issuer"]["reference"] == "Organization/program-statewide"
    ndh = extension(core, NDH)
    assert {e["url"]: e for e in ndh["extension"]}["status"]["valueCode"] == "active"
    where = {e["url"]: e for e in ndh["extension"]}["whereValid"]["valueCodeableConcept"]["coding"][0]
    assert (where["system"], where["code"]) == ("https://www.usps.com/", "CA")
    assert extension(core, resources.status_extension_url())["valueCoding"]["code"] == "active"


def test_the_issuer_reference_resolves_to_an_organization(client, maria):
    body, _ = fhir(client.get("/fhir/Practitioner/PSS-000193"))
    reference = body["qualification"][0]["issuer"]["reference"]
    org, _ = fhir(client.get(f"/fhir/{reference}"))
    assert org["resourceType"] == "Organization"
    assert org["name"] == maria.program.name
    assert org["identifier"][0] == {"system": resources.program_system(), "value": "statewide"}


def test_no_private_field_ever_appears(client, maria):
    pages = [
        client.get("/fhir/Practitioner/PSS-000193"),
        client.get("/fhir/Practitioner", {"name": "nunez"}),
        client.get("/fhir/Practitioner", {"identifier": "193"}),
        client.get("/fhir/Practitioner"),
    ]
    for response in pages:
        body, _ = fhir(response)
        text = response.content.decode()
        for secret in (
            "1979-04-23",
            "1979",
            "maria.private",
            "example.org",
            "555-0199",
            "Hidden Lane",
            "95971",
            "Quincy",
            "Mimi",
        ):
            assert secret not in text
        practitioners = [body] if body["resourceType"] == "Practitioner" else [e["resource"] for e in body["entry"]]
        assert practitioners
        for p in practitioners:
            assert not {"birthDate", "telecom", "address", "gender", "photo", "communication"} & set(p)
    assert json.loads(pages[0].content)["id"] == maria.number  # the public number, not a person or row id


def test_the_demo_peer_shows_no_birth_date_email_or_phone(client):
    import io

    from peercert.accounts import demo

    demo.seed(io.StringIO())
    person = Person.objects.get(email="peer@demo.peercert.example")
    CertificationFactory(number="PSS-000777", person=person)
    for response in (
        client.get("/fhir/Practitioner/PSS-000777"),
        client.get("/fhir/Practitioner", {"name": "maria jose hernandez"}),
    ):
        body, _ = fhir(response)
        text = response.content.decode()
        assert "María José Hernández" in text
        for secret in ("1988-03-14", "peer@demo.peercert.example", "555-0119", "90033"):
            assert secret not in text


@pytest.mark.parametrize(
    ("status", "ndh", "active"),
    [
        ("active", "active", True),
        ("suspended", "inactive", False),
        ("expired", "inactive", False),
        ("revoked", "revoked", False),
        ("surrendered", "inactive", False),
        ("vacated", "inactive", False),
    ],
)
def test_every_status_reads_as_ndh_status_and_its_own(client, status, ndh, active):
    CertificationFactory(number="PSS-000300", status=status)
    body, _ = fhir(client.get("/fhir/Practitioner/PSS-000300"))
    assert body["active"] is active
    core = body["qualification"][0]
    assert {e["url"]: e for e in extension(core, NDH)["extension"]}["status"]["valueCode"] == ndh
    assert extension(core, resources.status_extension_url())["valueCoding"]["code"] == status


def test_a_suspension_shows_at_once_and_moves_last_updated(client, maria):
    with time_machine.travel(datetime.datetime(2026, 4, 1, 16, 0, tzinfo=datetime.UTC), tick=False):
        services.certification_change_status(
            actor=None, certification=maria, to_status="suspended", reason="Disciplinary order 12."
        )
    body, _ = fhir(client.get("/fhir/Practitioner/PSS-000193"))
    assert body["meta"]["lastUpdated"] == "2026-04-01T16:00:00Z"
    assert extension(body["qualification"][0], resources.status_extension_url())["valueCoding"]["code"] == "suspended"
    found, _ = fhir(client.get("/fhir/Practitioner", {"_lastUpdated": "ge2026-04-01T16:00:00Z"}))
    assert [e["resource"]["id"] for e in found["entry"]] == ["PSS-000193"]


def test_a_former_number_redirects_to_the_current_one(client, maria):
    CertificationNumberRecord.objects.create(certification=maria, number="LA-4411", program_name="Los Angeles program")
    response = client.get("/fhir/Practitioner/LA-4411")
    assert response.status_code == 301
    assert response["Location"] == "/fhir/Practitioner/PSS-000193"
    lower = client.get("/fhir/Practitioner/pss-000193")
    assert lower.status_code == 301 and lower["Location"] == "/fhir/Practitioner/PSS-000193"


def test_unknown_ids_are_a_404_operation_outcome(client, maria):
    for url in (
        "/fhir/Practitioner/PSS-999999",
        f"/fhir/Practitioner/{maria.pk}",
        "/fhir/Practitioner/has%20space",
        "/fhir/Organization/program-nowhere",
        "/fhir/Organization/training-0",
    ):
        body, _ = fhir(client.get(url), status=404)
        assert body["issue"][0]["code"] == "not-found"


def test_organizations_are_programs_and_approved_training_entities_only(client):
    approved = ApprovedProviderFactory(
        training_entity=TrainingEntityFactory(
            name="Centro de Capacitación Peña", city="Fresno", website="https://pena.example", email="x@pena.example"
        )
    ).training_entity
    ProviderApplicationFactory(training_entity=TrainingEntityFactory(name="Not Yet Approved"))
    body, _ = fhir(client.get("/fhir/Organization"))
    names = [e["resource"]["name"] for e in body["entry"]]
    assert "Centro de Capacitación Peña" in names
    assert "Not Yet Approved" not in names
    assert body["total"] == len(names)
    found, _ = fhir(client.get("/fhir/Organization", {"name": "capacitacion pena"}))
    assert [e["resource"]["id"] for e in found["entry"]] == [f"training-{approved.pk}"]
    one, _ = fhir(client.get(f"/fhir/Organization/training-{approved.pk}"))
    assert one["type"][0]["coding"][0]["code"] == "training-entity"
    assert one["address"] == [{"city": "Fresno", "state": "CA", "country": "US"}]
    assert "x@pena.example" not in json.dumps(one)
    programs, _ = fhir(client.get("/fhir/Organization", {"type": "certification-program"}))
    assert {e["resource"]["id"] for e in programs["entry"]} >= {"program-statewide"}
    assert all(e["resource"]["id"].startswith("program-") for e in programs["entry"])
    by_code, _ = fhir(client.get("/fhir/Organization", {"identifier": f"{resources.program_system()}|statewide"}))
    assert [e["resource"]["id"] for e in by_code["entry"]] == ["program-statewide"]


def test_organization_paging_follows_to_the_end(client):
    for i in range(7):
        ApprovedProviderFactory(training_entity=TrainingEntityFactory(name=f"Entity {i}"))
    seen, url, pages = [], "/fhir/Organization?_count=3", 0
    while url:
        body, _ = fhir(client.get(url))
        seen += [e["resource"]["id"] for e in body.get("entry", [])]
        url = next((link["url"] for link in body["link"] if link["relation"] == "next"), None)
        pages += 1
    assert len(seen) == len(set(seen)) == body["total"]
    assert pages == -(-body["total"] // 3)


def test_the_capability_statement(client):
    body, model = fhir(client.get("/fhir/metadata"))
    assert model.fhirVersion == "4.0.1"
    assert body["kind"] == "instance" and body["status"] == "active"
    rest = body["rest"][0]
    assert rest["mode"] == "server"
    by_type = {r["type"]: r for r in rest["resource"]}
    assert set(by_type) == {"Practitioner", "Organization", "PractitionerRole"}
    for r in by_type.values():
        assert {i["code"] for i in r["interaction"]} == {"read", "search-type"}
    assert {p["name"] for p in by_type["Practitioner"]["searchParam"]} == {"_id", "_lastUpdated", "name", "identifier"}
    assert {p["name"] for p in by_type["Organization"]["searchParam"]} >= {"name", "identifier", "type"}
    fhir(client.get("/fhir/metadata", {"foo": "1"}), status=400)


def test_every_fhir_route_has_a_public_access_row():
    names = [p.name for p in get_resolver().namespace_dict["fhir"][1].url_patterns]
    assert names
    for name in names:
        assert ACCESS[f"fhir:{name}"]["allow"] == PUBLIC


def test_no_sign_in_is_needed_and_any_page_may_read_it(client, maria):
    response = client.get("/fhir/Practitioner/PSS-000193")
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


def test_a_resource_its_model_refuses_is_never_served(client, maria, monkeypatch):
    resources._validated.clear()
    monkeypatch.setattr(resources, "_meta", lambda updated_at: {"lastUpdated": "not-an-instant"})
    for url in ("/fhir/Practitioner/PSS-000193", "/fhir/Practitioner?name=nunez"):
        body, _ = fhir(client.get(url), status=500)
        assert body["resourceType"] == "OperationOutcome"
        assert "not-an-instant" not in json.dumps(body)


def test_the_same_content_is_validated_once_and_changed_content_again(client, maria, monkeypatch):
    resources._validated.clear()
    calls = []
    real = resources.get_fhir_model_class

    def counting(name):
        calls.append(name)
        return real(name)

    monkeypatch.setattr(resources, "get_fhir_model_class", counting)
    fhir(client.get("/fhir/Practitioner/PSS-000193"))
    fhir(client.get("/fhir/Practitioner/PSS-000193"))
    assert calls.count("Practitioner") == 1
    with time_machine.travel(datetime.datetime(2026, 4, 1, 16, 0, tzinfo=datetime.UTC), tick=False):
        services.certification_change_status(
            actor=None, certification=maria, to_status="suspended", reason="Disciplinary order 12."
        )
    body, _ = fhir(client.get("/fhir/Practitioner/PSS-000193"))
    assert calls.count("Practitioner") == 2
    assert body["active"] is False


def test_organizations_by_last_updated_and_paging_back(client):
    with time_machine.travel(datetime.datetime(2030, 1, 2, 12, 0, tzinfo=datetime.UTC), tick=False):
        late = ApprovedProviderFactory(training_entity=TrainingEntityFactory(name="Late Entity")).training_entity
    body, _ = fhir(client.get("/fhir/Organization", {"_lastUpdated": "ge2030-01-01"}))
    assert [e["resource"]["id"] for e in body["entry"]] == [f"training-{late.pk}"]
    assert "entry" not in fhir(client.get("/fhir/Organization", {"_lastUpdated": "gt2030-01-02T12:00:00Z"}))[0]
    for i in range(4):
        ApprovedProviderFactory(training_entity=TrainingEntityFactory(name=f"Paged {i}"))
    last, url = None, "/fhir/Organization?_count=2"
    forward = []
    while url:
        last, _ = fhir(client.get(url))
        forward += [e["resource"]["id"] for e in last.get("entry", [])]
        url = next((link["url"] for link in last["link"] if link["relation"] == "next"), None)
    backward, url = [], next(link["url"] for link in last["link"] if link["relation"] == "self")
    while url:
        page, _ = fhir(client.get(url))
        backward = [e["resource"]["id"] for e in page.get("entry", [])] + backward
        url = next((link["url"] for link in page["link"] if link["relation"] == "previous"), None)
    assert backward == forward


def test_head_answers_like_get(client, maria):
    assert client.head("/fhir/Practitioner/PSS-000193").status_code == 200
    assert client.head("/fhir/metadata").status_code == 200
