"""Billing the benefit: beneficiaries and their monthly Medi-Cal eligibility, peer service lines in
batches, the certification-to-claim gate, the 837P claims out and the 835 remittances in.

Beneficiaries are protected health information: every read is an access event (BeneficiaryAccess),
and they never appear on a public page, in an export outside the county's own, or in a log line.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from peercert.core.models import BaseModel
from peercert.core.uploads import RandomName

CIN_PATTERN = r"^[0-9]{8}[A-Z]$"
BIC_PATTERN = r"^[0-9]{8}[A-Z][0-9][0-9]{4}$"


class Beneficiary(BaseModel):
    """A Medi-Cal member a county serves. Found by CIN; the BIC ID is the card's number."""

    county = models.ForeignKey(
        "accounts.County", on_delete=models.PROTECT, related_name="+", verbose_name=_("county of responsibility")
    )
    cin = models.CharField(_("CIN"), max_length=9, unique=True, help_text=_("8 digits, then a letter."))
    bic_id = models.CharField(_("BIC ID"), max_length=14, blank=True)
    legal_first_name = models.CharField(_("legal first name"), max_length=100)
    legal_last_name = models.CharField(_("legal last name"), max_length=100)
    date_of_birth = models.DateField(_("date of birth"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["county", "legal_last_name", "legal_first_name", "id"]
        verbose_name_plural = "beneficiaries"
        constraints = [
            models.CheckConstraint(condition=Q(cin__regex=CIN_PATTERN), name="billing_cin_shape"),
            models.CheckConstraint(
                condition=Q(bic_id="") | (Q(bic_id__regex=BIC_PATTERN) & Q(bic_id__startswith=F("cin"))),
                name="billing_bic_shape",
            ),
            models.UniqueConstraint(fields=["bic_id"], condition=~Q(bic_id=""), name="billing_bic_unique"),
        ]

    def __str__(self) -> str:
        # Never the name: a str() can end up in a log line.
        return f"Beneficiary {self.pk}"

    @property
    def full_name(self) -> str:
        return f"{self.legal_first_name} {self.legal_last_name}"


class AccessChannel(models.TextChoices):
    PAGE = "page", _("Page")
    API = "api", _("API")
    EXPORT = "export", _("Export")


class BeneficiaryAccess(models.Model):
    """Who read which beneficiary's record, when and how. Written on every read; never changed."""

    id = models.BigAutoField(primary_key=True)
    at = models.DateTimeField(db_index=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    beneficiary = models.ForeignKey(Beneficiary, on_delete=models.PROTECT, related_name="accesses")
    channel = models.CharField(max_length=10, choices=AccessChannel.choices)
    what = models.CharField(max_length=100, help_text=_("The page or operation that showed the record."))

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["beneficiary", "at"], name="billing_access_by_beneficiary")]


class EligibilitySource(models.TextChoices):
    X12_271 = "x12_271", _("X12 271 eligibility response")
    COUNTY_FILE = "county_file", _("County monthly eligibility file")
    MANUAL = "manual", _("Checked by hand (with a reference)")


class EligibilityImport(BaseModel):
    """One eligibility file a county imported. The same file twice (same hash) adds nothing."""

    county = models.ForeignKey("accounts.County", on_delete=models.PROTECT, related_name="+")
    source = models.CharField(max_length=20, choices=EligibilitySource.choices)
    original_name = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64)
    rows = models.PositiveIntegerField(default=0)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["county", "sha256"], name="billing_eligibility_file_once")]


class EligibilityMonth(BaseModel):
    """One verification of one beneficiary for one month. A correction supersedes the row it corrects.

    At statewide volume (millions of rows a year, a million in one county file) the table is lean: on
    PostgreSQL it is partitioned by month (migration 0003_partitioned_lines_and_months; the primary key
    there is (id, month)), and it keeps two indexes a row (the primary key and the current verification,
    which also answers the gate's lookup from the index alone) and one foreign-key check (the
    beneficiary). The importer, the user and the superseding row are ids PeerCert itself writes in the
    same transaction; Django still applies PROTECT to them. A row pointing AT this table cannot have a
    database constraint on a partitioned table, hence superseded_by's db_constraint=False.
    """

    # Not indexed: the import of a million rows would maintain it for no reader.
    created_at = models.DateTimeField(auto_now_add=True)
    beneficiary = models.ForeignKey(Beneficiary, on_delete=models.PROTECT, related_name="eligibility", db_index=False)
    month = models.DateField(_("month"), help_text=_("The first day of the month verified."))
    eligible = models.BooleanField(_("eligible"))
    aid_code = models.CharField(_("aid code"), max_length=3, blank=True)
    source = models.CharField(_("source"), max_length=20, choices=EligibilitySource.choices)
    reference = models.CharField(_("reference"), max_length=100, blank=True)
    imported_from = models.ForeignKey(
        EligibilityImport,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="months",
        db_index=False,
        db_constraint=False,
    )
    verified_at = models.DateTimeField()
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    superseded_at = models.DateTimeField(null=True, blank=True)
    superseded_by = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="corrects",
        db_index=False,
        db_constraint=False,
    )

    class Meta:
        ordering = ["beneficiary", "month", "-verified_at"]
        constraints = [
            # The current verification; `eligible` rides along so the gate's lookup reads the index only.
            models.UniqueConstraint(
                fields=["beneficiary", "month"],
                condition=Q(superseded_at__isnull=True),
                include=["eligible"],
                name="billing_one_current_verification_per_month",
            ),
            models.CheckConstraint(
                condition=~Q(source="manual") | ~Q(reference=""), name="billing_manual_check_has_reference"
            ),
        ]
        indexes = [
            # A beneficiary's corrected history (few rows: the current ones are in the unique index above).
            models.Index(
                fields=["beneficiary", "month"],
                condition=Q(superseded_at__isnull=False),
                name="billing_eligibility_history",
            )
        ]


# ---- Batches and service lines -------------------------------------------------------------------


class BatchSource(models.TextChoices):
    MANUAL = "manual", _("Entered by hand")
    CSV = "csv", _("CSV file")
    XLSX = "xlsx", _("Excel file")
    X12_837P = "x12_837p", _("The EHR's 837P file")


class BatchStatus(models.TextChoices):
    OPEN = "open", _("Open: lines being added")
    CHECKING = "checking", _("Being checked")
    CHECKED = "checked", _("Checked")
    SUBMITTED = "submitted", _("Claims sent to the state")


BATCH_TRANSITIONS: dict[str, frozenset[str]] = {
    BatchStatus.OPEN: frozenset({BatchStatus.CHECKING}),
    # The gate runs as a task on a large batch; it lands checked (or back to open if it failed).
    BatchStatus.CHECKING: frozenset({BatchStatus.CHECKED, BatchStatus.OPEN}),
    # Held lines corrected, or more lines added: checked again.
    BatchStatus.CHECKED: frozenset({BatchStatus.CHECKING, BatchStatus.OPEN, BatchStatus.SUBMITTED}),
    # Immutable once submitted: corrections go out as replacement or void claims.
    BatchStatus.SUBMITTED: frozenset(),
}


class ServiceBatch(BaseModel):
    """A set of peer service lines a county checks and bills together."""

    county = models.ForeignKey("accounts.County", on_delete=models.PROTECT, related_name="+")
    source = models.CharField(max_length=10, choices=BatchSource.choices)
    status = models.CharField(max_length=10, choices=BatchStatus.choices, default=BatchStatus.OPEN, db_index=True)
    original_name = models.CharField(max_length=255, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    # The EHR's own 837P, kept so the clean file can be rebuilt from it less the held lines.
    source_file = models.FileField(upload_to=RandomName("billing/batches", kind_field="source_kind"), blank=True)
    source_kind = models.CharField(max_length=10, blank=True, help_text=_("Kind of the kept file: x12, csv, xlsx."))
    line_count = models.PositiveIntegerField(default=0)
    progress_done = models.PositiveIntegerField(default=0)
    progress_total = models.PositiveIntegerField(default=0)
    counts = models.JSONField(default=dict, blank=True)
    checked_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["county", "sha256"], condition=~Q(sha256=""), name="billing_batch_file_once"
            )
        ]

    def __str__(self) -> str:
        return f"Batch {self.pk}"


class LineStatus(models.TextChoices):
    PENDING = "pending", _("Not checked yet")
    BILLABLE = "billable", _("Billable")
    HELD = "held", _("Held")
    OVERRIDDEN = "overridden", _("Billable by override")


LINE_TRANSITIONS: dict[str, frozenset[str]] = {
    LineStatus.PENDING: frozenset({LineStatus.BILLABLE, LineStatus.HELD}),
    # Each run of the gate decides again from pending.
    LineStatus.BILLABLE: frozenset({LineStatus.PENDING, LineStatus.HELD}),
    LineStatus.HELD: frozenset({LineStatus.PENDING, LineStatus.BILLABLE, LineStatus.OVERRIDDEN}),
    LineStatus.OVERRIDDEN: frozenset({LineStatus.PENDING}),
}


class PaymentOutcome(models.TextChoices):
    NONE = "", _("No remittance yet")
    PAID = "paid", _("Paid")
    ADJUSTED = "adjusted", _("Paid with adjustments")
    DENIED = "denied", _("Denied")


class ServiceLine(BaseModel):
    """One peer service to one beneficiary on one day, as the county recorded it.

    At statewide volume (20 million lines a year) the table is partitioned by service month on
    PostgreSQL (migration 0003_partitioned_lines_and_months; primary key (id, service_date) there,
    partitions made ahead by billing.jobs), so a query with a service_date range reads only its
    months. Indexes are few and none holds a column the gate decides (status, charge): its one UPDATE
    over a batch is then a heap-only (HOT) update that writes no index, helped by the partitions'
    fillfactor. Every foreign-key index is the leading column of a composite one. Rows pointing AT a
    line (LineHold, RemittanceLine, integrity's) have db_constraint=False: a partitioned table's id
    alone is not unique at the database level; Django still applies their on_delete.
    """

    created_at = models.DateTimeField(auto_now_add=True)
    batch = models.ForeignKey(ServiceBatch, on_delete=models.PROTECT, related_name="lines", db_index=False)
    county = models.ForeignKey("accounts.County", on_delete=models.PROTECT, related_name="+", db_index=False)
    # Found from the rendering NPI for an 837P line; none when no employment of the county holds it.
    employment = models.ForeignKey(
        "benefit.Employment", null=True, blank=True, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    rendering_npi = models.CharField(max_length=10, blank=True)
    beneficiary = models.ForeignKey(
        Beneficiary, null=True, blank=True, on_delete=models.PROTECT, related_name="lines", db_index=False
    )
    cin = models.CharField(max_length=9, help_text=_("As the county's record gave it."))
    service_date = models.DateField()
    minutes = models.PositiveIntegerField()
    units = models.PositiveIntegerField()
    code = models.CharField(max_length=5)
    modifiers = models.CharField(max_length=11, blank=True, help_text=_("Up to four two-character modifiers."))
    delivery_system = models.CharField(max_length=10)
    place_of_service = models.CharField(max_length=2)
    group_size = models.PositiveSmallIntegerField(null=True, blank=True)
    county_reference = models.CharField(max_length=50, blank=True)
    # Where the line came from in the EHR's 837P: the claim (CLM01) and the line (LX), to map back.
    source_claim_id = models.CharField(max_length=38, blank=True)
    source_line_number = models.PositiveIntegerField(null=True, blank=True)
    source_position = models.PositiveIntegerField(default=0, help_text=_("Row or segment number in the file."))
    charge = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    status = models.CharField(max_length=12, choices=LineStatus.choices, default=LineStatus.PENDING)
    override_reason = models.TextField(blank=True)
    overridden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    overridden_at = models.DateTimeField(null=True, blank=True)
    # From the state's 835.
    payer_claim_control_number = models.CharField(max_length=50, blank=True)
    remittance_status = models.CharField(max_length=10, choices=PaymentOutcome.choices, blank=True, default="")
    paid_amount = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    paid_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["batch", "source_position", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(minutes__gt=0), name="billing_line_has_minutes"),
            models.CheckConstraint(
                condition=~Q(status="overridden") | ~Q(override_reason=""), name="billing_override_has_reason"
            ),
        ]
        indexes = [
            # A batch's lines in file order (the pages' order); status is filtered, not indexed (see above).
            models.Index(fields=["batch", "source_position"], name="billing_line_batch_order"),
            models.Index(fields=["employment", "service_date"], name="billing_line_peer_day"),
            models.Index(fields=["beneficiary", "service_date"], name="billing_line_beneficiary_day"),
            models.Index(fields=["county", "service_date"], name="billing_line_county_day"),
            # The 835's match: only lines the state has numbered (none until a remittance names them).
            models.Index(
                fields=["payer_claim_control_number"],
                condition=~Q(payer_claim_control_number=""),
                name="billing_line_claim_number",
            ),
        ]


class LineHold(models.Model):
    """One reason the gate held a line, as a stable code (see billing/gate.py for the codes)."""

    line = models.ForeignKey(ServiceLine, on_delete=models.CASCADE, related_name="holds", db_constraint=False)
    code = models.CharField(max_length=40)
    detail = models.CharField(max_length=300, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["line", "code"], name="billing_one_hold_per_reason")]
        indexes = [models.Index(fields=["code", "line"], name="billing_hold_by_code")]


# ---- Claims out and remittance in ------------------------------------------------------------


class ClaimFrequency(models.TextChoices):
    ORIGINAL = "1", _("Original claim")
    REPLACEMENT = "7", _("Replacement of a prior claim")
    VOID = "8", _("Void of a prior claim")


class ClaimFile(BaseModel):
    """An 837P file built from a batch's billable lines, validated by pyx12 before anyone may download it."""

    batch = models.ForeignKey(ServiceBatch, on_delete=models.PROTECT, related_name="claim_files")
    frequency = models.CharField(max_length=1, choices=ClaimFrequency.choices, default=ClaimFrequency.ORIGINAL)
    interchange_control_number = models.PositiveIntegerField()
    content = models.TextField()
    sha256 = models.CharField(max_length=64)
    line_count = models.PositiveIntegerField()
    total_charge = models.DecimalField(max_digits=12, decimal_places=2)
    validated_at = models.DateTimeField()
    # A replacement (7) or void (8) names the original claim's payer claim control number (REF*F8).
    replaces_claim_control_number = models.CharField(max_length=50, blank=True)
    reason = models.CharField(max_length=500, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["interchange_control_number"], name="billing_isa_number_once"),
            models.CheckConstraint(
                condition=Q(frequency="1") | ~Q(replaces_claim_control_number=""),
                name="billing_correction_names_original",
            ),
        ]


class Remittance(BaseModel):
    """An X12 835 the state sent back, posted to the lines it pays."""

    county = models.ForeignKey("accounts.County", on_delete=models.PROTECT, related_name="+")
    original_name = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64)
    payer_name = models.CharField(max_length=100, blank=True)
    trace_number = models.CharField(max_length=50, blank=True)
    payment_amount = models.DecimalField(max_digits=12, decimal_places=2)
    paid_on = models.DateField(null=True, blank=True)
    line_count = models.PositiveIntegerField(default=0)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["county", "sha256"], name="billing_remittance_file_once")]


class RemittanceLine(models.Model):
    """One service payment of an 835, matched to the line it pays."""

    remittance = models.ForeignKey(Remittance, on_delete=models.CASCADE, related_name="lines")
    line = models.ForeignKey(
        ServiceLine, on_delete=models.PROTECT, related_name="remittance_lines", db_constraint=False
    )
    payer_claim_control_number = models.CharField(max_length=50)
    procedure = models.CharField(max_length=5)
    modifiers = models.CharField(max_length=11, blank=True)
    charge = models.DecimalField(max_digits=10, decimal_places=2)
    paid = models.DecimalField(max_digits=10, decimal_places=2)
    status = models.CharField(max_length=10, choices=PaymentOutcome.choices)
    adjustment_codes = models.CharField(max_length=200, blank=True, help_text=_("CARC codes with group, e.g. CO-45."))
    remark_codes = models.CharField(max_length=200, blank=True, help_text=_("RARC codes."))
    denial_worked_at = models.DateTimeField(null=True, blank=True)
    denial_worked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    denial_note = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["remittance", "id"]
        indexes = [models.Index(fields=["status", "denial_worked_at"], name="billing_denials")]
