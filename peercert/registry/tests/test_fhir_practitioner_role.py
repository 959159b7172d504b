"""FHIR PractitionerRole for each hire, and the provider Organizations it points at."""

import datetime
import json
from decimal import Decimal
from urllib.parse import urlsplit

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from fhir.resources.R4B import get_fhir_model_class

from peercert.accounts.tests.factories import PersonFactory
from peercert.benefit.models import EmploymentStatus, ProviderKind
from peercert.benefit.tests.factories import EmploymentFactory, ProviderFactory, county
from peercert.certification.tests.factories import CertificationFactory
from peercert.registry.fhir import resources

pytestmark = pytest.mark.django_db
URL = "/fhir/PractitionerRole"


def fhir(response, status=200):
    """The body parsed back into its fhir.resources model: it validates, and is the model's own JSON."""
    assert response.status_code == status, response.content[:500]
    assert response["Content-Type"].startswith("application/fhir+json")
    body = json.loads(response.content)
    model = get_fhir_model_class(body["resourceType"]).model_validate(body)
    assert json.loads(model.model_dump_json()) == body
    return body


def ids(body) -> list[str]:
    return [e["resource"]["id"] for e in body.get("entry", [])]


def refused(response, status=400) -> str:
    body = fhir(response, status=status)
    assert body["resourceType"] == "OperationOutcome"
    return body["issue"][0]["diagnostics"]


def link(body, relation) -> str | None:
    found = next((item["url"] for item in body["link"] if item["relation"] == relation), None)
    if found is None:
        return None
    parts = urlsplit(found)
    return f"{parts.path}?{parts.query}"


def at(day, hour=12):
    return time_machine.travel(datetime.datetime(2026, 3, day, hour, 0, tzinfo=datetime.UTC), tick=False)


@pytest.fixture
def hire():
    """A hired peer with every private field of person and employment filled in."""
    person = PersonFactory(
        legal_first_name="María",
        legal_last_name="Núñez",
        date_of_birth=datetime.date(1979, 4, 23),
        email="maria.private@example.org",
        phone="(530) 555-0199",
    )
    with at(2):
        CertificationFactory(number="PSS-000193", person=person)
        provider = ProviderFactory(
            name="Clínica Esperanza",
            npi="1234567893",
            address_line1="1200 Hidden Lane",
            postal_code="90033",
            kind=ProviderKind.CONTRACTED,
        )
        employment = EmploymentFactory(
            person=person,
            provider=provider,
            position_title="Senior Peer Navigator",
            fte=Decimal("0.75"),
            individual_npi="1987654329",
            smhs=True,
            dmc_ods=True,
            start_on=datetime.date(2025, 2, 1),
            hired_on=datetime.date(2025, 2, 3),
        )
    return employment


def test_a_hire_reads_as_a_practitioner_role(client, hire):
    body = fhir(client.get(f"{URL}/{hire.pk}"))
    assert body["id"] == str(hire.pk)
    assert body["meta"]["lastUpdated"] == "2026-03-02T12:00:00Z"
    assert body["active"] is True
    assert body["period"] == {"start": "2025-02-03"}
    assert body["practitioner"] == {"reference": "Practitioner/PSS-000193"}
    assert body["organization"] == {"reference": f"Organization/provider-{hire.provider_id}"}
    assert body["code"][0]["coding"][0]["code"] == resources.PEER_SPECIALIST
    assert [s["coding"][0]["code"] for s in body["specialty"]] == ["smhs", "dmc_ods"]
    assert body["specialty"][0]["coding"][0]["system"] == resources.delivery_system_code_system()
    (where,) = body["extension"]
    assert where["url"] == resources.county_extension_url()
    assert where["valueCodeableConcept"]["coding"] == [
        {"system": resources.FIPS_COUNTY_SYSTEM, "code": "06037", "display": "Los Angeles County"}
    ]


def test_its_references_resolve(client, hire):
    body = fhir(client.get(f"{URL}/{hire.pk}"))
    practitioner = fhir(client.get(f"/fhir/{body['practitioner']['reference']}"))
    assert practitioner["resourceType"] == "Practitioner" and practitioner["id"] == "PSS-000193"
    org = fhir(client.get(f"/fhir/{body['organization']['reference']}"))
    assert org["resourceType"] == "Organization"
    assert org["name"] == "Clínica Esperanza"
    assert org["identifier"] == [{"system": "http://hl7.org/fhir/sid/us-npi", "value": "1234567893"}]
    assert org["address"] == [{"city": "Los Angeles", "district": "Los Angeles County", "state": "CA", "country": "US"}]
    assert {c["code"] for t in org["type"] for c in t["coding"]} == {"provider", "prov", "contracted"}


def test_no_private_field_ever_appears(client, hire):
    pages = [
        client.get(f"{URL}/{hire.pk}"),
        client.get(URL),
        client.get(URL, {"practitioner": "PSS-000193"}),
        client.get(f"/fhir/Organization/provider-{hire.provider_id}"),
        client.get("/fhir/Organization", {"type": "provider"}),
    ]
    for response in pages:
        fhir(response)
        text = response.content.decode()
        for secret in (
            "Senior Peer Navigator",
            "0.75",
            "1987654329",
            "1979",
            "maria.private",
            "555-0199",
            "Hidden Lane",
            "90033",
            "María",  # the role carries a reference, not the person
        ):
            assert secret not in text, (secret, response.request["PATH_INFO"])


def test_only_hires_appear_and_an_ended_one_has_its_period(client, hire):
    person = hire.person
    recorded = EmploymentFactory(person=person, status=EmploymentStatus.RECORDED, hired_on=None)
    withdrawn = EmploymentFactory(
        person=person,
        status=EmploymentStatus.ENDED,
        hired_on=None,
        end_on=datetime.date(2025, 3, 1),
        end_reason="never_started",
    )
    with at(5):
        ended = EmploymentFactory(
            person=person,
            status=EmploymentStatus.ENDED,
            start_on=datetime.date(2024, 1, 1),
            hired_on=datetime.date(2024, 1, 8),
            end_on=datetime.date(2024, 12, 31),
            end_reason="resigned",
            end_note="Moved to Oregon for family.",
        )
    uncertified = EmploymentFactory()  # a person with no certification at all
    body = fhir(client.get(URL))
    assert ids(body) == [str(hire.pk), str(ended.pk)] and body["total"] == 2
    gone = fhir(client.get(f"{URL}/{ended.pk}"))
    assert gone["active"] is False
    assert gone["period"] == {"start": "2024-01-08", "end": "2024-12-31"}
    assert "resigned" not in json.dumps(gone) and "Oregon" not in json.dumps(gone)
    for absent in (recorded, withdrawn, uncertified):
        assert fhir(client.get(f"{URL}/{absent.pk}"), status=404)["issue"][0]["code"] == "not-found"


def test_the_practitioner_is_the_peers_current_certification(client, hire):
    CertificationFactory(
        number="PSS-000900",
        person=hire.person,
        issued_on=datetime.date(2026, 1, 15),
        expires_on=datetime.date(2028, 1, 15),
    )
    body = fhir(client.get(f"{URL}/{hire.pk}"))
    assert body["practitioner"]["reference"] == "Practitioner/PSS-000900"
    assert ids(fhir(client.get(URL, {"practitioner": "PSS-000900"}))) == [str(hire.pk)]
    assert ids(fhir(client.get(URL, {"practitioner": "PSS-000193"}))) == []


@pytest.mark.parametrize(
    "typed",
    ["Practitioner/PSS-000193", "PSS-000193", "193", "pss000193", "{base}/Practitioner/PSS-000193"],
)
def test_search_by_practitioner(client, hire, typed):
    EmploymentFactory(person=CertificationFactory(number="PSS-000194").person)
    found = fhir(client.get(URL, {"practitioner": typed.format(base=resources.base_url())}))
    assert ids(found) == [str(hire.pk)] and found["total"] == 1


def test_search_by_organization_active_specialty_and_id(client, hire):
    other = EmploymentFactory(
        person=CertificationFactory(number="PSS-000194").person,
        provider=ProviderFactory(county=county("Fresno")),
        smhs=False,
        dmc=True,
        status=EmploymentStatus.ENDED,
        end_on=datetime.date(2025, 9, 1),
        end_reason="resigned",
    )
    assert ids(fhir(client.get(URL, {"organization": f"Organization/provider-{hire.provider_id}"}))) == [str(hire.pk)]
    assert ids(fhir(client.get(URL, {"organization": f"provider-{other.provider_id}"}))) == [str(other.pk)]
    assert ids(fhir(client.get(URL, {"organization": "program-statewide"}))) == []
    assert ids(fhir(client.get(URL, {"active": "true"}))) == [str(hire.pk)]
    assert ids(fhir(client.get(URL, {"active": "false"}))) == [str(other.pk)]
    assert ids(fhir(client.get(URL, {"active": "true,false"}))) == [str(hire.pk), str(other.pk)]
    assert ids(fhir(client.get(URL, {"specialty": "dmc"}))) == [str(other.pk)]
    assert ids(fhir(client.get(URL, {"specialty": f"{resources.delivery_system_code_system()}|smhs"}))) == [
        str(hire.pk)
    ]
    assert ids(fhir(client.get(URL, {"specialty": "nope"}))) == []
    assert ids(fhir(client.get(URL, {"_id": f"{other.pk},99999999999999999999"}))) == [str(other.pk)]
    fresno = fhir(client.get(f"{URL}/{other.pk}"))["extension"][0]["valueCodeableConcept"]
    assert fresno["text"] == "Fresno County"


def test_last_updated_is_the_employments(client, hire):
    with at(10):
        later = EmploymentFactory(person=CertificationFactory(number="PSS-000194").person)
    assert ids(fhir(client.get(URL, {"_lastUpdated": "gt2026-03-02T12:00:00Z"}))) == [str(later.pk)]
    assert ids(fhir(client.get(URL, {"_lastUpdated": "le2026-03-02T12:00:00Z"}))) == [str(hire.pk)]
    with at(20):
        hire.end_on = datetime.date(2026, 3, 20)
        hire.end_reason = "resigned"
        hire.status = EmploymentStatus.ENDED
        hire.save(update_fields=["end_on", "end_reason", "status", "updated_at"])
    body = fhir(client.get(URL, {"_lastUpdated": "ge2026-03-20"}))
    assert ids(body) == [str(hire.pk)]
    assert body["entry"][0]["resource"]["meta"]["lastUpdated"] == "2026-03-20T12:00:00Z"


def test_paging_follows_next_to_the_end_and_previous_back(client):
    made = [EmploymentFactory(person=CertificationFactory(number=f"PSS-{500 + i:06d}").person) for i in range(12)]
    url, pages, seen = f"{URL}?_count=5", [], []
    while url:
        body = fhir(client.get(url))
        assert body["total"] == 12
        pages.append(url)
        seen += ids(body)
        url = link(body, "next")
    assert len(pages) == 3
    assert seen == [str(e.pk) for e in made]
    back, url = [], pages[-1]
    while url:
        body = fhir(client.get(url))
        back = ids(body) + back
        url = link(body, "previous")
    assert back == seen
    none = fhir(client.get(URL, {"_count": "0"}))
    assert none["total"] == 12 and "entry" not in none
    assert "total" not in fhir(client.get(URL, {"_total": "none"}))


def test_a_page_is_a_bounded_number_of_statements_at_two_sizes(client):
    def statements(count):
        with CaptureQueriesContext(connection) as queries:
            body = fhir(client.get(URL, {"_count": str(count), "active": "true"}))
        return len(queries), len(ids(body))

    for i in range(3):
        EmploymentFactory(person=CertificationFactory(number=f"PSS-{700 + i:06d}").person)
    small = statements(200)
    for i in range(3, 40):
        EmploymentFactory(person=CertificationFactory(number=f"PSS-{700 + i:06d}").person, dmc=True)
    large = statements(200)
    assert small[1] == 3 and large[1] == 40
    assert small[0] == large[0] <= 3, (small, large)
    with CaptureQueriesContext(connection) as queries:
        fhir(client.get("/fhir/Organization", {"type": "provider", "_count": "200"}))
    assert len(queries) <= 6


def test_providers_are_organizations(client, hire):
    ProviderFactory(name="Centro Fresno", county=county("Fresno"), active_to=datetime.date(2024, 6, 30))
    body = fhir(client.get("/fhir/Organization", {"type": "provider"}))
    assert {e["resource"]["name"] for e in body["entry"]} == {"Clínica Esperanza", "Centro Fresno"}
    assert all(e["resource"]["id"].startswith("provider-") for e in body["entry"])
    closed = next(e["resource"] for e in body["entry"] if e["resource"]["name"] == "Centro Fresno")
    assert closed["active"] is False
    by_npi = fhir(client.get("/fhir/Organization", {"identifier": "http://hl7.org/fhir/sid/us-npi|1234567893"}))
    assert ids(by_npi) == [f"provider-{hire.provider_id}"]
    assert ids(fhir(client.get("/fhir/Organization", {"name": "clinica esperanza"}))) == [
        f"provider-{hire.provider_id}"
    ]
    everything = fhir(client.get("/fhir/Organization"))
    assert {"program-statewide", f"provider-{hire.provider_id}"} <= set(ids(everything))
    for missing in ("provider-0", "provider-99999999", "provider-x", "provider-99999999999999999999"):
        assert fhir(client.get(f"/fhir/Organization/{missing}"), status=404)["issue"][0]["code"] == "not-found"


@pytest.mark.parametrize(
    ("params", "words"),
    [
        ({"foo": "1"}, "cannot be searched by foo"),
        ({"fte": "1"}, "fte"),
        ({"practitioner": "Organization/provider-1"}, "Practitioner/<id>"),
        ({"organization": "Practitioner/PSS-000193"}, "Organization/<id>"),
        ({"active": "maybe"}, "true or false"),
        ({"_count": "201"}, "_count"),
        ({"_lastUpdated": "yesterday"}, "_lastUpdated"),
        ({"_cursor": "garbage"}, "page link"),
        ({"_cursor": "YWZ0ZXI6eHl6"}, "page link"),  # after:xyz
        ({"_cursor": "YWZ0ZXI6OTk5OTk5OTk5OTk5OTk5OTk5OTk5OQ"}, "page link"),  # after:9999999999999999999999
        ({"practitioner": ""}, "empty"),
    ],
)
def test_bad_searches_are_an_operation_outcome(client, params, words):
    assert words in refused(client.get(URL, params))


def test_unknown_ids_are_a_404(client, hire):
    for bad in ("0", "99999999", "abc", "99999999999999999999"):
        assert fhir(client.get(f"{URL}/{bad}"), status=404)["issue"][0]["code"] == "not-found"


def test_the_capability_statement_declares_practitioner_role(client):
    body = fhir(client.get("/fhir/metadata"))
    by_type = {r["type"]: r for r in body["rest"][0]["resource"]}
    assert {p["name"] for p in by_type["PractitionerRole"]["searchParam"]} == {
        "_id",
        "_lastUpdated",
        "practitioner",
        "organization",
        "active",
        "specialty",
    }
    assert {i["code"] for i in by_type["PractitionerRole"]["interaction"]} == {"read", "search-type"}


def test_writes_are_refused(client, hire):
    response = client.post(URL, data="{}", content_type="application/fhir+json")
    assert "read-only" in refused(response, status=405)


def test_refusals_are_in_the_readers_language(client):
    client.cookies["django_language"] = "es"
    assert "debe ser true o false" in refused(client.get(URL, {"active": "maybe"}))
    assert "solo el id" in refused(client.get(URL, {"practitioner": "Organization/x"}))
    assert "PractitionerRole" in refused(client.get("/fhir/Patient"))


def test_public_hires_never_loads_a_private_column(hire):
    from peercert.benefit.selectors import public_hires, public_providers

    (row,) = public_hires()
    assert row.certification_number == "PSS-000193"
    assert {"fte", "individual_npi", "end_reason", "end_note", "position_title", "hired_by_id"} <= (
        row.get_deferred_fields()
    )
    assert {"address_line1", "postal_code"} <= row.provider.get_deferred_fields()
    (provider,) = public_providers()
    assert {"address_line1", "postal_code"} <= provider.get_deferred_fields()


def test_the_developers_page_explains_practitioner_role_in_english_and_spanish(client):
    from peercert.web.tests.spanish import get_in_spanish

    page = client.get("/registry/developers/").content.decode()
    assert "/fhir/PractitionerRole?practitioner=Practitioner/PSS-000193" in page
    assert "PractitionerRole is each hire" in page
    assert "PractitionerRole es cada contratación" in get_in_spanish(client, "/registry/developers/").content.decode()
