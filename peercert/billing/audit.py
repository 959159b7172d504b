"""What the audit trail says billing did."""

from django.utils.translation import gettext_lazy as _

from peercert.core import audit


class AuditAction(audit.AuditAction):
    BENEFICIARY_CREATE = "beneficiary.create", _("Beneficiary added")
    BENEFICIARY_UPDATE = "beneficiary.update", _("Beneficiary changed")
    ELIGIBILITY_RECORD = "eligibility.record", _("Eligibility month recorded")
    ELIGIBILITY_CORRECT = "eligibility.correct", _("Eligibility month corrected")
    ELIGIBILITY_IMPORT = "eligibility.import", _("Eligibility file imported")
    BATCH_CREATE = "service_batch.create", _("Service batch created")
    BATCH_IMPORT = "service_batch.import", _("Service file imported")
    BATCH_CHECK = "service_batch.check", _("Service batch checked by the gate")
    BATCH_SUBMIT = "service_batch.submit", _("Service batch submitted")
    LINE_ADD = "service_line.add", _("Service line added")
    LINE_CORRECT = "service_line.correct", _("Service line corrected")
    LINE_OVERRIDE = "service_line.override", _("Held service line overridden")
    CLAIM_FILE_BUILD = "claim_file.build", _("837P claim file built")
    CLAIM_FILE_DOWNLOAD = "claim_file.download", _("837P claim file downloaded")
    REMITTANCE_IMPORT = "remittance.import", _("835 remittance imported")
    DENIAL_WORK = "denial.work", _("Denial worked")
    # --- claims ---
    CLAIM_FILE_CORRECT = "claim_file.correct", _("Replacement or void claim built")
