from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from peercert.accounts import services
from peercert.accounts.models import (
    ApiToken,
    CertificationProgram,
    County,
    Person,
    RoleAssignment,
    StateAgency,
    TrainingEntity,
    User,
)
from peercert.core.admin import AuditedModelAdmin
from peercert.core.errors import ApplicationError


class RoleAssignmentInline(admin.TabularInline):
    model = RoleAssignment
    extra = 1
    fields = ("role", "program", "county", "training_entity")


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ("email",)
    list_display = ("email", "display_name", "is_active", "is_staff", "last_login")
    search_fields = ("email", "display_name")
    list_filter = ("is_active", "is_staff", "role_assignments__role")
    readonly_fields = ("last_login", "date_joined")
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Profile", {"fields": ("display_name",)}),
        ("Access", {"fields": ("is_active", "is_staff", "is_superuser")}),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)
    inlines = [RoleAssignmentInline]
    filter_horizontal = ()

    def save_formset(self, request, form, formset, change):
        """Role changes made in the admin go through the services, so they are checked and audited."""
        if formset.model is not RoleAssignment:
            return super().save_formset(request, form, formset, change)
        instances = formset.save(commit=False)
        try:
            for removed in formset.deleted_objects:
                services.role_revoke(actor=request.user, assignment=removed, reason="changed in admin")
            for item in instances:
                if item.pk:
                    services.role_revoke(
                        actor=request.user, assignment=RoleAssignment.objects.get(pk=item.pk), reason="changed in admin"
                    )
                services.role_grant(
                    actor=request.user,
                    user=form.instance,
                    role=item.role,
                    program=item.program,
                    county=item.county,
                    training_entity=item.training_entity,
                    reason="admin",
                )
        except ApplicationError as exc:
            messages.error(request, exc.message)


@admin.register(Person)
class PersonAdmin(AuditedModelAdmin):
    list_display = ("legal_last_name", "legal_first_name", "preferred_name", "email", "preferred_language")
    search_fields = ("search_name", "email")
    raw_id_fields = ("user",)


@admin.register(County)
class CountyAdmin(AuditedModelAdmin):
    list_display = ("name", "code", "fips", "opts_in_smhs", "opts_in_dmc", "opts_in_dmc_ods")
    search_fields = ("name", "code")


@admin.register(CertificationProgram)
class CertificationProgramAdmin(AuditedModelAdmin):
    list_display = ("name", "code", "kind", "county", "is_active")


@admin.register(TrainingEntity)
class TrainingEntityAdmin(AuditedModelAdmin):
    list_display = ("name", "city", "county")
    search_fields = ("name",)


admin.site.register(StateAgency, AuditedModelAdmin)


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("user", "name", "prefix", "created_at", "last_used_at", "revoked_at")
    readonly_fields = ("user", "name", "prefix", "key_hash", "last_used_at", "revoked_at")

    def has_add_permission(self, request):
        return False


admin.site.site_header = "PeerCert administration"
admin.site.site_title = "PeerCert admin"
