"""The registry API made for syncing: updated_since, count, page_size, and numbers as people type them."""

import datetime

import pytest
import time_machine

from peercert.accounts.services import person_update
from peercert.accounts.tests.factories import PersonFactory
from peercert.certification import services
from peercert.certification.models import CertificationSpecialization
from peercert.certification.tests.factories import CertificationFactory
from peercert.registry import selectors

pytestmark = pytest.mark.django_db
API = "/api/v1/registry/certifications"
T0 = datetime.datetime(2026, 11, 30, 16, 0, tzinfo=datetime.UTC)  # 08:00 Pacific
MARK = T0 + datetime.timedelta(hours=1)  # the client's last sync: 09:00 Pacific


def numbers(body) -> list[str]:
    return [r["number"] for r in body["results"]]


def at(moment):
    return time_machine.travel(moment, tick=False)


@pytest.fixture
def registry():
    with at(T0):
        certs = {
            key: CertificationFactory(
                number=f"PSS-00070{i}", person=PersonFactory(legal_first_name="Ana", legal_last_name=f"Sync{key}")
            )
            for i, key in enumerate(["status", "quiet", "renewed", "special", "renamed", "before"], start=1)
        }
    return certs


def since(client, moment: str, **params):
    return client.get(API, {"updated_since": moment, **params})


def test_a_record_changed_a_second_after_the_mark_is_returned_and_one_changed_before_is_not(client, registry):
    with at(MARK - datetime.timedelta(seconds=1)):
        services.certification_change_status(
            actor=None, certification=registry["before"], to_status="suspended", reason="order", source="discipline"
        )
    with at(MARK + datetime.timedelta(seconds=1)):
        services.certification_change_status(
            actor=None, certification=registry["status"], to_status="suspended", reason="order", source="discipline"
        )
    body = since(client, MARK.isoformat()).json()
    assert numbers(body) == [registry["status"].number]
    assert body["count"] == 1 and body["results"][0]["status"] == "suspended"
    # The same moment written in Pacific time, with its offset, and without one (naive = Pacific).
    assert numbers(since(client, "2026-11-30T09:00:00-08:00").json()) == [registry["status"].number]
    assert numbers(since(client, "2026-11-30T09:00:00").json()) == [registry["status"].number]
    assert numbers(since(client, "2026-11-30T17:00:00Z").json()) == [registry["status"].number]
    # A "+" left unencoded in the URL arrives as a space and still reads as the offset.
    assert numbers(client.get(f"{API}?updated_since=2026-11-30T19:00:00+02:00").json()) == [registry["status"].number]


def test_renewals_specializations_and_name_changes_count_as_changes(client, registry):
    with at(MARK + datetime.timedelta(seconds=1)):
        services.certification_renew(
            actor=None,
            certification=registry["renewed"],
            new_expires_on=datetime.date(2029, 1, 15),
            renewal_id=1,
            rules_version="test",
        )
        # What certification_specialization_add writes once the training is complete.
        CertificationSpecialization.objects.create(
            certification=registry["special"], specialization="crisis", added_on=datetime.date(2026, 11, 30)
        )
        person_update(actor=None, person=registry["renamed"].person, data={"legal_last_name": "Syncrenamed-Peña"})
    body = since(client, MARK.isoformat()).json()
    assert sorted(numbers(body)) == sorted(registry[k].number for k in ("renewed", "special", "renamed"))
    by_number = {r["number"]: r for r in body["results"]}
    assert by_number[registry["renewed"].number]["expires_on"] == "2029-01-15"
    assert by_number[registry["special"].number]["specializations"][0]["code"] == "crisis"
    assert by_number[registry["renamed"].number]["name"] == "Ana Syncrenamed-Peña"


def test_a_sweep_that_expires_many_is_seen_by_the_next_sync(client, registry):
    from peercert.renewal.jobs import expire_certifications

    for cert in registry.values():
        cert.expires_on = datetime.date(2026, 12, 1)
        cert.save(update_fields=["expires_on"])
    with at(datetime.datetime(2026, 12, 2, 9, tzinfo=datetime.UTC)):
        expire_certifications(datetime.date(2026, 12, 2))
    body = since(client, "2026-12-01T23:00:00-08:00").json()
    assert body["count"] == len(registry)
    assert {r["status"] for r in body["results"]} == {"expired"}


@pytest.mark.parametrize(
    "junk", ["yesterday", "2026-13-01T00:00:00", "2026-11-30T25:00", "30/11/2026", "9999-12-31T23:59:59", "--"]
)
def test_a_malformed_updated_since_is_a_422_with_a_plain_message(client, junk):
    response = since(client, junk)
    assert response.status_code == 422
    assert "updated_since must be an ISO 8601 date and time" in response.json()["detail"]


def test_a_very_early_updated_since_means_everything(client, registry):
    assert since(client, "0001-01-01T00:00:00+14:00").json()["count"] == len(registry)


def test_page_size_up_to_200_and_a_count_of_all_matches(client):
    for i in range(25):
        CertificationFactory(person=PersonFactory(legal_first_name="Luz", legal_last_name=f"Page{i:02d}"))
    first = client.get(API, {"name": "luz", "page_size": 10}).json()
    assert len(first["results"]) == 10 and first["count"] == 25 and first["has_next"]
    last = client.get(API, {"name": "luz", "page_size": 10, "page": 3}).json()
    assert len(last["results"]) == 5 and last["count"] == 25 and not last["has_next"]
    assert client.get(API, {"name": "luz", "page_size": 10, "page": 9}).json()["count"] == 25
    assert client.get(API, {"name": "luz", "page_size": 200}).json()["count"] == 25
    for bad in (0, 201, 10_000, -1, "x"):
        assert client.get(API, {"page_size": bad}).status_code == 422, bad


@pytest.mark.parametrize("typed", ["193", "000193", "pss000193", "PSS-000193", "pss 193", "  Pss-193 ", "PSS.000193"])
def test_the_number_as_people_type_it(client, typed):
    CertificationFactory(number="PSS-000193")
    CertificationFactory(number="PSS-001930")
    assert numbers(client.get(API, {"number": typed}).json()) == ["PSS-000193"]
    page = client.get("/registry/", {"number": typed})
    assert [r["number"] for r in page.context["result"]["results"]] == ["PSS-000193"]


def test_numbers_of_another_shape_are_still_found_as_written(client):
    CertificationFactory(number="PSB-0000123")
    assert numbers(client.get(API, {"number": "psb-0000123"}).json()) == ["PSB-0000123"]
    assert numbers(client.get(API, {"number": "psb 123"}).json()) == []  # padded to six, no such number


def test_number_candidates_are_exact_values():
    assert selectors.number_candidates("pss 193")[0] == "PSS-000193"
    assert selectors.number_candidates("193") == ["PSS-000193", "PSS-193", "193"]
    assert selectors.number_candidates("FRE-0042")[-1] == "FRE-0042"
    assert selectors.number_candidates("   ") == []


def test_the_sync_filter_is_one_statement_that_stays_off_the_table(django_assert_max_num_queries, registry):
    with django_assert_max_num_queries(3):  # ids, rows, count
        result = selectors.registry_search(updated_since=MARK, with_count=True)
    assert result["count"] == 0
