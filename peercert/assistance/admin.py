"""Admin: read and search; status is read-only and changes go through services as actions."""

from django.contrib import admin

from peercert.assistance import services
from peercert.assistance.models import AssistanceRequest, FaqEntry, SavedAnswer
from peercert.core.admin import run_admin_action


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_delete_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False


@admin.register(AssistanceRequest)
class AssistanceRequestAdmin(ReadOnlyAdmin):
    list_display = ("number", "subject", "category", "status", "respond_by", "assigned_to")
    list_filter = ("status", "category")
    readonly_fields = [f.name for f in AssistanceRequest._meta.fields]
    actions = ["close"]

    @admin.action(description="Close the selected questions")
    def close(self, request, queryset):
        run_admin_action(
            self, request, queryset, lambda q: services.assistance_close(actor=request.user, request=q), "closed"
        )


# Saved answers and FAQ entries are edited on the staff pages, where each change is audited.
@admin.register(SavedAnswer)
class SavedAnswerAdmin(ReadOnlyAdmin):
    list_display = ("title", "category", "is_active")
    readonly_fields = [f.name for f in SavedAnswer._meta.fields]


@admin.register(FaqEntry)
class FaqEntryAdmin(ReadOnlyAdmin):
    list_display = ("question", "category", "order", "is_published")
    readonly_fields = [f.name for f in FaqEntry._meta.fields]
