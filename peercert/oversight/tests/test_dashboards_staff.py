"""DHCS's counties side by side, a county's own dashboard (its county only) and the program's quality."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from peercert.accounts.models import County
from peercert.accounts.roles import Role
from peercert.accounts.tests.factories import user_with_role
from peercert.certification.tests.factories import CertificationFactory

pytestmark = [pytest.mark.django_db]

EARLY = datetime.datetime(2026, 3, 3, 8, 5, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(EARLY, tick=False):
        yield


@pytest.fixture
def peers():
    for name, count in (("Los Angeles", 4), ("Fresno", 2)):
        for _ in range(count):
            CertificationFactory(county=County.objects.get(name=name), issued_on=datetime.date(2026, 1, 5))


def test_dhcs_sees_every_county_side_by_side(client, peers):
    client.force_login(user_with_role(Role.DHCS_ANALYST))
    response = client.get(reverse("oversight:statewide_dashboard"))
    assert response.status_code == 200
    rows = {row["county"]: row for row in response.context["data"]["rows"]}
    assert len(rows) == 58
    assert rows["Los Angeles"]["certified_peers"] == 4 and rows["Fresno"]["certified_peers"] == 2
    assert response.context["data"]["total"]["certified_peers"] == 6
    page = response.content.decode()
    assert 'id="chart-workforce-data"' in page and "<caption>" in page


def test_a_county_user_sees_only_their_county_and_the_state(client, peers):
    user = user_with_role(Role.COUNTY_STAFF, county_name="Fresno")
    client.force_login(user)
    response = client.get(reverse("oversight:county_dashboard"))
    assert response.status_code == 200
    data = response.context["data"]
    assert data["county"].name == "Fresno"
    assert data["mine"]["certified_peers"] == 2 and data["state"]["certified_peers"] == 6
    los_angeles = County.objects.get(name="Los Angeles").pk
    assert client.get(reverse("oversight:county_dashboard"), {"county": los_angeles}).status_code == 404
    assert client.get(reverse("oversight:statewide_dashboard")).status_code == 403


def test_the_quality_dashboard_reads_the_targets_from_the_rules(client, peers):
    client.force_login(user_with_role(Role.PROGRAM_MANAGER))
    response = client.get(reverse("oversight:quality_dashboard"))
    assert response.status_code == 200
    data = response.context["data"]
    assert data["target_days"] == 30
    assert data["applications"]["decided"] == 0
    assert "30-day target" in response.content.decode()


def test_quality_measures_count_timely_and_late_applications():
    from peercert.certification import selectors as certification_selectors
    from peercert.certification.models import ApplicationStatus
    from peercert.certification.tests.factories import applicant, filled_application

    on_time = filled_application(applicant())
    late = filled_application(applicant(first="Ana", last="Lopez"))
    waiting = filled_application(applicant(first="Lee", last="Vang"))
    now = datetime.datetime(2026, 3, 3, 8, 5, tzinfo=datetime.UTC)
    for app, submitted, decided, status in (
        (on_time, now - datetime.timedelta(days=40), now - datetime.timedelta(days=20), ApplicationStatus.APPROVED),
        (late, now - datetime.timedelta(days=60), now - datetime.timedelta(days=5), ApplicationStatus.APPROVED),
        (waiting, now - datetime.timedelta(days=45), None, ApplicationStatus.SUBMITTED),
    ):
        type(app).objects.filter(pk=app.pk).update(
            first_submitted_at=submitted,
            submitted_at=submitted,
            decided_at=decided,
            status=status,
            valid_until=datetime.date(2027, 1, 1) if decided else None,
        )
    figures = certification_selectors.application_timeliness(
        datetime.date(2025, 3, 4), datetime.date(2026, 3, 3), target_days=30
    )
    assert figures == {"decided": 2, "decided_on_time": 1, "waiting": 1, "waiting_over_target": 1}


def test_the_quality_dashboard_counts_the_open_corrective_actions_of_monitoring_reviews(client, peers):
    from peercert.integrity.models import CorrectiveActionStatus
    from peercert.integrity.tests.factories import CorrectiveActionItemFactory

    owner = user_with_role(Role.COUNTY_STAFF)
    for status in ("open", "returned", "draft"):
        CorrectiveActionItemFactory(owner=owner, status=CorrectiveActionStatus(status))
    client.force_login(user_with_role(Role.DHCS_ANALYST))
    response = client.get(reverse("oversight:quality_dashboard"))
    assert response.context["data"]["corrective_actions"] == 2  # issued and not yet accepted; a draft is not issued
    assert "2 corrective actions are open." in response.content.decode()
