"""Service files in: the EHR's 837P and CSV/XLSX, all-or-nothing, once only, the same gate result."""

import datetime

import pytest
import time_machine

from peercert.accounts.roles import Role
from peercert.accounts.tests.factories import user_with_role
from peercert.billing import services
from peercert.billing.demo.gate import ehr_837p
from peercert.billing.models import BatchSource, LineStatus, ServiceBatch, ServiceLine
from peercert.billing.tests.factories import billable_world
from peercert.billing.x12_837_in import parse_837p
from peercert.core.errors import ApplicationError

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 10, 14)


@pytest.fixture(autouse=True)
def _in_november():
    with time_machine.travel(datetime.datetime(2026, 11, 16, 18, 0, tzinfo=datetime.UTC), tick=False):
        yield


@pytest.fixture
def world():
    return billable_world()


@pytest.fixture
def staff():
    return user_with_role(Role.COUNTY_BILLING)


def claims_for(world, unknown_npi="1234567893"):
    npi, cin = world["employment"].individual_npi, world["beneficiary"].cin
    return [
        {
            "id": "EHR-1001",
            "cin": cin,
            "npi": npi,
            "lines": [
                {"code": "H0038", "units": 4, "charge": "165.00", "date": DAY, "ref": "V-1"},
                {"code": "H0038", "minutes": 7, "charge": "0", "date": DAY - datetime.timedelta(days=1)},
            ],
        },
        {
            "id": "EHR-1002",
            "cin": "00000009Z",
            "lines": [{"code": "H0038", "modifiers": ["HE"], "units": 2, "charge": "82.50", "date": DAY, "npi": npi}],
        },
        {"id": "EHR-1003", "cin": cin, "lines": [{"code": "H0038", "units": 1, "date": DAY, "npi": unknown_npi}]},
    ]


def csv_for(world):
    npi, cin = world["employment"].individual_npi, world["beneficiary"].cin
    rows = [
        "rendering_npi,cin,service_date,minutes,code,delivery_system,place_of_service,modifiers,group_size,reference",
        f"{npi},{cin},2026-10-14,60,H0038,smhs,11,,,V-1",
        f"{npi},{cin},10/13/2026,7,H0038,smhs,11,,,",
        f"{npi},00000009Z,2026-10-14,30,H0038,smhs,11,HE,,",
        f"1234567893,{cin},2026-10-14,15,H0038,smhs,11,,,",
    ]
    return ("\r\n".join(rows) + "\r\n").encode()


def result(batch):
    return [
        (
            line.service_date,
            line.units,
            line.code,
            line.status,
            tuple(sorted(line.holds.values_list("code", flat=True))),
        )
        for line in batch.lines.order_by("source_position", "pk")
    ]


def test_the_837p_lines_are_read_with_their_claim_line_and_provider(staff, world):
    content = ehr_837p(billing_npi=world["provider"].npi, claims=claims_for(world))
    batch = services.batch_import(actor=staff, county=world["county"], content=content, filename="ehr.x12")
    assert batch.source == BatchSource.X12_837P and batch.line_count == 4
    assert batch.source_file.name
    lines = list(batch.lines.order_by("source_position"))
    assert [(ln.source_claim_id, ln.source_line_number) for ln in lines] == [
        ("EHR-1001", 1),
        ("EHR-1001", 2),
        ("EHR-1002", 1),
        ("EHR-1003", 1),
    ]
    assert lines[0].employment == world["employment"] and lines[0].county_reference == "V-1"
    assert lines[0].units == 4 and lines[1].minutes == 7 and lines[1].units == 0
    assert lines[2].modifiers == "HE" and lines[2].beneficiary is None
    assert lines[3].employment is None and lines[3].rendering_npi == "1234567893"
    assert result(batch) == [
        (DAY, 4, "H0038", "billable", ()),
        (DAY - datetime.timedelta(days=1), 0, "H0038", "held", ("zero_units",)),
        (DAY, 2, "H0038", "held", ("unknown_beneficiary",)),
        (DAY, 1, "H0038", "held", ("unknown_rendering_npi",)),
    ]


def test_the_same_gate_result_from_csv_and_from_837p(staff, world):
    from_837 = services.batch_import(
        actor=staff,
        county=world["county"],
        content=ehr_837p(billing_npi=world["provider"].npi, claims=claims_for(world)),
        filename="ehr.x12",
    )
    first = result(from_837)
    # The second batch would be duplicates of the first: compare against a fresh world instead.
    ServiceLine.objects.filter(batch=from_837).update(status=LineStatus.HELD)
    from_csv = services.batch_import(actor=staff, county=world["county"], content=csv_for(world), filename="ehr.csv")
    assert from_csv.source == BatchSource.CSV
    assert result(from_csv) == first


def test_the_billing_providers_npi_is_the_fallback(staff, world):
    world["employment"].individual_npi = world["provider"].npi
    world["employment"].save()
    claims = [{"id": "C1", "cin": world["beneficiary"].cin, "lines": [{"units": 4, "charge": "165", "date": DAY}]}]
    batch = services.batch_import(
        actor=staff,
        county=world["county"],
        content=ehr_837p(billing_npi=world["provider"].npi, claims=claims),
        filename="a",
    )
    line = batch.lines.get()
    assert line.employment == world["employment"] and line.status == LineStatus.BILLABLE


def test_a_service_before_the_hire_is_kept_and_held(staff, world):
    employment = world["employment"]
    employment.hired_on = DAY + datetime.timedelta(days=3)
    employment.save()
    batch = services.batch_import(actor=staff, county=world["county"], content=csv_for(world), filename="a.csv")
    assert batch.lines.first().holds.filter(code="not_hired").exists()


def test_the_same_file_twice_adds_nothing(staff, world):
    content = ehr_837p(billing_npi=world["provider"].npi, claims=claims_for(world))
    batch = services.batch_import(actor=staff, county=world["county"], content=content, filename="ehr.x12")
    with pytest.raises(ApplicationError) as refused:
        services.batch_import(actor=staff, county=world["county"], content=content, filename="again.x12")
    assert refused.value.code == "duplicate" and str(batch.pk) in refused.value.message
    assert ServiceBatch.objects.count() == 1 and ServiceLine.objects.count() == 4


@pytest.mark.parametrize(
    ("damage", "where"),
    [
        (lambda t: t.replace("SV1*HC:H0038*165.00*UN*4", "SV1*HC:H0038*165.00*UN*four"), "(SV1), element SV104"),
        (lambda t: t.replace("SV1*HC:H0038*165.00", "SV1*XX:H0038*165.00"), "(SV1), element SV101"),
        (lambda t: t.replace("DTP*472*D8*20261014", "DTP*472*D8*20261341", 1), "(DTP), element DTP03"),
        (lambda t: t.replace("SE*", "SE*9", 1), "(SE), element SE01"),
        (lambda t: t.replace("005010X222A1", "004010X098A1"), "(GS), element GS08"),
        (lambda t: t.replace("***11:B:1", "***X:B:1", 1), "(CLM), element CLM05-1"),
        (lambda t: t.replace("MI*", "MI*123", 1), "(NM1), element NM109"),
        (lambda t: t[:60], "Segment 1 (ISA)"),
        (lambda t: t.replace("LX*1~\n", "", 1), "(SV1), element SV101"),
    ],
)
def test_a_malformed_837p_is_refused_by_segment_and_nothing_saved(staff, world, damage, where):
    text = ehr_837p(billing_npi=world["provider"].npi, claims=claims_for(world)).decode()
    content = damage(text).encode()
    with pytest.raises(ApplicationError) as refused:
        services.batch_import(actor=staff, county=world["county"], content=content, filename="bad.x12")
    assert where in refused.value.message, refused.value.message
    assert "nothing was saved" in refused.value.message or "not an X12" in refused.value.message
    assert ServiceBatch.objects.count() == 0 and ServiceLine.objects.count() == 0


def test_a_segment_number_counts_from_the_isa(world):
    text = ehr_837p(billing_npi=world["provider"].npi, claims=claims_for(world)).decode()
    segments = text.split("~\n")
    number = next(i for i, s in enumerate(segments, start=1) if s.startswith("SV1"))
    bad = text.replace("SV1*HC:H0038*165.00*UN*4", "SV1*HC:H0038*165.00*UN*-4")
    assert parse_837p(bad.encode()).errors[0].startswith(f"Segment {number} (SV1)")


def test_a_bad_csv_row_refuses_the_file_by_line(staff, world):
    content = csv_for(world).replace(b",7,H0038", b",0,H0038")
    with pytest.raises(ApplicationError) as refused:
        services.batch_import(actor=staff, county=world["county"], content=content, filename="a.csv")
    assert "line 3:" in refused.value.message and "Minutes" in refused.value.message
    assert ServiceBatch.objects.count() == 0


def test_a_county_cannot_import_into_another(world):
    fresno = user_with_role(Role.COUNTY_BILLING, county_name="Fresno")
    with pytest.raises(ApplicationError):
        services.batch_import(actor=fresno, county=world["county"], content=csv_for(world), filename="a.csv")


def test_a_large_batch_is_checked_by_the_task_with_progress(
    staff, world, monkeypatch, django_capture_on_commit_callbacks
):
    from peercert.billing.services import gate as gate_services

    monkeypatch.setattr(gate_services, "BACKGROUND_THRESHOLD", 2)
    with django_capture_on_commit_callbacks(execute=True):
        batch = services.batch_import(actor=staff, county=world["county"], content=csv_for(world), filename="a.csv")
    assert batch.status == "checking"
    batch.refresh_from_db()
    assert batch.status == "checked"
    assert batch.progress_done == batch.progress_total > 0
    assert batch.counts["by_status"] == {"billable": 1, "held": 3}
