"""The gate's pages and API: two counties side by side, corrections, overrides, the CSV."""

import datetime

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from peercert.accounts.roles import Role
from peercert.accounts.services import api_token_create
from peercert.accounts.tests.factories import user_with_role
from peercert.billing import services
from peercert.billing.audit import AuditAction
from peercert.billing.demo.gate import ehr_837p
from peercert.billing.models import BatchStatus, LineStatus, ServiceBatch
from peercert.billing.tests.factories import billable_world, line_data
from peercert.core.errors import ApplicationError
from peercert.core.models import AuditEvent

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


@pytest.fixture
def fresno_staff():
    return user_with_role(Role.COUNTY_BILLING, county_name="Fresno")


def held_batch(staff, world):
    batch = services.batch_create(actor=staff, county=world["county"])
    services.line_add(actor=staff, batch=batch, data=line_data(world))
    services.line_add(
        actor=staff, batch=batch, data=line_data(world, minutes=7, service_date=DAY - datetime.timedelta(days=1))
    )
    services.batch_check(actor=staff, batch=batch)
    batch.refresh_from_db()
    return batch


def test_the_result_page_shows_counts_reasons_and_filters(client, staff, world):
    batch = held_batch(staff, world)
    client.force_login(staff)
    page = client.get(reverse("billing:batch_detail", args=[batch.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Billable: 1" in text and "Held: 1" in text
    assert "7 minutes or less" in text  # the reason's message
    assert world["provider"].name in text
    held = client.get(reverse("billing:batch_detail", args=[batch.pk]), {"reason": "zero_units"})
    assert held.content.decode().count('href="/billing/lines/') == 1
    junk = client.get(reverse("billing:batch_detail", args=[batch.pk]), {"reason": "x" * 500, "provider": "9" * 40})
    assert junk.status_code == 200


def test_the_csv_is_the_countys_own(client, staff, world):
    batch = held_batch(staff, world)
    client.force_login(staff)
    response = client.get(reverse("billing:batch_export", args=[batch.pk]))
    body = b"".join(response.streaming_content).decode()
    assert body.splitlines()[0].startswith("line,position")
    assert world["beneficiary"].cin in body and world["beneficiary"].legal_last_name not in body
    assert "zero_units" in body
    client.force_login(user_with_role(Role.DHCS_ANALYST))
    assert client.get(reverse("billing:batch_export", args=[batch.pk])).status_code == 403


def test_two_counties_never_see_each_others_batches(client, staff, fresno_staff, world):
    batch = held_batch(staff, world)
    line = batch.lines.first()
    fresno_world = billable_world("Fresno", npi_seed=7300)
    fresno_batch = held_batch(fresno_staff, fresno_world)
    client.force_login(fresno_staff)
    for name, args in [
        ("billing:batch_detail", [batch.pk]),
        ("billing:batch_progress", [batch.pk]),
        ("billing:batch_export", [batch.pk]),
        ("billing:line_detail", [line.pk]),
    ]:
        assert client.get(reverse(name, args=args)).status_code == 404, name
    assert client.post(reverse("billing:batch_check", args=[batch.pk])).status_code == 404
    assert client.post(reverse("billing:line_correct", args=[line.pk]), {"fix-minutes": "30"}).status_code == 404
    listing = client.get(reverse("billing:batch_list")).content.decode()
    assert f'href="/billing/batches/{fresno_batch.pk}/"' in listing
    assert f'href="/billing/batches/{batch.pk}/"' not in listing
    token = api_token_create(actor=fresno_staff, name="EHR")[1]
    api = client.get(f"/api/v1/billing/batches/{batch.pk}", headers={"Authorization": f"Bearer {token}"})
    assert api.status_code == 404
    # DHCS reads both.
    client.force_login(user_with_role(Role.DHCS_ANALYST))
    assert client.get(reverse("billing:batch_detail", args=[batch.pk])).status_code == 200
    assert client.get(reverse("billing:batch_detail", args=[fresno_batch.pk])).status_code == 200


def test_a_held_line_is_corrected_and_the_batch_checked_again(client, staff, world):
    batch = held_batch(staff, world)
    line = batch.lines.get(status=LineStatus.HELD)
    client.force_login(staff)
    assert client.get(reverse("billing:line_detail", args=[line.pk])).status_code == 200
    response = client.post(
        reverse("billing:line_correct", args=[line.pk]),
        {
            "fix-employment": world["employment"].pk,
            "fix-cin": line.cin,
            "fix-service_date": line.service_date.isoformat(),
            "fix-minutes": "30",
            "fix-code": "H0038",
            "fix-delivery_system": "smhs",
        },
    )
    assert response.status_code == 302
    line.refresh_from_db()
    batch.refresh_from_db()
    assert line.status == LineStatus.PENDING and line.units == 2 and not line.holds.exists()
    assert batch.status == BatchStatus.OPEN
    assert AuditEvent.objects.filter(action=AuditAction.LINE_CORRECT, object_id=str(line.pk)).exists()
    client.post(reverse("billing:batch_check", args=[batch.pk]))
    line.refresh_from_db()
    assert line.status == LineStatus.BILLABLE


def test_a_correction_with_bad_minutes_is_refused_on_the_form(client, staff, world):
    line = held_batch(staff, world).lines.get(status=LineStatus.HELD)
    client.force_login(staff)
    response = client.post(reverse("billing:line_correct", args=[line.pk]), {"fix-minutes": "0"})
    assert response.status_code == 400
    line.refresh_from_db()
    assert line.status == LineStatus.HELD


def test_only_the_supervisor_overrides_with_a_reason(client, staff, world):
    line = held_batch(staff, world).lines.get(status=LineStatus.HELD)
    with pytest.raises(ApplicationError):
        services.line_override(actor=staff, line=line, reason="because")
    client.force_login(staff)
    assert client.post(reverse("billing:line_override", args=[line.pk]), {"override-reason": "x"}).status_code == 403
    supervisor = user_with_role(Role.COUNTY_BILLING_SUPERVISOR)
    fresno_supervisor = user_with_role(Role.COUNTY_BILLING_SUPERVISOR, county_name="Fresno")
    client.force_login(fresno_supervisor)
    assert client.post(reverse("billing:line_override", args=[line.pk]), {"override-reason": "x"}).status_code == 404
    client.force_login(supervisor)
    assert client.post(reverse("billing:line_override", args=[line.pk]), {"override-reason": " "}).status_code == 400
    response = client.post(
        reverse("billing:line_override", args=[line.pk]), {"override-reason": "Paper note shows 9 minutes."}
    )
    assert response.status_code == 302
    line.refresh_from_db()
    assert line.status == LineStatus.OVERRIDDEN and line.overridden_by == supervisor
    event = AuditEvent.objects.get(action=AuditAction.LINE_OVERRIDE, object_id=str(line.pk))
    assert event.reason == "Paper note shows 9 minutes." and event.before["holds"] == ["zero_units"]
    with pytest.raises(ApplicationError):
        services.line_override(actor=supervisor, line=line, reason="again")


def test_upload_page_imports_and_refuses(client, staff, world):
    client.force_login(staff)
    content = ehr_837p(
        billing_npi=world["provider"].npi,
        claims=[
            {
                "id": "C1",
                "cin": world["beneficiary"].cin,
                "npi": world["employment"].individual_npi,
                "lines": [{"units": 4, "charge": "165", "date": DAY}],
            },
        ],
    )
    response = client.post(
        reverse("billing:batch_list"),
        {"upload-file": SimpleUploadedFile("ehr.x12", content), "upload-delivery_system": "smhs"},
    )
    batch = ServiceBatch.objects.get()
    assert response.status_code == 302 and response.url == reverse("billing:batch_detail", args=[batch.pk])
    again = client.post(
        reverse("billing:batch_list"),
        {"upload-file": SimpleUploadedFile("ehr.x12", content), "upload-delivery_system": "smhs"},
    )
    assert again.status_code == 400 and "imported already" in again.content.decode()
    assert ServiceBatch.objects.count() == 1


def test_the_api_takes_a_file_and_answers_with_the_lines(client, staff, world):
    token = api_token_create(actor=staff, name="EHR")[1]
    auth = {"Authorization": f"Bearer {token}"}
    content = ehr_837p(
        billing_npi=world["provider"].npi,
        claims=[
            {
                "id": "C1",
                "cin": world["beneficiary"].cin,
                "npi": world["employment"].individual_npi,
                "lines": [{"units": 4, "charge": "165", "date": DAY}, {"minutes": 5, "charge": "0", "date": DAY}],
            },
        ],
    )
    created = client.post("/api/v1/billing/batches", {"file": SimpleUploadedFile("ehr.x12", content)}, headers=auth)
    assert created.status_code == 201, created.content
    batch_id = created.json()["id"]
    detail = client.get(f"/api/v1/billing/batches/{batch_id}", {"limit": 1, "offset": 1}, headers=auth).json()
    assert detail["counts"]["by_status"] == {"billable": 1, "held": 1}
    assert [(ln["claim"], ln["claim_line"], ln["reasons"]) for ln in detail["lines"]] == [("C1", 2, ["zero_units"])]
    bad = client.post("/api/v1/billing/batches", {"file": SimpleUploadedFile("x.x12", content[:200])}, headers=auth)
    assert bad.status_code == 400 and "Segment" in bad.json()["detail"]
    missing = client.post("/api/v1/billing/batches", {}, headers=auth)
    assert missing.status_code == 400
    assert client.get("/api/v1/billing/batches/1", {"limit": 10**6}, headers=auth).status_code == 422


def test_every_page_and_export_that_names_a_beneficiary_writes_its_access_event(client, staff, world):
    from peercert.billing.models import AccessChannel, BeneficiaryAccess

    batch = held_batch(staff, world)
    client.force_login(staff)
    reads = BeneficiaryAccess.objects.filter(user=staff, beneficiary=world["beneficiary"])
    client.get(reverse("billing:batch_detail", args=[batch.pk]))
    assert reads.filter(channel=AccessChannel.PAGE).count() == 1  # both lines, one beneficiary
    line = batch.lines.first()
    client.get(reverse("billing:line_detail", args=[line.pk]))
    assert reads.filter(channel=AccessChannel.PAGE).count() == 2
    b"".join(client.get(reverse("billing:batch_export", args=[batch.pk])).streaming_content)
    assert reads.filter(channel=AccessChannel.EXPORT).count() == 1
