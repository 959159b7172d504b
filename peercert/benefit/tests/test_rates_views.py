"""The rates pages, as county staff, DHCS and the auditor would use them."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from peercert.accounts.models import County
from peercert.accounts.roles import Role
from peercert.accounts.tests.factories import user_with_role
from peercert.benefit.models import FederalAuthority, Rate, RateKind, RateStatus
from peercert.benefit.tests.factories import FederalAuthorityFactory, RateFactory
from peercert.core import samples
from peercert.core.worklists import worklists_for
from peercert.web.tests.spanish import get_in_spanish

pytestmark = pytest.mark.django_db


@pytest.fixture
def la():
    return County.objects.get(name="Los Angeles")


@pytest.fixture
def fresno():
    return County.objects.get(name="Fresno")


def detail(rate):
    return reverse("benefit:rate_detail", args=[rate.pk])


def test_county_staff_propose_submit_and_an_approver_approves_through_the_pages(client, role_users, la):
    staff, approver = role_users[Role.COUNTY_STAFF], role_users[Role.DHCS_APPROVER]
    client.force_login(staff)
    form = client.get(reverse("benefit:rate_propose"))
    assert form.status_code == 200 and "H0038 · Self-help/peer services" in form.content.decode()
    data = {
        "delivery_system": "smhs",
        "code": "H0038",
        "amount": "41.25",
        "effective_from": "2025-07-01",
        "effective_to": "",
        "justification": "FY 2025-26",
    }
    refused = client.post(reverse("benefit:rate_propose"), {**data, "code": "H0050"})
    assert refused.status_code == 400 and "H0050 may not be billed in" in refused.content.decode()
    assert not Rate.objects.exists()
    response = client.post(reverse("benefit:rate_propose"), data)
    rate = Rate.objects.get()
    assert response.status_code == 302 and response["Location"] == detail(rate)
    assert rate.county == la and rate.status == RateStatus.DRAFT
    page = client.get(detail(rate)).content.decode()
    assert "Submit to DHCS" in page and "Rate proposed" in page  # next step and history
    assert client.post(reverse("benefit:rate_submit", args=[rate.pk])).status_code == 302
    rate.refresh_from_db()
    assert rate.status == RateStatus.SUBMITTED

    client.force_login(approver)
    queue = client.get(reverse("benefit:rates")).content.decode()
    assert "Rates awaiting decision" in queue and detail(rate) in queue
    no_comment = client.post(reverse("benefit:rate_decide", args=[rate.pk]), {"decide-decision": "return"})
    assert no_comment.status_code == 400 and "Say why in the comment" in no_comment.content.decode()
    done = client.post(reverse("benefit:rate_decide", args=[rate.pk]), {"decide-decision": "approve"})
    assert done.status_code == 302
    rate.refresh_from_db()
    assert rate.status == RateStatus.APPROVED
    page = client.get(detail(rate)).content.decode()
    assert "Rate approved" in page and "This is the rate in force today" in page


def test_a_county_rate_page_shows_the_dhcs_comment_and_returned_worklist(client, role_users, la):
    staff = role_users[Role.COUNTY_STAFF]
    rate = RateFactory(
        county=la, status=RateStatus.RETURNED, proposed_by=staff, decision_comment="Attach the cost report."
    )
    client.force_login(staff)
    body = client.get(reverse("benefit:rates")).content.decode()
    assert "Returned with comments" in body and "Attach the cost report." in body
    lists = worklists_for(Role.COUNTY_STAFF, staff, None)
    returned = next(w for w in lists if w.title == "Rates returned to you")
    assert returned.count == 1 and returned.items[0].url == detail(rate)
    edit = client.get(reverse("benefit:rate_edit", args=[rate.pk]))
    assert edit.status_code == 200 and "Attach the cost report." in edit.content.decode()


def test_the_approvers_worklist_leaves_out_their_own_proposals(role_users, la):
    approver = role_users[Role.DHCS_APPROVER]
    theirs = RateFactory(county=la, status=RateStatus.SUBMITTED, proposed_by=role_users[Role.COUNTY_STAFF])
    RateFactory(
        kind=RateKind.INTERIM, county=None, delivery_system="dmc", status=RateStatus.SUBMITTED, proposed_by=approver
    )
    work = next(w for w in worklists_for(Role.DHCS_APPROVER, approver, None) if w.title == "Rates awaiting decision")
    assert work.count == 1 and work.items[0].url == detail(theirs)


def test_two_counties_side_by_side(client, la, fresno):
    la_staff = user_with_role(Role.COUNTY_STAFF)
    fresno_staff = user_with_role(Role.COUNTY_STAFF, county_name="Fresno")
    fresno_billing = user_with_role(Role.COUNTY_BILLING, county_name="Fresno")
    la_rate = RateFactory(county=la, status=RateStatus.DRAFT, proposed_by=la_staff, amount="41.25")
    fresno_rate = RateFactory(county=fresno, status=RateStatus.DRAFT, proposed_by=fresno_staff, amount="38.10")
    client.force_login(fresno_staff)
    listing = client.get(reverse("benefit:rates")).content.decode()
    assert "$38.10" in listing and "$41.25" not in listing
    for name in ("rate_detail", "rate_edit"):
        assert client.get(reverse(f"benefit:{name}", args=[la_rate.pk])).status_code == 404
    for name in ("rate_submit", "rate_withdraw"):
        assert client.post(reverse(f"benefit:{name}", args=[la_rate.pk])).status_code == 404
    la_rate.refresh_from_db()
    assert la_rate.status == RateStatus.DRAFT
    client.force_login(fresno_billing)  # reads its own county, changes nothing
    assert client.get(detail(fresno_rate)).status_code == 200
    assert client.get(detail(la_rate)).status_code == 404
    assert client.get(reverse("benefit:rate_edit", args=[fresno_rate.pk])).status_code == 403
    assert client.post(reverse("benefit:rate_submit", args=[fresno_rate.pk])).status_code == 403
    client.force_login(la_staff)
    assert client.get(detail(fresno_rate)).status_code == 404
    assert client.get(detail(la_rate)).status_code == 200


def test_county_users_see_approved_interim_rates_that_apply_to_them_only(client, la, fresno):
    staff = user_with_role(Role.COUNTY_STAFF)
    statewide = RateFactory(kind=RateKind.INTERIM, county=None, delivery_system="dmc", status=RateStatus.APPROVED)
    draft = RateFactory(kind=RateKind.INTERIM, county=None, delivery_system="dmc", status=RateStatus.DRAFT)
    other = RateFactory(kind=RateKind.INTERIM, county=fresno, delivery_system="dmc_ods", status=RateStatus.APPROVED)
    client.force_login(staff)
    assert client.get(detail(statewide)).status_code == 200
    assert client.get(detail(draft)).status_code == 404
    assert client.get(detail(other)).status_code == 404
    assert client.get(reverse("benefit:interim_rates")).status_code == 403
    listing = client.get(reverse("benefit:rates")).content.decode()
    assert "Interim DMC rates that apply to your county" in listing
    assert detail(statewide) in listing and detail(draft) not in listing and detail(other) not in listing
    back = client.get(detail(statewide)).content.decode()
    assert reverse("benefit:interim_rates") not in back  # a page they could not open


def test_the_dhcs_queue_filters_and_ignores_junk(client, role_users, la, fresno):
    RateFactory(county=la, status=RateStatus.SUBMITTED, amount="41.25")
    RateFactory(county=fresno, status=RateStatus.SUBMITTED, amount="38.10")
    RateFactory(county=fresno, status=RateStatus.APPROVED, amount="12.34", delivery_system="dmc_ods")
    client.force_login(role_users[Role.DHCS_ANALYST])
    url = reverse("benefit:rates")
    body = client.get(url).content.decode()
    assert "$41.25" in body and "$38.10" in body and "$12.34" not in body  # awaiting decision by default
    body = client.get(url, {"county": fresno.pk, "status": ""}).content.decode()
    assert "$41.25" not in body and "$38.10" in body and "$12.34" in body
    body = client.get(url, {"system": "dmc_ods", "status": "approved"}).content.decode()
    assert "$12.34" in body and "$38.10" not in body
    assert client.get(url, {"county": "99999999999999999999999", "status": "<x>", "page": "-1"}).status_code == 200


def test_an_analyst_proposes_an_interim_rate_and_cannot_decide(client, role_users):
    analyst = role_users[Role.DHCS_ANALYST]
    client.force_login(analyst)
    response = client.post(
        reverse("benefit:interim_rate_propose"),
        {"county": "", "delivery_system": "dmc", "code": "H0038", "amount": "28.50", "effective_from": "2025-07-01"},
    )
    rate = Rate.objects.get()
    assert response.status_code == 302 and rate.kind == RateKind.INTERIM and rate.county is None
    client.post(reverse("benefit:rate_submit", args=[rate.pk]))
    assert (
        client.post(reverse("benefit:rate_decide", args=[rate.pk]), {"decide-decision": "approve"}).status_code == 403
    )
    listing = client.get(reverse("benefit:interim_rates")).content.decode()
    assert detail(rate) in listing and "Statewide" in listing


def test_codes_page_lists_systems_and_dates(client, role_users):
    client.force_login(role_users[Role.COUNTY_BILLING])
    body = client.get(reverse("benefit:codes")).content.decode()
    assert "H0050" in body and "Contingency management" in body and "July 1, 2022" in body


def test_dhcs_records_an_authority_with_a_pdf_and_ends_it(client, role_users):
    client.force_login(role_users[Role.DHCS_ANALYST])
    url = reverse("benefit:authority_record")
    data = {
        "number": "SPA 22-0026",
        "kind": "spa",
        "title": "Peer support services",
        "delivery_systems": ["smhs", "dmc"],
        "codes": ["H0038", "H0025"],
        "approved_on": "2022-06-15",
        "effective_from": "2022-07-01",
    }
    page = SimpleUploadedFile("evil.html", b"<html><script>alert(1)</script></html>", content_type="application/pdf")
    refused = client.post(url, {**data, "document": page})
    assert refused.status_code == 400 and "is not a PDF file" in refused.content.decode()
    assert not FederalAuthority.objects.exists()
    pdf = SimpleUploadedFile("approval.pdf", samples.PDF, content_type="application/pdf")
    response = client.post(url, {**data, "document": pdf})
    authority = FederalAuthority.objects.get()
    assert response.status_code == 302
    assert sorted(authority.code_rows.values_list("code", flat=True)) == ["H0025", "H0038"]
    assert authority.delivery_systems == ["smhs", "dmc"] and authority.document_type == "pdf"
    duplicate = client.post(url, {**data, "number": "spa 22-0026"})
    assert duplicate.status_code == 400 and "already recorded" in duplicate.content.decode()
    end = reverse("benefit:authority_end", args=[authority.pk])
    early = client.post(end, {"end-effective_to": "2022-01-01"})
    assert early.status_code == 400 and "on or after that day" in early.content.decode()
    assert client.post(end, {"end-effective_to": "2030-06-30", "end-reason": "Superseded"}).status_code == 302
    authority.refresh_from_db()
    assert authority.effective_to == datetime.date(2030, 6, 30)
    body = client.get(reverse("benefit:authority_detail", args=[authority.pk])).content.decode()
    assert "Federal authority end date set" in body and "Superseded" in body


def test_the_authority_document_is_an_attachment_with_nosniff(client, role_users):
    authority = FederalAuthorityFactory(document_type="pdf", document_name="approval.html")
    from django.core.files.base import ContentFile

    authority.document.save("x.pdf", ContentFile(samples.PDF))
    url = reverse("benefit:authority_document", args=[authority.pk])
    for role in (Role.COUNTY_STAFF, Role.COUNTY_BILLING, Role.DHCS_ANALYST, Role.AUDITOR):
        client.force_login(role_users[role])
        response = client.get(url)
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"].startswith("attachment;")
        assert 'filename="approval.pdf"' in response["Content-Disposition"]
        assert response["X-Content-Type-Options"] == "nosniff"
        assert "sandbox" in response["Content-Security-Policy"]
    client.force_login(role_users[Role.PEER])
    assert client.get(url).status_code == 403
    client.logout()
    assert client.get(url).status_code == 302


def test_everyone_with_a_benefit_role_reads_the_authorities(client, role_users):
    FederalAuthorityFactory(number="SPA 22-0026")
    for role in (Role.COUNTY_STAFF, Role.COUNTY_BILLING, Role.DHCS_ANALYST, Role.DHCS_APPROVER, Role.AUDITOR):
        client.force_login(role_users[role])
        assert "SPA 22-0026" in client.get(reverse("benefit:authorities")).content.decode()
    client.force_login(role_users[Role.PROGRAM_REVIEWER])
    assert client.get(reverse("benefit:authorities")).status_code == 403


def test_spanish_pages(client, role_users, la):
    staff = role_users[Role.COUNTY_STAFF]
    rate = RateFactory(county=la, status=RateStatus.RETURNED, proposed_by=staff, decision_comment="Falta el informe.")
    FederalAuthorityFactory(number="SPA 22-0026")
    client.force_login(staff)
    rates = get_in_spanish(client, reverse("benefit:rates")).content.decode()
    assert "<h1>Tarifas</h1>" in rates and "Devuelta con comentarios" in rates
    page = get_in_spanish(client, detail(rate)).content.decode()
    assert f"Tarifa {rate.pk}" in page and "1 de julio de 2025" in page
    assert "<h1>Códigos de facturación</h1>" in get_in_spanish(client, reverse("benefit:codes")).content.decode()
    assert (
        "<h1>Autorizaciones federales</h1>" in get_in_spanish(client, reverse("benefit:authorities")).content.decode()
    )
    client.force_login(role_users[Role.DHCS_APPROVER])
    assert "Tarifas en espera de decisión" in get_in_spanish(client, reverse("benefit:rates")).content.decode()
