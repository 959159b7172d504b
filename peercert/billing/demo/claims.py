"""Demo data for claims: for a checked demo batch, a validated claim file and the state's 835 for it,
with a few denials (CO-16 with RARC N290) so the denials worklist has entries. Runs after the gate's
demo; does nothing if it made no checked batch, and nothing the second time."""

from django.core.files.uploadedfile import SimpleUploadedFile

from peercert.billing import services, x12_835_in
from peercert.billing.models import BatchStatus, ClaimFile, LineStatus, Remittance, ServiceBatch
from peercert.core import clock

DEMO_835 = "demo-state-835.x12"
DENIALS = 3


def seed(stdout) -> None:
    if Remittance.objects.filter(original_name=DEMO_835).exists():
        stdout.write("  billing claims: demo claim file and 835 already there")
        return
    batch = (
        ServiceBatch.objects.filter(
            status=BatchStatus.CHECKED, lines__status__in=(LineStatus.BILLABLE, LineStatus.OVERRIDDEN)
        )
        .order_by("id")
        .distinct()
        .first()
    )
    if batch is None:
        stdout.write("  billing claims: no checked demo batch with billable lines, so no claim file")
        return
    claim_file = ClaimFile.objects.filter(batch=batch, frequency="1").order_by("-id").first()
    if claim_file is None:
        try:
            claim_file = services.claim_file_build(actor=None, batch=batch)
        except services.ClaimFileInvalid as error:
            stdout.write(f"  billing claims: the demo 837P failed pyx12 validation ({len(error.messages)} messages)")
            return
    refs = [
        int(seg.split("*")[2]) for seg in claim_file.content.replace("\n", "").split("~") if seg.startswith("REF*6R*")
    ]
    deny = set(refs[1 : 1 + DENIALS * 7 : 7])  # a few, spread through the file
    text = x12_835_in.answer_837p(
        claim_file.content, icn=claim_file.interchange_control_number, now=clock.now(), deny=deny
    )
    remittance, _created = services.remittance_import(
        actor=None, county=batch.county_id, upload=SimpleUploadedFile(DEMO_835, text.encode("ascii"))
    )
    stdout.write(
        f"  billing claims: claim file {claim_file.interchange_control_number} for batch {batch.pk} "
        f"({claim_file.line_count} lines), 835 posted with {len(deny)} denials"
    )
