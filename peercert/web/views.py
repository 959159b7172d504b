from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import connection
from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from peercert.accounts.permissions import assignments_of, can_view_audit, can_view_rules, has_role, rule_required
from peercert.accounts.roles import Role
from peercert.core import metrics as metrics_module
from peercert.core import readiness, tell
from peercert.core import selectors as core_selectors
from peercert.core.errors import ApplicationError
from peercert.core.models import Notification
from peercert.core.notify import showing_for
from peercert.core.rules import rule_rows, rules_on
from peercert.core.views import run_action
from peercert.core.worklists import worklists_for
from peercert.web import selectors
from peercert.web.forms import AuditFilterForm


def home(request):
    if not request.user.is_authenticated:
        return render(request, "web/landing.html")
    sections = []
    for assignment in assignments_of(request.user):
        sections.append(
            {
                "assignment": assignment,
                "worklists": worklists_for(assignment.role, request.user, assignment),
            }
        )
    notifications = showing_for(request.user)
    return render(request, "web/home.html", {"sections": sections, "notifications": notifications})


@rule_required(can_view_audit)
def audit(request):
    form = AuditFilterForm(request.GET or None, object_types=core_selectors.audit_object_types())
    filters = {}
    if form.is_bound:
        form.is_valid()  # an invalid field is shown as an error and left out; the valid ones still filter
        filters = form.cleaned_data
    page = Paginator(selectors.audit_events(filters), 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "web/audit.html",
        {"page": page, "form": form, "query": query.urlencode()},
        status=400 if form.errors else 200,
    )


@rule_required(can_view_rules)
def rules(request):
    try:
        current = rules_on()
    except ApplicationError as exc:
        return render(request, "web/rules.html", {"error": exc.message, "versions": core_selectors.rule_set_list()})
    return render(
        request,
        "web/rules.html",
        {
            "current": current,
            "rows": rule_rows(current),
            "versions": core_selectors.rule_set_list(),
        },
    )


@never_cache
def healthz(request):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # noqa: BLE001 - any database failure means unhealthy
        return JsonResponse({"status": "unavailable", "database": type(exc).__name__}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


@never_cache
def readyz(request):
    """Ready for traffic: the database answers, every migration is applied, the file storage answers, and
    (with the database task backend) a task worker beat recently. 503 with what failed otherwise."""
    checks = readiness.run_checks()
    ok = all(value in ("ok", "not used") for value in checks.values())
    return JsonResponse({"status": "ok" if ok else "unavailable", **checks}, status=200 if ok else 503)


@never_cache
def metrics(request):
    """Prometheus metrics: system administrators, or a scraper with the METRICS_TOKEN bearer token."""
    from django.conf import settings
    from django.utils.crypto import constant_time_compare
    from django_prometheus.exports import ExportToDjangoView

    token = settings.METRICS_TOKEN
    offered = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
    if not (token and offered and constant_time_compare(offered, token)):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not has_role(request.user, Role.SYSTEM_ADMINISTRATOR):
            raise PermissionDenied
    metrics_module.register_collectors()
    return ExportToDjangoView(request)


@login_required
@require_POST
def notification_dismiss(request, notification_id: int):
    """Put away one of your own notifications; another person's is not found."""
    if not Notification.objects.filter(pk=notification_id, user=request.user).exists():
        raise Http404
    return run_action(
        request,
        lambda: tell.notification_dismiss(actor=request.user, notification_id=notification_id),
        success_url=reverse("web:home"),
        message=_("Message put away."),
    )
