"""Webhook deliveries: retried with backoff after a failing receiver, every attempt recorded, then delivered
or given up; sent again on request; the management command and the deferred retry."""

import datetime
import json

import pytest
import time_machine
from django.core.management import call_command
from django.test.utils import override_settings

from peercert.accounts.roles import Role
from peercert.accounts.tests.factories import PersonFactory, user_with_role
from peercert.benefit import services
from peercert.benefit.audit import AuditAction
from peercert.benefit.models import (
    DELIVERY_TRANSITIONS,
    DeliveryAttempt,
    DeliveryStatus,
    WebhookDelivery,
    WebhookStatus,
)
from peercert.benefit.services import BACKOFF, MAX_ATTEMPTS
from peercert.benefit.tests.factories import LocalReceiver, WebhookFactory, county, open_employment
from peercert.certification.services import certification_change_status
from peercert.certification.tests.factories import CertificationFactory
from peercert.core.errors import ApplicationError
from peercert.core.models import AuditEvent
from peercert.core.transitions import assert_map_covers

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("allow_http")]

START = datetime.datetime(2026, 4, 1, 16, 0, tzinfo=datetime.UTC)


@pytest.fixture
def allow_http():
    with override_settings(DEBUG=True):
        yield


def _raise_one(receiver_url: str, captured):
    peer = PersonFactory()
    certification = CertificationFactory(person=peer)
    open_employment(peer)
    hook = WebhookFactory(county=county("Los Angeles"), url=receiver_url)
    with captured(execute=True):
        certification_change_status(
            actor=None, certification=certification, to_status="revoked", reason="Revoked.", source="discipline"
        )
    return hook, WebhookDelivery.objects.get(webhook=hook)


def test_the_delivery_map_covers_every_state():
    assert_map_covers(DELIVERY_TRANSITIONS, DeliveryStatus)


def test_a_failing_receiver_is_retried_with_backoff_and_every_attempt_recorded(django_capture_on_commit_callbacks):
    with time_machine.travel(START, tick=False) as clock, LocalReceiver(statuses=(500, 503, 200)) as receiver:
        hook, delivery = _raise_one(receiver.url(), django_capture_on_commit_callbacks)
        delivery.refresh_from_db()
        hook.refresh_from_db()
        assert delivery.status == DeliveryStatus.PENDING and delivery.attempts == 1
        assert delivery.next_attempt_at == START + BACKOFF[0]
        assert hook.failing_since == START
        first_body = delivery.body

        # Not due yet: nothing is sent.
        assert services.webhook_deliveries_send_due() == {"delivered": 0, "retrying": 0, "failed": 0}
        clock.shift(BACKOFF[0])
        assert services.webhook_deliveries_send_due()["retrying"] == 1
        delivery.refresh_from_db()
        assert delivery.attempts == 2 and delivery.next_attempt_at == START + BACKOFF[0] + BACKOFF[1]

        clock.shift(BACKOFF[1])
        call_command("deliver_webhooks", "--once", stdout=__import__("io").StringIO())
        delivery.refresh_from_db()
        hook.refresh_from_db()
    assert delivery.status == DeliveryStatus.DELIVERED and delivery.attempts == 3
    assert hook.failing_since is None and hook.last_delivered_at is not None
    attempts = list(DeliveryAttempt.objects.filter(delivery=delivery).values_list("response_status", flat=True))
    assert attempts == [500, 503, 200]
    # Every retry sent (and signed) the very same bytes.
    assert len({r["body"] for r in receiver.requests}) == 1 and receiver.requests[0]["body"] == first_body.encode()
    assert json.loads(first_body)["event_id"] == str(delivery.event_id)
    assert AuditEvent.objects.filter(action=AuditAction.DELIVERY_DELIVER.value, object_id=str(delivery.pk)).count() == 1


def test_a_receiver_that_never_answers_well_is_given_up_after_the_last_retry(django_capture_on_commit_callbacks):
    with time_machine.travel(START, tick=False) as clock, LocalReceiver(statuses=(500,)) as receiver:
        hook, delivery = _raise_one(receiver.url(), django_capture_on_commit_callbacks)
        for wait in BACKOFF:
            clock.shift(wait)
            services.webhook_deliveries_send_due()
        delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.FAILED and delivery.attempts == MAX_ATTEMPTS == 7
    assert DeliveryAttempt.objects.filter(delivery=delivery).count() == 7
    assert len(receiver.requests) == 7
    event = AuditEvent.objects.get(action=AuditAction.DELIVERY_FAIL.value, object_id=str(delivery.pk))
    assert event.after["status"] == "failed"
    hook.refresh_from_db()
    assert hook.failing_since == START


def test_an_unreachable_receiver_is_an_attempt_with_its_error(django_capture_on_commit_callbacks):
    with time_machine.travel(START, tick=False):
        with LocalReceiver() as receiver:
            url = receiver.url()
        # The server is gone: the connection is refused.
        hook, delivery = _raise_one(url, django_capture_on_commit_callbacks)
    attempt = DeliveryAttempt.objects.get(delivery=delivery)
    assert attempt.response_status is None and "ConnectionError" in attempt.error


def test_a_redirect_is_not_followed_and_counts_as_a_failure(django_capture_on_commit_callbacks):
    with time_machine.travel(START, tick=False), LocalReceiver(statuses=(302,)) as receiver:
        hook, delivery = _raise_one(receiver.url(), django_capture_on_commit_callbacks)
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.PENDING and len(receiver.requests) == 1
    assert DeliveryAttempt.objects.get(delivery=delivery).response_status == 302


def test_county_staff_send_a_failed_delivery_again(django_capture_on_commit_callbacks):
    staff = user_with_role(Role.COUNTY_STAFF)
    fresno_staff = user_with_role(Role.COUNTY_STAFF, county_name="Fresno")
    with time_machine.travel(START, tick=False), LocalReceiver(statuses=(500, 200)) as receiver:
        hook, delivery = _raise_one(receiver.url(), django_capture_on_commit_callbacks)
        WebhookDelivery.objects.filter(pk=delivery.pk).update(status=DeliveryStatus.FAILED, attempts=MAX_ATTEMPTS)
        with pytest.raises(ApplicationError):
            services.webhook_delivery_resend(actor=fresno_staff, delivery=delivery)
        with django_capture_on_commit_callbacks(execute=True):
            services.webhook_delivery_resend(actor=staff, delivery=delivery)
        delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.DELIVERED and len(receiver.requests) == 2
    assert AuditEvent.objects.filter(action=AuditAction.DELIVERY_RETRY.value, object_id=str(delivery.pk)).exists()
    # Only a failed delivery is sent again.
    with pytest.raises(ApplicationError) as refused:
        services.webhook_delivery_resend(actor=staff, delivery=delivery)
    assert refused.value.code == "state"


def test_a_paused_webhook_is_not_sent_to_until_resumed(django_capture_on_commit_callbacks):
    staff = user_with_role(Role.COUNTY_STAFF)
    with time_machine.travel(START, tick=False) as clock, LocalReceiver(statuses=(500, 200)) as receiver:
        hook, delivery = _raise_one(receiver.url(), django_capture_on_commit_callbacks)
        services.webhook_pause(actor=staff, webhook=hook)
        clock.shift(BACKOFF[0])
        services.webhook_deliveries_send_due()
        assert len(receiver.requests) == 1
        with django_capture_on_commit_callbacks(execute=True):
            services.webhook_resume(actor=staff, webhook=hook)
        delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.DELIVERED and len(receiver.requests) == 2


def test_with_a_deferring_backend_the_retry_is_queued_for_its_time(django_capture_on_commit_callbacks, monkeypatch):
    from peercert.benefit import tasks

    queued = []

    class Deferring:
        supports_defer = True

    class FakeTask:
        def get_backend(self):
            return Deferring()

        def using(self, run_after=None):
            queued.append(run_after)
            return self

        def enqueue(self):
            return None

    with time_machine.travel(START, tick=False), LocalReceiver(statuses=(500,)) as receiver:
        hook, delivery = _raise_one(receiver.url(), django_capture_on_commit_callbacks)
        WebhookDelivery.objects.filter(pk=delivery.pk).update(next_attempt_at=START)
        monkeypatch.setattr(tasks, "deliver_webhooks", FakeTask())
        services.webhook_deliveries_send_due()
    assert queued == [START + BACKOFF[1]]


def test_removed_webhooks_keep_their_deliveries_and_get_no_new_ones(django_capture_on_commit_callbacks):
    staff = user_with_role(Role.COUNTY_STAFF)
    with time_machine.travel(START, tick=False), LocalReceiver() as receiver:
        hook, delivery = _raise_one(receiver.url(), django_capture_on_commit_callbacks)
        services.webhook_retire(actor=staff, webhook=hook)
        hook.refresh_from_db()
        assert hook.status == WebhookStatus.RETIRED
        peer = PersonFactory()
        certification = CertificationFactory(person=peer)
        open_employment(peer)
        with django_capture_on_commit_callbacks(execute=True):
            certification_change_status(
                actor=None, certification=certification, to_status="suspended", reason="S.", source="discipline"
            )
    assert WebhookDelivery.objects.filter(webhook=hook).count() == 1
