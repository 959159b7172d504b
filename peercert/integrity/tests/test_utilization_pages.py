"""The utilization pages: add a rule, refusals as 400 with the message, a review opened and a finding
recorded through the pages, beneficiary reads logged, another county's review a 404, Spanish."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from peercert.accounts.roles import Role
from peercert.accounts.tests.factories import user_with_role
from peercert.benefit.tests.factories import county
from peercert.billing.models import BeneficiaryAccess, LineStatus
from peercert.billing.tests.factories import ServiceLineFactory
from peercert.integrity.models.utilization import LineFinding, ReviewLine, UtilizationReview, UtilizationRule

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen():
    # 00:05 Pacific on 1 December 2026.
    with time_machine.travel(datetime.datetime(2026, 12, 1, 8, 5, tzinfo=datetime.UTC), tick=False):
        yield


def _rule_post(**kw):
    data = {
        "rule-scope": "statewide",
        "rule-kind": "beneficiary_day_units",
        "rule-name": "H0038 per beneficiary day",
        "rule-code": "H0038",
        "rule-limit": "8",
        "rule-delivery_system": "",
        "rule-effective_from": "2026-01-01",
    }
    return {**data, **kw}


def test_an_approver_adds_a_rule_and_an_overlap_is_a_400_with_the_message(client):
    client.force_login(user_with_role(Role.DHCS_APPROVER))
    response = client.post(reverse("integrity:utilization_rule_new"), _rule_post())
    rule = UtilizationRule.objects.get(name="H0038 per beneficiary day")
    assert response.status_code == 302 and response.url == reverse("integrity:utilization_rule", args=[rule.pk])
    again = client.post(reverse("integrity:utilization_rule_new"), _rule_post(**{"rule-effective_from": "2026-05-01"}))
    assert again.status_code == 400
    assert "overlaps" in again.content.decode()
    listing = client.get(reverse("integrity:utilization_rules"))
    assert "H0038 per beneficiary day" in listing.content.decode()


def test_a_county_supervisor_sees_only_their_county_as_a_scope(client):
    client.force_login(user_with_role(Role.COUNTY_BILLING_SUPERVISOR))
    page = client.get(reverse("integrity:utilization_rule_new")).content.decode()
    assert "Los Angeles" in page and "Fresno" not in page and 'value="statewide"' not in page
    refused = client.post(reverse("integrity:utilization_rule_new"), _rule_post())
    assert refused.status_code == 400 and not UtilizationRule.objects.filter(code="H0038").exists()


def test_supersede_through_the_page(client):
    client.force_login(user_with_role(Role.DHCS_APPROVER))
    client.post(reverse("integrity:utilization_rule_new"), _rule_post())
    rule = UtilizationRule.objects.get(name="H0038 per beneficiary day")
    response = client.post(
        reverse("integrity:utilization_rule_supersede", args=[rule.pk]),
        {"new-name": rule.name, "new-limit": "6", "new-effective_from": "2026-07-01", "new-reason": "Manual update"},
    )
    new = UtilizationRule.objects.get(supersedes=rule)
    assert response.status_code == 302 and new.version == 2
    page = client.get(reverse("integrity:utilization_rule", args=[new.pk])).content.decode()
    assert "Version 1" in page


def test_open_a_review_record_a_finding_with_access_events(client):
    la = county("Los Angeles")
    line = ServiceLineFactory(
        batch__county=la,
        status=LineStatus.BILLABLE,
        remittance_status="paid",
        paid_amount=Decimal("100"),
        service_date=datetime.date(2026, 10, 5),
    )
    staff = user_with_role(Role.COUNTY_BILLING)
    client.force_login(staff)
    response = client.post(
        reverse("integrity:utilization_reviews"),
        {"review-period_start": "2026-10-01", "review-period_end": "2026-10-31", "review-seed": "17"},
    )
    review = UtilizationReview.objects.get()
    assert response.status_code == 302 and review.seed == 17
    row = ReviewLine.objects.get(review=review, line_id=line.pk)
    detail = client.get(reverse("integrity:utilization_review", args=[review.pk]))
    assert line.cin in detail.content.decode()
    assert BeneficiaryAccess.objects.filter(user=staff, beneficiary_id=line.beneficiary_id).exists()
    bad = client.post(reverse("integrity:review_line", args=[row.pk]), {"finding-outcome": "not_supported"})
    assert bad.status_code == 400 and not LineFinding.objects.exists()
    done = client.post(
        reverse("integrity:review_line", args=[row.pk]),
        {"finding-outcome": "not_supported", "finding-category": "medical_necessity", "finding-note": "No plan."},
    )
    assert done.status_code == 302
    assert LineFinding.objects.get().category == "medical_necessity"
    home = client.get("/")
    assert "Lines to review" in home.content.decode()


def test_another_countys_review_is_a_404(client):
    la = county("Los Angeles")
    line = ServiceLineFactory(batch__county=la, status=LineStatus.BILLABLE, remittance_status="paid")
    review = UtilizationReview.objects.create(
        county=la,
        period_start=datetime.date(2026, 10, 1),
        period_end=datetime.date(2026, 10, 31),
        seed=1,
        sample_rate=Decimal("0.05"),
        outlier_multiple=Decimal("3"),
    )
    row = ReviewLine.objects.create(review=review, line_id=line.pk, sampled=True)
    client.force_login(user_with_role(Role.COUNTY_BILLING, county_name="Fresno"))
    assert client.get(reverse("integrity:utilization_review", args=[review.pk])).status_code == 404
    assert client.get(reverse("integrity:review_line", args=[row.pk])).status_code == 404


def test_the_rules_page_in_spanish(client):
    client.force_login(user_with_role(Role.DHCS_ANALYST))
    page = client.get(reverse("integrity:utilization_rules"), HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Reglas de utilización" in page


def test_the_rules_list_by_county_and_past_versions(client):
    from peercert.integrity.tests.factories import UtilizationRuleFactory

    la = county("Los Angeles")
    UtilizationRuleFactory(name="Statewide H0038", limit=8)
    UtilizationRuleFactory(name="Los Angeles H0038", limit=6, county=la)
    UtilizationRuleFactory(
        name="Old Los Angeles H0025",
        code="H0025",
        county=la,
        status="ended",
        end_reason="Replaced",
        effective_to=datetime.date(2026, 3, 31),
    )
    client.force_login(user_with_role(Role.DHCS_ANALYST))
    page = client.get(reverse("integrity:utilization_rules"), {"scope": str(la.pk)}).content.decode()
    assert "Los Angeles H0038" in page and "Statewide H0038" not in page and "Old Los Angeles" not in page
    past = client.get(reverse("integrity:utilization_rules"), {"when": "past"}).content.decode()
    assert "Old Los Angeles H0025" in past and "Los Angeles H0038" not in past
