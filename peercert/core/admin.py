from django.contrib import admin

from peercert.core.models import AuditEvent, JobRun, ProgramRuleSet


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ("at", "actor_label", "action", "object_type", "object_id", "reason")
    list_filter = ("action", "object_type")
    search_fields = ("actor_label", "object_id", "object_repr", "reason")
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ProgramRuleSet)
class ProgramRuleSetAdmin(admin.ModelAdmin):
    list_display = ("version", "effective_from", "created_at")
    fields = ("version", "effective_from", "rules", "notes")

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        from peercert.core.services import program_rules_publish

        saved = program_rules_publish(
            actor=request.user, version=obj.version, effective_from=obj.effective_from, rules=obj.rules, notes=obj.notes
        )
        obj.pk = saved.pk
        obj._state.adding = False


class AuditedModelAdmin(admin.ModelAdmin):
    """Admin edits of plain reference data write an audit event like any service does."""

    def save_model(self, request, obj, form, change):
        from django.db import transaction

        from peercert.core.audit import audit_record

        with transaction.atomic():
            before = {k: form.initial.get(k) for k in form.changed_data} if change else None
            super().save_model(request, obj, form, change)
            after = {k: form.cleaned_data.get(k) for k in form.changed_data}
            after = {k: (v.pk if hasattr(v, "pk") else v) for k, v in after.items()}
            audit_record(
                actor=request.user,
                action=f"{obj._meta.model_name}.{'change' if change else 'create'}",
                obj=obj,
                before=before,
                after=after,
                reason="admin",
            )

    def delete_model(self, request, obj):
        from django.db import transaction

        from peercert.core.audit import audit_record

        with transaction.atomic():
            audit_record(actor=request.user, action=f"{obj._meta.model_name}.delete", obj=obj, reason="admin")
            super().delete_model(request, obj)


@admin.register(JobRun)
class JobRunAdmin(admin.ModelAdmin):
    list_display = ("job", "for_day", "outcome", "counts", "started_at", "finished_at", "triggered_by")
    list_filter = ("job", "outcome")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ReadOnlyAdmin(admin.ModelAdmin):
    """Case records are changed only through services; the admin shows them and offers
    transitions as actions (see run_admin_action)."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


def run_admin_action(modeladmin, request, queryset, step, done: str) -> None:
    """Apply a service to each selected record; report refusals one by one and the count done."""
    from django.contrib import messages

    from peercert.core.errors import ApplicationError

    ok = 0
    for obj in queryset:
        try:
            step(obj)
        except ApplicationError as exc:
            modeladmin.message_user(request, f"{obj}: {exc.message}", messages.ERROR)
        else:
            ok += 1
    if ok:
        modeladmin.message_user(request, f"{done}: {ok}.", messages.SUCCESS)
