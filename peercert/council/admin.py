"""Read-only admin views: every change goes through the services (and their audit events)."""

from django.contrib import admin

from peercert.council.models import (
    CouncilApplication,
    CouncilAttendance,
    CouncilCall,
    CouncilMeeting,
    CouncilMember,
    CouncilRecommendation,
)


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(CouncilCall)
class CallAdmin(ReadOnly):
    list_display = ["title", "opens_on", "closes_on", "status"]


@admin.register(CouncilApplication)
class ApplicationAdmin(ReadOnly):
    list_display = ["name", "call", "population", "county", "status"]
    list_filter = ["status", "population"]


@admin.register(CouncilMember)
class MemberAdmin(ReadOnly):
    list_display = ["name", "seat", "population", "term_starts_on", "term_ends_on", "status"]
    list_filter = ["status", "population"]


@admin.register(CouncilMeeting)
class MeetingAdmin(ReadOnly):
    list_display = ["title", "meets_on", "status"]


@admin.register(CouncilAttendance)
class AttendanceAdmin(ReadOnly):
    list_display = ["meeting", "member", "present"]


@admin.register(CouncilRecommendation)
class RecommendationAdmin(ReadOnly):
    list_display = ["title", "made_on", "status"]
