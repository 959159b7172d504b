"""Access-matrix rows for oversight's reports part. Written out by hand, not imported from permissions.py.

The world's run is a finished Los Angeles billing report, which DHCS and the Los Angeles county users may
open; the program manager runs only the certification report, so it is not theirs.
"""

from peercert.accounts.roles import Role

DHCS = {Role.DHCS_ANALYST, Role.DHCS_APPROVER}
COUNTY = {Role.COUNTY_STAFF, Role.COUNTY_BILLING, Role.COUNTY_BILLING_SUPERVISOR, Role.COUNTY_AUTHORIZED_SIGNER}
RUNNERS = DHCS | COUNTY | {Role.PROGRAM_MANAGER}


def _run(w):
    return {"run_id": w["report_run"].pk}


ACCESS: dict = {
    "oversight:report_list": {"allow": RUNNERS},
    "oversight:report_dictionary": {"allow": RUNNERS},
    "oversight:report_run_detail": {"allow": DHCS | COUNTY, "kwargs": _run},
    "oversight:report_run_progress": {"allow": DHCS | COUNTY, "kwargs": _run},
    "oversight:report_run_download": {"allow": DHCS | COUNTY, "kwargs": _run},
    "POST /api/v1/oversight/reports/runs": {"allow": RUNNERS},
    "GET /api/v1/oversight/reports/runs/{run_id}": {"allow": DHCS | COUNTY, "kwargs": _run},
}


def build_world(w) -> dict:
    """A finished billing report run for Los Angeles, fiscal year 2024-25."""
    import datetime

    from django.core.files.base import ContentFile

    from peercert.accounts.models import County
    from peercert.oversight.models.reports import ReportRun, ReportRunStatus

    run = ReportRun(
        report="billing",
        period_kind="fiscal_year",
        period_start=datetime.date(2024, 7, 1),
        period_end=datetime.date(2025, 6, 30),
        county=County.objects.get(name="Los Angeles"),
        format="csv",
        status=ReportRunStatus.DONE,
        file_kind="csv",
        sha256="0" * 64,
        size=4,
    )
    run.file.save("report.csv", ContentFile(b"a,b\n"), save=False)
    run.save()
    return {"report_run": run}
