"""The claims pages and the 837P download API: own county only (another county's is a 404), every
download audited, refusals shown where people act."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from peercert.accounts.roles import Role
from peercert.accounts.tests.factories import user_with_role
from peercert.billing import services, x12_837_out
from peercert.billing.audit import AuditAction
from peercert.billing.models import BatchStatus, BeneficiaryAccess, ClaimFile, LineStatus, Remittance
from peercert.billing.tests.factories import billed_batch
from peercert.billing.tests.test_claims_services import _remit_for
from peercert.core.models import AuditEvent

pytestmark = pytest.mark.django_db
NOON = datetime.datetime(2026, 11, 20, 20, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(NOON, tick=False):
        yield


@pytest.fixture
def la():
    return user_with_role(Role.COUNTY_BILLING, county_name="Los Angeles")


@pytest.fixture
def fresno():
    return user_with_role(Role.COUNTY_BILLING, county_name="Fresno")


def test_build_download_and_submit_from_the_batch_page(client, la):
    batch = billed_batch(lines=2, held=1)
    client.force_login(la)
    page = client.get(reverse("billing:claims_batch", args=[batch.pk]))
    assert page.status_code == 200 and b"Build and validate" in page.content
    response = client.post(reverse("billing:claims_build", args=[batch.pk]))
    assert response.status_code == 302
    claim_file = ClaimFile.objects.get()
    download = client.get(reverse("billing:claims_download", args=[claim_file.pk]))
    assert download.status_code == 200
    assert download["Content-Type"].startswith("application/edi-x12")
    assert "attachment" in download["Content-Disposition"]
    assert download.content.decode() == claim_file.content
    event = AuditEvent.objects.get(action=AuditAction.CLAIM_FILE_DOWNLOAD)
    assert event.actor_id == la.pk and event.object_id == str(claim_file.pk)
    # The file names its beneficiaries, so the download is an access event for each.
    access = BeneficiaryAccess.objects.get()
    assert (access.user, access.channel, access.beneficiary_id) == (la, "export", batch.lines.first().beneficiary_id)
    client.post(reverse("billing:claims_submit", args=[batch.pk]))
    batch.refresh_from_db()
    assert batch.status == BatchStatus.SUBMITTED
    page = client.get(reverse("billing:claims_batch", args=[batch.pk]))
    assert b"Build and validate" not in page.content


def test_a_validation_failure_is_an_error_page_not_a_file(client, la, monkeypatch):
    batch = billed_batch()
    monkeypatch.setattr(
        x12_837_out, "validate", lambda content: x12_837_out.Validation(False, ["segment 9 (SV1) element SV101: bad"])
    )
    client.force_login(la)
    response = client.post(reverse("billing:claims_build", args=[batch.pk]))
    assert response.status_code == 422
    assert b"SV101" in response.content and b"no file was stored" in response.content
    assert not ClaimFile.objects.exists()


def test_two_counties_never_see_each_others_claim_files_or_remittances(client, la, fresno):
    mine = billed_batch()
    theirs = billed_batch(county_name="Fresno")
    their_file = services.claim_file_build(actor=fresno, batch=theirs)
    remittance, _ = services.remittance_import(
        actor=fresno, county=theirs.county, upload=SimpleUploadedFile("r.835", _remit_for(their_file).encode())
    )
    client.force_login(la)
    for url in [
        reverse("billing:claims_batch", args=[theirs.pk]),
        reverse("billing:claims_download", args=[their_file.pk]),
        reverse("billing:remittance_detail", args=[remittance.pk]),
        f"/api/v1/billing/batches/{theirs.pk}/claims.x12",
    ]:
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("billing:claims_build", args=[theirs.pk])).status_code == 404
    listing = client.get(reverse("billing:remittances"))
    assert remittance.trace_number.encode() not in listing.content
    assert client.get(reverse("billing:claims_batch", args=[mine.pk])).status_code == 200
    assert not AuditEvent.objects.filter(action=AuditAction.CLAIM_FILE_DOWNLOAD, actor_id=la.pk).exists()


def test_dhcs_reads_every_county_but_builds_nothing(client):
    batch = billed_batch(county_name="Fresno")
    analyst = user_with_role(Role.DHCS_ANALYST)
    client.force_login(analyst)
    assert client.get(reverse("billing:claims_batch", args=[batch.pk])).status_code == 200
    assert client.post(reverse("billing:claims_build", args=[batch.pk])).status_code == 403
    assert client.get(f"/api/v1/billing/batches/{batch.pk}/claims.x12").status_code == 409


def test_the_api_builds_then_serves_the_837p_and_audits(client, la):
    batch = billed_batch(lines=2, held=1)
    client.force_login(la)
    response = client.get(f"/api/v1/billing/batches/{batch.pk}/claims.x12")
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    assert x12_837_out.validate(response.content.decode()).ok
    again = client.get(f"/api/v1/billing/batches/{batch.pk}/claims.x12")
    assert again.content == response.content and ClaimFile.objects.count() == 1
    assert AuditEvent.objects.filter(action=AuditAction.CLAIM_FILE_DOWNLOAD).count() == 2


def test_county_staff_without_a_billing_role_are_refused(client):
    batch = billed_batch()
    client.force_login(user_with_role(Role.COUNTY_STAFF))
    assert client.get(reverse("billing:claims_batch", args=[batch.pk])).status_code == 403
    assert client.get(f"/api/v1/billing/batches/{batch.pk}/claims.x12").status_code == 403


def test_upload_an_835_see_it_and_work_its_denial(client, la):
    batch = billed_batch(lines=2, held=0)
    claim_file = services.claim_file_build(actor=la, batch=batch)
    denied = batch.lines.filter(status=LineStatus.BILLABLE).order_by("id").first()
    text = _remit_for(claim_file, deny={denied.pk})
    client.force_login(la)
    response = client.post(
        reverse("billing:remittance_upload"),
        {"county": batch.county_id, "file": SimpleUploadedFile("state.835", text.encode())},
    )
    remittance = Remittance.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "billing:remittance_detail", args=[remittance.pk]
    )
    detail = client.get(response["Location"])
    assert b"CO-16" in detail.content and b"N290" in detail.content
    again = client.post(
        reverse("billing:remittance_upload"),
        {"county": batch.county_id, "file": SimpleUploadedFile("state.835", text.encode())},
        follow=True,
    )
    assert "imported before" in again.content.decode() and Remittance.objects.count() == 1
    denials = client.get(reverse("billing:denials"))
    assert b"Mark worked" in denials.content
    home = client.get(reverse("web:home"))
    assert b"Denials to work" in home.content
    row = remittance.lines.get(status="denied")
    refused = client.post(reverse("billing:denial_work", args=[row.pk]), {"note": ""})
    assert refused.status_code == 400
    client.post(reverse("billing:denial_work", args=[row.pk]), {"note": "Eligibility fixed, claim resent"})
    row.refresh_from_db()
    assert row.denial_worked_at == NOON
    worked = client.get(reverse("billing:denials") + "?worked=1")
    assert b"Eligibility fixed" in worked.content


def test_a_bad_835_upload_is_refused_on_the_form(client, la):
    batch = billed_batch()
    client.force_login(la)
    response = client.post(
        reverse("billing:remittance_upload"),
        {"county": batch.county_id, "file": SimpleUploadedFile("state.835", b"not an x12 file at all" * 10)},
    )
    assert response.status_code == 400 and b"ISA" in response.content
    assert not Remittance.objects.exists()


def test_replace_a_paid_claim_from_its_page(client, la):
    batch = billed_batch(lines=1)
    claim_file = services.claim_file_build(actor=la, batch=batch)
    services.batch_submit(actor=la, batch=batch)
    services.remittance_import(
        actor=la, county=batch.county, upload=SimpleUploadedFile("r.835", _remit_for(claim_file).encode())
    )
    line = batch.lines.get(status=LineStatus.BILLABLE)
    client.force_login(la)
    page = client.get(reverse("billing:claims_batch", args=[batch.pk]))
    assert b"Replace or void" in page.content
    form = client.get(reverse("billing:claims_correct", args=[line.pk]))
    assert form.status_code == 200
    response = client.post(
        reverse("billing:claims_correct", args=[line.pk]), {"frequency": "8", "reason": "Billed in error"}
    )
    assert response.status_code == 302
    void = ClaimFile.objects.get(frequency="8")
    assert void.replaces_claim_control_number == f"PCN{batch.pk}L{line.pk}"
    assert Decimal(void.total_charge) == Decimal("165.00")


def test_the_pages_read_in_spanish_with_pacific_dates(client, la):
    batch = billed_batch(lines=1, held=0)
    claim_file = services.claim_file_build(actor=la, batch=batch)
    line = batch.lines.get()
    services.remittance_import(
        actor=la,
        county=batch.county,
        upload=SimpleUploadedFile("r.835", _remit_for(claim_file, deny={line.pk}).encode()),
    )
    client.force_login(la)
    page = client.get(reverse("billing:claims_batch", args=[batch.pk]), HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Archivos de reclamaciones" in page and "Descargar" in page
    denials = client.get(reverse("billing:denials"), HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Denegaciones" in denials and "1 de octubre de 2026" in denials
