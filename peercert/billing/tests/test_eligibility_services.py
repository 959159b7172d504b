"""Beneficiaries and monthly eligibility: shapes, months by hand and corrected, the imports, 270/271."""

import datetime
import io
import logging

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from peercert.accounts.roles import Role
from peercert.accounts.tests.factories import user_with_role
from peercert.benefit.tests.factories import county
from peercert.billing import selectors, services, x12_eligibility
from peercert.billing.audit import AuditAction
from peercert.billing.models import Beneficiary, EligibilityImport, EligibilityMonth, EligibilitySource, ServiceLine
from peercert.billing.tests.factories import (
    BeneficiaryFactory,
    EligibilityMonthFactory,
    ServiceLineFactory,
    cin_for,
)
from peercert.core.errors import ApplicationError
from peercert.core.models import AuditEvent

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("_november")]

TODAY = datetime.date(2026, 11, 16)


@pytest.fixture
def _november():
    with time_machine.travel(datetime.datetime(2026, 11, 16, 18, 0, tzinfo=datetime.UTC), tick=False):
        yield


@pytest.fixture
def billing():
    return user_with_role(Role.COUNTY_BILLING, email="billing@la.example")


@pytest.fixture
def fresno_billing():
    return user_with_role(Role.COUNTY_BILLING, email="billing@fresno.example", county_name="Fresno")


def events(action, obj=None):
    qs = AuditEvent.objects.filter(action=action.value)
    return qs.filter(object_id=str(obj.pk)) if obj is not None else qs


def add(actor, **over):
    data = {
        "cin": "91234567a",
        "bic_id": "",
        "legal_first_name": "Guadalupe",
        "legal_last_name": "Ramírez",
        "date_of_birth": datetime.date(1980, 2, 3),
    }
    return services.beneficiary_create(actor=actor, county=county(), **{**data, **over})


# ---- Shapes --------------------------------------------------------------------------------------


def test_cin_is_upper_cased_and_the_addition_audited_without_the_name(billing):
    beneficiary = add(billing)
    assert beneficiary.cin == "91234567A"
    event = events(AuditAction.BENEFICIARY_CREATE, beneficiary).get()
    assert "Guadalupe" not in str(event.after) and "Ramírez" not in str(event.after)
    assert "Guadalupe" not in str(beneficiary)


@pytest.mark.parametrize("cin", ["1234567A", "123456789", "12345678AB", "A12345678", "1234 567A", ""])
def test_a_cin_of_the_wrong_shape_is_refused(billing, cin):
    with pytest.raises(ApplicationError) as exc:
        add(billing, cin=cin)
    assert exc.value.field == "cin"
    assert not Beneficiary.objects.exists()


@pytest.mark.parametrize(
    ("bic", "ok"),
    [
        ("91234567A" + "7" + "6123", True),  # day 123 of a year ending in 6
        ("91234567a" + "0" + "5366", True),
        ("91234567A" + "7" + "6000", False),  # day 0
        ("91234567A" + "7" + "6367", False),  # day 367
        ("91234568A" + "7" + "6123", False),  # another CIN
        ("91234567A" + "X" + "6123", False),  # the check digit is a digit
        ("91234567A76123" + "1", False),  # 15 characters
        ("91234567A7612", False),
    ],
)
def test_the_bic_id_is_the_cin_a_check_digit_and_a_julian_date(billing, bic, ok):
    if ok:
        assert add(billing, bic_id=bic).bic_id == bic.upper()
    else:
        with pytest.raises(ApplicationError) as exc:
            add(billing, bic_id=bic)
        assert exc.value.field == "bic_id"


@pytest.mark.parametrize("born", [datetime.date(2026, 11, 17), datetime.date(1899, 12, 31)])
def test_a_birth_date_in_the_future_or_before_1900_is_refused(billing, born):
    with pytest.raises(ApplicationError) as exc:
        add(billing, date_of_birth=born)
    assert exc.value.field == "date_of_birth"


def test_the_same_cin_twice_is_refused_without_saying_whose(billing, fresno_billing):
    add(billing)
    with pytest.raises(ApplicationError) as exc:
        services.beneficiary_create(
            actor=fresno_billing,
            county=county("Fresno"),
            cin="91234567A",
            legal_first_name="A",
            legal_last_name="B",
            date_of_birth=datetime.date(1990, 1, 1),
        )
    assert exc.value.code == "duplicate" and "Los Angeles" not in exc.value.message


def test_only_the_countys_billing_staff_add_or_change_its_beneficiaries(billing, fresno_billing):
    for actor in (fresno_billing, user_with_role(Role.COUNTY_STAFF), user_with_role(Role.DHCS_ANALYST)):
        with pytest.raises(ApplicationError):
            add(actor)
    beneficiary = add(billing)
    with pytest.raises(ApplicationError):
        services.beneficiary_update(
            actor=fresno_billing,
            beneficiary=beneficiary,
            cin=beneficiary.cin,
            legal_first_name="X",
            legal_last_name="Y",
            date_of_birth=beneficiary.date_of_birth,
        )


def test_an_update_audits_the_fields_changed_not_their_values(billing):
    beneficiary = add(billing)
    services.beneficiary_update(
        actor=billing,
        beneficiary=beneficiary,
        cin=beneficiary.cin,
        bic_id="",
        legal_first_name="Lupita",
        legal_last_name="Ramírez",
        date_of_birth=beneficiary.date_of_birth,
    )
    event = events(AuditAction.BENEFICIARY_UPDATE, beneficiary).get()
    assert event.after == {"changed": ["legal_first_name"]}


# ---- Months by hand ------------------------------------------------------------------------------


def test_a_month_is_recorded_by_hand_with_a_reference(billing):
    beneficiary = BeneficiaryFactory()
    row = services.eligibility_record(
        actor=billing,
        beneficiary=beneficiary,
        month=datetime.date(2026, 10, 9),
        eligible=True,
        aid_code="1h",
        reference="AEVS 123",
    )
    assert row.month == datetime.date(2026, 10, 1) and row.aid_code == "1H" and row.source == EligibilitySource.MANUAL
    assert row.verified_by == billing
    assert events(AuditAction.ELIGIBILITY_RECORD, row).count() == 1


def test_eligibility_for_a_future_month_is_refused(billing):
    with pytest.raises(ApplicationError) as exc:
        services.eligibility_record(
            actor=billing,
            beneficiary=BeneficiaryFactory(),
            month=datetime.date(2026, 12, 1),
            eligible=True,
            reference="x",
        )
    assert exc.value.field == "month"
    # This month (begun) is fine.
    services.eligibility_record(
        actor=billing, beneficiary=BeneficiaryFactory(), month=datetime.date(2026, 11, 1), eligible=True, reference="x"
    )


def test_a_manual_check_needs_a_reference_and_a_month_verified_is_corrected_not_added(billing):
    beneficiary = BeneficiaryFactory()
    with pytest.raises(ApplicationError) as exc:
        services.eligibility_record(
            actor=billing, beneficiary=beneficiary, month=datetime.date(2026, 10, 1), eligible=True, reference=" "
        )
    assert exc.value.field == "reference"
    EligibilityMonthFactory(beneficiary=beneficiary)
    with pytest.raises(ApplicationError) as exc:
        services.eligibility_record(
            actor=billing, beneficiary=beneficiary, month=datetime.date(2026, 10, 1), eligible=False, reference="r"
        )
    assert exc.value.code == "duplicate"


def test_a_correction_supersedes_the_row_it_corrects_and_keeps_it(billing):
    old = EligibilityMonthFactory(beneficiary=BeneficiaryFactory(), eligible=True, aid_code="1H")
    new = services.eligibility_correct(
        actor=billing,
        verification=old,
        eligible=False,
        aid_code="",
        reference="AEVS 9",
        reason="The state's answer changed.",
    )
    old.refresh_from_db()
    assert old.superseded_by == new and old.superseded_at is not None
    assert new.superseded_at is None and not new.eligible
    current = EligibilityMonth.objects.filter(beneficiary=old.beneficiary, superseded_at__isnull=True)
    assert list(current) == [new]
    event = events(AuditAction.ELIGIBILITY_CORRECT, new).get()
    assert event.before["eligible"] is True and event.after["corrects"] == old.pk and event.reason
    # The corrected row is no longer current: correcting it again is refused.
    with pytest.raises(ApplicationError) as exc:
        services.eligibility_correct(actor=billing, verification=old, eligible=True, reference="x", reason="y")
    assert exc.value.code == "state"


def test_a_correction_that_changes_nothing_or_gives_no_reason_is_refused(billing):
    old = EligibilityMonthFactory(beneficiary=BeneficiaryFactory(), eligible=True, aid_code="1H")
    with pytest.raises(ApplicationError):
        services.eligibility_correct(
            actor=billing, verification=old, eligible=True, aid_code="1H", reference="r", reason="why"
        )
    with pytest.raises(ApplicationError) as exc:
        services.eligibility_correct(actor=billing, verification=old, eligible=False, reference="r", reason="")
    assert exc.value.field == "reason"
    assert not events(AuditAction.ELIGIBILITY_CORRECT).exists()


def test_another_countys_billing_staff_cannot_correct(fresno_billing):
    old = EligibilityMonthFactory(beneficiary=BeneficiaryFactory())
    with pytest.raises(ApplicationError):
        services.eligibility_correct(actor=fresno_billing, verification=old, eligible=False, reference="r", reason="x")


# ---- The gate's expression -----------------------------------------------------------------------


def test_eligible_month_exists_annotates_service_lines_set_based():
    eligible = ServiceLineFactory(service_date=datetime.date(2026, 10, 14))
    EligibilityMonthFactory(beneficiary=eligible.beneficiary, month=datetime.date(2026, 10, 1), eligible=True)
    not_eligible = ServiceLineFactory(service_date=datetime.date(2026, 10, 31))
    EligibilityMonthFactory(beneficiary=not_eligible.beneficiary, month=datetime.date(2026, 10, 1), eligible=False)
    other_month = ServiceLineFactory(service_date=datetime.date(2026, 9, 30))
    EligibilityMonthFactory(beneficiary=other_month.beneficiary, month=datetime.date(2026, 10, 1), eligible=True)
    corrected = ServiceLineFactory(service_date=datetime.date(2026, 10, 1))
    superseded = EligibilityMonthFactory(
        beneficiary=corrected.beneficiary, month=datetime.date(2026, 10, 1), eligible=True
    )

    superseded.superseded_at = timezone.now()
    superseded.save(update_fields=["superseded_at"])

    result = dict(
        ServiceLine.objects.annotate(ok=selectors.eligible_month_exists("beneficiary_id", "service_date")).values_list(
            "pk", "ok"
        )
    )
    assert result == {eligible.pk: True, not_eligible.pk: False, other_month.pk: False, corrected.pk: False}


# ---- County file imports -------------------------------------------------------------------------

HEADER = "cin,month,eligible,aid_code,last_name,first_name,date_of_birth\n"


def upload(text: str, name: str = "eligibility.csv"):
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


def test_a_county_file_adds_months_and_beneficiaries(billing):
    known = BeneficiaryFactory(cin=cin_for(1))
    text = (
        HEADER
        + f"{known.cin},2026-10,Y,1h,,,\n{known.cin},2026-09,N,,,,\n92000001B,2026-10,Y,M1,Nguyễn,Thảo,1991-07-04\n"
    )
    result = services.eligibility_import_file(actor=billing, county=county(), upload=upload(text))
    assert (result.added, result.changed, result.unchanged, result.beneficiaries_added) == (3, 0, 0, 1)
    new = Beneficiary.objects.get(cin="92000001B")
    assert new.county == county() and new.legal_last_name == "Nguyễn"
    months = EligibilityMonth.objects.filter(imported_from=result.record)
    assert months.count() == 3 and months.filter(eligible=False, aid_code="").count() == 1
    assert events(AuditAction.ELIGIBILITY_IMPORT, result.record).get().after["added"] == 3


def test_the_same_file_twice_adds_nothing_and_says_so(billing):
    text = HEADER + "92000001B,2026-10,Y,M1,Nguyen,Thao,1991-07-04\n"
    first = services.eligibility_import_file(actor=billing, county=county(), upload=upload(text))
    again = services.eligibility_import_file(actor=billing, county=county(), upload=upload(text, "renamed.csv"))
    assert again.already and again.record == first.record
    assert EligibilityImport.objects.count() == 1 and EligibilityMonth.objects.count() == 1


def test_a_later_file_leaves_same_months_unchanged_and_supersedes_changed_ones(billing):
    services.eligibility_import_file(
        actor=billing,
        county=county(),
        upload=upload(HEADER + "92000001B,2026-09,Y,M1,N,T,1991-07-04\n92000001B,2026-10,Y,M1,,,\n"),
    )
    result = services.eligibility_import_file(
        actor=billing, county=county(), upload=upload(HEADER + "92000001B,2026-09,Y,M1,,,\n92000001B,2026-10,N,,,,\n")
    )
    assert (result.added, result.changed, result.unchanged) == (0, 1, 1)
    october = EligibilityMonth.objects.filter(month=datetime.date(2026, 10, 1)).order_by("id")
    old, new = list(october)
    assert old.superseded_by == new and not new.eligible and new.superseded_at is None


def test_an_import_is_all_or_nothing_with_every_problem_by_line(billing, fresno_billing):
    BeneficiaryFactory(cin="93000001C", county=county("Fresno"))
    text = (
        HEADER
        + "92000001B,2026-10,Y,M1,Nguyen,Thao,1991-07-04\n"  # 2: fine
        + "1234,2026-10,Y,,,,\n"  # 3: bad CIN
        + "92000002B,2026-12,Y,,A,B,1990-01-01\n"  # 4: future month
        + "92000003B,2026-13,Y,,A,B,1990-01-01\n"  # 5: not a month
        + "92000004B,2026-10,maybe,,A,B,1990-01-01\n"  # 6: eligible?
        + "92000005B,2026-10,Y,,,,\n"  # 7: unknown CIN, no name
        + "93000001C,2026-10,Y,,,,\n"  # 8: another county's
        + "92000001B,2026-10,Y,M1,,,\n"  # 9: repeats line 2
    )
    with pytest.raises(ApplicationError) as exc:
        services.eligibility_import_file(actor=billing, county=county(), upload=upload(text))
    lines = [line for line, _message in exc.value.extra["errors"]]
    assert lines == [3, 4, 5, 6, 7, 8, 9]
    assert not EligibilityImport.objects.exists() and not EligibilityMonth.objects.exists()
    assert Beneficiary.objects.count() == 1
    # With the shapes fixed, the lookups' problems are named by line too, and still nothing is saved.
    text = (
        HEADER
        + "92000001B,2026-10,Y,M1,Nguyen,Thao,1991-07-04\n92000005B,2026-10,Y,,,,\n93000001C,2026-10,Y,,,,\n92000001B,2026-10,Y,M1,,,\n"
    )
    with pytest.raises(ApplicationError) as exc:
        services.eligibility_import_file(actor=billing, county=county(), upload=upload(text))
    assert [line for line, _m in exc.value.extra["errors"]] == [3, 4, 5]
    assert "Los Angeles" not in str(exc.value.extra["errors"]) and "Fresno" not in str(exc.value.extra["errors"])
    assert not EligibilityMonth.objects.exists() and Beneficiary.objects.count() == 1


def test_a_file_missing_a_column_or_not_tabular_is_refused(billing):
    with pytest.raises(ApplicationError) as exc:
        services.eligibility_import_file(actor=billing, county=county(), upload=upload("cin,eligible\n92000001B,Y\n"))
    assert "month" in str(exc.value.extra["errors"])
    with pytest.raises(ApplicationError):
        services.eligibility_import_file(
            actor=billing,
            county=county(),
            upload=SimpleUploadedFile("x.csv", b"%PDF-1.4 nope", content_type="text/csv"),
        )
    assert not EligibilityImport.objects.exists()


def test_an_xlsx_county_file_is_read(billing):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["CIN", "Month", "Eligible", "Aid Code", "Last Name", "First Name", "Date of Birth"])
    sheet.append(
        ["92000001B", datetime.datetime(2026, 10, 1), "Y", "1H", "Ochoa", "Soledad", datetime.datetime(1970, 5, 6)]
    )
    buffer = io.BytesIO()
    book.save(buffer)
    result = services.eligibility_import_file(
        actor=billing, county=county(), upload=SimpleUploadedFile("e.xlsx", buffer.getvalue())
    )
    assert result.added == 1 and Beneficiary.objects.get().date_of_birth == datetime.date(1970, 5, 6)


def test_no_beneficiary_name_reaches_the_log_of_an_import(billing, caplog):
    caplog.set_level(logging.DEBUG)
    text = (
        HEADER
        + "92000001B,2026-10,Y,M1,Zyxwvutsrq,Qwertyuiop,1991-07-04\n92000002B,2026-13,Y,,Zyxwvutsrq,Qwertyuiop,1990-01-01\n"
    )
    with pytest.raises(ApplicationError) as exc:
        services.eligibility_import_file(actor=billing, county=county(), upload=upload(text))
    services.eligibility_import_file(
        actor=billing,
        county=county(),
        upload=upload(HEADER + "92000001B,2026-10,Y,M1,Zyxwvutsrq,Qwertyuiop,1991-07-04\n"),
    )
    assert "Zyxwvutsrq" not in caplog.text and "Qwertyuiop" not in caplog.text
    assert "Zyxwvutsrq" not in str(exc.value.extra) and "Zyxwvutsrq" not in exc.value.message


def test_the_streaming_import_reads_a_csv_from_disk_in_batches(billing, tmp_path, monkeypatch):
    monkeypatch.setattr(services.eligibility, "BATCH_SIZE", 7)
    path = tmp_path / "big.csv"
    rows = [f"{cin_for(n)},2026-10,{'Y' if n % 3 else 'N'},1H,Last{n},First{n},1980-01-01" for n in range(50)]
    path.write_text(HEADER + "\n".join(rows) + "\n", encoding="utf-8")
    result = services.eligibility_import_stream(actor=billing, county=county(), path=str(path))
    assert (result.added, result.beneficiaries_added, result.rows) == (50, 50, 50)
    assert services.eligibility_import_stream(actor=billing, county=county(), path=str(path)).already
    # A repeat of a CIN and month in a later batch is still caught, by its line.
    path2 = tmp_path / "dup.csv"
    path2.write_text(
        HEADER
        + "\n".join(
            r.replace("2026-10", "2026-08") for r in [*rows[:10], rows[2].replace("2026-10", "2026-07"), rows[1]]
        )
        + "\n",
        encoding="utf-8",
    )
    with pytest.raises(ApplicationError) as exc:
        services.eligibility_import_stream(actor=billing, county=county(), path=str(path2))
    assert [line for line, _m in exc.value.extra["errors"]] == [13]


# ---- X12 271 in, 270 out -------------------------------------------------------------------------


def make_271(members, *, gs08="005010X279A1"):
    """A 271 built with x12sdk's generator, then its subscribers' ids, EBs and dates set."""
    from x12sdk.generate import generate_271
    from x12sdk.generate._spec import BenefitSpec, EligibilitySpec, MemberSpec

    spec = EligibilitySpec(
        members=[MemberSpec(member_id=cin, benefits=[BenefitSpec(status=status)]) for cin, status, _dtp in members]
    )
    text = generate_271(members=spec)
    out, index = [], -1
    for segment in text.split("~"):
        segment = segment.strip()
        if segment.startswith("GS*"):
            parts = segment.split("*")
            parts[8] = gs08
            segment = "*".join(parts)
        if segment.startswith("NM1*IL"):
            index += 1
        out.append(segment)
        if segment.startswith("EB*") and members[index][2]:
            out.append(members[index][2])
    return "~\n".join(s for s in out if s) + "~\n"


def test_a_271_is_parsed_with_its_eligibility_months_and_aid_codes(billing):
    BeneficiaryFactory(cin="94000001A")
    BeneficiaryFactory(cin="94000002B")
    text = make_271(
        [
            ("94000001A", "1", "DTP*307*RD8*20260901-20261231"),  # to December: stops at November
            ("94000002B", "6", "DTP*307*D8*20261015"),
        ]
    ).replace("~\nDTP*307*RD8", "~\nREF*18*1H~\nDTP*307*RD8")
    parsed = x12_eligibility.parse_271(text, this_month=datetime.date(2026, 11, 1))
    assert not parsed.errors
    assert [(r.cin, r.month, r.eligible, r.aid_code) for r in parsed.rows] == [
        ("94000001A", datetime.date(2026, 9, 1), True, "1H"),
        ("94000001A", datetime.date(2026, 10, 1), True, "1H"),
        ("94000001A", datetime.date(2026, 11, 1), True, "1H"),
        ("94000002B", datetime.date(2026, 10, 1), False, ""),
    ]
    result = services.eligibility_import_271(
        actor=billing, county=county(), upload=SimpleUploadedFile("resp.271", text.encode("ascii"))
    )
    assert result.added == 4 and EligibilityMonth.objects.filter(source=EligibilitySource.X12_271).count() == 4


def test_a_malformed_271_is_refused_by_segment_and_element(billing):
    BeneficiaryFactory(cin="94000001A")
    text = make_271([("94000001A", "1", "DTP*307*D8*2026OCT1"), ("BADCIN", "1", "DTP*307*D8*20261001")])
    with pytest.raises(ApplicationError) as exc:
        services.eligibility_import_271(
            actor=billing, county=county(), upload=SimpleUploadedFile("r.271", text.encode())
        )
    messages = [m for _n, m in exc.value.extra["errors"]]
    assert exc.value.extra["unit"] == "segment"
    assert any("DTP03" in m for m in messages) and any("NM109" in m for m in messages)
    assert all(m.startswith("Segment ") for m in messages)
    assert not EligibilityMonth.objects.exists() and not EligibilityImport.objects.exists()


def test_a_file_that_is_not_a_271_is_refused(billing):
    with pytest.raises(ApplicationError) as exc:
        services.eligibility_import_271(actor=billing, county=county(), upload=SimpleUploadedFile("r.271", b"hello"))
    assert "ISA" in exc.value.message or "ISA" in str(exc.value.extra)
    text = make_271([("94000001A", "1", "DTP*307*D8*20261001")], gs08="005010X222A1")
    with pytest.raises(ApplicationError) as exc:
        services.eligibility_import_271(
            actor=billing, county=county(), upload=SimpleUploadedFile("r.271", text.encode())
        )
    assert "GS08" in str(exc.value.extra["errors"])


def test_the_270_names_each_unverified_served_beneficiary_and_validates(billing):
    served = ServiceLineFactory(service_date=datetime.date(2026, 10, 14)).beneficiary
    verified = ServiceLineFactory(service_date=datetime.date(2026, 10, 20)).beneficiary
    EligibilityMonthFactory(beneficiary=verified, month=datetime.date(2026, 10, 1))
    ServiceLineFactory(service_date=datetime.date(2026, 9, 14))  # another month
    text, count = services.eligibility_inquiry_270(actor=billing, county=county(), month=datetime.date(2026, 10, 1))
    assert count == 1 and f"MI*{served.cin}~" in text and verified.cin not in text
    assert "DTP*291*RD8*20261001-20261031~" in text and "EQ*30~" in text
    assert x12_eligibility.validate_270(text) == []
    # Every beneficiary in the file is an access event, on the export channel.
    assert served.accesses.filter(channel="export", user=billing).count() == 1
    with pytest.raises(ApplicationError):
        services.eligibility_inquiry_270(actor=billing, county=county(), month=datetime.date(2026, 8, 1))
    with pytest.raises(ApplicationError):
        services.eligibility_inquiry_270(actor=billing, county=county(), month=datetime.date(2026, 12, 1))


def test_pyx12_has_no_5010_270_map_so_the_270_is_checked_by_x12sdk():
    # pyx12 4.0.0 comments its 005010X279A1 maps out; the day it ships one, validate_270 runs it too.
    assert not x12_eligibility.pyx12_has_map("HS", "005010X279A1")
    broken = "ISA*00*" + "x" * 120
    assert x12_eligibility.validate_270(broken)


def test_the_streaming_import_refuses_by_line_and_supersedes_changed_months(billing, tmp_path):
    # On PostgreSQL this is the COPY-and-SQL path; elsewhere the batched one: the same answers.
    BeneficiaryFactory(cin="93000001C", county=county("Fresno"))
    bad = tmp_path / "bad.csv"
    bad.write_text(
        HEADER
        + "92000001B,2026-10,Y,1H,Ochoa,Soledad,1970-05-06\n"
        + "1234,2026-10,Y,,,,\n"
        + "92000002B,2026-12,Y,,A,B,1990-01-01\n"
        + "92000003B,2026-10,Y,,A,B,1990-02-30\n"
        + "92000004B,2026-10,maybe,,A,B,1990-01-01\n",
        encoding="utf-8",
    )
    with pytest.raises(ApplicationError) as exc:
        services.eligibility_import_stream(actor=billing, county=county(), path=str(bad))
    assert [line for line, _m in exc.value.extra["errors"]] == [3, 4, 5, 6]
    lookups = tmp_path / "lookups.csv"
    lookups.write_text(
        HEADER + "92000001B,2026-10,Y,1H,Ochoa,Soledad,1970-05-06\n92000005B,2026-10,Y,,,,\n93000001C,2026-10,Y,,,,\n",
        encoding="utf-8",
    )
    with pytest.raises(ApplicationError) as exc:
        services.eligibility_import_stream(actor=billing, county=county(), path=str(lookups))
    assert sorted(line for line, _m in exc.value.extra["errors"]) == [3, 4]
    assert not EligibilityMonth.objects.exists() and Beneficiary.objects.count() == 1
    first = tmp_path / "first.csv"
    first.write_text(
        HEADER + "92000001B,2026-09,Y,1H,Ochoa,Soledad,1970-05-06\n92000001B,2026-10,Y,1H,,,\n", encoding="utf-8"
    )
    assert services.eligibility_import_stream(actor=billing, county=county(), path=str(first)).added == 2
    second = tmp_path / "second.csv"
    second.write_text(HEADER + "92000001B,2026-09,Y,1H,,,\n92000001B,2026-10,N,,,,\n", encoding="utf-8")
    result = services.eligibility_import_stream(actor=billing, county=county(), path=str(second))
    assert (result.added, result.changed, result.unchanged) == (0, 1, 1)
    old, new = EligibilityMonth.objects.filter(month=datetime.date(2026, 10, 1)).order_by("id")
    assert old.superseded_by == new and not new.eligible


def test_the_import_eligibility_command_imports_and_prints_problems_by_line(billing, tmp_path):
    from django.core.management import CommandError, call_command

    good = tmp_path / "good.csv"
    good.write_text(HEADER + "92000001B,2026-10,Y,1H,Ochoa,Soledad,1970-05-06\n", encoding="utf-8")
    out = io.StringIO()
    call_command("import_eligibility", str(good), county="Los Angeles", email=billing.email, stdout=out)
    assert "1 months added" in out.getvalue() and "Ochoa" not in out.getvalue()
    call_command("import_eligibility", str(good), county="Los Angeles", email=billing.email, stdout=out)
    assert "already imported" in out.getvalue()
    bad = tmp_path / "bad.csv"
    bad.write_text(HEADER + "nope,2026-10,Y,,Ochoa,Soledad,1970-05-06\n", encoding="utf-8")
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_eligibility", str(bad), county="Los Angeles", email=billing.email, stderr=err)
    assert err.getvalue().startswith("line 2:") and "Ochoa" not in err.getvalue()
    with pytest.raises(CommandError):
        call_command("import_eligibility", str(good), county="Fresno", email=billing.email)
