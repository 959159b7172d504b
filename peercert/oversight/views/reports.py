"""oversight: the reports part's pages: the reports a user may run and their runs, a run's progress and
file, the download (audited), and the data dictionary of every report."""

from django.http import FileResponse, Http404
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.translation import gettext as _

from peercert.accounts.models import County
from peercert.accounts.permissions import rule_required
from peercert.core import clock
from peercert.core.downloads import SANDBOX_POLICY
from peercert.core.views import run_form
from peercert.oversight import permissions, reports, selectors, services
from peercert.oversight.forms.reports import ReportRunForm
from peercert.oversight.models.reports import ReportFormat, ReportRunStatus

CONTENT_TYPES = {
    ReportFormat.CSV: "text/csv",
    ReportFormat.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ReportFormat.PDF: "application/pdf",
}


def _form(request):
    codes = permissions.report_codes_for(request.user)
    choices = [(d.code, d.name) for d in reports.definitions() if d.code in codes]
    scope = permissions.report_county_scope(request.user, "billing")
    counties = County.objects.filter(pk__in=sorted(scope)).order_by("name") if scope is not None else None
    initial = {"period_kind": "fiscal_year", "year": reports.last_fiscal_year_start(clock.today()), "format": "xlsx"}
    return ReportRunForm(request.POST or None, initial=initial, report_choices=choices, county_queryset=counties)


@rule_required(permissions.can_use_reports)
def report_list(request):
    form = _form(request)
    done = run_form(
        request,
        form,
        lambda data: services.report_run_request(
            actor=request.user,
            report=data["report"],
            period_kind=data["period_kind"],
            year=data["year"],
            part=data["part"],
            county_id=data["county"].pk if data["county"] else None,
            format=data["format"],
        ),
        success_url=lambda run: reverse("oversight:report_run_detail", args=[run.pk]),
        message=_("The report is being built. This page shows its progress."),
    )
    if done:
        return done
    codes = permissions.report_codes_for(request.user)
    return render(
        request,
        "oversight/reports/report_list.html",
        {
            "form": form,
            "definitions": [d for d in reports.definitions() if d.code in codes],
            "runs": selectors.report_runs_for(request.user)[:50],
        },
        status=400 if form.is_bound else 200,
    )


@rule_required(permissions.can_use_reports)
def report_run_detail(request, run_id: int):
    run = selectors.access_report_run(request.user, run_id)
    return render(
        request,
        "oversight/reports/run_detail.html",
        {"run": run, "definition": reports.definition(run.report)},
    )


@rule_required(permissions.can_use_reports)
def report_run_progress(request, run_id: int):
    """The progress bar alone, which the run's page reloads (htmx) while the report is built."""
    run = selectors.access_report_run(request.user, run_id)
    return render(request, "oversight/reports/_progress.html", {"run": run})


@rule_required(permissions.can_use_reports)
def report_run_download(request, run_id: int):
    run = selectors.access_report_run(request.user, run_id)
    if run.status != ReportRunStatus.DONE or not run.file:
        raise Http404
    services.report_run_download(actor=request.user, run=run)
    try:
        handle = run.file.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404 from None
    county = f"-{run.county.code}" if run.county_id else ""
    name = f"{run.report}-{run.period_start:%Y-%m-%d}-{run.period_end:%Y-%m-%d}{county}.{run.format}"
    response = FileResponse(handle, content_type=CONTENT_TYPES[run.format], as_attachment=True, filename=name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = SANDBOX_POLICY
    response["Cache-Control"] = "private, no-store"
    return response


@rule_required(permissions.can_use_reports)
def report_dictionary(request):
    codes = permissions.report_codes_for(request.user)
    return render(
        request,
        "oversight/reports/dictionary.html",
        {"definitions": [d for d in reports.definitions() if d.code in codes]},
    )


urlpatterns: list = [
    path("reports/", report_list, name="report_list"),
    path("reports/dictionary/", report_dictionary, name="report_dictionary"),
    path("reports/runs/<int:run_id>/", report_run_detail, name="report_run_detail"),
    path("reports/runs/<int:run_id>/progress/", report_run_progress, name="report_run_progress"),
    path("reports/runs/<int:run_id>/download/", report_run_download, name="report_run_download"),
]
