"""Read-only views of applications and certifications; every change goes through the services."""

from django.contrib import admin, messages

from peercert.certification import services
from peercert.certification.models import (
    Application,
    Certification,
    CertificationNumberRecord,
    CertificationStatusChange,
    RequirementDecision,
)
from peercert.core.admin import ReadOnlyAdmin
from peercert.core.errors import ApplicationError


class RequirementInline(admin.TabularInline):
    model = RequirementDecision
    extra = 0
    fields = ("code", "outcome", "automatic", "notes", "decided_by", "decided_at")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Application)
class ApplicationAdmin(ReadOnlyAdmin):
    list_display = ("pk", "person", "pathway", "status", "submitted_at", "assigned_to", "entered_by_staff")
    list_filter = ("status", "pathway", "program")
    search_fields = ("legal_first_name", "legal_last_name", "person__email")
    inlines = [RequirementInline]


class StatusChangeInline(admin.TabularInline):
    model = CertificationStatusChange
    extra = 0
    fields = ("effective_on", "from_status", "to_status", "reason", "actor", "source")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class NumberInline(admin.TabularInline):
    model = CertificationNumberRecord
    extra = 0
    fields = ("number", "program_name", "valid_from", "valid_to")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.action(description="Mark expired (past the expiry date)")
def mark_expired(modeladmin, request, queryset):
    for cert in queryset:
        try:
            services.certification_change_status(
                actor=request.user,
                certification=cert,
                to_status="expired",
                reason="Expired: not renewed (admin)",
                source="admin",
            )
        except ApplicationError as exc:
            modeladmin.message_user(request, f"{cert.number}: {exc.message}", messages.ERROR)


@admin.register(Certification)
class CertificationAdmin(ReadOnlyAdmin):
    list_display = ("number", "person", "status", "issued_on", "expires_on", "program", "county")
    list_filter = ("status", "program")
    search_fields = ("number", "sort_name")
    inlines = [StatusChangeInline, NumberInline]
    actions = [mark_expired]
