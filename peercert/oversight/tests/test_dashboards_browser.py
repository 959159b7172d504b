"""The public dashboard's "done when", in the browser on a phone (390 px) with axe: a visitor with no
account opens the open-data dashboard, sees the counties with few peers suppressed, and downloads the CSV."""

import csv
import datetime
import io

import pytest
import time_machine
from django.core.cache import cache

from peercert.accounts.models import County
from peercert.certification.tests.factories import CertificationFactory


@pytest.mark.django_db(transaction=True)
def test_a_visitor_opens_the_open_data_dashboard_on_a_phone_and_downloads_the_csv(page, axe_check, tmp_path):
    cache.clear()
    # 23:55 in Los Angeles: the UTC date is already the next day.
    with time_machine.travel(datetime.datetime(2026, 5, 15, 6, 55, tzinfo=datetime.UTC), tick=True):
        for name, count in (("Los Angeles", 30), ("San Diego", 16), ("Alpine", 2), ("Modoc", 4)):
            for _ in range(count):
                CertificationFactory(county=County.objects.get(name=name), issued_on=datetime.date(2026, 3, 2))
        page.goto("/")
        page.get_by_role("button", name="Menu").click()
        page.get_by_role("link", name="Open data").click()
        page.wait_for_load_state()
        assert page.viewport_size["width"] == 390
        axe_check(page, "open-data dashboard")
        table = page.locator("table[data-table=peers_by_county]")
        alpine = table.locator("tr", has=page.locator("th", has_text="Alpine"))
        assert alpine.get_by_text("Suppressed").count() >= 1
        assert table.locator("tr", has=page.locator("th", has_text="Los Angeles")).get_by_text("30").count() == 1
        assert page.locator("canvas[data-chart]").count() >= 5
        # Nobody scrolls sideways on the page itself: wide tables scroll in their own box.
        assert page.evaluate("document.documentElement.scrollWidth") <= 390 + 1
        with page.expect_download() as download:
            page.get_by_role("link", name="Download “Certified peers by county” as CSV").click()
        path = tmp_path / "peers.csv"
        download.value.save_as(path)
        rows = {row[0]: row for row in csv.reader(io.StringIO(path.read_text(encoding="utf-8")))}
        assert rows["Alpine"][1] == "suppressed" and rows["Modoc"][1] == "suppressed"
        assert rows["Los Angeles"][1] == "30"
    cache.clear()


@pytest.mark.django_db(transaction=True)
def test_staff_dashboards_pass_axe_on_a_phone(page, axe_check, sign_in):
    from peercert.accounts.demo import DEMO_PASSWORD
    from peercert.accounts.roles import Role
    from peercert.accounts.tests.factories import user_with_role

    def user(role, email):
        made = user_with_role(role, email=email)
        made.set_password(DEMO_PASSWORD)
        made.save()
        return made

    with time_machine.travel(datetime.datetime(2026, 5, 15, 6, 55, tzinfo=datetime.UTC), tick=True):
        for name, count in (("Los Angeles", 12), ("Fresno", 3)):
            for _ in range(count):
                CertificationFactory(county=County.objects.get(name=name), issued_on=datetime.date(2026, 3, 2))
        analyst = user(Role.DHCS_ANALYST, "analyst.dash@test.peercert.example")
        county = user(Role.COUNTY_STAFF, "county.dash@test.peercert.example")
        sign_in(page, analyst.email, DEMO_PASSWORD)
        page.goto("/oversight/dashboards/counties/")
        axe_check(page, "counties side by side")
        assert page.locator("canvas[data-chart]").count() == 2
        page.goto("/oversight/dashboards/quality/")
        axe_check(page, "program quality")
        page.context.clear_cookies()
        sign_in(page, county.email, DEMO_PASSWORD)
        page.goto("/oversight/dashboards/county/")
        axe_check(page, "county dashboard")
        assert page.get_by_role("heading", name="Los Angeles County beside the state").count() == 1
