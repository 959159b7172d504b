"""integrity: overpayments found when a fact changes after payment, reported to the state and returned.

One Overpayment per county is open at a time: a fact that breaks more paid lines extends it (a line is
listed once, ever). Its 60-day clock runs from the day it was identified (ProgramRules
overpayment_report_days); escalation at overpayment_escalation_days.

Status (OVERPAYMENT_TRANSITIONS):
  open -> voided     the void claims (837P frequency 8) for its paid claims are built
  open -> reported   the report to the state is signed by the county's authorized signer (voids may follow
  voided -> reported   the state's recoupment instead of preceding it)
  reported -> returned  the money is returned: the date is recorded and the overpayment closes.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from peercert.core.models import BaseModel

__all__ = [
    "FactKind",
    "OVERPAYMENT_TRANSITIONS",
    "Overpayment",
    "OverpaymentLine",
    "OverpaymentStatus",
    "ReasonCategory",
    "UNRESOLVED",
]


class OverpaymentStatus(models.TextChoices):
    OPEN = "open", _("Open: to void and report")
    VOIDED = "voided", _("Voids built: to report")
    REPORTED = "reported", _("Reported to the state: to return")
    RETURNED = "returned", _("Returned")


OVERPAYMENT_TRANSITIONS: dict[str, frozenset[str]] = {
    OverpaymentStatus.OPEN: frozenset({OverpaymentStatus.VOIDED, OverpaymentStatus.REPORTED}),
    OverpaymentStatus.VOIDED: frozenset({OverpaymentStatus.REPORTED}),
    OverpaymentStatus.REPORTED: frozenset({OverpaymentStatus.RETURNED}),
    OverpaymentStatus.RETURNED: frozenset(),
}

UNRESOLVED = (OverpaymentStatus.OPEN, OverpaymentStatus.VOIDED, OverpaymentStatus.REPORTED)


class ReasonCategory(models.TextChoices):
    FRAUD = "fraud", _("Fraud")
    WASTE = "waste", _("Waste")
    ABUSE = "abuse", _("Abuse")
    OTHER = "other", _("Other")


class FactKind(models.TextChoices):
    CERTIFICATION_STATUS = "certification_status", _("Certification status changed")
    HIRE_DATE = "hire_date", _("Hire date corrected")
    EMPLOYMENT_END = "employment_end", _("Employment end date set or changed")
    SUPERVISION = "supervision", _("Supervisor assignment or training missing")
    ELIGIBILITY = "eligibility", _("Eligibility month corrected")
    REVIEW_FINDING = "review_finding", _("Utilization review found the line unsupported")


class Overpayment(BaseModel):
    """The paid lines of one county that no longer pass, to report and return within the rule's days."""

    county = models.ForeignKey("accounts.County", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        max_length=10, choices=OverpaymentStatus.choices, default=OverpaymentStatus.OPEN, db_index=True
    )
    identified_on = models.DateField(_("identified on"))
    due_on = models.DateField(_("report and return by"))
    rules_version = models.CharField(max_length=40, blank=True)
    escalated_on = models.DateField(null=True, blank=True)
    voided_at = models.DateTimeField(null=True, blank=True)
    voided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The report to the state: prepared by billing staff, signed by the county's authorized signer.
    reason_category = models.CharField(_("reason category"), max_length=10, choices=ReasonCategory.choices, blank=True)
    explanation = models.TextField(_("what happened"), blank=True)
    prepared_at = models.DateTimeField(null=True, blank=True)
    prepared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    report_amount = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    report_lines = models.PositiveIntegerField(null=True, blank=True)
    attestation = models.TextField(blank=True)
    signed_at = models.DateTimeField(null=True, blank=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    signer_name = models.CharField(max_length=200, blank=True)
    signer_title = models.CharField(_("signer's title"), max_length=200, blank=True)
    returned_on = models.DateField(_("returned on"), null=True, blank=True)
    return_reference = models.CharField(_("return reference"), max_length=100, blank=True)
    returned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["due_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["county"], condition=Q(status="open"), name="integrity_one_open_overpayment_per_county"
            ),
            models.CheckConstraint(
                condition=Q(due_on__gte=models.F("identified_on")), name="integrity_due_after_found"
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["reported", "returned"])
                | (Q(signed_by__isnull=False) & ~Q(reason_category="")),
                name="integrity_reported_is_signed",
            ),
            models.CheckConstraint(
                condition=~Q(status="returned") | Q(returned_on__gte=models.F("identified_on")),
                name="integrity_returned_has_date",
            ),
        ]
        indexes = [models.Index(fields=["county", "status"], name="integrity_overpayment_county")]

    def __str__(self) -> str:
        return f"Overpayment {self.pk}"

    @property
    def days_left(self) -> int:
        """Days until the due date, today in Pacific time (negative once overdue)."""
        from peercert.core import clock

        return (self.due_on - clock.today()).days

    @property
    def is_overdue(self) -> bool:
        return self.status in UNRESOLVED and self.days_left < 0


class OverpaymentLine(models.Model):
    """One paid line that no longer passes: why, what changed, and the money paid for it."""

    id = models.BigAutoField(primary_key=True)
    overpayment = models.ForeignKey(Overpayment, on_delete=models.PROTECT, related_name="lines")
    # billing.ServiceLine may be partitioned by month on PostgreSQL: no database foreign key to it.
    line = models.ForeignKey("billing.ServiceLine", on_delete=models.PROTECT, db_constraint=False, related_name="+")
    county = models.ForeignKey("accounts.County", on_delete=models.PROTECT, related_name="+")
    service_date = models.DateField()
    code = models.CharField(max_length=5)
    delivery_system = models.CharField(max_length=10)
    amount = models.DecimalField(max_digits=10, decimal_places=2)
    payer_claim_control_number = models.CharField(max_length=50, blank=True)
    reason_code = models.CharField(max_length=40)
    fact_kind = models.CharField(max_length=30, choices=FactKind.choices)
    fact_reference = models.CharField(max_length=100)
    fact_effective_on = models.DateField(null=True, blank=True)
    identified_on = models.DateField()
    void_claim_file_id = models.BigIntegerField(null=True, blank=True, help_text="The billing ClaimFile that voids it.")

    class Meta:
        ordering = ["overpayment", "service_date", "id"]
        constraints = [
            models.UniqueConstraint(fields=["line"], name="integrity_line_overpaid_once"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="integrity_overpaid_amount_positive"),
        ]
        indexes = [
            models.Index(fields=["county", "identified_on"], name="integrity_overpaid_found"),
        ]
