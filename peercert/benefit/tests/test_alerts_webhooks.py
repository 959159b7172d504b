"""Webhooks: registered over https only (SSRF refused), the secret shown once, paused, resumed, removed,
secret replaced; every move allowed and refused with its audit event; county staff see only their own."""

import datetime
import hashlib
import hmac
import zoneinfo

import pytest
import time_machine
from django.test.utils import override_settings
from django.urls import reverse

from peercert.accounts.roles import Role
from peercert.accounts.tests.factories import user_with_role
from peercert.benefit import services
from peercert.benefit.audit import AuditAction
from peercert.benefit.models import WEBHOOK_TRANSITIONS, Webhook, WebhookStatus
from peercert.benefit.services import alerts as alert_services
from peercert.benefit.tests.factories import WebhookFactory, county
from peercert.core.errors import ApplicationError
from peercert.core.models import AuditEvent
from peercert.core.transitions import assert_map_covers, every_move

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _five_past_midnight_pacific():
    """Frozen at 00:05 Pacific, when the UTC date is already the next day: the pages' dates must still agree."""
    with time_machine.travel(
        datetime.datetime(2026, 11, 17, 0, 5, tzinfo=zoneinfo.ZoneInfo("America/Los_Angeles")), tick=True
    ):
        yield


@pytest.fixture
def public_dns(monkeypatch):
    """Host names resolve to a public address (no network in tests); some names to private ones."""
    table = {
        "ehr.example.org": ["93.184.216.34"],
        "intranet.example.org": ["10.0.0.8"],
        "sneaky.example.org": ["93.184.216.34", "127.0.0.1"],
        "metadata.example.org": ["169.254.169.254"],
        "v6.example.org": ["::1"],
    }

    def resolve(host, port):
        if host not in table:
            raise OSError("Name or service not known")
        return table[host]

    monkeypatch.setattr(alert_services, "_resolve", resolve)


@pytest.fixture
def staff():
    return user_with_role(Role.COUNTY_STAFF)


def test_the_webhook_map_covers_every_state():
    assert_map_covers(WEBHOOK_TRANSITIONS, WebhookStatus)


def test_county_staff_register_an_https_webhook_and_get_its_secret_once(public_dns, staff):
    webhook, secret = services.webhook_create(
        actor=staff, county=county("Los Angeles"), url="https://ehr.example.org/peercert", description="SmartCare"
    )
    assert len(secret) >= 40 and webhook.secret == secret
    event = AuditEvent.objects.get(action=AuditAction.WEBHOOK_CREATE.value, object_id=str(webhook.pk))
    assert secret not in str(event.after) and event.actor == staff


@pytest.mark.parametrize(
    ("url", "says"),
    [
        ("http://ehr.example.org/peercert", "https://"),
        ("ftp://ehr.example.org/", "https://"),
        ("https://93.184.216.34/hook", "not an IP address"),
        ("https://[::1]/hook", "not an IP address"),
        ("https://127.0.0.1/hook", "not an IP address"),
        ("https://intranet.example.org/hook", "private or local network"),
        ("https://sneaky.example.org/hook", "private or local network"),
        ("https://metadata.example.org/latest", "private or local network"),
        ("https://v6.example.org/", "private or local network"),
        ("https://nowhere.example.org/", "could not find the host"),
        ("https://user:pw@ehr.example.org/", "user name and password"),
        ("https:///nohost", "complete web address"),
    ],
)
def test_unsafe_addresses_are_refused_with_a_message_that_says_what_to_do(public_dns, staff, url, says):
    with pytest.raises(ApplicationError) as refused:
        services.webhook_create(actor=staff, county=county("Los Angeles"), url=url)
    assert says in refused.value.message and refused.value.field == "url"
    assert not Webhook.objects.exists()


@override_settings(DEBUG=True)
def test_in_debug_a_local_http_receiver_is_allowed(staff):
    webhook, _secret = services.webhook_create(
        actor=staff, county=county("Los Angeles"), url="http://127.0.0.1:8025/19"
    )
    assert webhook.url == "http://127.0.0.1:8025/19"


def test_only_county_staff_of_that_county_register_its_webhooks(public_dns):
    fresno = user_with_role(Role.COUNTY_STAFF, county_name="Fresno")
    billing = user_with_role(Role.COUNTY_BILLING)
    for actor in (fresno, billing, None):
        with pytest.raises(ApplicationError) as refused:
            services.webhook_create(actor=actor, county=county("Los Angeles"), url="https://ehr.example.org/x")
        assert refused.value.code == "forbidden"


def test_the_same_address_twice_is_refused(public_dns, staff):
    services.webhook_create(actor=staff, county=county("Los Angeles"), url="https://ehr.example.org/x")
    with pytest.raises(ApplicationError) as refused:
        services.webhook_create(actor=staff, county=county("Los Angeles"), url="https://ehr.example.org/x")
    assert refused.value.code == "duplicate"


MOVES = {
    WebhookStatus.PAUSED: (services.webhook_pause, AuditAction.WEBHOOK_PAUSE),
    WebhookStatus.ACTIVE: (services.webhook_resume, AuditAction.WEBHOOK_RESUME),
    WebhookStatus.RETIRED: (services.webhook_retire, AuditAction.WEBHOOK_RETIRE),
}


@pytest.mark.parametrize(
    ("source", "target", "allowed"),
    [m for m in every_move(WEBHOOK_TRANSITIONS, WebhookStatus) if m[0] != m[1]],
)
def test_every_webhook_move(staff, source, target, allowed):
    webhook = WebhookFactory(status=source)
    service, action = MOVES[target]
    if allowed:
        service(actor=staff, webhook=webhook)
        webhook.refresh_from_db()
        assert webhook.status == target
        event = AuditEvent.objects.get(action=action.value, object_id=str(webhook.pk))
        assert event.before == {"status": source} and event.after == {"status": target}
    else:
        with pytest.raises(ApplicationError) as refused:
            service(actor=staff, webhook=webhook)
        assert refused.value.code == "state"
        webhook.refresh_from_db()
        assert webhook.status == source
        assert not AuditEvent.objects.filter(action=action.value).exists()


def test_replacing_the_secret_signs_with_the_new_one_only(staff):
    webhook = WebhookFactory()
    old = webhook.secret
    rotated, secret = services.webhook_rotate_secret(actor=staff, webhook=webhook)
    assert secret != old and rotated.secret == secret
    body = b'{"x":1}'
    assert services.sign_body(secret, body) == "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    assert AuditEvent.objects.filter(action=AuditAction.WEBHOOK_ROTATE_SECRET.value).count() == 1
    services.webhook_retire(actor=staff, webhook=rotated)
    with pytest.raises(ApplicationError):
        services.webhook_rotate_secret(actor=staff, webhook=rotated)


def test_another_countys_staff_cannot_change_a_webhook():
    webhook = WebhookFactory()
    fresno = user_with_role(Role.COUNTY_STAFF, county_name="Fresno")
    with pytest.raises(ApplicationError):
        services.webhook_pause(actor=fresno, webhook=webhook)


# ---- Pages --------------------------------------------------------------------------------------


def test_register_through_the_page_shows_the_secret_once(public_dns, staff, client):
    client.force_login(staff)
    response = client.post(
        reverse("benefit:webhook_create"), {"url": "https://ehr.example.org/peercert", "description": "myAvatar"}
    )
    webhook = Webhook.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("benefit:webhook_detail", args=[webhook.pk])
    first = client.get(response["Location"])
    assert webhook.secret in first.content.decode()
    again = client.get(response["Location"])
    assert webhook.secret not in again.content.decode()


def test_an_http_address_is_refused_on_the_page(staff, client):
    client.force_login(staff)
    response = client.post(reverse("benefit:webhook_create"), {"url": "http://ehr.example.org/peercert"})
    assert response.status_code == 400
    assert "https://" in response.content.decode()
    assert not Webhook.objects.exists()


def test_two_counties_side_by_side_see_only_their_own_webhooks(client):
    la_hook = WebhookFactory(url="https://la.example.org/hook")
    fresno_hook = WebhookFactory(county=county("Fresno"), url="https://fresno.example.org/hook")
    la = user_with_role(Role.COUNTY_STAFF)
    fresno = user_with_role(Role.COUNTY_STAFF, county_name="Fresno")
    client.force_login(la)
    page = client.get(reverse("benefit:webhook_list")).content.decode()
    assert la_hook.url in page and fresno_hook.url not in page
    assert client.get(reverse("benefit:webhook_detail", args=[fresno_hook.pk])).status_code == 404
    assert client.post(reverse("benefit:webhook_pause", args=[fresno_hook.pk])).status_code == 404
    client.force_login(fresno)
    assert client.get(reverse("benefit:webhook_detail", args=[la_hook.pk])).status_code == 404
    assert client.get(reverse("benefit:webhook_detail", args=[fresno_hook.pk])).status_code == 200
    fresno_hook.refresh_from_db()
    assert fresno_hook.status == WebhookStatus.ACTIVE


def test_a_failing_webhook_is_flagged_on_the_list_and_the_home_page(staff, client):
    from peercert.core import clock

    WebhookFactory(url="https://down.example.org/hook", failing_since=clock.now())
    client.force_login(staff)
    assert "Failing" in client.get(reverse("benefit:webhook_list")).content.decode()
    home = client.get(reverse("web:home")).content.decode()
    assert "Failing webhooks" in home and "down.example.org" in home


def test_pause_resume_and_remove_through_the_buttons(staff, client):
    webhook = WebhookFactory()
    client.force_login(staff)
    detail = reverse("benefit:webhook_detail", args=[webhook.pk])
    assert client.post(reverse("benefit:webhook_pause", args=[webhook.pk]))["Location"] == detail
    webhook.refresh_from_db()
    assert webhook.status == WebhookStatus.PAUSED
    client.post(reverse("benefit:webhook_resume", args=[webhook.pk]))
    client.post(reverse("benefit:webhook_retire", args=[webhook.pk]))
    webhook.refresh_from_db()
    assert webhook.status == WebhookStatus.RETIRED
    # A button pressed again is refused with the reason, not a server error.
    response = client.post(reverse("benefit:webhook_pause", args=[webhook.pk]), follow=True)
    assert response.status_code == 200
    assert client.get(reverse("benefit:webhook_pause", args=[webhook.pk])).status_code == 405
