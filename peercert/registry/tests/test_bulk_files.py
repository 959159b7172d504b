"""The nightly bulk files: the whole public registry as CSV and JSON Lines, with a JSON Schema."""

import csv
import datetime
import io
import json
import re

import pytest
import time_machine
from django.core.files.storage import default_storage
from django.core.management import call_command

from peercert.accounts.tests.factories import PersonFactory
from peercert.certification.models import CertificationSpecialization
from peercert.certification.tests.factories import CertificationFactory
from peercert.core.jobs import daily_jobs, run_daily_jobs
from peercert.registry import bulkfiles, selectors
from peercert.web.tests.spanish import get_in_spanish

pytestmark = pytest.mark.django_db
DOWNLOADS = "/registry/downloads/"
API = "/api/v1/registry/certifications"
WRITTEN = datetime.datetime(2026, 12, 1, 10, 30, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def _empty_storage():
    def wipe():
        for name in default_storage.listdir(bulkfiles._prefix())[1] if default_storage.exists("registry") else []:
            default_storage.delete(f"{bulkfiles._prefix()}/{name}")

    wipe()
    yield
    wipe()


@pytest.fixture
def registry():
    la = CertificationFactory(
        number="PSS-000301",
        person=PersonFactory(legal_first_name="=HYPERLINK(1)", legal_last_name="Renée"),
    )
    CertificationSpecialization.objects.create(certification=la, specialization="crisis", added_on=la.issued_on)
    CertificationSpecialization.objects.create(certification=la, specialization="unhoused", added_on=la.issued_on)
    CertificationFactory(number="PSS-000302", status="revoked", person=PersonFactory(legal_first_name="Thảo"))
    CertificationFactory(number="PSS-000303", person=PersonFactory(email="private.person@example.org"))


def body(response) -> str:
    return b"".join(response.streaming_content).decode("utf-8")


def written():
    with time_machine.travel(WRITTEN, tick=False):
        call_command("registry_bulk_files", stdout=io.StringIO())


def check(schema: dict, value, path="$") -> list[str]:
    """The few JSON Schema keywords schema.json uses, checked by hand (no validator dependency)."""
    problems = []
    kind = schema.get("type")
    kinds = kind if isinstance(kind, list) else [kind] if kind else []
    names = {"object": dict, "array": list, "string": str, "null": type(None)}
    if kinds and not any(isinstance(value, names[k]) for k in kinds):
        return [f"{path}: {type(value).__name__} is not {kinds}"]
    if "enum" in schema and value not in schema["enum"]:
        problems.append(f"{path}: {value!r} not in enum")
    if isinstance(value, str):
        if "pattern" in schema and not re.search(schema["pattern"], value):
            problems.append(f"{path}: {value!r} does not match {schema['pattern']}")
        if len(value) < schema.get("minLength", 0) or len(value) > schema.get("maxLength", 10**9):
            problems.append(f"{path}: length")
    if isinstance(value, dict):
        problems += [f"{path}: missing {k}" for k in schema.get("required", []) if k not in value]
        if schema.get("additionalProperties") is False:
            problems += [f"{path}: extra {k}" for k in value if k not in schema["properties"]]
        for k, v in value.items():
            if k in schema.get("properties", {}):
                problems += check(schema["properties"][k], v, f"{path}.{k}")
    if isinstance(value, list) and "items" in schema:
        for i, v in enumerate(value):
            problems += check(schema["items"], v, f"{path}[{i}]")
    return problems


def test_before_the_first_run_each_file_is_a_404_with_a_next_step(client):
    for name in ("registry.csv", "registry.jsonl"):
        response = client.get(DOWNLOADS + name)
        assert response.status_code == 404
        assert 'href="/registry/"' in response.content.decode() and "not been written yet" in response.content.decode()
    assert client.get(DOWNLOADS + "schema.json").status_code == 200
    assert client.get(DOWNLOADS + "other.txt").status_code == 404


def test_the_json_lines_match_the_api_and_validate_against_the_schema(client, registry):
    written()
    response = client.get(DOWNLOADS + "registry.jsonl")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/jsonl")
    assert response["Content-Disposition"] == 'attachment; filename="registry.jsonl"'
    assert response["Last-Modified"] == "Tue, 01 Dec 2026 10:30:00 GMT"
    lines = [json.loads(line) for line in body(response).splitlines()]
    api = client.get(API, {"page_size": 200}).json()["results"]
    assert lines == sorted(api, key=lambda r: r["number"])
    schema = client.get(DOWNLOADS + "schema.json").json()
    assert schema["$schema"].endswith("2020-12/schema") and schema["required"] == list(selectors.PUBLIC_FIELDS)
    for line in lines:
        assert check(schema, line) == []
    # The checker does catch what the schema forbids.
    assert check(schema, {**lines[0], "email": "x"}) == ["$: extra email"]
    assert check(schema, {**lines[0], "issued_on": "1 Dec"}) != []


def test_the_csv_has_the_same_records_with_formulas_defused(client, registry):
    written()
    response = client.get(DOWNLOADS + "registry.csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="registry.csv"'
    rows = list(csv.DictReader(io.StringIO(body(response))))
    assert [r["number"] for r in rows] == ["PSS-000301", "PSS-000302", "PSS-000303"]
    assert list(rows[0]) == list(selectors.PUBLIC_FIELDS)
    assert rows[0]["specializations"] == "crisis;unhoused"
    assert rows[0]["name"] == "'=HYPERLINK(1) Renée"  # a spreadsheet shows it as text, never runs it
    assert rows[1]["status"] == "revoked" and rows[1]["status_label"] == "Revoked"
    everything = body(client.get(DOWNLOADS + "registry.csv")) + body(client.get(DOWNLOADS + "registry.jsonl"))
    assert "private.person@example.org" not in everything and "date_of_birth" not in everything


def test_a_second_run_replaces_the_files_and_if_modified_since_saves_a_download(client, registry):
    written()
    CertificationFactory(number="PSS-000304")
    later = WRITTEN + datetime.timedelta(days=1)
    with time_machine.travel(later, tick=False):
        assert bulkfiles.generate() == {"rows": 4}
    assert len(default_storage.listdir(bulkfiles._prefix())[1]) == 3  # one pair and current.json
    assert body(client.get(DOWNLOADS + "registry.jsonl")).count("\n") == 4
    unchanged = client.get(DOWNLOADS + "registry.csv", headers={"if-modified-since": "Wed, 02 Dec 2026 10:30:00 GMT"})
    assert unchanged.status_code == 304


def test_a_daily_job_queues_the_task_that_writes_them(django_capture_on_commit_callbacks, registry):
    assert "registry.bulk_files" in [job.name for job in daily_jobs()]
    with django_capture_on_commit_callbacks(execute=True):
        (run,) = run_daily_jobs(only=["registry.bulk_files"])
    assert run.outcome == "succeeded" and run.counts == {"enqueued": 1}
    assert bulkfiles.current()["rows"] == 3


def test_the_developers_page_explains_every_part_in_english_and_spanish(client, registry):
    written()
    page = client.get("/registry/developers/").content.decode()
    for words in ("updated_since", "/api/v1/registry/verify", "registry.jsonl", "/fhir/Practitioner", "did.json"):
        assert words in page
    assert "curl " in page and 'href="/api/v1/openapi.json"' in page
    spanish = get_in_spanish(client, "/registry/developers/").content.decode()
    assert "<h1>El registro para desarrolladores</h1>" in spanish
    assert 'href="/registry/developers/"' in client.get("/registry/").content.decode()


def test_the_json_endpoints_are_in_the_openapi_document(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert "post" in paths["/api/v1/registry/verify"]
    names = {p["name"] for p in paths["/api/v1/registry/certifications"]["get"]["parameters"]}
    assert {"updated_since", "page_size", "number"} <= names
