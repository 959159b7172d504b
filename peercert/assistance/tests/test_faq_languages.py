"""Issue 17, point 9: the Help FAQ is stored with a language and shown in the reader's language when a
translation exists, else in English; the demo seeds it in both languages."""

import pytest
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from peercert.assistance import demo, selectors, services
from peercert.assistance.models import FaqEntry
from peercert.core.errors import ApplicationError


def _entry(question, language="en", translation_of=None, order=1):
    return FaqEntry.objects.create(
        question=question, answer=f"Answer to {question}", category="fees", order=order,
        language=language, translation_of=translation_of,
    )  # fmt: skip


@pytest.mark.django_db
def test_the_reader_gets_the_translation_when_there_is_one_else_english(client):
    cost = _entry("How much does it cost?", order=1)
    _entry("¿Cuánto cuesta?", language="es", translation_of=cost)
    _entry("Can a county pay my fee?", order=2)  # no Spanish yet
    assert [e.question for e in selectors.faq_published("es")] == ["¿Cuánto cuesta?", "Can a county pay my fee?"]
    assert [e.question for e in selectors.faq_published("en")] == ["How much does it cost?", "Can a county pay my fee?"]

    html = client.get(reverse("assistance:faq"), HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "¿Cuánto cuesta?" in html and "How much does it cost?" not in html
    assert 'lang="en"' in html  # the English fallback is marked as English for screen readers
    html = client.get(reverse("assistance:faq"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "How much does it cost?" in html and "¿Cuánto cuesta?" not in html


@pytest.mark.django_db
def test_an_unpublished_translation_falls_back_to_english():
    cost = _entry("How much does it cost?")
    spanish = _entry("¿Cuánto cuesta?", language="es", translation_of=cost)
    FaqEntry.objects.filter(pk=spanish.pk).update(is_published=False)
    assert [e.question for e in selectors.faq_published("es")] == ["How much does it cost?"]


@pytest.mark.django_db
def test_the_faq_costs_two_queries_whatever_its_size(django_assert_max_num_queries):
    for n in range(12):
        english = _entry(f"Question {n}?", order=n)
        _entry(f"¿Pregunta {n}?", language="es", translation_of=english, order=n)
    from django.db import connection

    with CaptureQueriesContext(connection) as queries:
        assert len(selectors.faq_published("es")) == 12
    assert len(queries) == 2


@pytest.mark.django_db
def test_the_database_keeps_one_translation_per_language_and_none_in_english():
    cost = _entry("How much does it cost?")
    _entry("¿Cuánto cuesta?", language="es", translation_of=cost)
    with pytest.raises(IntegrityError), transaction.atomic():
        _entry("¿Cuál es el costo?", language="es", translation_of=cost)
    with pytest.raises(IntegrityError), transaction.atomic():
        _entry("What does it cost?", language="en", translation_of=cost)
    with pytest.raises(IntegrityError), transaction.atomic():
        _entry("¿Sin original?", language="es")


@pytest.mark.django_db
def test_faq_save_refuses_a_translation_without_its_english_entry(manager):
    with pytest.raises(ApplicationError, match="names the English entry"):
        services.faq_save(
            actor=manager,
            data={"question": "¿Cuánto cuesta?", "answer": "Depende.", "category": "fees", "language": "es"},
        )
    assert not FaqEntry.objects.exists()
    cost = _entry("How much does it cost?")
    saved = services.faq_save(
        actor=manager,
        data={"question": "¿Cuánto cuesta?", "answer": "Depende.", "category": "fees", "language": "es",
              "translation_of": cost},
    )  # fmt: skip
    assert saved.translation_of == cost


@pytest.mark.django_db
def test_the_demo_seeds_every_faq_entry_in_spanish_too_and_twice_is_once():
    demo.seed(None)
    demo.seed(None)
    english = FaqEntry.objects.filter(language="en")
    assert english.count() == len(demo.FAQ) >= 6
    assert FaqEntry.objects.filter(language="es").count() == english.count()
    assert not english.filter(~Q(translations__language="es")).exists()
