"""Claims out and remittance in, through the services: pyx12 accepts every file we build; the EHR's
837P comes back less its held lines; an 835 round trip posts every line; bad 835s save nothing."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile

from peercert.accounts.roles import Role
from peercert.accounts.tests.factories import user_with_role
from peercert.billing import services, x12_835_in, x12_837_out
from peercert.billing.audit import AuditAction
from peercert.billing.models import (
    BatchSource,
    BatchStatus,
    ClaimFile,
    LineStatus,
    PaymentOutcome,
    Remittance,
    RemittanceLine,
    ServiceLine,
)
from peercert.billing.tests.factories import billed_batch
from peercert.core.errors import ApplicationError
from peercert.core.models import AuditEvent

pytestmark = pytest.mark.django_db
NOON = datetime.datetime(2026, 11, 20, 20, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(NOON, tick=False):
        yield


@pytest.fixture
def billing():
    return user_with_role(Role.COUNTY_BILLING, county_name="Los Angeles")


def _segments(content: str) -> list[list[str]]:
    return [s.split("*") for s in content.replace("\n", "").split("~") if s]


def _remit_for(claim_file: ClaimFile, *, deny: set[int] = frozenset(), short: Decimal = Decimal(0)):
    """The state's 835 for our own 837P: every line paid at its charge, or denied CO-16 with N290."""
    return x12_835_in.answer_837p(
        claim_file.content, icn=claim_file.interchange_control_number, now=NOON, deny=deny, provider_adjustment=short
    )


def _upload(text: str, name="remit.835"):
    return SimpleUploadedFile(name, text.encode("ascii"))


# ---- 837P out -------------------------------------------------------------------------------------


def test_the_837p_of_a_batch_passes_pyx12_and_is_stored_and_audited(billing):
    batch = billed_batch(lines=4, held=2)
    claim_file = services.claim_file_build(actor=billing, batch=batch)
    assert x12_837_out.validate(claim_file.content).ok
    assert claim_file.line_count == 4
    assert claim_file.total_charge == Decimal("165.00") * 4  # 4 units x 41.25, the rate in force
    segments = _segments(claim_file.content)
    assert sum(1 for s in segments if s[0] == "LX") == 4
    assert [s for s in segments if s[0] == "NM1" and s[1] == "IL"][0][8:10] == ["MI", batch.lines.first().cin]
    assert any(s[0] == "PRV" and s[1] == "PE" and s[3] == "175T00000X" for s in segments)
    se = next(s for s in segments if s[0] == "SE")
    st = next(i for i, s in enumerate(segments) if s[0] == "ST")
    assert int(se[1]) == segments.index(se) - st + 1
    assert AuditEvent.objects.filter(action=AuditAction.CLAIM_FILE_BUILD, object_id=str(claim_file.pk)).exists()


def test_interchange_numbers_are_unique_and_increasing(billing):
    first = services.claim_file_build(actor=billing, batch=billed_batch())
    second = services.claim_file_build(actor=billing, batch=billed_batch())
    assert second.interchange_control_number == first.interchange_control_number + 1
    assert f"*{second.interchange_control_number:09d}*" in second.content


def test_a_file_pyx12_refuses_is_never_stored(billing, monkeypatch):
    batch = billed_batch()
    real = x12_837_out.build_from_lines

    def broken(*args, **kwargs):
        built = real(*args, **kwargs)
        built.content = built.content.replace("SV1*HC:", "SV1*ZZ:", 1)
        return built

    monkeypatch.setattr(x12_837_out, "build_from_lines", broken)
    with pytest.raises(services.ClaimFileInvalid) as refused:
        services.claim_file_build(actor=billing, batch=batch)
    assert refused.value.messages and any("SV1" in m for m in refused.value.messages)
    assert not ClaimFile.objects.exists()


def test_pyx12_names_a_missing_required_segment():
    batch = billed_batch()
    built = x12_837_out.build_from_lines(batch, icn=5, now=NOON, county_name="Los Angeles", county_code="19")
    broken = "\n".join(line for line in built.content.splitlines() if not line.startswith("NM1*40"))
    result = x12_837_out.validate(broken)
    assert not result.ok and result.messages


def test_only_a_checked_batch_with_billable_lines_builds(billing):
    batch = billed_batch(lines=0, held=2)
    with pytest.raises(ApplicationError, match="nothing to claim"):
        services.claim_file_build(actor=billing, batch=batch)
    batch.status = BatchStatus.OPEN
    batch.save()
    with pytest.raises(ApplicationError, match="checked batch"):
        services.claim_file_build(actor=billing, batch=batch)


def test_another_countys_billing_user_may_not_build(billing):
    batch = billed_batch(county_name="Fresno")
    with pytest.raises(ApplicationError) as refused:
        services.claim_file_build(actor=billing, batch=batch)
    assert refused.value.http_status == 403


def _ehr_batch(billing, *, lines=4, held_positions=(1,)):
    """A batch taken from an EHR's 837P: our builder plays the EHR; lines keep CLM01 and LX."""
    batch = billed_batch(lines=lines, held=0)
    ehr = x12_837_out.build_from_lines(batch, icn=99, now=NOON, county_name="Los Angeles", county_code="19")
    claim_id = None
    for seg in _segments(ehr.content):
        if seg[0] == "CLM":
            claim_id = seg[1]
        elif seg[0] == "LX":
            number = int(seg[1])
        elif seg[0] == "REF" and seg[1] == "6R":
            ServiceLine.objects.filter(pk=int(seg[2])).update(
                source_claim_id=f"EHR{claim_id}", source_line_number=number
            )
    content = ehr.content.replace("CLM*", "CLM*EHR")
    batch.source = BatchSource.X12_837P
    batch.source_file.save("ehr.x12", ContentFile(content.encode()), save=False)
    batch.source_kind = "x12"
    batch.save()
    ordered = list(batch.lines.order_by("id"))
    for position in held_positions:
        ServiceLine.objects.filter(pk=ordered[position].pk).update(status=LineStatus.HELD)
    return batch, content


def test_a_file_from_the_ehrs_837p_comes_back_less_the_held_lines_and_validates(billing):
    batch, original = _ehr_batch(billing, lines=4, held_positions=(1, 2))
    claim_file = services.claim_file_build(actor=billing, batch=batch)
    result = x12_837_out.validate(claim_file.content)
    assert result.ok, result.messages
    kept = {s[2] for s in _segments(claim_file.content) if s[0] == "REF" and s[1] == "6R"}
    held = set(batch.lines.filter(status=LineStatus.HELD).values_list("pk", flat=True))
    assert kept and not (kept & {str(pk) for pk in held})
    assert claim_file.line_count == 2
    # Claims with no line left are dropped; the ones kept carry their recomputed totals.
    clms = [s for s in _segments(claim_file.content) if s[0] == "CLM"]
    assert len(clms) == 2 and all(Decimal(s[2]) == Decimal("165") for s in clms)
    # The rest is the EHR's own file: its submitter, its segments.
    assert "NM1*41*2*LOS ANGELES COUNTY BEHAVIORAL HEALTH" in claim_file.content
    assert len(_segments(claim_file.content)) < len(_segments(original))


# ---- Submission and corrections -----------------------------------------------------------------


def test_a_submitted_batch_cannot_change(billing):
    batch = billed_batch()
    with pytest.raises(ApplicationError, match="Build and download"):
        services.batch_submit(actor=billing, batch=batch)
    services.claim_file_build(actor=billing, batch=batch)
    services.batch_submit(actor=billing, batch=batch)
    batch.refresh_from_db()
    assert batch.status == BatchStatus.SUBMITTED and batch.submitted_at
    assert AuditEvent.objects.filter(action=AuditAction.BATCH_SUBMIT, object_id=str(batch.pk)).exists()
    with pytest.raises(ApplicationError) as again:
        services.batch_submit(actor=billing, batch=batch)
    assert again.value.code == "state"
    with pytest.raises(ApplicationError, match="checked batch"):
        services.claim_file_build(actor=billing, batch=batch)


def test_a_stale_file_does_not_submit(billing):
    batch = billed_batch()
    services.claim_file_build(actor=billing, batch=batch)
    batch.checked_at = NOON + datetime.timedelta(minutes=5)  # the gate ran again after the file
    batch.save()
    with pytest.raises(ApplicationError, match="Build and download"):
        services.batch_submit(actor=billing, batch=batch)


@pytest.mark.parametrize(("frequency", "code"), [("7", "7"), ("8", "8")])
def test_replacement_and_void_name_the_payer_control_number(billing, frequency, code):
    batch = billed_batch(lines=2)
    claim_file = services.claim_file_build(actor=billing, batch=batch)
    services.batch_submit(actor=billing, batch=batch)
    services.remittance_import(actor=billing, county=batch.county, upload=_upload(_remit_for(claim_file)))
    line = batch.lines.filter(status=LineStatus.BILLABLE).first()
    line.refresh_from_db()
    assert line.payer_claim_control_number.startswith("PCN")
    correction = services.claim_file_correct(actor=billing, line=line, frequency=frequency, reason="Units were wrong")
    segments = _segments(correction.content)
    clm = next(s for s in segments if s[0] == "CLM")
    assert clm[5].split(":")[2] == code
    assert ["REF", "F8", line.payer_claim_control_number] in segments
    assert correction.replaces_claim_control_number == line.payer_claim_control_number
    assert x12_837_out.validate(correction.content).ok
    assert AuditEvent.objects.filter(action=AuditAction.CLAIM_FILE_CORRECT, reason="Units were wrong").exists()


def test_an_unpaid_line_cannot_be_replaced(billing):
    batch = billed_batch()
    line = batch.lines.filter(status=LineStatus.BILLABLE).first()
    with pytest.raises(ApplicationError, match="Only a paid claim"):
        services.claim_file_correct(actor=billing, line=line, frequency="7", reason="x")


# ---- 835 in -------------------------------------------------------------------------------------


def test_an_835_round_trip_posts_every_line(billing):
    batch = billed_batch(lines=5, held=1)
    claim_file = services.claim_file_build(actor=billing, batch=batch)
    billable = list(batch.lines.filter(status=LineStatus.BILLABLE).order_by("id"))
    denied = {billable[1].pk}
    text = _remit_for(claim_file, deny=denied)
    remittance, created = services.remittance_import(actor=billing, county=batch.county, upload=_upload(text))
    assert created and remittance.line_count == 5
    assert remittance.payment_amount == Decimal("165.00") * 4
    for line in billable:
        line.refresh_from_db()
        assert line.payer_claim_control_number.startswith("PCN")
        assert line.paid_on == NOON.date()
        if line.pk in denied:
            assert line.remittance_status == PaymentOutcome.DENIED and line.paid_amount == 0
        else:
            assert line.remittance_status == PaymentOutcome.PAID and line.paid_amount == Decimal("165.00")
    row = RemittanceLine.objects.get(line_id=billable[1].pk)
    assert (row.status, row.adjustment_codes, row.remark_codes) == ("denied", "CO-16", "N290")
    assert batch.lines.get(status=LineStatus.HELD).remittance_status == ""
    assert AuditEvent.objects.filter(action=AuditAction.REMITTANCE_IMPORT, object_id=str(remittance.pk)).exists()


def test_matching_falls_back_to_procedure_and_modifiers_then_procedure(billing):
    batch = billed_batch(lines=1)
    claim_file = services.claim_file_build(actor=billing, batch=batch)
    text = _remit_for(claim_file).replace("REF*6R", "REF*XX")  # no line reference back
    services.remittance_import(actor=billing, county=batch.county, upload=_upload(text))
    assert batch.lines.get(status=LineStatus.BILLABLE).remittance_status == PaymentOutcome.PAID


def test_the_same_835_twice_adds_nothing(billing):
    batch = billed_batch()
    claim_file = services.claim_file_build(actor=billing, batch=batch)
    text = _remit_for(claim_file)
    first, created = services.remittance_import(actor=billing, county=batch.county, upload=_upload(text))
    again, created_again = services.remittance_import(actor=billing, county=batch.county, upload=_upload(text))
    assert created and not created_again and again == first
    assert Remittance.objects.count() == 1 and RemittanceLine.objects.count() == 3


def test_an_unbalanced_835_is_refused_and_nothing_is_saved(billing):
    batch = billed_batch()
    claim_file = services.claim_file_build(actor=billing, batch=batch)
    text = _remit_for(claim_file)
    bpr = next(line for line in text.splitlines() if line.startswith("BPR"))
    fields = bpr.split("*")
    fields[2] = "1.00"
    with pytest.raises(ApplicationError, match="does not balance"):
        services.remittance_import(
            actor=billing, county=batch.county, upload=_upload(text.replace(bpr, "*".join(fields)))
        )
    assert not Remittance.objects.exists()
    assert not batch.lines.exclude(remittance_status="").exists()


def test_provider_adjustments_balance_the_payment(billing):
    batch = billed_batch()
    claim_file = services.claim_file_build(actor=billing, batch=batch)
    text = _remit_for(claim_file, short=Decimal("10.00"))
    remittance, _ = services.remittance_import(actor=billing, county=batch.county, upload=_upload(text))
    assert remittance.payment_amount == Decimal("485.00")


def test_an_835_naming_unknown_claims_is_refused_with_their_ids(billing):
    batch = billed_batch()
    claim_file = services.claim_file_build(actor=billing, batch=batch)
    text = _remit_for(claim_file).replace(f"CLP*{batch.pk}L", "CLP*999999L")
    with pytest.raises(ApplicationError, match="999999L"):
        services.remittance_import(actor=billing, county=batch.county, upload=_upload(text))
    assert not Remittance.objects.exists() and not RemittanceLine.objects.exists()


def test_another_countys_835_names_unknown_claims(billing):
    fresno = billed_batch(county_name="Fresno")
    fresno_billing = user_with_role(Role.COUNTY_BILLING, county_name="Fresno")
    claim_file = services.claim_file_build(actor=fresno_billing, batch=fresno)
    la_batch = billed_batch()
    with pytest.raises(ApplicationError, match="never sent"):
        services.remittance_import(actor=billing, county=la_batch.county, upload=_upload(_remit_for(claim_file)))


@pytest.mark.parametrize(
    ("mangle", "message"),
    [
        (lambda t: "hello", "ISA"),
        (lambda t: t.replace("CLP*", "CLX*").replace("SVC*", "SVX*"), "no CLP"),
        (lambda t: t.replace("SVC*HC:", "SVC*HC:H0038*abc*", 1), "Segment"),
        (lambda t: t.replace("ST*835", "ST*837"), "ST01"),
        (lambda t: t.replace("TRN*1*", "TRN*1*\x00"), "NUL"),
    ],
)
def test_a_malformed_835_is_refused_by_segment(billing, mangle, message):
    batch = billed_batch()
    claim_file = services.claim_file_build(actor=billing, batch=batch)
    with pytest.raises(ApplicationError, match=message):
        services.remittance_import(actor=billing, county=batch.county, upload=_upload(mangle(_remit_for(claim_file))))
    assert not Remittance.objects.exists()


def test_an_empty_or_huge_835_is_refused(billing, settings):
    batch = billed_batch()
    with pytest.raises(ApplicationError, match="empty"):
        services.remittance_import(actor=billing, county=batch.county, upload=_upload(""))
    settings.BILLING_X12_MAX_BYTES = 100
    with pytest.raises(ApplicationError, match="larger"):
        services.remittance_import(actor=billing, county=batch.county, upload=_upload("ISA" * 100))


def test_a_denial_is_worked_once_with_a_note(billing):
    batch = billed_batch(lines=1)
    claim_file = services.claim_file_build(actor=billing, batch=batch)
    line = batch.lines.get(status=LineStatus.BILLABLE)
    services.remittance_import(
        actor=billing, county=batch.county, upload=_upload(_remit_for(claim_file, deny={line.pk}))
    )
    row = RemittanceLine.objects.get()
    with pytest.raises(ApplicationError, match="Say what"):
        services.denial_work(actor=billing, remittance_line=row, note=" ")
    services.denial_work(actor=billing, remittance_line=row, note="Resubmitted with the eligibility month fixed")
    row.refresh_from_db()
    assert row.denial_worked_by == billing and row.denial_worked_at == NOON
    assert AuditEvent.objects.filter(action=AuditAction.DENIAL_WORK, object_id=str(row.pk)).exists()
    with pytest.raises(ApplicationError, match="already"):
        services.denial_work(actor=billing, remittance_line=row, note="again")


def test_a_correction_without_its_original_is_refused_by_the_database():
    batch = billed_batch()
    claim_file = ClaimFile(
        batch=batch, frequency="7", interchange_control_number=1, content="x", sha256="x", line_count=0,
        total_charge=0, validated_at=NOON,
    )  # fmt: skip
    with pytest.raises(ValidationError):
        claim_file.full_clean()


@pytest.mark.parametrize("source", [s.value for s in BatchStatus])
def test_submit_from_every_state(billing, source):
    """Only a checked batch (with its claim file) is submitted; every other state refuses and
    writes no audit event."""
    batch = billed_batch()
    services.claim_file_build(actor=billing, batch=batch)
    batch.status = source
    batch.save(update_fields=["status"])
    if source == BatchStatus.CHECKED:
        services.batch_submit(actor=billing, batch=batch)
        event = AuditEvent.objects.get(action=AuditAction.BATCH_SUBMIT)
        assert event.before == {"status": "checked"} and event.after["status"] == "submitted"
    else:
        with pytest.raises(ApplicationError) as refused:
            services.batch_submit(actor=billing, batch=batch)
        assert refused.value.code == "state"
        assert not AuditEvent.objects.filter(action=AuditAction.BATCH_SUBMIT).exists()


def test_refusals_read_in_spanish(billing):
    from django.utils import translation

    batch = billed_batch(lines=0)
    with translation.override("es"), pytest.raises(ApplicationError) as refused:
        services.claim_file_build(actor=billing, batch=batch)
    assert "nada que reclamar" in refused.value.message
    with translation.override("es"), pytest.raises(ApplicationError) as malformed:
        services.remittance_import(actor=billing, county=batch.county, upload=_upload("x" * 200))
    assert "Segmento 1" in malformed.value.message


def test_a_mixed_claim_keeps_each_peer_on_its_own_line(billing):
    """Two peers serving one beneficiary on one day: one claim, each line with its rendering NPI."""
    from peercert.billing.tests.factories import ServiceLineFactory

    batch = billed_batch(lines=1, held=0)
    first = batch.lines.get()
    other = ServiceLineFactory(
        batch=batch, beneficiary=first.beneficiary, service_date=first.service_date, status=LineStatus.BILLABLE,
        employment__provider=first.employment.provider, employment__individual_npi="1234567893",
    )  # fmt: skip
    claim_file = services.claim_file_build(actor=billing, batch=batch)
    segments = _segments(claim_file.content)
    assert sum(1 for s in segments if s[0] == "CLM") == 1
    assert ["NM1", "82", "1"] == [s for s in segments if s[0] == "NM1" and s[1] == "82"][1][:3]
    assert "1234567893" in {s[-1] for s in segments if s[0] == "NM1" and s[1] == "82"}
    assert other.pk in {int(s[2]) for s in segments if s[0] == "REF" and s[1] == "6R"}
