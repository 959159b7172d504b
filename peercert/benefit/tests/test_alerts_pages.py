"""The county's workforce alerts: the worklist, the alert page, acknowledging (allowed, refused, audited),
the home-page queue, and two counties side by side."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from peercert.accounts.roles import Role
from peercert.accounts.tests.factories import PersonFactory, user_with_role
from peercert.benefit import services
from peercert.benefit.audit import AuditAction
from peercert.benefit.models import ALERT_TRANSITIONS, AlertStatus, WorkforceAlert
from peercert.benefit.tests.factories import open_employment
from peercert.certification.services import certification_change_status
from peercert.certification.tests.factories import CertificationFactory
from peercert.core.errors import ApplicationError
from peercert.core.models import AuditEvent
from peercert.core.transitions import assert_map_covers

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(datetime.datetime(2026, 5, 4, 18, tzinfo=datetime.UTC), tick=False):
        yield


def _alert_for(county_name: str, captured, **person) -> WorkforceAlert:
    peer = PersonFactory(**person)
    certification = CertificationFactory(person=peer)
    open_employment(peer, county_name)
    with captured(execute=True):
        certification_change_status(
            actor=None, certification=certification, to_status="suspended", reason="S.", source="discipline"
        )
    return WorkforceAlert.objects.get(certification=certification)


def test_the_alert_map_covers_every_state():
    assert_map_covers(ALERT_TRANSITIONS, AlertStatus)


def test_county_staff_acknowledge_an_open_alert_with_a_note(django_capture_on_commit_callbacks):
    alert = _alert_for("Los Angeles", django_capture_on_commit_callbacks)
    staff = user_with_role(Role.COUNTY_STAFF)
    services.alert_acknowledge(actor=staff, alert=alert, note="Services paused; supervisor told.")
    alert.refresh_from_db()
    assert alert.status == AlertStatus.ACKNOWLEDGED and alert.acknowledged_by == staff
    event = AuditEvent.objects.get(action=AuditAction.ALERT_ACKNOWLEDGE.value, object_id=str(alert.pk))
    assert event.before == {"status": "open"} and event.after == {"status": "acknowledged"}
    assert event.reason == "Services paused; supervisor told."
    # Acknowledged is final: a second press is refused and writes nothing.
    with pytest.raises(ApplicationError) as refused:
        services.alert_acknowledge(actor=staff, alert=alert)
    assert refused.value.code == "state"
    assert AuditEvent.objects.filter(action=AuditAction.ALERT_ACKNOWLEDGE.value).count() == 1


def test_acknowledging_is_refused_to_billing_another_county_and_the_peer_themselves(
    django_capture_on_commit_callbacks,
):
    fresno_staff = user_with_role(Role.COUNTY_STAFF, county_name="Fresno")
    billing = user_with_role(Role.COUNTY_BILLING)
    own = user_with_role(Role.COUNTY_STAFF, with_person=True)
    alert = _alert_for("Los Angeles", django_capture_on_commit_callbacks)
    for actor in (fresno_staff, billing, None):
        with pytest.raises(ApplicationError) as refused:
            services.alert_acknowledge(actor=actor, alert=alert)
        assert refused.value.code == "forbidden"
    # A county staff member whose own certification changed does not acknowledge their own alert.
    own_alert = _alert_for("Los Angeles", django_capture_on_commit_callbacks)
    WorkforceAlert.objects.filter(pk=own_alert.pk).update(person=own.person)
    own_alert.refresh_from_db()
    with pytest.raises(ApplicationError) as refused:
        services.alert_acknowledge(actor=own, alert=own_alert)
    assert refused.value.code == "own_matter"
    assert not AuditEvent.objects.filter(action=AuditAction.ALERT_ACKNOWLEDGE.value).exists()
    with pytest.raises(ApplicationError):
        services.alert_acknowledge(actor=user_with_role(Role.COUNTY_STAFF), alert=alert, note="x" * 501)


def test_the_worklist_page_open_first_and_the_alert_page(client, django_capture_on_commit_callbacks):
    older = _alert_for("Los Angeles", django_capture_on_commit_callbacks, legal_last_name="Older")
    newer = _alert_for("Los Angeles", django_capture_on_commit_callbacks, legal_last_name="Newer")
    staff = user_with_role(Role.COUNTY_STAFF)
    services.alert_acknowledge(actor=staff, alert=newer)
    client.force_login(staff)
    page = client.get(reverse("benefit:alert_list")).content.decode()
    assert page.index("Older") < page.index("Newer")  # open before acknowledged
    assert "May 4, 2026" in page
    filtered = client.get(reverse("benefit:alert_list"), {"status": "acknowledged"}).content.decode()
    assert "Newer" in filtered and "Older" not in filtered
    by_number = client.get(reverse("benefit:alert_list"), {"q": older.certification.number}).content.decode()
    assert "Older" in by_number and "Newer" not in by_number
    detail = client.get(reverse("benefit:alert_detail", args=[older.pk])).content.decode()
    assert "Suspended" in detail and "Peer Support Specialist" in detail and "Acknowledge alert" in detail
    response = client.post(reverse("benefit:alert_acknowledge", args=[older.pk]), {"ack-note": "Told the clinic."})
    assert response.status_code == 302
    older.refresh_from_db()
    assert older.status == AlertStatus.ACKNOWLEDGED and older.acknowledgement_note == "Told the clinic."


def test_the_home_page_lists_open_alerts_for_staff_and_billing(client, django_capture_on_commit_callbacks):
    alert = _alert_for("Los Angeles", django_capture_on_commit_callbacks)
    for role in (Role.COUNTY_STAFF, Role.COUNTY_BILLING):
        client.force_login(user_with_role(role))
        home = client.get(reverse("web:home")).content.decode()
        assert "Workforce alerts" in home and alert.certification.number in home


def test_two_counties_side_by_side_see_only_their_own_alerts(client, django_capture_on_commit_callbacks):
    la_alert = _alert_for("Los Angeles", django_capture_on_commit_callbacks, legal_last_name="Angeleno")
    fresno_alert = _alert_for("Fresno", django_capture_on_commit_callbacks, legal_last_name="Fresnan")
    la = user_with_role(Role.COUNTY_STAFF)
    fresno = user_with_role(Role.COUNTY_STAFF, county_name="Fresno")
    client.force_login(la)
    page = client.get(reverse("benefit:alert_list")).content.decode()
    assert "Angeleno" in page and "Fresnan" not in page
    assert client.get(reverse("benefit:alert_detail", args=[fresno_alert.pk])).status_code == 404
    assert client.post(reverse("benefit:alert_acknowledge", args=[fresno_alert.pk])).status_code == 404
    client.force_login(fresno)
    assert client.get(reverse("benefit:alert_detail", args=[la_alert.pk])).status_code == 404
    assert client.get(reverse("benefit:alert_detail", args=[fresno_alert.pk])).status_code == 200
    fresno_alert.refresh_from_db()
    assert fresno_alert.status == AlertStatus.OPEN
    # DHCS reads every county's alerts.
    client.force_login(user_with_role(Role.DHCS_ANALYST))
    statewide = client.get(reverse("benefit:alert_list")).content.decode()
    assert "Angeleno" in statewide and "Fresnan" in statewide


def test_the_pages_in_spanish(client, django_capture_on_commit_callbacks):
    alert = _alert_for("Los Angeles", django_capture_on_commit_callbacks)
    client.force_login(user_with_role(Role.COUNTY_STAFF))
    client.cookies["django_language"] = "es"
    page = client.get(reverse("benefit:alert_detail", args=[alert.pk]), HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Alerta de personal" in page and "4 de mayo de 2026" in page
