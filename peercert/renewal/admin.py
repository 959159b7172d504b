from django.contrib import admin, messages
from django.db import models

from peercert.core.errors import ApplicationError
from peercert.renewal import services
from peercert.renewal.models import CEAudit, NameChange, Renewal, RenewalReminder


@admin.register(Renewal)
class RenewalAdmin(admin.ModelAdmin):
    list_display = ["certification", "person", "kind", "status", "cycle_ends_on", "new_expires_on", "submitted_at"]
    list_filter = ["status", "kind"]
    search_fields = ["certification__number", "person__search_name"]
    readonly_fields = [f.name for f in Renewal._meta.fields]
    actions = ["approve"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description="Approve the selected renewals under review")
    def approve(self, request, queryset):
        for renewal in queryset:
            try:
                services.renewal_approve(actor=request.user, renewal=renewal)
            except ApplicationError as error:
                self.message_user(request, f"{renewal}: {error.message}", messages.ERROR)


@admin.register(CEAudit)
class CEAuditAdmin(admin.ModelAdmin):
    list_display = ["renewal", "status", "decided_at"]
    list_filter = ["status"]
    readonly_fields = [f.name for f in CEAudit._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(RenewalReminder)
class RenewalReminderAdmin(admin.ModelAdmin):
    list_display = ["certification", "cycle_expires_on", "days_before", "sent_on"]
    readonly_fields = [f.name for f in RenewalReminder._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(NameChange)
class NameChangeAdmin(admin.ModelAdmin):
    list_display = ["person", "status", "created_at"]
    list_filter = ["status"]
    # Documents open only through the app's scoped download views; the admin would link to /media/.
    readonly_fields = [f.name for f in NameChange._meta.fields if not isinstance(f, models.FileField)]
    exclude = [f.name for f in NameChange._meta.fields if isinstance(f, models.FileField)]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
