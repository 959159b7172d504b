"""The beneficiary and eligibility pages: scope by county, access events on every read, imports, the 270."""

import datetime

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from peercert.accounts.roles import Role
from peercert.accounts.tests.factories import user_with_role
from peercert.benefit.tests.factories import county
from peercert.billing.models import Beneficiary, BeneficiaryAccess, EligibilityMonth
from peercert.billing.tests.factories import BeneficiaryFactory, EligibilityMonthFactory, ServiceLineFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("_november")]


@pytest.fixture
def _november():
    with time_machine.travel(datetime.datetime(2026, 11, 16, 18, 0, tzinfo=datetime.UTC), tick=False):
        yield


@pytest.fixture
def la(client):
    user = user_with_role(Role.COUNTY_BILLING, email="billing@la.example")
    client.force_login(user)
    client.user = user
    return client


@pytest.fixture
def fresno():
    return user_with_role(Role.COUNTY_BILLING, email="billing@fresno.example", county_name="Fresno")


def test_a_search_shows_by_exact_cin_and_logs_each_beneficiary_shown(la):
    one = BeneficiaryFactory(legal_last_name="Ochoa", date_of_birth=datetime.date(1970, 5, 6))
    two = BeneficiaryFactory(legal_last_name="Ochoa", date_of_birth=datetime.date(1970, 5, 6))
    BeneficiaryFactory(legal_last_name="Ochoa", date_of_birth=datetime.date(1971, 1, 1))
    page = la.post(reverse("billing:beneficiary_list"), {"cin": one.cin.lower()})
    assert page.status_code == 200 and one.cin in page.content.decode()
    assert list(BeneficiaryAccess.objects.values_list("beneficiary_id", "channel", "user_id")) == [
        (one.pk, "page", la.user.pk)
    ]
    page = la.post(reverse("billing:beneficiary_list"), {"last_name": "ochoa", "date_of_birth": "1970-05-06"})
    assert one.cin in page.content.decode() and two.cin in page.content.decode()
    assert BeneficiaryAccess.objects.count() == 3


def test_no_browsing_names_by_prefix_and_an_empty_search_logs_nothing(la):
    BeneficiaryFactory(legal_last_name="Ochoa")
    assert la.get(reverse("billing:beneficiary_list")).status_code == 200
    assert la.get(reverse("billing:beneficiary_list"), {"cin": "x"}).status_code == 200  # a query string is no search
    page = la.post(reverse("billing:beneficiary_list"), {"last_name": "Och"})
    assert page.status_code == 400 and "Ochoa" not in page.content.decode()
    assert not BeneficiaryAccess.objects.exists()


def test_the_detail_page_shows_months_and_history_and_logs_the_read(la):
    beneficiary = BeneficiaryFactory()
    old = EligibilityMonthFactory(beneficiary=beneficiary, month=datetime.date(2026, 10, 1), eligible=True)
    la.post(
        reverse("billing:eligibility_correct", args=[old.pk]),
        {"eligible": "no", "aid_code": "", "reference": "AEVS 77", "reason": "State answer changed"},
    )
    BeneficiaryAccess.objects.all().delete()
    page = la.get(reverse("billing:beneficiary_detail", args=[beneficiary.pk]))
    body = page.content.decode()
    assert page.status_code == 200 and "October 2026" in body and "AEVS 77" in body and "Corrected on" in body
    assert (
        BeneficiaryAccess.objects.filter(beneficiary=beneficiary, user=la.user, what="beneficiary detail").count() == 1
    )


def test_two_counties_never_see_each_others_beneficiaries(la, fresno, client):
    theirs = BeneficiaryFactory(county=county("Fresno"))
    month = EligibilityMonthFactory(beneficiary=theirs)
    for name, args in [
        ("billing:beneficiary_detail", [theirs.pk]),
        ("billing:beneficiary_edit", [theirs.pk]),
        ("billing:eligibility_add", [theirs.pk]),
        ("billing:eligibility_correct", [month.pk]),
    ]:
        assert la.get(reverse(name, args=args)).status_code == 404
    page = la.post(reverse("billing:beneficiary_list"), {"cin": theirs.cin})
    assert theirs.cin not in page.content.decode().split("<caption>", 1)[1]
    assert not BeneficiaryAccess.objects.exists()
    client.force_login(fresno)
    assert client.get(reverse("billing:beneficiary_detail", args=[theirs.pk])).status_code == 200


def test_county_staff_not_in_billing_are_refused(client):
    client.force_login(user_with_role(Role.COUNTY_STAFF))
    beneficiary = BeneficiaryFactory()
    for url in (
        reverse("billing:beneficiary_list"),
        reverse("billing:beneficiary_detail", args=[beneficiary.pk]),
        reverse("billing:eligibility"),
    ):
        assert client.get(url).status_code == 403
    assert not BeneficiaryAccess.objects.exists()


def test_statewide_readers_read_but_do_not_change(client):
    beneficiary = BeneficiaryFactory()
    client.force_login(user_with_role(Role.DHCS_ANALYST))
    assert client.get(reverse("billing:beneficiary_detail", args=[beneficiary.pk])).status_code == 200
    assert client.get(reverse("billing:beneficiary_edit", args=[beneficiary.pk])).status_code == 403
    assert BeneficiaryAccess.objects.filter(beneficiary=beneficiary).count() == 1


def test_billing_staff_add_a_beneficiary_and_record_a_month(la):
    response = la.post(
        reverse("billing:beneficiary_add"),
        {
            "cin": "95000001k",
            "legal_first_name": "Armen",
            "legal_last_name": "Petrosyan",
            "date_of_birth": "1988-08-08",
        },
    )
    beneficiary = Beneficiary.objects.get(cin="95000001K")
    assert response.status_code == 302 and response.url == reverse("billing:beneficiary_detail", args=[beneficiary.pk])
    bad = la.post(
        reverse("billing:beneficiary_add"),
        {"cin": "950001K", "legal_first_name": "A", "legal_last_name": "B", "date_of_birth": "1988-08-08"},
    )
    assert bad.status_code == 400 and "is not a CIN" in bad.content.decode()
    future = la.post(
        reverse("billing:eligibility_add", args=[beneficiary.pk]),
        {"month": "2026-12", "eligible": "yes", "reference": "r"},
    )
    assert future.status_code == 400 and not EligibilityMonth.objects.exists()
    done = la.post(
        reverse("billing:eligibility_add", args=[beneficiary.pk]),
        {"month": "2026-10", "eligible": "yes", "aid_code": "1H", "reference": "AEVS 1"},
    )
    assert done.status_code == 302 and EligibilityMonth.objects.get().month == datetime.date(2026, 10, 1)


def test_the_import_page_shows_the_problems_by_line_and_saves_nothing(la):
    text = "cin,month,eligible\n96000001A,2026-10,Y\nnope,2026-10,Y\n"
    response = la.post(
        reverse("billing:eligibility_import"),
        {"kind": "county_file", "file": SimpleUploadedFile("e.csv", text.encode())},
    )
    body = response.content.decode()
    assert response.status_code == 400 and "Nothing was imported" in body and '<td data-label="Line">3</td>' in body
    assert not EligibilityMonth.objects.exists()


def test_an_import_lands_on_its_result_and_the_same_file_again_says_so(la):
    text = "cin,month,eligible,last_name,first_name,date_of_birth\n96000001A,2026-10,Y,Lozano,Yesenia,1999-09-09\n"
    response = la.post(
        reverse("billing:eligibility_import"),
        {"kind": "county_file", "file": SimpleUploadedFile("e.csv", text.encode())},
    )
    assert response.status_code == 302
    page = la.get(response.url)
    assert page.status_code == 200 and "Months added" in page.content.decode()
    again = la.post(
        reverse("billing:eligibility_import"),
        {"kind": "county_file", "file": SimpleUploadedFile("e2.csv", text.encode())},
        follow=True,
    )
    assert "already imported" in again.content.decode() and EligibilityMonth.objects.count() == 1


def test_the_270_downloads_as_an_x12_file(la):
    line = ServiceLineFactory(service_date=datetime.date(2026, 10, 14))
    response = la.post(reverse("billing:eligibility_inquiry"), {"inquiry-month": "2026-10"})
    assert response.status_code == 200 and response["Content-Type"] == "application/edi-x12"
    assert f"MI*{line.beneficiary.cin}~" in response.content.decode()
    nothing = la.post(reverse("billing:eligibility_inquiry"), {"inquiry-month": "2026-09"})
    assert nothing.status_code == 400 and "nobody to ask about" in nothing.content.decode()


def test_the_auditor_lists_access_events_by_cin_user_and_dates(client, la):
    one, two = BeneficiaryFactory(), BeneficiaryFactory()
    la.get(reverse("billing:beneficiary_detail", args=[one.pk]))
    la.get(reverse("billing:beneficiary_detail", args=[two.pk]))
    client.force_login(user_with_role(Role.AUDITOR))
    page = client.get(
        reverse("billing:access_events"), {"cin": one.cin, "user": "billing@la.example", "date_from": "2026-11-16"}
    )
    body = page.content.decode()
    assert page.status_code == 200 and one.cin in body and two.cin not in body
    assert one.legal_last_name not in body  # the log names a CIN, never the person
    assert (
        client.get(reverse("billing:access_events"), {"date_from": "2026-11-17"}).content.decode().count(one.cin) == 0
    )
    assert client.get(reverse("billing:access_events"), {"date_from": "9999-99-99"}).status_code == 400
    client.force_login(user_with_role(Role.COUNTY_BILLING))
    assert client.get(reverse("billing:access_events")).status_code == 403


def test_a_spanish_reader_sees_the_pages_and_refusals_in_spanish(la):
    beneficiary = BeneficiaryFactory()
    EligibilityMonthFactory(beneficiary=beneficiary, month=datetime.date(2026, 10, 1))
    page = la.get(reverse("billing:beneficiary_detail", args=[beneficiary.pk]), HTTP_ACCEPT_LANGUAGE="es")
    body = page.content.decode()
    assert "Elegibilidad mensual" in body and "octubre" in body.lower()
    bad = la.post(
        reverse("billing:beneficiary_add"),
        {"cin": "950001K", "legal_first_name": "A", "legal_last_name": "B", "date_of_birth": "1988-08-08"},
        HTTP_ACCEPT_LANGUAGE="es",
    )
    assert "no es un CIN" in bad.content.decode()
