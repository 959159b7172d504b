"""The pages and the API of overpayments: a county sees only its own (another county's is a 404), DHCS sees
every county's with totals, the API pages and bounds its answer, the report downloads as CSV and PDF; and
overpaid_totals for the oversight reports."""

import datetime
from decimal import Decimal

import pytest
import time_machine

from peercert.accounts.roles import Role
from peercert.accounts.tests.factories import user_with_role
from peercert.billing.models import BeneficiaryAccess
from peercert.certification.models import CertificationStatusChange
from peercert.integrity import selectors, services
from peercert.integrity.models import Overpayment
from peercert.integrity.tests.factories.overpayments import paid_lines_for, two_county_peer

pytestmark = pytest.mark.django_db
NOON = datetime.datetime(2026, 11, 20, 20, 0, tzinfo=datetime.UTC)
FIRST = datetime.date(2026, 10, 1)


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(NOON, tick=False):
        yield


@pytest.fixture
def both():
    world = two_county_peer(FIRST, 20)
    paid_lines_for(world["la"], FIRST, 20)
    paid_lines_for(world["fresno"], FIRST, 20)
    change = CertificationStatusChange.objects.create(
        certification=world["certification"],
        from_status="active",
        to_status="revoked",
        effective_on=datetime.date(2026, 10, 11),
        reason="Back-dated",
    )
    services.overpayments_find_for_certification_changes(changes=CertificationStatusChange.objects.filter(pk=change.pk))
    return {
        "la": Overpayment.objects.get(county__name="Los Angeles"),
        "fresno": Overpayment.objects.get(county__name="Fresno"),
    }


def test_a_county_never_sees_another_countys_overpayments(both, client):
    la_billing = user_with_role(Role.COUNTY_BILLING, county_name="Los Angeles")
    fresno_signer = user_with_role(Role.COUNTY_AUTHORIZED_SIGNER, county_name="Fresno")
    assert list(selectors.overpayment_list(la_billing)) == [both["la"]]
    assert list(selectors.overpayment_list(fresno_signer)) == [both["fresno"]]
    client.force_login(la_billing)
    for name in (
        "overpayment_detail",
        "overpayment_report_csv",
        "overpayment_report_pdf",
        "overpayment_prepare",
        "overpayment_return",
    ):
        assert (
            client.get(
                f"/integrity/overpayments/{both['fresno'].pk}/"
                + {
                    "overpayment_detail": "",
                    "overpayment_report_csv": "report.csv",
                    "overpayment_report_pdf": "report.pdf",
                    "overpayment_prepare": "report/",
                    "overpayment_return": "return/",
                }[name]
            ).status_code
            == 404
        )
    page = client.get("/integrity/overpayments/")
    assert page.status_code == 200
    assert f"Overpayment {both['la'].pk}" in page.content.decode()
    assert f"Overpayment {both['fresno'].pk}<" not in page.content.decode()
    api = client.get("/api/v1/billing/overpayments")
    assert api.status_code == 200
    assert [r["id"] for r in api.json()["results"]] == [both["la"].pk]


def test_the_countys_page_shows_the_lines_the_amount_and_the_clock(both, client):
    client.force_login(user_with_role(Role.COUNTY_BILLING, county_name="Los Angeles"))
    body = client.get(f"/integrity/overpayments/{both['la'].pk}/").content.decode()
    assert "60 days left" in body
    assert "10 paid lines, 825.00 dollars" in body
    assert "The peer&#x27;s certification was not active" in body or "certification was not active" in body
    assert "Build the void claims" in body


def test_dhcs_sees_every_county_with_totals(both, client):
    client.force_login(user_with_role(Role.DHCS_ANALYST))
    body = client.get("/integrity/overpayments/").content.decode()
    assert "Los Angeles" in body and "Fresno" in body
    assert "$1650.00" in body
    totals = selectors.overpayment_totals(user_with_role(Role.AUDITOR))
    assert totals["open"] == 2 and totals["open_amount"] == Decimal("1650.00") and totals["overdue"] == 0
    api = client.get("/api/v1/billing/overpayments?status=open&limit=1").json()
    assert api["count"] == 2 and len(api["results"]) == 1
    first = api["results"][0]
    assert first["clock"] == {
        "identified_on": "2026-11-20",
        "due_on": "2027-01-19",
        "days_left": 60,
        "overdue": False,
        "escalated_on": None,
    }
    assert len(first["lines"]) == 10 and first["amount"] == "825.00"


@pytest.mark.parametrize("query", ["status=nonsense", "limit=0", "limit=101", "offset=-1", "offset=99999999999999"])
def test_the_api_refuses_out_of_range_input_with_a_4xx(both, client, query):
    client.force_login(user_with_role(Role.DHCS_ANALYST))
    assert 400 <= client.get(f"/api/v1/billing/overpayments?{query}").status_code < 500


def test_people_without_a_billing_role_are_refused(both, client):
    for role in (Role.COUNTY_STAFF, Role.PEER, Role.PROGRAM_MANAGER):
        client.force_login(user_with_role(role))
        assert client.get("/integrity/overpayments/").status_code == 403
        assert client.get("/api/v1/billing/overpayments").status_code in (401, 403)


def test_the_report_downloads_as_csv_and_pdf_and_each_names_its_beneficiaries_as_an_access_event(both, client):
    user = user_with_role(Role.COUNTY_BILLING, county_name="Los Angeles")
    client.force_login(user)
    csv = client.get(f"/integrity/overpayments/{both['la'].pk}/report.csv")
    assert csv["Content-Disposition"].startswith("attachment")
    rows = csv.content.decode().strip().splitlines()
    assert len(rows) == 11 and rows[0].startswith("overpayment,county")
    pdf = client.get(f"/integrity/overpayments/{both['la'].pk}/report.pdf")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert BeneficiaryAccess.objects.filter(user=user, channel="export").count() == 2


def test_overpaid_totals_is_one_aggregate_by_county_system_code_and_month(both, django_assert_num_queries):
    with django_assert_num_queries(1):
        rows = list(selectors.overpaid_totals(start=datetime.date(2026, 11, 1), end=datetime.date(2026, 11, 30)))
    assert (
        rows
        == [
            {
                "county_id": both["la"].county_id,
                "delivery_system": "smhs",
                "code": "H0038",
                "month": datetime.date(2026, 10, 1),
                "lines": 10,
                "amount": Decimal("825.00"),
            },
            {
                "county_id": both["fresno"].county_id,
                "delivery_system": "smhs",
                "code": "H0038",
                "month": datetime.date(2026, 10, 1),
                "lines": 10,
                "amount": Decimal("825.00"),
            },
        ]
        or sorted(rows, key=lambda r: r["county_id"]) == rows
    )
    assert {r["county_id"] for r in rows} == {both["la"].county_id, both["fresno"].county_id}
    assert all(
        r["lines"] == 10 and r["amount"] == Decimal("825.00") and r["month"] == datetime.date(2026, 10, 1) for r in rows
    )
    assert list(selectors.overpaid_totals(start=datetime.date(2026, 12, 1), end=datetime.date(2026, 12, 31))) == []
    only_la = list(
        selectors.overpaid_totals(
            start=datetime.date(2026, 11, 1), end=datetime.date(2026, 11, 30), county_ids=[both["la"].county_id]
        )
    )
    assert len(only_la) == 1


def test_the_home_page_lists_the_overpayment_for_billing_and_the_report_for_the_signer(both, client):
    billing = user_with_role(Role.COUNTY_BILLING, county_name="Los Angeles")
    client.force_login(billing)
    home = client.get("/").content.decode()
    assert "Overpayments to report and return" in home and f"Overpayment {both['la'].pk}" in home
    services.overpayment_report_prepare(actor=billing, overpayment=both["la"], reason_category="other", explanation="x")
    client.force_login(user_with_role(Role.COUNTY_AUTHORIZED_SIGNER, county_name="Los Angeles"))
    home = client.get("/").content.decode()
    assert "Overpayment reports to sign" in home and f"/integrity/overpayments/{both['la'].pk}/sign/" in home
