from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from peercert.core.models import BaseModel


class InvoiceStatus(models.TextChoices):
    OPEN = "open", _("Open (to pay)")
    PAID = "paid", _("Paid")
    WAIVED = "waived", _("Waived")
    CANCELLED = "cancelled", _("Cancelled")


# The one map of allowed status changes. Partial payments leave an invoice open; every
# other state is final (fees are non-refundable, so nothing leads back to open).
INVOICE_TRANSITIONS: dict[str, frozenset[str]] = {
    InvoiceStatus.OPEN: frozenset({InvoiceStatus.PAID, InvoiceStatus.WAIVED, InvoiceStatus.CANCELLED}),
    InvoiceStatus.PAID: frozenset(),
    InvoiceStatus.WAIVED: frozenset(),
    InvoiceStatus.CANCELLED: frozenset(),
}

# Settled means the fee no longer stands in the way of whatever it was charged for.
SETTLED_STATUSES = frozenset({InvoiceStatus.PAID, InvoiceStatus.WAIVED})


class PaymentMethod(models.TextChoices):
    CHECK = "check", _("Check")
    MONEY_ORDER = "money_order", _("Money order")
    TEST_CARD = "test_card", _("Test card (demo)")
    SCHOLARSHIP = "scholarship", _("Scholarship")


class Invoice(BaseModel):
    """A fee charged to a person for something another part of PeerCert keeps (an
    application, an exam retake, a renewal). The amount is fixed from the program rules
    in force when the invoice is made, and the rules version is kept beside it."""

    payer = models.ForeignKey("accounts.Person", on_delete=models.PROTECT, related_name="invoices")
    fee_code = models.CharField(_("fee"), max_length=60, db_index=True)
    amount = models.DecimalField(_("amount"), max_digits=10, decimal_places=2)
    amount_paid = models.DecimalField(_("amount paid"), max_digits=10, decimal_places=2, default=0)
    rules_version = models.CharField(max_length=40)
    reference_type = models.CharField(max_length=60)
    reference_id = models.CharField(max_length=64)
    description = models.CharField(_("description"), max_length=255, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=InvoiceStatus.choices, default=InvoiceStatus.OPEN, db_index=True
    )
    scholarship_eligible = models.BooleanField(_("scholarship may pay"), default=True)
    settled_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["reference_type", "reference_id", "fee_code"])]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="invoice_amount_not_negative"),
            models.CheckConstraint(
                condition=Q(amount_paid__gte=0) & Q(amount_paid__lte=F("amount")), name="invoice_paid_within_amount"
            ),
            models.UniqueConstraint(
                fields=["reference_type", "reference_id", "fee_code"],
                condition=Q(status="open"),
                name="one_open_invoice_per_fee_and_reference",
            ),
        ]

    def __str__(self) -> str:
        return f"Invoice {self.pk} {self.fee_code} ${self.amount} ({self.status})"

    @property
    def balance_due(self):
        if self.status != InvoiceStatus.OPEN:
            return Decimal("0.00")
        return self.amount - self.amount_paid

    @property
    def is_settled(self) -> bool:
        return self.status in SETTLED_STATUSES


class Scholarship(BaseModel):
    """Money from a fund, awarded to one person, that may pay their fees."""

    person = models.ForeignKey("accounts.Person", on_delete=models.PROTECT, related_name="scholarships")
    fund_name = models.CharField(_("fund"), max_length=150)
    amount = models.DecimalField(_("amount awarded"), max_digits=10, decimal_places=2)
    remaining = models.DecimalField(_("amount left"), max_digits=10, decimal_places=2)
    # Empty means the award may pay any fee (the program lets scholarships pay any fee).
    fee_codes = models.JSONField(_("fees it may pay"), default=list, blank=True)
    note = models.CharField(max_length=255, blank=True)
    # A program award (peercert.scholarships) stops paying after this day; what was left is then
    # released back to its fund and counted in `released`. Old awards have neither.
    expires_on = models.DateField(_("pays until"), null=True, blank=True)
    released = models.DecimalField(_("amount released"), max_digits=10, decimal_places=2, default=0)
    awarded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="scholarship_amount_not_negative"),
            models.CheckConstraint(
                condition=Q(remaining__gte=0) & Q(remaining__lte=F("amount")),
                name="scholarship_remaining_within_amount",
            ),
            models.CheckConstraint(
                condition=Q(released__gte=0) & Q(remaining__lte=F("amount") - F("released")),
                name="scholarship_released_within_amount",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.fund_name}: ${self.remaining} of ${self.amount} left"

    def may_pay(self, fee_code: str) -> bool:
        return not self.fee_codes or fee_code in self.fee_codes

    def is_expired(self, today) -> bool:
        return self.expires_on is not None and self.expires_on < today

    @property
    def spent(self):
        """What the award has paid out (fees and tuition): neither left nor released."""
        return self.amount - self.remaining - self.released


class Payment(BaseModel):
    """Money received against an invoice. Several partial payments may add up to it."""

    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="payments")
    method = models.CharField(_("method"), max_length=20, choices=PaymentMethod.choices)
    amount = models.DecimalField(_("amount"), max_digits=10, decimal_places=2)
    external_reference = models.CharField(_("reference"), max_length=100, blank=True)
    scholarship = models.ForeignKey(
        Scholarship, null=True, blank=True, on_delete=models.PROTECT, related_name="payments"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="payment_amount_positive"),
            models.CheckConstraint(
                condition=(
                    Q(method="scholarship", scholarship__isnull=False)
                    | (~Q(method="scholarship") & Q(scholarship__isnull=True))
                ),
                name="payment_scholarship_iff_method",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_method_display()} ${self.amount} on invoice {self.invoice_id}"


class FeeWaiver(BaseModel):
    """Why and by whom a fee was waived. One per invoice."""

    invoice = models.OneToOneField(Invoice, on_delete=models.PROTECT, related_name="waiver")
    reason = models.TextField(_("reason"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        constraints = [models.CheckConstraint(condition=~Q(reason=""), name="fee_waiver_has_reason")]

    def __str__(self) -> str:
        return f"Waiver of invoice {self.invoice_id}"
