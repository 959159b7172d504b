"""Read-only views of training records; every change goes through the services.

Confidential documents (accommodation forms, CE evidence) are not shown here: they open only
through the pages that check who is asking.
"""

from django.contrib import admin

from peercert.core.admin import ReadOnlyAdmin, run_admin_action
from peercert.training import services
from peercert.training.models import (
    AccommodationRequest,
    CEActivity,
    Competency,
    Completion,
    Curriculum,
    CurriculumReview,
    CurriculumVersion,
    Enrollment,
    Offering,
    ProviderApplication,
    RosterUpload,
)

ADMIN_REASON = "in the admin"


@admin.register(ProviderApplication)
class ProviderApplicationAdmin(ReadOnlyAdmin):
    list_display = (
        "training_entity",
        "training_type",
        "language",
        "status",
        "approved_from",
        "approved_until",
        "fee_settled",
    )
    list_filter = ("status", "training_type", "language")
    search_fields = ("training_entity__name",)
    actions = ["start_review", "suspend", "lift_suspension"]

    @admin.action(description="Start review of the selected applications")
    def start_review(self, request, queryset):
        run_admin_action(
            self,
            request,
            queryset,
            lambda a: services.provider_application_start_review(actor=request.user, application=a),
            "In review",
        )

    @admin.action(description="Suspend the selected approvals")
    def suspend(self, request, queryset):
        run_admin_action(
            self,
            request,
            queryset,
            lambda a: services.provider_application_suspend(
                actor=request.user, application=a, reason=f"Suspended {ADMIN_REASON}"
            ),
            "Suspended",
        )

    @admin.action(description="Lift the suspension of the selected approvals")
    def lift_suspension(self, request, queryset):
        run_admin_action(
            self,
            request,
            queryset,
            lambda a: services.provider_application_lift_suspension(
                actor=request.user, application=a, reason=f"Lifted {ADMIN_REASON}"
            ),
            "Restored",
        )


class VersionInline(admin.TabularInline):
    model = CurriculumVersion
    extra = 0
    fields = ("number", "status", "hours", "submitted_at", "decided_at", "decided_by")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Curriculum)
class CurriculumAdmin(ReadOnlyAdmin):
    list_display = (
        "title",
        "kind",
        "specialization",
        "is_refresher",
        "ce_category",
        "owner_county",
        "owner_training_entity",
    )
    list_filter = ("kind", "specialization", "is_refresher")
    search_fields = ("title",)
    inlines = [VersionInline]


class ReviewInline(admin.TabularInline):
    model = CurriculumReview
    extra = 0
    fields = ("decided_at", "decision", "reviewer", "comments")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(CurriculumVersion)
class CurriculumVersionAdmin(ReadOnlyAdmin):
    list_display = ("curriculum", "number", "status", "hours", "submitted_at", "decided_at")
    list_filter = ("status", "curriculum__kind")
    inlines = [ReviewInline]


@admin.register(Competency)
class CompetencyAdmin(ReadOnlyAdmin):
    list_display = ("order", "name", "is_core")


@admin.register(Offering)
class OfferingAdmin(ReadOnlyAdmin):
    list_display = (
        "display_title",
        "training_entity",
        "starts_on",
        "ends_on",
        "language",
        "modality",
        "capacity",
        "status",
    )
    list_filter = ("status", "language", "modality")
    search_fields = ("title", "training_entity__name")


@admin.register(Enrollment)
class EnrollmentAdmin(ReadOnlyAdmin):
    list_display = ("person", "offering", "status", "attendance", "created_at")
    list_filter = ("status", "attendance")
    raw_id_fields = ("person", "offering")


@admin.register(Completion)
class CompletionAdmin(ReadOnlyAdmin):
    list_display = ("person", "offering", "completed_on", "hours", "ce_category", "source")
    list_filter = ("ce_category", "source")
    search_fields = ("person__search_name",)
    raw_id_fields = ("person", "offering", "roster_upload")


@admin.register(RosterUpload)
class RosterUploadAdmin(ReadOnlyAdmin):
    list_display = ("filename", "offering", "uploaded_by", "row_count", "created_count", "created_at")


@admin.register(AccommodationRequest)
class AccommodationRequestAdmin(ReadOnlyAdmin):
    list_display = ("offering", "status", "created_at", "decided_at")
    list_filter = ("status",)
    exclude = ("document", "needs", "person")


@admin.register(CEActivity)
class CEActivityAdmin(ReadOnlyAdmin):
    list_display = ("person", "title", "completed_on", "hours", "ce_category", "status")
    list_filter = ("status", "ce_category")
    exclude = ("evidence",)
    raw_id_fields = ("person",)
