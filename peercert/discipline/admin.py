"""Admin: read and search; status is read-only and changes go through services as actions."""

from django.contrib import admin
from django.db import models

from peercert.core.admin import run_admin_action
from peercert.discipline import services
from peercert.discipline.models import (
    Appeal,
    CaseEntry,
    Complaint,
    DisciplinaryAction,
    RequiredClass,
)


class ReadOnlyStatusAdmin(admin.ModelAdmin):
    def has_delete_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False


@admin.register(Complaint)
class ComplaintAdmin(ReadOnlyStatusAdmin):
    list_display = (
        "number",
        "respondent_kind",
        "status",
        "received_on",
        "ack_due_on",
        "investigation_due_on",
        "investigator",
        "outcome",
    )
    list_filter = ("status", "respondent_kind", "channel", "outcome")
    search_fields = ("number", "respondent_person__search_name", "respondent_entity__name")
    readonly_fields = [f.name for f in Complaint._meta.fields]
    actions = ["acknowledge"]

    @admin.action(description="Acknowledge the selected complaints")
    def acknowledge(self, request, queryset):
        run_admin_action(
            self,
            request,
            queryset,
            lambda c: services.complaint_acknowledge(actor=request.user, complaint=c),
            "acknowledged",
        )


@admin.register(CaseEntry)
class CaseEntryAdmin(ReadOnlyStatusAdmin):
    list_display = ("complaint", "kind", "author", "created_at")
    # Documents open only through the app's scoped download views; the admin would link to /media/.
    readonly_fields = [f.name for f in CaseEntry._meta.fields if not isinstance(f, models.FileField)]
    exclude = [f.name for f in CaseEntry._meta.fields if isinstance(f, models.FileField)]


@admin.register(DisciplinaryAction)
class DisciplinaryActionAdmin(ReadOnlyStatusAdmin):
    list_display = ("complaint", "kind", "status", "effective_on", "ends_on", "due_on")
    list_filter = ("kind", "status")
    readonly_fields = [f.name for f in DisciplinaryAction._meta.fields]


@admin.register(RequiredClass)
class RequiredClassAdmin(ReadOnlyStatusAdmin):
    list_display = ("title", "action", "completed_on", "completion_source")
    readonly_fields = [f.name for f in RequiredClass._meta.fields]


@admin.register(Appeal)
class AppealAdmin(ReadOnlyStatusAdmin):
    list_display = ("number", "subject", "status", "outcome", "filed_on", "review_due_on")
    list_filter = ("subject", "status", "outcome")
    readonly_fields = [f.name for f in Appeal._meta.fields]
