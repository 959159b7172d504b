import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from peercert.finance import services as finance_services
from peercert.scholarships import services
from peercert.scholarships.models import Application, ApplicationStatus, Nomination
from peercert.scholarships.tests.conftest import TODAY

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_county_funds(make_fund):
    from peercert.accounts.tests.factories import county

    la = make_fund(name="LA fund", funder_kind="county", nomination_required=True)
    sf = make_fund(name="SF fund", funder_kind="county", county=county("San Francisco"), nomination_required=True)
    return la, sf


def test_two_counties_side_by_side_see_only_their_own(client, two_county_funds, la_staff, sf_staff):
    la, sf = two_county_funds
    services.nomination_create(actor=la_staff, fund=la, name="Ana LA", email="ana@example.org")
    services.nomination_create(actor=sf_staff, fund=sf, name="Bo SF", email="bo@example.org")
    client.force_login(la_staff)
    page = client.get(reverse("scholarships:nominations")).content.decode()
    assert "Ana LA" in page and "Bo SF" not in page
    assert client.get(reverse("scholarships:fund_detail", args=[la.pk])).status_code == 200
    assert client.get(reverse("scholarships:fund_detail", args=[sf.pk])).status_code == 404
    assert client.get(reverse("scholarships:nominate", args=[sf.pk])).status_code == 404
    funds = client.get(reverse("scholarships:fund_list")).content.decode()
    assert "LA fund" in funds and "SF fund" not in funds
    report = client.get(reverse("scholarships:report_csv"))
    body = b"".join(report.streaming_content).decode()
    assert "LA fund" in body and "SF fund" not in body
    client.force_login(sf_staff)
    page = client.get(reverse("scholarships:nominations")).content.decode()
    assert "Bo SF" in page and "Ana LA" not in page


def test_nominate_page_refuses_a_bad_email_and_saves_nothing(client, two_county_funds, la_staff):
    la, _sf = two_county_funds
    client.force_login(la_staff)
    response = client.post(reverse("scholarships:nominate", args=[la.pk]), {"email": "not-an-email", "name": "X"})
    assert response.status_code == 400
    assert not Nomination.objects.exists()
    response = client.post(reverse("scholarships:nominate", args=[la.pk]), {"email": "ok@example.org", "name": "Ok"})
    assert response.status_code == 302


def test_applying_awarding_and_paying_on_the_pay_page(client, make_fund, peer, manager):
    fund = make_fund(name="Open fund", budget="500.00")
    client.force_login(peer)
    assert "Open fund" in client.get(reverse("scholarships:my_scholarships")).content.decode()
    response = client.post(
        reverse("scholarships:apply", args=[fund.pk]),
        {"pathway": "standard", "need_statement": "I need help.", "fee_codes": ["fee_exam"]},
    )
    assert response.status_code == 302
    application = Application.objects.get()
    client.force_login(manager)
    response = client.post(
        reverse("scholarships:application_award", args=[application.pk]),
        {"award-amount": "150.00", "award-fee_codes": ["fee_exam"], "award-expires_on": "2026-09-01"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    application.refresh_from_db()
    assert application.status == ApplicationStatus.AWARDED
    invoice = finance_services.invoice_create(
        actor=None, payer=peer.person, fee_code="fee_exam", reference_type="test.exam", reference_id="1"
    )
    client.force_login(peer)
    pay = client.get(reverse("finance:invoice_pay", args=[invoice.pk])).content.decode()
    assert "Pay with your scholarship" in pay
    scholarship = application.award.scholarship
    response = client.post(
        reverse("finance:invoice_scholarship", args=[invoice.pk]), {"sch-scholarship": scholarship.pk}
    )
    assert response.status_code == 302
    invoice.refresh_from_db()
    assert invoice.status == "paid"
    client.force_login(manager)
    detail = client.get(reverse("scholarships:fund_detail", args=[fund.pk])).content.decode()
    assert "$350.00" in detail  # remaining: 500.00 − 150.00


def test_an_over_budget_award_is_shown_on_the_form(client, make_fund, peer, apply, manager):
    fund = make_fund(budget="100.00")
    application = apply(peer, fund)
    client.force_login(manager)
    response = client.post(
        reverse("scholarships:application_award", args=[application.pk]),
        {"award-amount": "100.01", "award-fee_codes": ["fee_exam"], "award-expires_on": "2026-09-01"},
    )
    assert response.status_code == 400
    assert "$100.00 left" in response.content.decode()


def test_the_report_downloads_as_xlsx(client, make_fund, peer, award, manager):
    fund = make_fund(name="Report fund")
    award(peer, fund, amount="120.00")
    client.force_login(manager)
    response = client.get(reverse("scholarships:report_xlsx"))
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Fund"
    assert rows[1][0] == "Report fund" and rows[1][3] == 1 and rows[1][4] == 1
    assert Decimal(str(rows[1][5])) == Decimal("120.00")


def test_pages_read_in_spanish(client, make_fund, peer):
    make_fund(name="Fondo abierto")
    peer.person.preferred_language = "es"
    peer.person.save()
    client.force_login(peer)
    page = client.get(reverse("scholarships:my_scholarships"), HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Fondos que puede solicitar" in page


def test_another_peer_cannot_open_an_application_or_award(client, make_fund, peer, other_peer, award):
    granted = award(peer, make_fund())
    client.force_login(other_peer)
    assert client.get(reverse("scholarships:award_detail", args=[granted.pk])).status_code == 404
    assert client.get(reverse("scholarships:application_detail", args=[granted.application_id])).status_code == 404


def test_disbursing_from_the_award_page(client, make_fund, peer, award, reviewer, enrolled_offering):
    granted = award(peer, make_fund(), amount="500.00")
    offering = enrolled_offering(peer.person, cost="300.00")
    client.force_login(reviewer)
    page = client.get(reverse("scholarships:award_detail", args=[granted.pk])).content.decode()
    assert "Record tuition payment" in page
    response = client.post(
        reverse("scholarships:award_disburse", args=[granted.pk]),
        {"pay-offering": str(offering.pk), "pay-amount": "300.00", "pay-paid_on": str(TODAY), "pay-reference": "EFT-9"},
    )
    assert response.status_code == 302
    granted.scholarship.refresh_from_db()
    assert granted.scholarship.remaining == Decimal("200.00")
    response = client.post(
        reverse("scholarships:award_disburse", args=[granted.pk]),
        {
            "pay-offering": str(offering.pk),
            "pay-amount": "1.00",
            "pay-paid_on": str(TODAY + datetime.timedelta(days=1)),
            "pay-reference": "x",
        },
    )
    assert response.status_code == 400
