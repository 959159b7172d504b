import datetime
import io
from decimal import Decimal

import pytest
from openpyxl import Workbook

from peercert.accounts.tests.factories import PersonFactory
from peercert.core.errors import ApplicationError
from peercert.core.models import AuditEvent
from peercert.training import hooks, services
from peercert.training.models import Completion, RosterUpload
from peercert.training.roster import RosterError, validate_roster
from peercert.training.tests.factories import CurriculumVersionFactory, OfferingFactory


@pytest.fixture
def offering(entity):
    return OfferingFactory(
        training_entity=entity,
        starts_on=datetime.date(2026, 2, 2),
        ends_on=datetime.date(2026, 2, 3),
        hours=Decimal("6"),
    )


@pytest.fixture
def people(db):
    return [
        PersonFactory(legal_first_name="José", legal_last_name="Núñez", date_of_birth=datetime.date(1980, 1, 2)),
        PersonFactory(legal_first_name="María", legal_last_name="Hernández", date_of_birth=datetime.date(1991, 5, 6)),
    ]


GOOD = "first_name,last_name,date_of_birth,hours,ce_category\njose,NUNEZ,1980-01-02,6,general\nMaría,Hernández,05/06/1991,5.5,law and ethics\n"


def check(offering, text, today=datetime.date(2026, 2, 16)):
    return validate_roster(offering, content=text.encode(), filename="roster.csv", today=today)


def test_clean_roster_matches_accent_and_case_insensitively(offering, people):
    result = check(offering, GOOD)
    assert result.errors == []
    assert [r.person_id for r in result.rows] == [people[0].pk, people[1].pk]
    assert result.rows[1].ce_category == "law_ethics"
    assert result.rows[1].hours == Decimal("5.5")


def test_commit_is_all_or_nothing_and_idempotent(offering, people, entity_staff):
    upload, result = services.roster_commit(
        actor=entity_staff, offering=offering, content=GOOD.encode(), filename="roster.csv"
    )
    assert upload.created_count == 2 and Completion.objects.count() == 2
    assert AuditEvent.objects.filter(action="roster.commit").count() == 1
    again, result = services.roster_commit(
        actor=entity_staff, offering=offering, content=GOOD.encode(), filename="roster.csv"
    )
    assert again is None and result.already_count == 2
    assert Completion.objects.count() == 2 and RosterUpload.objects.count() == 1


def test_one_bad_line_saves_nothing_then_fixed_file_saves_all(offering, people, entity_staff):
    bad = GOOD.replace("5.5", "-2")
    with pytest.raises(RosterError) as err:
        services.roster_commit(actor=entity_staff, offering=offering, content=bad.encode(), filename="r.csv")
    assert err.value.result.errors == [(3, "Hours must be more than zero; got -2.")]
    assert Completion.objects.count() == 0
    services.roster_commit(actor=entity_staff, offering=offering, content=GOOD.encode(), filename="r.csv")
    assert Completion.objects.count() == 2


@pytest.mark.parametrize(
    "text, line, words",
    [
        ("first_name,last_name,date_of_birth,hours\nNadie,Nobody,1970-01-01,6\n", 2, "No one named"),
        (
            "first_name,last_name,date_of_birth,hours\njose,nunez,1980-01-02,6\nJosé,Núñez,1980-01-02,6\n",
            3,
            "already on line 2",
        ),
        ("first_name,last_name,date_of_birth,hours\njose,nunez,1980-01-02,-1\n", 2, "more than zero"),
        ("first_name,last_name,date_of_birth,hours\njose,nunez,1980-01-02,90\n", 2, "more than the course"),
        ("first_name,last_name,date_of_birth,hours\njose,nunez,1980-01-02,six\n", 2, "not a number"),
        ("first_name,last_name,date_of_birth,hours\njose,nunez,1980-01-02,\n", 2, "missing"),
        ("first_name,last_name,date_of_birth,hours\njose,nunez,yesterday,6\n", 2, "not a date"),
        (
            "first_name,last_name,date_of_birth,hours,completed_on\njose,nunez,1980-01-02,6,2026-01-01\n",
            2,
            "before the course",
        ),
        ("first_name,last_name,date_of_birth,hours,completed_on\njose,nunez,1980-01-02,6,2026-12-01\n", 2, "future"),
        ("first_name,last_name,date_of_birth,hours,ce_category\njose,nunez,1980-01-02,6,fun\n", 2, "unknown"),
        ("first_name,last_name,hours\njose,nunez,6\n", 1, "date_of_birth"),
        ("first_name,last_name,date_of_birth\njose,nunez,1980-01-02\n", 1, "hours"),
        ("first_name,last_name,date_of_birth,hours,shoe_size\njose,nunez,1980-01-02,6,9\n", 1, "Unknown column"),
        ("certification_number,hours\nPSS-000123,6\n", 2, "No one holds certification number PSS-000123"),
        ("", 1, "empty"),
    ],
)
def test_bad_rosters_report_line_numbers(offering, people, entity_staff, text, line, words):
    result = check(offering, text)
    assert any(ln == line and words in msg for ln, msg in result.errors), result.errors
    with pytest.raises(RosterError):
        services.roster_commit(actor=entity_staff, offering=offering, content=text.encode(), filename="r.csv")
    assert Completion.objects.count() == 0


def test_unapproved_version_is_reported(entity, people):
    offering = OfferingFactory(
        training_entity=entity,
        curriculum_version=CurriculumVersionFactory(status="returned"),
        starts_on=datetime.date(2026, 2, 2),
        ends_on=datetime.date(2026, 2, 3),
    )
    result = check(offering, GOOD)
    assert result.errors[0][0] == 0 and "not approved" in result.errors[0][1]


def test_certification_number_through_hook(offering, people):
    wired = hooks._certification_lookup
    hooks.set_certification_lookup(lambda numbers: {"PSS-000123": people[0].pk} if "PSS-000123" in numbers else {})
    try:
        result = check(offering, "certification_number,hours\nPSS-000123,6\nPSS-999999,6\n")
    finally:
        hooks.set_certification_lookup(wired)
    assert [r.person_id for r in result.rows] == [people[0].pk]
    assert result.errors == [(3, "No one holds certification number PSS-999999.")]


def test_two_people_same_name_and_birthday_is_ambiguous(offering):
    for _ in range(2):
        PersonFactory(legal_first_name="Ana", legal_last_name="Peña", date_of_birth=datetime.date(1990, 1, 1))
    result = check(offering, "first_name,last_name,date_of_birth,hours\nAna,Pena,1990-01-01,6\n")
    assert "More than one person" in result.errors[0][1]


def test_xlsx_roster(offering, people, entity_staff):
    book = Workbook()
    sheet = book.active
    sheet.append(["First name", "Last name", "Date of birth", "Hours"])
    sheet.append(["José", "Núñez", datetime.datetime(1980, 1, 2), 6])
    sheet.append([None, None, None, None])
    sheet.append(["María", "Hernández", "1991-05-06", 6.5])
    buffer = io.BytesIO()
    book.save(buffer)
    result = validate_roster(
        offering, content=buffer.getvalue(), filename="roster.xlsx", today=datetime.date(2026, 2, 16)
    )
    assert [line for line, _ in result.errors] == [4]
    assert "more than the course" in result.errors[0][1]
    assert [r.person_id for r in result.rows] == [people[0].pk]


def test_roster_by_stranger_refused(offering, people):
    from peercert.accounts.roles import Role
    from peercert.accounts.tests.factories import user_with_role

    with pytest.raises(ApplicationError):
        services.roster_commit(
            actor=user_with_role(Role.TRAINING_STAFF), offering=offering, content=GOOD.encode(), filename="r.csv"
        )


def test_validation_query_count_does_not_grow_with_rows(offering, django_assert_max_num_queries):
    people = PersonFactory.create_batch(30, date_of_birth=datetime.date(1985, 6, 1))
    lines = ["first_name,last_name,date_of_birth,hours"]
    for p in people:
        p.legal_first_name = f"Nombre{p.pk}"
        p.save()
        lines.append(f"Nombre{p.pk},{p.legal_last_name},1985-06-01,6")
    with django_assert_max_num_queries(4):
        result = check(offering, "\n".join(lines) + "\n")
    assert not result.errors and len(result.rows) == 30
