"""In the browser at 320 px: an employer uploads a CSV of 50 numbers, reads the answers and downloads them."""

import csv
import io

import pytest

from peercert.accounts.tests.factories import PersonFactory
from peercert.certification.tests.factories import CertificationFactory


@pytest.mark.django_db(transaction=True)
def test_an_employer_checks_50_numbers_and_downloads_the_answers(page, axe_check):
    for i in range(1, 49):
        CertificationFactory(
            number=f"PSS-{i:06d}", person=PersonFactory(legal_first_name="Ana", legal_last_name=f"Empleada{i}")
        )
    lines = ["number,name"] + [f"{i},Ana Empleada{i}" for i in range(1, 49)] + ["PSS-999999,", "oops!,"]
    page.set_viewport_size({"width": 320, "height": 800})
    page.goto("/registry/")
    page.get_by_role("link", name="Verify up to 5,000 numbers from a file").click()
    axe_check(page, "bulk verification form")
    page.locator("input[name=file]").set_input_files(
        {"name": "staff.csv", "mimeType": "text/csv", "buffer": "\n".join(lines).encode()}
    )
    page.get_by_role("button", name="Check the numbers").click()
    assert "50 lines read: 48 found, 2 with a problem" in page.get_by_test_id("bulk-summary").inner_text()
    axe_check(page, "bulk verification answers")
    # Nothing wider than the phone: the table stacks.
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    with page.expect_download() as download:
        page.get_by_test_id("bulk-download").click()
    rows = list(csv.DictReader(io.StringIO(open(download.value.path(), encoding="utf-8").read())))
    assert len(rows) == 50 and sum(r["found"] == "yes" for r in rows) == 48
    assert {r["name_matches"] for r in rows[:48]} == {"yes"}
