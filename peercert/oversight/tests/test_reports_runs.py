"""Running reports: the same data gives the same bytes (CSV, XLSX, PDF), county scoping, period validation,
the stored file and its hash, the audited download, and a statement count that does not grow with the data."""

import datetime
import hashlib
import io
import zipfile

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from peercert.accounts.models import County
from peercert.accounts.roles import Role
from peercert.accounts.tests.factories import user_with_role
from peercert.core.errors import ApplicationError
from peercert.core.models import AuditEvent
from peercert.oversight import services
from peercert.oversight.models.reports import REPORT_RUN_TRANSITIONS, ReportRun, ReportRunStatus
from peercert.oversight.reports import Context, definition, period_of
from peercert.oversight.tests.factories.reports import known_dataset

pytestmark = pytest.mark.django_db
# 00:05 Pacific on August 1, 2026: UTC is already 07:05 that day; the fiscal year 2025-26 has ended.
AFTER_FY = datetime.datetime(2026, 8, 1, 7, 5, tzinfo=datetime.UTC)
# 23:55 Pacific on June 30, 2026 (UTC already July 1): the fiscal year has not ended yet.
LAST_EVENING_OF_FY = datetime.datetime(2026, 7, 1, 6, 55, tzinfo=datetime.UTC)


def _run(actor, report, fmt, django_capture_on_commit_callbacks, **kwargs):
    with django_capture_on_commit_callbacks(execute=True):
        run = services.report_run_request(
            actor=actor,
            report=report,
            period_kind=kwargs.pop("period_kind", "fiscal_year"),
            year=kwargs.pop("year", 2025),
            format=fmt,
            **kwargs,
        )
    run.refresh_from_db()
    return run


@pytest.fixture
def analyst():
    return user_with_role(Role.DHCS_ANALYST)


@time_machine.travel(AFTER_FY, tick=False)
@pytest.mark.parametrize(
    ("report", "fmt"),
    [("certification", "csv"), ("billing", "xlsx"), ("annual", "pdf"), ("annual", "xlsx"), ("evaluation", "csv")],
)
def test_same_data_gives_the_same_bytes(analyst, report, fmt, django_capture_on_commit_callbacks):
    known_dataset()
    first = _run(analyst, report, fmt, django_capture_on_commit_callbacks)
    with time_machine.travel(AFTER_FY + datetime.timedelta(days=3, hours=5), tick=False):
        second = _run(analyst, report, fmt, django_capture_on_commit_callbacks)
    assert first.status == second.status == ReportRunStatus.DONE
    first_bytes, second_bytes = first.file.open("rb").read(), second.file.open("rb").read()
    assert first_bytes == second_bytes
    assert first.sha256 == second.sha256 == hashlib.sha256(first_bytes).hexdigest()
    assert first.file.name != second.file.name  # stored under random names
    if fmt == "pdf":
        assert first_bytes.startswith(b"%PDF")
    if fmt == "xlsx":
        assert {i.date_time for i in zipfile.ZipFile(io.BytesIO(first_bytes)).infolist()} == {(1980, 1, 1, 0, 0, 0)}


@time_machine.travel(AFTER_FY, tick=False)
def test_xlsx_has_one_sheet_per_table(analyst, django_capture_on_commit_callbacks):
    from openpyxl import load_workbook

    known_dataset()
    run = _run(analyst, "billing", "xlsx", django_capture_on_commit_callbacks)
    workbook = load_workbook(io.BytesIO(run.file.open("rb").read()))
    assert workbook.sheetnames == ["totals", "services", "beneficiaries", "workforce"]
    assert workbook["totals"]["A1"].value == "measure"


@time_machine.travel(LAST_EVENING_OF_FY, tick=False)
def test_a_period_that_has_not_ended_is_refused(analyst):
    with pytest.raises(ApplicationError, match="has not ended yet"):
        services.report_run_request(actor=analyst, report="billing", period_kind="fiscal_year", year=2025, format="csv")
    assert not ReportRun.objects.exists()


@time_machine.travel(AFTER_FY, tick=False)
@pytest.mark.parametrize(
    ("kind", "part", "message"),
    [("month", None, "month as a number"), ("quarter", 5, "quarter as a number"), ("decade", None, "kind of period")],
)
def test_bad_periods_are_refused_with_a_clear_message(analyst, kind, part, message):
    with pytest.raises(ApplicationError, match=message):
        services.report_run_request(
            actor=analyst, report="billing", period_kind=kind, year=2025, part=part, format="csv"
        )


@time_machine.travel(AFTER_FY, tick=False)
def test_the_annual_report_covers_only_fiscal_years(analyst):
    with pytest.raises(ApplicationError, match="only these periods"):
        services.report_run_request(
            actor=analyst, report="annual", period_kind="calendar_year", year=2025, format="pdf"
        )


@time_machine.travel(AFTER_FY, tick=False)
def test_a_county_user_runs_the_billing_report_only_for_their_county(django_capture_on_commit_callbacks):
    known_dataset()
    billing = user_with_role(Role.COUNTY_BILLING)  # Los Angeles
    fresno = County.objects.get(name="Fresno")
    with pytest.raises(ApplicationError, match="only for your own county"):
        services.report_run_request(
            actor=billing, report="billing", period_kind="fiscal_year", year=2025, county_id=fresno.pk, format="csv"
        )
    run = _run(billing, "billing", "csv", django_capture_on_commit_callbacks)
    assert run.county.name == "Los Angeles"
    text = run.file.open("rb").read().decode()
    assert "Los Angeles" in text and "Fresno" not in text
    for report in ("certification", "annual", "evaluation"):
        with pytest.raises(ApplicationError, match="do not have access"):
            services.report_run_request(
                actor=billing, report=report, period_kind="fiscal_year", year=2025, format="csv"
            )


@time_machine.travel(AFTER_FY, tick=False)
def test_the_program_manager_runs_only_the_certification_report(django_capture_on_commit_callbacks):
    known_dataset()
    manager = user_with_role(Role.PROGRAM_MANAGER)
    run = _run(manager, "certification", "csv", django_capture_on_commit_callbacks)
    assert run.status == ReportRunStatus.DONE and run.county is None
    with pytest.raises(ApplicationError, match="do not have access"):
        services.report_run_request(actor=manager, report="billing", period_kind="fiscal_year", year=2025, format="csv")


@time_machine.travel(AFTER_FY, tick=False)
def test_pages_scope_runs_and_the_download_is_audited(client, analyst, django_capture_on_commit_callbacks):
    known_dataset()
    fresno_run = _run(
        analyst, "billing", "csv", django_capture_on_commit_callbacks, county_id=County.objects.get(name="Fresno").pk
    )
    la_user = user_with_role(Role.COUNTY_STAFF)
    client.force_login(la_user)
    assert client.get(reverse("oversight:report_run_detail", args=[fresno_run.pk])).status_code == 404
    assert client.get(reverse("oversight:report_run_download", args=[fresno_run.pk])).status_code == 404
    client.force_login(analyst)
    page = client.get(reverse("oversight:report_run_detail", args=[fresno_run.pk]))
    assert fresno_run.sha256 in page.content.decode()
    response = client.get(reverse("oversight:report_run_download", args=[fresno_run.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == fresno_run.file.open("rb").read()
    event = AuditEvent.objects.get(action="report_run.download")
    assert (
        event.actor == analyst and event.object_id == str(fresno_run.pk) and event.after["sha256"] == fresno_run.sha256
    )


@time_machine.travel(AFTER_FY, tick=False)
def test_the_form_shows_the_service_refusal(client):
    billing = user_with_role(Role.COUNTY_BILLING)
    client.force_login(billing)
    fresno = County.objects.get(name="Fresno")
    response = client.post(
        reverse("oversight:report_list"),
        {"report": "billing", "period_kind": "fiscal_year", "year": 2025, "county": fresno.pk, "format": "csv"},
    )
    # The county list offers only their own county: another county is not a choice.
    assert response.status_code == 400
    assert not ReportRun.objects.exists()
    response = client.post(
        reverse("oversight:report_list"),
        {"report": "billing", "period_kind": "fiscal_year", "year": 2026, "format": "csv"},
    )
    assert response.status_code == 400 and "has not ended yet" in response.content.decode()


@time_machine.travel(AFTER_FY, tick=False)
@pytest.mark.parametrize("report", ["billing", "certification", "evaluation"])
def test_statement_count_does_not_grow_with_the_data(report):
    period = period_of("fiscal_year", 2025)
    known_dataset(lines_per_county=2)
    build = definition(report).build
    with CaptureQueriesContext(connection) as small:
        build(Context(period, None))
    known_dataset(lines_per_county=12)
    with CaptureQueriesContext(connection) as large:
        build(Context(period, None))
    assert len(small) == len(large)


def test_run_status_map_covers_every_state():
    from peercert.core.transitions import assert_map_covers

    assert_map_covers(REPORT_RUN_TRANSITIONS, ReportRunStatus)


@time_machine.travel(AFTER_FY, tick=False)
def test_the_api_asks_for_a_run_and_refuses_another_county(client, django_capture_on_commit_callbacks):
    known_dataset()
    billing = user_with_role(Role.COUNTY_BILLING)
    client.force_login(billing)
    fresno = County.objects.get(name="Fresno")
    url = "/api/v1/oversight/reports/runs"
    body = {"report": "billing", "period_kind": "fiscal_year", "year": 2025, "format": "csv"}
    refused = client.post(url, {**body, "county_id": fresno.pk}, content_type="application/json")
    assert refused.status_code == 400 and "own county" in refused.json()["detail"]
    assert client.post(url, {**body, "year": 2026}, content_type="application/json").status_code == 400
    with django_capture_on_commit_callbacks(execute=True):
        created = client.post(url, body, content_type="application/json")
    assert created.status_code == 201
    run = client.get(f"{url}/{created.json()['id']}").json()
    assert (
        run["status"] == "done"
        and len(run["sha256"]) == 64
        and run["county_id"] == billing.role_assignments.get().county_id
    )


@time_machine.travel(AFTER_FY, tick=False)
def test_the_annual_pdf_of_a_year_with_no_data_is_made(analyst, django_capture_on_commit_callbacks):
    run = _run(analyst, "annual", "pdf", django_capture_on_commit_callbacks)
    assert run.status == ReportRunStatus.DONE and run.file.open("rb").read().startswith(b"%PDF")
