"""Staff import past decisions (grandparenting and others before PeerCert) from a CSV or XLSX file."""

import datetime
import io
from decimal import Decimal

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from peercert.accounts.models import CertificationProgram, Person
from peercert.accounts.roles import Role
from peercert.accounts.tests.factories import PersonFactory, county, statewide_program, user_with_role
from peercert.certification import legacy_import, selectors, services
from peercert.certification.legacy_import import COLUMNS, LegacyImportError, legacy_records_import
from peercert.certification.models import Application, Pathway
from peercert.certification.tests.factories import PNG, reviewer
from peercert.core.errors import ApplicationError
from peercert.core.models import AuditEvent

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]

URL = "/certification/records/import/"
HEADER = ",".join(COLUMNS)
GOOD = [
    "Rosa,Elena,Núñez,1975-02-10,Rosa.Nunez@Example.org,grandparenting,approved,2022-05-02,2022-06-20,,2400,yes,22,6,Fresno",
    "Tomás,,Peña,1969-11-30,tomas.pena@example.org,grandparenting,denied,2022-07-01,2022-08-15,"
    "Fewer than 1550 hours of peer work,900,yes,20,6,",
    "Tomás,,Peña,1969-11-30,tomas.pena@example.org,standard,approved,2023-02-01,2023-03-01,,,,,,Los Angeles County",
]


@pytest.fixture
def frozen():
    with time_machine.travel(datetime.datetime(2025, 3, 3, 10, 0), tick=False):
        yield


def csv_file(*rows, header=HEADER, name="past.csv"):
    return SimpleUploadedFile(name, "\n".join([header, *rows]).encode(), content_type="text/csv")


def xlsx_file(rows, name="past.xlsx"):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append([c.upper() for c in COLUMNS])  # header names are case-insensitive
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile(name, out.getvalue())


def counts():
    return Person.objects.count(), Application.objects.count(), AuditEvent.objects.count()


def refused(staff, upload) -> list[tuple[int, str]]:
    with pytest.raises(LegacyImportError) as err:
        legacy_records_import(actor=staff, program=statewide_program(), upload=upload)
    return err.value.result.errors


def test_a_good_csv_creates_people_and_readable_records():
    staff = reviewer()
    known = PersonFactory(
        email="rosa.nunez@example.org",
        legal_first_name="Rosa",
        legal_last_name="Núñez",
        date_of_birth=datetime.date(1975, 2, 10),
    )
    people_before = Person.objects.count()

    result = legacy_records_import(actor=staff, program=statewide_program(), upload=csv_file(*GOOD))

    assert len(result.lines) == 3 and len(result.new_people) == 1
    assert Person.objects.count() == people_before + 1
    tomas = Person.objects.get(email="tomas.pena@example.org")
    assert tomas.user_id is None and tomas.search_name == "tomas pena"
    rosa = Application.objects.get(person=known)
    assert (
        rosa.entered_by_staff,
        rosa.status,
        rosa.peer_work_hours,
        rosa.employed_as_peer_on_cutoff,
        rosa.ce_hours,
        rosa.ce_law_ethics_hours,
        rosa.county.name,
    ) == (True, "approved", 2400, True, Decimal("22"), Decimal("6"), "Fresno")
    assert rosa.valid_until == datetime.date(2023, 6, 20) and rosa.decided_by == staff
    assert rosa.legal_middle_name == "Elena" and rosa.date_of_birth == datetime.date(1975, 2, 10)
    denied, standard = Application.objects.filter(person=tomas).order_by("decided_at")
    assert denied.decision_reason == "Fewer than 1550 hours of peer work" and denied.valid_until is None
    assert standard.county.name == "Los Angeles" and standard.pathway == Pathway.STANDARD
    # Readable like a record entered by hand: the reviewer's page, the timeline, the audit trail.
    assert selectors.access_reviewable_application(staff, rosa.pk) == rosa
    timeline = selectors.specialist_timeline(tomas)
    assert [e["day"] for e in timeline][:1] == [datetime.date(2022, 7, 1)]
    assert any("Past application entered by staff" in e["what"] and "past.csv" in e["what"] for e in timeline)
    events = AuditEvent.objects.filter(action="application.enter_historical")
    assert events.count() == 3 and all(result.sha256 in e.reason for e in events)
    assert AuditEvent.objects.filter(action="person.create", object_id=str(tomas.pk)).exists()


def test_a_good_xlsx_imports_with_date_and_number_cells():
    staff = reviewer(Role.PROGRAM_MANAGER)
    rows = [
        [
            "Ana",
            None,
            "Okafor",
            datetime.datetime(1980, 1, 5),
            "ana@example.org",
            "grandparenting",
            "Approved",
            datetime.datetime(2022, 3, 1),
            datetime.date(2022, 4, 2),
            None,
            1800,
            "Yes",
            20.5,
            6,
            "San Diego",
        ],
        [
            "Li",
            None,
            "Tran",
            "1990-06-06",
            "li@example.org",
            "reciprocity_out_of_state",
            "denied",
            "2024-01-02",
            "2024-02-03",
            "No active certification in another state",
            1600,
            None,
            20,
            6,
            None,
        ],
    ]
    result = legacy_records_import(actor=staff, program=statewide_program(), upload=xlsx_file(rows))
    assert len(result.lines) == 2 and len(result.new_people) == 2
    ana = Application.objects.get(person__email="ana@example.org")
    assert ana.ce_hours == Decimal("20.5") and ana.peer_work_hours == 1800 and ana.county.name == "San Diego"
    assert ana.first_submitted_at.date() == datetime.date(2022, 3, 1)


def test_every_bad_line_is_reported_with_its_number_and_nothing_is_saved():
    staff = reviewer()
    PersonFactory(email="known@example.org", date_of_birth=datetime.date(1970, 1, 1))
    before = counts()
    errors = refused(
        staff,
        csv_file(
            GOOD[0],  # line 2: fine
            "Ann,,Lee,1980-01-01,ann@example.org,grandparenting,approved,2022-05-02,,,2000,yes,20,6,",  # 3 no decided
            "Bo,,Kim,1980-13-01,bo@example.org,standard,approved,2022-05-02,2022-06-01,,,,,,",  # 4 bad date
            "Cy,,Ng,1980-01-01,cy@example.org,standard,approved,2022-06-02,2022-05-01,,,,,,",  # 5 order
            "Di,,Wu,1980-01-01,di@example.org,standard,approved,2025-03-01,2025-04-01,,,,,,",  # 6 future
            "Ed,,Ho,1980-01-01,ed@example.org,fast_track,pending,2022-05-02,2022-06-01,,,,,,",  # 7 unknown x2
            "Fa,,Li,1980-01-01,fa@example.org,standard,denied,2022-05-02,2022-06-01,,,,,,",  # 8 no reason
            "Gu,,Om,1980-01-01,gu@example.org,grandparenting,approved,2022-05-02,2022-06-01,,-5,yes,ten,6,",  # 9
            "Ha,,Po,1980-01-01,ha@example.org,grandparenting,approved,2022-05-02,2022-06-01,,2000,yes,10,12,",  # 10
            "Io,,Qu,2006-01-01,io@example.org,standard,approved,2022-05-02,2022-06-01,,,,,,",  # 11 under 18
            "Ja,,Ro,1980-01-01,known@example.org,standard,approved,2022-05-02,2022-06-01,,,,,,",  # 12 dob differs
            "Ka,,Su,1980-01-01,ka@example.org,standard,approved,2022-05-02,2022-06-01,,,,,Atlantis",  # 13 county
            "Ka,,Su,1980-01-01,KA@example.org,standard,approved,2022-05-02,2022-06-01,,,,,",  # 14 twice
            "Lu,,Ti,1980-01-01,lu@example.org,standard,approved,2022-05-02,2022-06-01,,,maybe,,,",  # 15 yes/no
        ),
    )
    lines = {line for line, _ in errors}
    assert lines == set(range(3, 16)), errors
    text = dict(errors)  # the last message of each line
    assert any("decided_on" in m and "missing" in m for n, m in errors if n == 3)
    assert "not a date" in text[4]
    assert "before the submission date" in text[5]
    assert "future" in text[6]
    assert any("fast_track" in m for n, m in errors if n == 7) and "either approved or denied" in text[7]
    assert "reason for the denial" in text[8]
    assert "“ten” is not a number" in text[9]
    assert "law and ethics (12)" in text[10]
    assert "under 18" in text[11]
    assert "born 1970-01-01" in text[12]
    assert "Atlantis" in text[13]
    assert "Line 13 already has" in text[14]
    assert "yes or no" in text[15]
    assert counts() == before


def test_negative_hours_and_missing_grandparenting_facts():
    staff = reviewer()
    errors = refused(
        staff,
        csv_file(
            "Gu,,Om,1980-01-01,gu@example.org,grandparenting,approved,2022-05-02,2022-06-01,,-5,yes,20,6,",
            "Hu,,Om,1980-01-01,hu@example.org,grandparenting,approved,2022-05-02,2022-06-01,,2000,,,,",
            "Iu,,Om,1980-01-01,iu@example.org,standard,approved,2022-05-02,2022-06-01,,12.5,,,,",
        ),
    )
    assert [(n, "negative" in m) for n, m in errors if n == 2] == [(2, True)]
    assert "must give whether they were employed" in dict(errors)[3]
    assert "whole number" in dict(errors)[4]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty"),
        (b"\n\n", "The file is empty"),
        (HEADER.encode(), "header but no records"),
        (b"legal_first_name,email\nAna,ana@example.org", "Missing column(s): legal_last_name, date_of_birth"),
        ((HEADER + ",favourite_colour\n" + GOOD[0]).encode(), "Unknown column(s): favourite_colour"),
        (PNG, "not a CSV or Excel"),
        (b"PK\x03\x04 not really a workbook", "is not a CSV or Excel (.xlsx) file"),
        ("Ñame\n".encode("latin-1"), "is not UTF-8 text (line 1)"),
    ],
)
def test_files_that_cannot_be_read_say_why(content, message):
    before = counts()
    with pytest.raises(ApplicationError) as err:
        legacy_records_import(
            actor=reviewer(), program=statewide_program(), upload=SimpleUploadedFile("past.csv", content)
        )
    report = [m for _, m in getattr(err.value, "result", None).errors] if hasattr(err.value, "result") else []
    assert any(message in m for m in [err.value.message, *report]), (err.value.message, report)
    assert counts() == before


def test_too_large_a_file_is_refused(monkeypatch):
    monkeypatch.setattr(legacy_import, "MAX_BYTES", 100)
    with pytest.raises(ApplicationError, match="the limit is"):
        legacy_records_import(actor=reviewer(), program=statewide_program(), upload=csv_file(*GOOD))
    assert not Application.objects.exists()


def test_reimporting_the_same_file_is_refused_line_by_line():
    staff = reviewer()
    legacy_records_import(actor=staff, program=statewide_program(), upload=csv_file(*GOOD))
    before = counts()
    errors = refused(staff, csv_file(*GOOD))
    assert [n for n, _ in errors] == [2, 3, 4] and all("Already recorded" in m for _, m in errors)
    assert counts() == before
    # The single-entry form refuses the same past decision too.
    with pytest.raises(ApplicationError, match="already recorded"):
        services.application_enter_historical(
            actor=staff,
            person=Person.objects.get(email="tomas.pena@example.org"),
            program=statewide_program(),
            pathway="standard",
            status="approved",
            submitted_on=datetime.date(2023, 2, 1),
            decided_on=datetime.date(2023, 3, 1),
        )


def test_staff_of_another_program_cannot_import():
    other = CertificationProgram.objects.create(
        name="Fresno Peer Program", code="fresno", kind="county", county=county("Fresno")
    )
    staff = user_with_role(Role.PROGRAM_REVIEWER, program=other)
    with pytest.raises(ApplicationError, match="Only staff of the program") as err:
        legacy_records_import(actor=staff, program=statewide_program(), upload=csv_file(*GOOD))
    assert err.value.code == "forbidden" and not Application.objects.exists()


@pytest.mark.parametrize("role", [Role.COUNTY_STAFF, Role.PEER, Role.TRAINING_STAFF])
def test_county_users_and_peers_get_403(client, role):
    client.force_login(user_with_role(role))
    assert client.get(URL).status_code == 403
    assert client.post(URL, {"file": csv_file(*GOOD)}).status_code == 403
    assert client.get(URL + "template.csv").status_code == 403
    assert not Application.objects.exists()


def test_the_page_imports_and_links_each_person(client):
    client.force_login(reviewer())
    page = client.get(URL).content.decode()
    assert "Download the template" in page
    template = client.get(URL + "template.csv")
    assert template["Content-Type"].startswith("text/csv")
    lines = template.content.decode().splitlines()
    assert lines[0] == HEADER and len(lines) == 2
    # The template's own example imports cleanly.
    done = client.post(URL, {"file": SimpleUploadedFile("template.csv", template.content)}).content.decode()
    assert "1 past record from template.csv saved; 1 people added." in done
    person = Person.objects.get(email="maria.hernandez@example.org")
    assert f"/certification/records/{person.pk}/" in done
    assert "Grandparenting" in client.get(f"/certification/records/{person.pk}/").content.decode()


def test_the_page_lists_every_problem(client):
    client.force_login(reviewer())
    bad = csv_file(GOOD[0], "Bo,,Kim,1980-13-01,bo@example.org,standard,approved,2022-05-02,2022-06-01,,,,,,")
    page = client.post(URL, {"file": bad}).content.decode()
    assert "Nothing was saved" in page and "1980-13-01" in page and not Application.objects.exists()
    wrong = client.post(URL, {"file": SimpleUploadedFile("photo.csv", PNG)}).content.decode()
    assert "not a CSV or Excel" in wrong


def test_single_entry_shares_the_rules_and_still_refuses_what_it_did():
    staff = reviewer()
    person = PersonFactory(date_of_birth=datetime.date(1980, 1, 1))
    base = {
        "actor": staff,
        "person": person,
        "program": statewide_program(),
        "pathway": Pathway.STANDARD,
        "status": "approved",
        "submitted_on": datetime.date(2022, 5, 1),
        "decided_on": datetime.date(2022, 6, 1),
    }
    cases = [
        ({"status": "submitted"}, "either approved or denied"),
        ({"decided_on": datetime.date(2022, 4, 1)}, "before the submission date"),
        ({"status": "denied"}, "reason for the denial"),
        ({"favourite_colour": "blue"}, "Unknown fields"),
        ({"decided_on": datetime.date(2025, 4, 1)}, "future"),
        ({"ce_hours": Decimal("5"), "ce_law_ethics_hours": Decimal("6")}, "cannot be more than"),
        ({"peer_work_hours": -1}, "negative"),
        ({"pathway": Pathway.GRANDPARENTING}, "approved grandparenting record must give"),
    ]
    for change, message in cases:
        with pytest.raises(ApplicationError, match=message):
            services.application_enter_historical(**{**base, **change})
    young = PersonFactory(date_of_birth=datetime.date(2005, 1, 1))
    with pytest.raises(ApplicationError, match="under 18"):
        services.application_enter_historical(**{**base, "person": young})
    with pytest.raises(ApplicationError, match="Only staff"):
        services.application_enter_historical(**{**base, "actor": user_with_role(Role.COUNTY_STAFF)})
    assert not Application.objects.exists()
    record = services.application_enter_historical(**base)
    assert record.entered_by_staff and record.rules_version and record.decided_at.date() == datetime.date(2022, 6, 1)


def test_single_entry_form_shows_every_problem(client):
    client.force_login(reviewer())
    person = PersonFactory()
    page = client.post(
        "/certification/records/enter/",
        {
            "person_email": person.email,
            "pathway": "grandparenting",
            "status": "denied",
            "submitted_on": "2022-04-01",
            "decided_on": "2022-03-15",
            "ce_hours": "4",
            "ce_law_ethics_hours": "6",
        },
    ).content.decode()
    assert "before the submission date" in page and "reason for the denial" in page and "cannot be more than" in page
    assert not Application.objects.exists()
