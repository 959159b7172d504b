"""Read-only admin views of exam records. Changes go through the exam pages, whose services check the
exam roles (a system administrator holds none of them). Accommodation requests are left out on purpose:
they are confidential to the candidate and exam staff."""

from django.contrib import admin

from peercert.core.admin import ReadOnlyAdmin
from peercert.exams.models import Attempt, ExamAuthorization, ExamForm, ExamSession, Item


@admin.register(Item)
class ItemAdmin(ReadOnlyAdmin):
    list_display = ("code", "version", "kind", "content_area", "status", "flagged_for_review")
    list_filter = ("status", "kind", "content_area", "flagged_for_review")
    search_fields = ("code", "stem")


@admin.register(ExamForm)
class ExamFormAdmin(ReadOnlyAdmin):
    list_display = ("code", "name", "status", "pass_rule", "cut_score", "kr20")
    list_filter = ("status",)


@admin.register(ExamSession)
class ExamSessionAdmin(ReadOnlyAdmin):
    list_display = ("starts_at", "delivery", "city", "capacity", "status")
    list_filter = ("delivery", "status")


@admin.register(ExamAuthorization)
class ExamAuthorizationAdmin(ReadOnlyAdmin):
    list_display = ("person", "valid_until", "attempts_paid", "attempts_used", "reference")
    search_fields = ("reference", "person__search_name")


@admin.register(Attempt)
class AttemptAdmin(ReadOnlyAdmin):
    list_display = ("person", "form", "taken_on", "status", "result", "source")
    list_filter = ("status", "result", "source")
