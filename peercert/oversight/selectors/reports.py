"""oversight: the reports part's selectors: report runs as the actor may see them, and the Medi-Cal
members per county (read by the evaluation extract and by the dashboards)."""

import datetime

from django.db.models import OuterRef, QuerySet, Subquery
from django.http import Http404

from peercert.oversight import permissions
from peercert.oversight.models.reports import CountyMedicalMembers, ReportRun

__all__ = ["access_report_run", "members_by_county", "members_rows", "report_runs_for"]


def report_runs_for(actor, *, report: str = "") -> QuerySet[ReportRun]:
    """The runs the actor may see: DHCS every run; county users their county's billing runs; the program
    manager the certification runs."""
    codes = permissions.report_codes_for(actor)
    if report:
        codes &= {report}
    runs = ReportRun.objects.filter(report__in=sorted(codes)).select_related("county", "requested_by")
    if permissions.report_county_scope(actor, "billing") is not None and "billing" in codes:
        own = permissions.report_county_scope(actor, "billing")
        from django.db.models import Q

        runs = runs.filter(~Q(report="billing") | Q(county_id__in=sorted(own)))
    return runs.order_by("-created_at", "-id")


def access_report_run(actor, run_id: int) -> ReportRun:
    run = ReportRun.objects.select_related("county", "requested_by").filter(pk=run_id).first()
    if run is None or not permissions.can_see_report_run(actor, run):
        raise Http404
    return run


def members_by_county(on_date: datetime.date) -> dict[int, int]:
    """{county id: Medi-Cal members} from each county's latest figure on or before the day (one query)."""
    latest = (
        CountyMedicalMembers.objects.filter(county_id=OuterRef("county_id"), as_of__lte=on_date)
        .order_by("-as_of")
        .values("as_of")[:1]
    )
    rows = CountyMedicalMembers.objects.filter(as_of__lte=on_date, as_of=Subquery(latest)).values_list(
        "county_id", "members"
    )
    return dict(rows)


def members_rows(on_date: datetime.date) -> QuerySet[CountyMedicalMembers]:
    """The figures in force on a day, with their county, by county name (for the reference page)."""
    latest = (
        CountyMedicalMembers.objects.filter(county_id=OuterRef("county_id"), as_of__lte=on_date)
        .order_by("-as_of")
        .values("as_of")[:1]
    )
    return (
        CountyMedicalMembers.objects.filter(as_of__lte=on_date, as_of=Subquery(latest))
        .select_related("county")
        .order_by("county__name")
    )
