"""Read-only views of fees; every change goes through the services."""

from django.contrib import admin

from peercert.core.admin import ReadOnlyAdmin, run_admin_action
from peercert.core.errors import ApplicationError
from peercert.finance import services
from peercert.finance.models import FeeWaiver, Invoice, Payment, Scholarship

ADMIN_REASON = "by program staff in the admin"


class PaymentInline(admin.TabularInline):
    model = Payment
    extra = 0
    fields = ("created_at", "method", "amount", "external_reference", "scholarship", "recorded_by")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Invoice)
class InvoiceAdmin(ReadOnlyAdmin):
    list_display = (
        "id",
        "payer",
        "fee_code",
        "amount",
        "amount_paid",
        "status",
        "reference_type",
        "reference_id",
        "created_at",
        "settled_at",
    )
    list_filter = ("status", "fee_code", "scholarship_eligible")
    search_fields = ("payer__search_name", "reference_id", "description")
    raw_id_fields = ("payer",)
    inlines = [PaymentInline]
    actions = ["waive", "cancel", "apply_scholarship"]

    @admin.action(description="Waive the selected open fees (reason: waived by program staff in the admin)")
    def waive(self, request, queryset):
        run_admin_action(
            self,
            request,
            queryset,
            lambda i: services.invoice_waive(actor=request.user, invoice=i, reason=f"Waived {ADMIN_REASON}"),
            "Waived",
        )

    @admin.action(description="Cancel the selected unpaid fees")
    def cancel(self, request, queryset):
        run_admin_action(
            self,
            request,
            queryset,
            lambda i: services.invoice_cancel(actor=request.user, invoice=i, reason=f"Cancelled {ADMIN_REASON}"),
            "Cancelled",
        )

    @admin.action(description="Pay the selected fees from the payer's scholarship, where one can")
    def apply_scholarship(self, request, queryset):
        from peercert.finance.selectors import usable_scholarships

        def apply(invoice):
            usable = usable_scholarships(invoice)
            if not usable:
                raise ApplicationError("The payer has no scholarship that can pay this fee.")
            services.scholarship_apply(actor=request.user, invoice=invoice, scholarship=usable[0])

        run_admin_action(self, request, queryset, apply, "Scholarship applied")


@admin.register(Payment)
class PaymentAdmin(ReadOnlyAdmin):
    list_display = ("id", "invoice", "method", "amount", "external_reference", "recorded_by", "created_at")
    list_filter = ("method",)


@admin.register(FeeWaiver)
class FeeWaiverAdmin(ReadOnlyAdmin):
    list_display = ("invoice", "reason", "actor", "created_at")


@admin.register(Scholarship)
class ScholarshipAdmin(ReadOnlyAdmin):
    """Awards are made from a fund through the scholarships program (its budget check included); here they are
    only read."""

    list_display = ("person", "fund_name", "amount", "remaining", "released", "expires_on", "fee_codes", "created_at")
    search_fields = ("person__search_name", "fund_name")
