"""The reports' "done when", in the browser at phone width with axe on every page: a DHCS analyst runs the
certification and the billing reports for the last fiscal year and opens the annual report PDF."""

import datetime
import io

import pytest
import time_machine
from pypdf import PdfReader

from peercert.accounts.demo import DEMO_PASSWORD
from peercert.accounts.roles import Role
from peercert.accounts.tests.factories import user_with_role
from peercert.oversight.models.reports import ReportRun, ReportRunStatus
from peercert.oversight.tests.factories.reports import known_dataset


def _run(page, axe_check, report_label, fmt_label, name):
    page.goto("/oversight/reports/")
    axe_check(page, f"reports before {name}")
    page.get_by_label("Report", exact=True).select_option(label=report_label)
    page.get_by_label("Period", exact=True).select_option(label="State fiscal year (July to June)")
    page.get_by_label("Year", exact=True).fill("2025")
    page.get_by_label("Format", exact=True).select_option(label=fmt_label)
    page.get_by_role("button", name="Run the report").click()
    page.wait_for_load_state()
    axe_check(page, f"{name} run")
    return page.get_by_role("link", name="Download the report")


@pytest.mark.django_db(transaction=True)
def test_an_analyst_runs_the_state_reports_and_opens_the_annual_pdf(page, axe_check, sign_in):
    # 00:05 Pacific on August 1, 2026 (UTC already 07:05): fiscal year 2025-26 has just ended.
    with time_machine.travel(datetime.datetime(2026, 8, 1, 7, 5, tzinfo=datetime.UTC), tick=True):
        known_dataset()
        analyst = user_with_role(Role.DHCS_ANALYST, email="analyst.journey@test.peercert.example")
        analyst.set_password(DEMO_PASSWORD)
        analyst.save()
        sign_in(page, analyst.email, DEMO_PASSWORD)

        download = _run(page, axe_check, "Certification data to the state", "Excel workbook (XLSX)", "certification")
        with page.expect_download() as got:
            download.click()
        assert got.value.suggested_filename == "certification-2025-07-01-2026-06-30.xlsx"

        download = _run(page, axe_check, "Billing and employment data", "CSV", "billing")
        with page.expect_download() as got:
            download.click()
        assert "Los Angeles" in open(got.value.path(), encoding="utf-8").read()

        download = _run(page, axe_check, "Annual program report", "PDF with charts", "annual")
        assert "SHA-256" in page.content()
        with page.expect_download() as got:
            download.click()
        data = open(got.value.path(), "rb").read()
        reader = PdfReader(io.BytesIO(data))
        text = "".join(p.extract_text() for p in reader.pages)
        assert "Annual Report" in text and "2025-26" in text and "Services by month" in text

        page.goto("/oversight/reports/dictionary/")
        axe_check(page, "data dictionary")
        page.goto("/oversight/reports/")
        axe_check(page, "reports with three runs")
        assert ReportRun.objects.filter(status=ReportRunStatus.DONE).count() == 3
