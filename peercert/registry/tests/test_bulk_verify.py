"""Bulk verification: up to 5,000 numbers from a CSV or JSON, each answered or reported by line."""

import csv
import io
import json

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from peercert.accounts.tests.factories import PersonFactory
from peercert.certification.models import CertificationNumberRecord, CertificationSpecialization
from peercert.certification.tests.factories import CertificationFactory
from peercert.discipline.tests.factories import ActionFactory
from peercert.registry import bulk
from peercert.web.tests.spanish import get_in_spanish

pytestmark = pytest.mark.django_db
API = "/api/v1/registry/verify"
PAGE = "/registry/bulk/"


@pytest.fixture(autouse=True)
def _fresh_counts():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def peers():
    maria = CertificationFactory(
        number="PSS-000193", person=PersonFactory(legal_first_name="María", legal_last_name="López")
    )
    CertificationSpecialization.objects.create(certification=maria, specialization="crisis", added_on=maria.issued_on)
    jose = CertificationFactory(
        number="PSS-000194",
        status="suspended",
        person=PersonFactory(legal_first_name="José", legal_middle_name="Luis", legal_last_name="Núñez-Ibáñez"),
    )
    ActionFactory(complaint__respondent_person=jose.person, public_summary="Suspended for 30 days.")
    moved = CertificationFactory(number="PSS-000195")
    CertificationNumberRecord.objects.create(certification=moved, number="FRE-0042", program_name="Fresno")
    return {"maria": maria, "jose": jose, "moved": moved}


def upload(text: str, name: str = "numbers.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


def post_json(client, items, **extra):
    return client.post(API, data=json.dumps({"items": items}), content_type="application/json", **extra)


def test_json_answers_each_number_with_its_public_record_and_the_name_match(client, peers):
    body = post_json(
        client,
        [
            {"number": "PSS-000193", "name": "maria lopez"},
            {"number": "194", "name": "Jose Nunez Ibanez"},
            {"number": "pss 193"},
            {"number": "not a number!"},
            {"number": "PSS-999999", "name": "Nobody"},
            {"number": "fre-0042"},
            {"number": "193", "name": "Someone Else"},
        ],
    ).json()
    assert (body["count"], body["found"], body["problems"]) == (7, 3, 4)
    first, second, dup, bad, missing, former, dup2 = body["results"]
    assert first["found"] and first["status"] == "active" and first["name"] == "María López"
    assert first["name_matches"] is True and first["expires_on"] == "2027-01-15"
    assert first["specializations"] == [{"code": "crisis", "label": "Crisis services"}]
    assert second["status"] == "suspended" and second["name_matches"] is True
    assert second["disciplinary_actions"][0]["summary"] == "Suspended for 30 days."
    assert dup["problem"] == "duplicate" and "line 1" in dup["message"] and not dup["found"]
    assert dup2["problem"] == "duplicate" and dup2["line"] == 7
    assert bad["problem"] == "malformed" and bad["line"] == 4
    assert missing["problem"] == "not_found" and missing["name_matches"] is None
    assert former["found"] and former["current_number"] == "PSS-000195"


def test_name_match_is_accent_and_case_folded_but_still_a_match():
    person = PersonFactory.build(
        legal_first_name="José", legal_middle_name="Luis", legal_last_name="Núñez-Ibáñez", preferred_name="Pepe"
    )
    for same in ("JOSE NUNEZ-IBANEZ", "josé luis núñez ibáñez", "Núñez-Ibáñez, José", "pepe nunez ibanez"):
        assert bulk.name_matches(same, person), same
    for other in ("José Núñez", "Jose Ibanez", "", "Luis Núñez-Ibáñez"):
        assert not bulk.name_matches(other, person), other


def test_over_5000_items_is_refused_by_the_api(client):
    response = post_json(client, [{"number": str(i)} for i in range(5001)])
    assert response.status_code == 422
    assert "5000" in json.dumps(response.json())


def test_the_statement_count_does_not_grow_with_the_numbers(client, django_assert_max_num_queries, peers):
    for i in range(60):
        CertificationFactory(number=f"PSS-1{i:05d}")
    small = [bulk.Item(line=i, number=n) for i, n in enumerate(["PSS-000193", "PSS-000194", "FRE-0042"], start=1)]
    large = [bulk.Item(line=i + 1, number=f"PSS-1{i:05d}") for i in range(60)] + [
        bulk.Item(line=61, number="PSS-000194"),
        bulk.Item(line=62, number="FRE-0042"),
        bulk.Item(line=63, number="PSS-424242"),
    ]
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        assert bulk.verify_items(small)["found"] == 3
    with CaptureQueriesContext(connection) as many:
        assert bulk.verify_items(large)["found"] == 62
    assert len(few) == len(many) <= 3


def test_the_page_answers_a_csv_upload_and_offers_the_csv(client, peers):
    response = client.post(
        PAGE, {"file": upload("number,name\nPSS-000193,Maria Lopez\n\n193\nbad!\n194,Wrong Name\n"), "format": "page"}
    )
    assert response.status_code == 200
    answer = response.context["answer"]
    assert [(r["line"], r["problem"]) for r in answer["results"]] == [
        (2, None),
        (4, "duplicate"),
        (5, "malformed"),
        (6, None),
    ]
    assert answer["results"][3]["name_matches"] is False
    html = response.content.decode()
    assert 'data-testid="bulk-results"' in html and "Line 5:" in html
    # The download button sends the same lines back and gets the CSV.
    download = client.post(PAGE, {"items": response.context["items_json"]})
    assert download["Content-Disposition"] == 'attachment; filename="registry-verification.csv"'
    rows = list(csv.DictReader(io.StringIO(b"".join(download.streaming_content).decode())))
    assert [r["line"] for r in rows] == ["2", "4", "5", "6"]
    assert rows[0]["status"] == "active" and rows[0]["name_matches"] == "yes" and rows[3]["name_matches"] == "no"
    assert rows[3]["disciplinary_actions"].startswith("Suspension")


def test_check_and_download_in_one_step(client, peers):
    response = client.post(PAGE, {"file": upload("Number\npss000193\n"), "format": "csv"})
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0]["current_number"] == "PSS-000193" and rows[0]["expires_on"] == "2027-01-15"


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("name\nMaría\n", "must name a column “number”"),
        ("number,email\n193,a@b.c\n", "Unknown column(s): email"),
        ("number\n", "header but no rows"),
        ("number\n" + "\n".join(str(i) for i in range(5001)) + "\n", "more than 5000 rows"),
    ],
)
def test_a_file_that_cannot_be_checked_says_why(client, text, says):
    response = client.post(PAGE, {"file": upload(text), "format": "page"})
    assert response.status_code == 400
    assert says in response.content.decode()


def test_a_file_that_is_not_a_csv_is_a_form_error(client):
    response = client.post(PAGE, {"file": upload("%PDF-1.7 nope", name="numbers.pdf"), "format": "page"})
    assert response.status_code == 400 and response.context["form"].errors["file"]


def test_exactly_5000_lines_are_answered(client):
    text = "number\n" + "\n".join(f"PSS-{i:06d}" for i in range(1, 5001)) + "\n"
    response = client.post(PAGE, {"file": upload(text), "format": "page"})
    assert response.status_code == 200
    assert response.context["answer"]["count"] == 5000 and len(response.context["shown"]) == 500


@override_settings(REGISTRY_BULK_REQUESTS_PER_WINDOW=2)
def test_bulk_requests_are_rate_limited_per_address(client, peers):
    items = [{"number": "193"}]
    assert post_json(client, items).status_code == 200
    assert post_json(client, items).status_code == 200
    refused = post_json(client, items)
    assert refused.status_code == 429 and 1 <= int(refused["Retry-After"]) <= 3600
    assert "the limit is 2 an hour" in refused.json()["detail"]
    # The page counts against the same address, and another address is not affected.
    page = client.post(PAGE, {"file": upload("number\n193\n"), "format": "page"})
    assert page.status_code == 429 and page["Retry-After"]
    assert post_json(client, items, REMOTE_ADDR="10.0.0.9").status_code == 200


def test_the_page_in_spanish_at_any_width(client):
    body = get_in_spanish(client, PAGE).content.decode()
    assert "<h1>Verifique muchas certificaciones a la vez</h1>" in body
    assert "usa-table--stacked" not in body  # no results yet
    assert 'enctype="multipart/form-data"' in body and 'name="file"' in body


def test_public_actions_are_what_each_verification_page_shows(client, peers):
    from peercert.discipline.models import ActionKind, ActionStatus
    from peercert.registry import selectors

    maria, jose = peers["maria"], peers["jose"]
    ActionFactory(complaint__respondent_person=maria.person, status=ActionStatus.OVERTURNED)  # never public
    ActionFactory(
        complaint__respondent_person=maria.person, kind=ActionKind.REVOCATION, public_summary="Revoked, then restored."
    )
    other = CertificationFactory(number="PSS-000196")
    ActionFactory(complaint__respondent_person=PersonFactory(), certification_id=other.pk, public_summary="By id.")
    answer = bulk.verify_items(
        [bulk.Item(line=i, number=c.number) for i, c in enumerate([maria, jose, other, peers["moved"]], start=1)]
    )
    for row in answer["results"]:
        page = selectors.registry_record(row["current_number"])
        assert row["disciplinary_actions"] == page["disciplinary_actions"], row["number"]
    assert [len(r["disciplinary_actions"]) for r in answer["results"]] == [1, 1, 1, 0]
