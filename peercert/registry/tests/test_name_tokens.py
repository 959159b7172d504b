"""The registry's name search at scale: the token table finds exactly what `contains` finds, in the same
order and pages, and the triggers keep it (and the status counts) in step on PostgreSQL."""

import pytest
from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext

from peercert.accounts.tests.factories import PersonFactory
from peercert.certification.models import Certification
from peercert.certification.tests.factories import CertificationFactory
from peercert.core.text import fold
from peercert.registry import search, selectors
from peercert.registry.models import NameToken, NameWord, StatusCount

pytestmark = pytest.mark.django_db
postgres_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="the token tables are PostgreSQL's")

NAMES = [
    ("María", "Ana", "Hernández"),
    ("Ana", "", "Santana"),
    ("Mariana", "B", "Hernández"),
    ("José", "A", "Núñez-Ibáñez"),
    ("Ana Lucía", "", "Peña"),
    ("Thảo", "", "Trần"),
    ("Hernán", "C", "Ana"),
    ("Luz", "", "Hernández"),
    ("Ana", "A", "Hernández"),
    ("Juan", "", "Anaya"),
]
TERMS = ["ana", "herna", "hernandez", "maria", "maria a", "a a", "ana a hern", "nunez-iban", "z", "lucia pe",
         "n h", "ana hernandez", "no such name", "an", "tran", "ria ana"]  # fmt: skip


@pytest.fixture
def registry():
    return [
        CertificationFactory(
            number=f"PSS-{700 + i:06d}",
            status="suspended" if i % 4 == 3 else "active",
            person=PersonFactory(legal_first_name=first, legal_middle_name=middle, legal_last_name=last),
        )
        for i, (first, middle, last) in enumerate(NAMES)
    ]


def expected(term: str) -> list[str]:
    """What a name search means: sort_name contains the folded text, in (sort_name, number) order."""
    qs = Certification.objects.filter(sort_name__contains=fold(term)).order_by("sort_name", "number")
    return list(qs.values_list("number", flat=True))


def all_pages(term: str, page_size: int = 2) -> tuple[list[str], set[int]]:
    found, counts, page = [], set(), 1
    while True:
        result = selectors.registry_search(name=term, page=page, page_size=page_size, with_count=True)
        found += [row["number"] for row in result["results"]]
        counts.add(result["count"])
        if not result["has_next"]:
            return found, counts
        page += 1


@pytest.mark.parametrize("term", TERMS)
def test_a_name_search_finds_what_contains_finds_in_the_same_order_and_pages(registry, term):
    want = expected(term)
    found, counts = all_pages(term)
    assert found == want
    assert counts == {len(want)}


def test_a_name_with_other_filters_is_narrowed_by_them(registry):
    want = list(
        Certification.objects.filter(sort_name__contains="hernandez", status="suspended")
        .order_by("sort_name", "number")
        .values_list("number", flat=True)
    )
    result = selectors.registry_search(name="hernandez", status="suspended", with_count=True)
    assert [row["number"] for row in result["results"]] == want
    assert result["count"] == len(want) == 1


@postgres_only
def test_every_word_of_every_name_has_its_token_with_the_sort_key(registry):
    tokens = set(NameToken.objects.values_list("certification_id", "token", "sort_name", "number"))
    want = {
        (c.pk, word, c.sort_name, c.number)
        for c in Certification.objects.all()
        for word in c.sort_name.split(" ")
        if word
    }
    assert tokens == want
    assert {word for _id, word, _s, _n in want} <= set(NameWord.objects.values_list("token", flat=True))


@postgres_only
def test_a_name_change_a_new_number_and_a_deletion_keep_the_tokens_in_step(registry):
    cert = registry[0]
    person = cert.person
    person.legal_last_name = "Zúñiga"
    person.save()  # the certification receiver copies the new search name to sort_name
    assert all_pages("zuniga")[0] == [cert.number]
    assert all_pages("hernandez")[0] == expected("hernandez")
    assert cert.number not in expected("hernandez")
    Certification.objects.filter(pk=cert.pk).update(number="PSS-799999")
    assert set(NameToken.objects.filter(certification_id=cert.pk).values_list("number", flat=True)) == {"PSS-799999"}
    other = registry[1]
    Certification.objects.filter(pk=other.pk).delete()
    assert not NameToken.objects.filter(certification_id=other.pk).exists()
    assert all_pages("santana")[0] == []


@postgres_only
def test_status_counts_follow_every_insert_update_and_delete(registry, client):
    def truth():
        return {r["status"]: r["n"] for r in Certification.objects.values("status").annotate(n=Count("id")).order_by()}

    def kept():
        return {s: n for s, n in StatusCount.objects.values_list("status", "certifications") if n}

    assert kept() == truth()
    Certification.objects.filter(pk__in=[registry[0].pk, registry[1].pk]).update(status="expired")
    Certification.objects.filter(pk=registry[2].pk).delete()
    assert kept() == truth()
    body = client.get("/api/v1/registry/certifications", {"status": "expired"}).json()
    assert body["count"] == Certification.objects.filter(status="expired").count() == 2
    body = client.get("/api/v1/registry/certifications", {"status": "active", "page_size": 1}).json()
    assert body["count"] == Certification.objects.filter(status="active").count()


@postgres_only
def test_a_common_word_is_read_in_order_from_the_index_not_sorted(registry):
    words = search.driving_words("hernandez")
    with CaptureQueriesContext(connection) as captured:
        search.name_page_ids("hernandez", words, start=0, stop=3)
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
        cursor.execute("EXPLAIN " + captured.captured_queries[-1]["sql"])
        plan = "\n".join(row[0] for row in cursor.fetchall())
        cursor.execute("RESET enable_seqscan")
    assert "registry_token_order" in plan
    assert "Sort" not in plan


def test_a_search_runs_the_same_statements_for_few_matches_as_for_many(registry):
    def statements():
        with CaptureQueriesContext(connection) as captured:
            selectors.registry_search(name="hernandez", page_size=2, with_count=True)
        return len(captured)

    few = statements()
    for i in range(30):
        CertificationFactory(
            number=f"PSS-{800 + i:06d}", person=PersonFactory(legal_first_name="Rosa", legal_last_name="Hernández")
        )
    assert statements() == few
