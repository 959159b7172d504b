"""The public open-data dashboard and its API, for a visitor with no account."""

import csv
import datetime
import io
import json

import pytest
import time_machine
from django.core.cache import cache
from django.urls import reverse

from peercert.accounts.models import County
from peercert.accounts.tests.factories import PersonFactory
from peercert.certification.models import CertificationSpecialization
from peercert.certification.tests.factories import CertificationFactory

pytestmark = [pytest.mark.django_db]

# 23:55 in Los Angeles on 30 June (the UTC date is already 1 July).
LATE = datetime.datetime(2026, 7, 1, 6, 55, tzinfo=datetime.UTC)
API = "/api/v1/dashboard/public"


@pytest.fixture(autouse=True)
def _frozen_and_fresh():
    cache.clear()
    with time_machine.travel(LATE, tick=False):
        yield
    cache.clear()


def _county(name):
    return County.objects.get(name=name)


@pytest.fixture
def peers():
    """40 peers in Los Angeles, 3 in Alpine (a small county), 25 in Fresno, one in Sierra with a
    specialization, on the record with names and numbers that must never reach the page."""
    made = []
    for name, count in (("Los Angeles", 40), ("Alpine", 3), ("Fresno", 25), ("Sierra", 1)):
        for i in range(count):
            person = PersonFactory(legal_first_name="Xochitl", legal_last_name=f"Quintero{name[:3]}{i}")
            made.append(CertificationFactory(person=person, county=_county(name), issued_on=datetime.date(2026, 2, 10)))
    CertificationSpecialization.objects.create(
        certification=made[-1], specialization="crisis", added_on=datetime.date(2026, 3, 1)
    )
    return made


def _table(data, key):
    return next(t for t in data["tables"] if t["key"] == key)


def _row(table, label):
    return next(r for r in table["rows"] if r["label"] == label)


def test_the_api_serves_suppressed_tables_to_an_anonymous_visitor(client, peers):
    response = client.get(API)
    assert response.status_code == 200
    data = response.json()
    assert data["threshold"] == 11
    by_county = _table(data, "peers_by_county")
    assert _row(by_county, "Los Angeles")["values"][0] == {"value": 40, "suppressed": False}
    assert _row(by_county, "Alpine")["values"][0] == {"value": None, "suppressed": True}
    assert _row(by_county, "Sierra")["values"][0] == {"value": None, "suppressed": True}
    # 3 + 1 = 4 would be known from the total: the next smallest (Fresno, 25) is withheld too.
    assert _row(by_county, "Fresno")["values"][0]["suppressed"]
    assert _row(by_county, "Kern")["values"][0] == {"value": 0, "suppressed": False}, "zeros are shown"
    assert by_county["total"]["values"][0] == {"value": 69, "suppressed": False}
    # No members table yet: the rate is "not available", not a number.
    assert _row(by_county, "Los Angeles")["values"][1] == {"value": None, "suppressed": False}
    specialization = _table(data, "peers_by_specialization")
    assert _row(specialization, "Crisis services")["values"][0]["suppressed"]
    issued = _table(data, "certifications_issued_by_month")
    assert any(r["values"][0] == {"value": 69, "suppressed": False} for r in issued["rows"])


def test_the_api_answer_matches_its_published_schema(client, peers):
    from peercert.oversight.api.dashboards import PublicDashboardOut

    data = client.get(API).json()
    assert PublicDashboardOut.model_validate(data).model_dump(mode="json") == data


def test_no_published_count_is_between_1_and_10_anywhere(client, peers):
    data = client.get(API).json()
    for table in data["tables"]:
        for row in [*table["rows"], *([table["total"]] if table["total"] else [])]:
            for column, cell in zip(table["columns"], row["values"], strict=True):
                if column["kind"] != "rate" and cell["value"] is not None:
                    assert not 1 <= cell["value"] <= 10, (table["key"], row["label"])


def test_the_page_shows_the_suppression_and_no_person_level_data(client, peers):
    response = client.get(reverse("oversight:public_dashboard"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Suppressed" in page and 'data-suppressed="true"' in page
    api = client.get(API).content.decode()
    csv_text = client.get(reverse("oversight:public_dashboard_csv", args=["peers_by_county"])).content.decode()
    for text in (page, api, csv_text):
        for certification in peers[:5] + peers[-2:]:
            assert certification.number not in text
            assert certification.person.legal_last_name not in text
            assert certification.person.email not in text
        assert "Xochitl" not in text
        assert "date_of_birth" not in text and "cin" not in text.lower().split('"')
    # The page draws its charts from JSON blocks, with no inline script.
    assert 'type="application/json"' in page
    assert "<script>" not in page


def test_every_table_downloads_as_csv_with_the_same_suppression(client, peers):
    data = client.get(API).json()
    for table in data["tables"]:
        response = client.get(reverse("oversight:public_dashboard_csv", args=[table["key"]]))
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/csv")
        assert "attachment" in response["Content-Disposition"]
    rows = list(
        csv.reader(
            io.StringIO(
                client.get(reverse("oversight:public_dashboard_csv", args=["peers_by_county"])).content.decode()
            )
        )
    )
    assert rows[0][:2] == ["County", "Certified peers"]
    by_label = {row[0]: row for row in rows[1:]}
    assert by_label["Alpine"][1] == "suppressed"
    assert by_label["Los Angeles"][1] == "40"
    assert by_label["California"][1] == "69"
    assert client.get("/oversight/open-data/nothing-here.csv").status_code == 404


def test_the_cache_is_rebuilt_when_a_certification_is_issued(client, peers, django_capture_on_commit_callbacks):
    from peercert.certification import signals

    first = client.get(API).json()
    assert _table(first, "peers_by_county")["total"]["values"][0]["value"] == 69
    late = CertificationFactory(county=_county("Los Angeles"), issued_on=datetime.date(2026, 6, 1))
    # Still the cached copy until certification announces the change.
    assert _table(client.get(API).json(), "peers_by_county")["total"]["values"][0]["value"] == 69
    signals.certification_issued.send(sender=type(late), certification=late)
    assert _table(client.get(API).json(), "peers_by_county")["total"]["values"][0]["value"] == 70


def test_the_cached_api_answers_in_few_queries(client, peers, django_assert_max_num_queries):
    client.get(API)
    with django_assert_max_num_queries(0):
        assert client.get(API).status_code == 200


def test_rates_per_100000_members_when_the_reference_table_is_there(client, peers, monkeypatch):
    from peercert.oversight.selectors import dashboards

    la = _county("Los Angeles").pk
    monkeypatch.setattr(dashboards, "_members_by_county", lambda on_date: {la: 160_000, _county("Alpine").pk: 400})
    data = client.get(API).json()
    table = _table(data, "peers_by_county")
    assert _row(table, "Los Angeles")["values"][1] == {"value": "25.0", "suppressed": False}
    assert _row(table, "Alpine")["values"][1] == {"value": None, "suppressed": True}, "a rate from a withheld count"


def test_the_page_reads_in_spanish(client, peers):
    client.cookies["django_language"] = "es"
    response = client.get(reverse("oversight:public_dashboard"), HTTP_ACCEPT_LANGUAGE="es")
    assert response.status_code == 200
    assert json.dumps(client.get(API, HTTP_ACCEPT_LANGUAGE="es").json())


def test_the_statement_count_does_not_grow_with_the_number_of_peers():
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from peercert.oversight.selectors.dashboards import public_tables

    def statements():
        with CaptureQueriesContext(connection) as queries:
            public_tables()
        return len(queries)

    for _ in range(3):
        CertificationFactory(county=_county("Kern"))
    small = statements()
    for _ in range(30):
        CertificationFactory(county=_county("Kern"))
    assert statements() == small
