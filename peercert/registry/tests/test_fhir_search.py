"""FHIR Practitioner search: name, identifier, _id, _lastUpdated, paging to the end and back, bad input."""

import datetime
import json
from urllib.parse import urlsplit

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.operationoutcome import OperationOutcome

from peercert.accounts.tests.factories import PersonFactory
from peercert.certification.models import CertificationSpecialization
from peercert.certification.tests.factories import CertificationFactory
from peercert.registry.fhir import resources
from peercert.registry.fhir.params import normalize_number

pytestmark = pytest.mark.django_db
URL = "/fhir/Practitioner"


def bundle(response) -> dict:
    assert response.status_code == 200, response.content[:500]
    body = json.loads(response.content)
    model = Bundle.model_validate(body)  # the Bundle and every resource in it validate
    assert json.loads(model.model_dump_json()) == body  # and what was served is the model's own JSON
    assert body["type"] == "searchset"
    return body


def ids(body) -> list[str]:
    return [e["resource"]["id"] for e in body.get("entry", [])]


def refused(response, status=400) -> str:
    assert response.status_code == status, response.content[:500]
    assert response["Content-Type"].startswith("application/fhir+json")
    body = json.loads(response.content)
    assert json.loads(OperationOutcome.model_validate(body).model_dump_json()) == body
    return body["issue"][0]["diagnostics"]


def link(body, relation) -> str | None:
    found = next((item["url"] for item in body["link"] if item["relation"] == relation), None)
    if found is None:
        return None
    assert found.startswith(resources.base_url())  # absolute
    parts = urlsplit(found)
    return f"{parts.path}?{parts.query}"


def moment(day, hour=12):
    return datetime.datetime(2026, 3, day, hour, 0, tzinfo=datetime.UTC)


@pytest.fixture
def peers():
    made = {}
    for number, first, last, day in [
        ("PSS-000101", "José", "Núñez-Ibáñez", 1),
        ("PSS-000102", "Zoë", "Møller", 2),
        ("PSS-000103", "Thảo", "Trần", 3),
        ("PSS-000193", "María", "Peña", 4),
    ]:
        with time_machine.travel(moment(day), tick=False):
            made[number] = CertificationFactory(
                number=number, person=PersonFactory(legal_first_name=first, legal_last_name=last)
            )
    return made


def test_name_is_partial_and_ignores_case_and_accents(client, peers):
    assert ids(bundle(client.get(URL, {"name": "NUNEZ"}))) == ["PSS-000101"]
    assert ids(bundle(client.get(URL, {"name": "ibáñ"}))) == ["PSS-000101"]
    assert ids(bundle(client.get(URL, {"name:contains": "zoe"}))) == ["PSS-000102"]
    assert ids(bundle(client.get(URL, {"name": "tran"}))) == ["PSS-000103"]
    assert bundle(client.get(URL, {"name": "nobody-like-this"}))["total"] == 0


@pytest.mark.parametrize("typed", ["193", "pss000193", "PSS-000193", "pss 000193", "PSS000193", " pss-193 "])
def test_identifier_as_people_type_it(client, peers, typed):
    body = bundle(client.get(URL, {"identifier": typed}))
    assert ids(body) == ["PSS-000193"] and body["total"] == 1


def test_identifier_with_a_system(client, peers):
    ours = resources.number_system()
    assert ids(bundle(client.get(URL, {"identifier": f"{ours}|PSS-000193"}))) == ["PSS-000193"]
    assert ids(bundle(client.get(URL, {"identifier": "|PSS-000193"}))) == ["PSS-000193"]
    assert ids(bundle(client.get(URL, {"identifier": "http://hl7.org/fhir/sid/us-npi|PSS-000193"}))) == []
    assert ids(bundle(client.get(URL, {"identifier": "101,PSS-000102"}))) == ["PSS-000101", "PSS-000102"]
    assert ids(bundle(client.get(URL, {"_id": "PSS-000103"}))) == ["PSS-000103"]


def test_normalize_number():
    assert normalize_number("193") == "PSS-000193"
    assert normalize_number("pss-0000193") == "PSS-0000193"
    assert normalize_number("PSB0000001") == "PSB-0000001"
    assert normalize_number("LA-4411") == "LA-004411"
    assert normalize_number("not a number!") == "NOT A NUMBER!"


def test_last_updated_prefixes(client, peers):
    def found(*values):
        return ids(bundle(client.get(URL, {"_lastUpdated": list(values)})))

    assert found("ge2026-03-03T12:00:00Z") == ["PSS-000103", "PSS-000193"]
    assert found("gt2026-03-03T12:00:00Z") == ["PSS-000193"]
    assert found("le2026-03-02T12:00:00Z") == ["PSS-000101", "PSS-000102"]
    assert found("lt2026-03-02T12:00:00Z") == ["PSS-000101"]
    assert found("2026-03-02T12:00:00Z") == ["PSS-000102"]
    # A date alone is a day in California: noon UTC on 2 March is 4 a.m. there.
    assert found("2026-03-02") == ["PSS-000102"]
    assert found("ge2026-03-02", "lt2026-03-04") == ["PSS-000102", "PSS-000103"]
    assert found("2026-03") == ["PSS-000101", "PSS-000102", "PSS-000103", "PSS-000193"]
    assert found("ge2026-03-02T04:00:00-08:00") == ["PSS-000102", "PSS-000103", "PSS-000193"]
    assert found("gt2026-03-04T12:00:00.000001Z") == []


def test_a_record_changed_a_second_after_the_timestamp_is_found_and_one_before_is_not(client):
    with time_machine.travel(datetime.datetime(2026, 5, 1, 9, 59, 59, tzinfo=datetime.UTC), tick=False):
        CertificationFactory(number="PSS-000401")
    with time_machine.travel(datetime.datetime(2026, 5, 1, 10, 0, 1, tzinfo=datetime.UTC), tick=False):
        CertificationFactory(number="PSS-000402")
    assert ids(bundle(client.get(URL, {"_lastUpdated": "gt2026-05-01T10:00:00Z"}))) == ["PSS-000402"]


def test_paging_follows_next_to_the_end_and_previous_back(client):
    for i in range(23):
        CertificationFactory(
            number=f"PSS-{500 + i:06d}", person=PersonFactory(legal_first_name="Ana", legal_last_name=f"Peña{i:02d}")
        )
    CertificationFactory(number="PSS-000999", person=PersonFactory(legal_first_name="Otro", legal_last_name="Nombre"))
    url, pages, seen = f"{URL}?name=pena&_count=5", [], []
    while url:
        body = bundle(client.get(url))
        assert body["total"] == 23
        pages.append(url)
        seen += ids(body)
        assert len(ids(body)) <= 5
        url = link(body, "next")
    assert len(pages) == 5
    assert seen == [f"PSS-{500 + i:06d}" for i in range(23)]
    # And back again from the last page.
    back = []
    url = pages[-1]
    while url:
        body = bundle(client.get(url))
        back = ids(body) + back
        url = link(body, "previous")
    assert back == seen
    first = bundle(client.get(f"{URL}?name=pena&_count=5"))
    assert link(first, "previous") is None
    assert link(first, "self") == "/fhir/Practitioner?name=pena&_count=5"


def test_count_zero_gives_only_the_total(client, peers):
    body = bundle(client.get(URL, {"_count": "0"}))
    assert body["total"] == 4 and ids(body) == []


def test_default_count_is_20_and_the_most_is_200(client):
    for i in range(25):
        CertificationFactory(number=f"PSS-{600 + i:06d}")
    assert len(ids(bundle(client.get(URL)))) == 20
    assert len(ids(bundle(client.get(URL, {"_count": "200"})))) == 25
    assert "200" in refused(client.get(URL, {"_count": "201"}))


def test_a_page_is_a_bounded_number_of_statements_whatever_count(client):
    for i in range(60):
        cert = CertificationFactory(number=f"PSS-{700 + i:06d}")
        CertificationSpecialization.objects.create(
            certification=cert, specialization="crisis", added_on=datetime.date(2025, 2, 1)
        )
    counts = {}
    for count in (1, 10, 60):
        with CaptureQueriesContext(connection) as queries:
            body = bundle(client.get(URL, {"_count": str(count), "name": "a"}))
        assert len(body["entry"]) <= count
        counts[count] = len(queries)
    assert counts[1] == counts[10] == counts[60] <= 6, counts


@pytest.mark.parametrize(
    ("params", "words"),
    [
        ({"foo": "1"}, "cannot be searched by foo"),
        ({"birthdate": "1985-06-01"}, "birthdate"),
        ({"name:exact": "ana"}, "name:exact"),
        ({"_sort": "name"}, "_sort"),
        ({"_count": "abc"}, "_count"),
        ({"_count": "-1"}, "_count"),
        ({"_count": "99999999999999999999"}, "_count"),
        ({"_lastUpdated": "yesterday"}, "_lastUpdated"),
        ({"_lastUpdated": "2026-13-40"}, "not a real date"),
        ({"_lastUpdated": "ne2026-01-01"}, "prefixes"),
        ({"_lastUpdated": "2026-01-01T10:00:00"}, "time zone"),
        ({"_lastUpdated": "9999-99-99"}, "not a real date"),
        ({"_cursor": "garbage"}, "page link"),
        ({"_cursor": "YWZ0ZXI6"}, "page link"),
        ({"name": "x" * 101}, "100"),
        ({"name": ""}, "empty"),
        ({"identifier": ",,"}, "commas"),
        ({"identifier": ",".join(str(i) for i in range(51))}, "50"),
    ],
)
def test_bad_searches_are_an_operation_outcome(client, params, words):
    assert words in refused(client.get(URL, params))


def test_a_repeated_parameter_is_refused(client):
    assert "once" in refused(client.get(f"{URL}?name=ana&name=jose"))
    assert "twice" in refused(
        client.get(f"{URL}?_lastUpdated=ge2026-01-01&_lastUpdated=le2026-02-01&_lastUpdated=gt2025-01-01")
    )


def test_only_json_is_served(client, peers):
    assert bundle(client.get(URL, {"_format": "json"}))["total"] == 4
    assert bundle(client.get(URL, {"_format": "application/fhir+json"}))["total"] == 4
    assert "JSON" in refused(client.get(URL, {"_format": "xml"}), status=406)
    pretty = client.get(URL, {"_pretty": "true"})
    assert b"\n  " in pretty.content


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_writes_are_a_405_operation_outcome(client, method):
    for url in (URL, "/fhir/Practitioner/PSS-000101", "/fhir/Organization", "/fhir/metadata"):
        response = getattr(client, method)(url, data="{}", content_type="application/fhir+json")
        assert "read-only" in refused(response, status=405)
        assert response["Allow"] == "GET, HEAD"


def test_unknown_paths_under_fhir_are_an_operation_outcome_not_html(client):
    for url in ("/fhir/Patient", "/fhir/Practitioner/", "/fhir/Practitioner/PSS-1/_history", "/fhir/"):
        assert "Practitioner" in refused(client.get(url))


def test_refusals_are_in_the_readers_language(client):
    client.cookies["django_language"] = "es"
    text = refused(client.get(URL, {"foo": "1"}), status=400)
    assert "no se puede buscar" in text.lower()
    assert "recurso" in refused(client.get("/fhir/Practitioner/PSS-424242"), status=404).lower()


def test_a_nul_character_is_refused_by_the_view_itself(rf):
    """The site's middleware answers NUL in plain text before any view outside /api/; the view's
    own refusal is what a FHIR client gets once /fhir/ is left to answer in FHIR's format."""
    from peercert.registry.fhir import views

    response = views.practitioner_search(rf.get(URL, {"name": "ana\x00"}))
    assert "NUL" in refused(response)


def test_total_none_leaves_the_count_out(client, peers):
    with CaptureQueriesContext(connection) as with_count:
        counted = bundle(client.get(URL, {"name": "a", "_count": "2"}))
    with CaptureQueriesContext(connection) as without:
        body = bundle(client.get(URL, {"name": "a", "_count": "2", "_total": "none"}))
    assert counted["total"] == 3 and "total" not in body
    assert ids(body) == ids(counted)
    assert len(without) == len(with_count) - 1
    assert "_total=none" in link(body, "next")
    assert bundle(client.get(URL, {"_total": "accurate"}))["total"] == 4
    assert "_total" in refused(client.get(URL, {"_total": "sometimes"}))
