"""oversight: the reports part's records: each run of a report (its period, parameters, file and hash),
and the reference table of Medi-Cal members per county that per-100,000 measures divide by."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from peercert.core.models import BaseModel
from peercert.core.uploads import RandomName

__all__ = [
    "CountyMedicalMembers",
    "PeriodKind",
    "REPORT_RUN_TRANSITIONS",
    "ReportFormat",
    "ReportRun",
    "ReportRunStatus",
]


class PeriodKind(models.TextChoices):
    MONTH = "month", _("Month")
    QUARTER = "quarter", _("Quarter (calendar)")
    FISCAL_YEAR = "fiscal_year", _("State fiscal year (July to June)")
    CALENDAR_YEAR = "calendar_year", _("Calendar year")


class ReportFormat(models.TextChoices):
    CSV = "csv", _("CSV")
    XLSX = "xlsx", _("Excel workbook (XLSX)")
    PDF = "pdf", _("PDF with charts")


class ReportRunStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting to run")
    RUNNING = "running", _("Running")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")


REPORT_RUN_TRANSITIONS: dict[str, frozenset[str]] = {
    ReportRunStatus.QUEUED: frozenset({ReportRunStatus.RUNNING, ReportRunStatus.FAILED}),
    ReportRunStatus.RUNNING: frozenset({ReportRunStatus.DONE, ReportRunStatus.FAILED}),
    # A finished or failed run is kept as it is; running the report again makes a new run.
    ReportRunStatus.DONE: frozenset(),
    ReportRunStatus.FAILED: frozenset(),
}


class ReportRun(BaseModel):
    """One run of one report definition (peercert/oversight/reports/) for one period and parameters.

    The file is stored through Django's storage API (object storage when configured) under a random
    name; sha256 is the hash of its bytes, so anyone can check a copy sent to the state is the one made.
    """

    report = models.CharField(_("report"), max_length=30)
    period_kind = models.CharField(_("period kind"), max_length=15, choices=PeriodKind.choices)
    period_start = models.DateField(_("first day of the period"))
    period_end = models.DateField(_("last day of the period"))
    county = models.ForeignKey(
        "accounts.County", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("county")
    )
    parameters = models.JSONField(default=dict, blank=True)
    format = models.CharField(_("format"), max_length=5, choices=ReportFormat.choices)
    status = models.CharField(max_length=10, choices=ReportRunStatus.choices, default=ReportRunStatus.QUEUED)
    progress_done = models.PositiveIntegerField(default=0)
    progress_total = models.PositiveIntegerField(default=0)
    # The stored file's kind (csv, xlsx, pdf): RandomName reads it for the extension on disk.
    file_kind = models.CharField(max_length=5, blank=True)
    file = models.FileField(upload_to=RandomName("oversight/reports", kind_field="file_kind"), blank=True)
    size = models.PositiveIntegerField(default=0)
    sha256 = models.CharField(max_length=64, blank=True)
    error = models.CharField(max_length=500, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")), name="oversight_report_period_order"
            ),
            models.CheckConstraint(
                condition=~Q(status="done") | (~Q(sha256="") & ~Q(file="")), name="oversight_done_report_has_file"
            ),
            models.CheckConstraint(
                condition=Q(status__in=ReportRunStatus.values), name="oversight_report_status_known"
            ),
        ]
        indexes = [models.Index(fields=["report", "period_start", "county"], name="oversight_report_lookup")]

    def __str__(self) -> str:
        return f"Report run {self.pk} ({self.report}, {self.period_start:%Y-%m-%d} to {self.period_end:%Y-%m-%d})"

    @property
    def percent(self) -> int:
        return int(100 * self.progress_done / self.progress_total) if self.progress_total else 0


class CountyMedicalMembers(BaseModel):
    """How many Medi-Cal members a county had on a day: a reference table the state updates.

    Read by the per-100,000 measures of the evaluation extract and the public dashboard
    (selectors.members_by_county(on_date)).
    """

    county = models.ForeignKey("accounts.County", on_delete=models.PROTECT, related_name="+")
    as_of = models.DateField(_("as of"))
    members = models.PositiveIntegerField(_("Medi-Cal members"))
    source = models.CharField(_("source"), max_length=200, blank=True)

    class Meta:
        ordering = ["county", "-as_of"]
        constraints = [
            models.UniqueConstraint(fields=["county", "as_of"], name="oversight_one_member_count_per_day"),
        ]
        verbose_name_plural = "county Medi-Cal members"

    def __str__(self) -> str:
        return f"{self.county_id}: {self.members} on {self.as_of}"
