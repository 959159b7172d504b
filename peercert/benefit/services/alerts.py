"""Services for the benefit's alerts: employers told at once when a peer's certification status changes.

workforce_alerts_raise turns a set of certification status changes into, for every county that
employs the peer (an open employment: recorded or hired), a workforce alert, its audit event, a
notification to each of that county's staff and billing users in their language, and a pending
delivery to each of the county's active webhooks: a constant number of SQL statements whatever the
number of changes (the daily expiry sweep hands over thousands at once, as a lazy queryset that is
only ever used as a subquery here).

Deliveries are sent by a background task (peercert.benefit.tasks.deliver_webhooks), signed with
HMAC-SHA256 over the exact body bytes, retried with backoff, every attempt recorded.
"""

import datetime
import hashlib
import hmac
import ipaddress
import json
import secrets
import socket
import time
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_noop

from peercert.accounts.models import Person, RoleAssignment
from peercert.accounts.roles import Role
from peercert.benefit.audit import AuditAction
from peercert.benefit.models import (
    ALERT_TRANSITIONS,
    DELIVERY_TRANSITIONS,
    OPEN_EMPLOYMENT_STATUSES,
    WEBHOOK_TRANSITIONS,
    AlertStatus,
    DeliveryAttempt,
    DeliveryStatus,
    Employment,
    Webhook,
    WebhookDelivery,
    WebhookStatus,
    WorkforceAlert,
)
from peercert.benefit.permissions import can_manage_county
from peercert.certification import selectors as certification_selectors
from peercert.certification.jobs import SqlDate, db_datetime, execute, messages_sql, sql, table
from peercert.core import clock
from peercert.core.audit import SYSTEM_LABEL, audit_record
from peercert.core.duties import ensure_not_own_matter
from peercert.core.errors import ApplicationError
from peercert.core.models import AuditEvent, Notification
from peercert.core.transitions import transition
from peercert.core.types import Actor

__all__ = [
    "BACKOFF",
    "EVENT_TYPE",
    "MAX_ATTEMPTS",
    "alert_acknowledge",
    "check_webhook_url",
    "sign_body",
    "webhook_create",
    "webhook_deliveries_send_due",
    "webhook_delivery_resend",
    "webhook_delivery_send",
    "webhook_pause",
    "webhook_resume",
    "webhook_retire",
    "webhook_rotate_secret",
    "workforce_alerts_catch_up",
    "workforce_alerts_raise",
]

ALERT = gettext_noop("workforce alert")
WEBHOOK = gettext_noop("webhook")
DELIVERY = gettext_noop("webhook delivery")

EVENT_TYPE = "certification.status_changed"
# Wait before each retry; after the last one the delivery is given up (failed).
BACKOFF = (
    datetime.timedelta(minutes=1),
    datetime.timedelta(minutes=5),
    datetime.timedelta(minutes=30),
    datetime.timedelta(hours=2),
    datetime.timedelta(hours=8),
    datetime.timedelta(hours=24),
)
MAX_ATTEMPTS = len(BACKOFF) + 1
# A delivery being sent is held this long, so a second worker does not send it at the same time.
LEASE = datetime.timedelta(minutes=2)
TIMEOUT_SECONDS = 5
CATCH_UP_DAYS = 7
COUNTY_USER_ROLES = (Role.COUNTY_STAFF, Role.COUNTY_BILLING)


# Certification's tables, for the joins (through its selectors: benefit does not import its models).
def _change_table() -> str:
    return certification_selectors.sql_tables()["status_change"]


def _certification_table() -> str:
    return certification_selectors.sql_tables()["certification"]


# ---- Raising alerts, set-based ------------------------------------------------------------------


def _subquery(changes) -> tuple[str, list]:
    query_sql, params = changes.order_by().values("pk").query.sql_with_params()
    return query_sql, list(params)


def _batch_stamp() -> datetime.datetime:
    """Now, or just after the latest alert ever raised: this call's alerts are the rows with this stamp.

    (With a frozen test clock two raises would otherwise share one stamp.)"""
    now = clock.now()
    latest = WorkforceAlert.objects.aggregate(latest=Max("created_at"))["latest"]
    if latest is not None and latest >= now:
        now = latest + datetime.timedelta(microseconds=1)
    return now


def _status_labels_sql() -> tuple[str, list]:
    """A derived table (code, label) of certification statuses, labelled in the active language."""
    labels = certification_selectors.status_labels()
    rows = " UNION ALL ".join(["SELECT CAST(%s AS TEXT) AS code, CAST(%s AS TEXT) AS label"] * len(labels))
    params = [p for value, label in labels.items() for p in (value, label.lower())]
    return f"({rows})", params


def _alert_link_parts() -> tuple[str, str]:
    head, tail = reverse("benefit:alert_detail", args=[987654321]).rsplit("987654321", 1)
    return head, tail


@transaction.atomic
def workforce_alerts_raise(*, changes) -> dict:
    """Alerts for every county employing the peers whose certifications these status history rows changed.

    changes: a queryset of certification status changes (used only as a subquery). Idempotent: a change
    already alerted for a county adds nothing. Writes, set-based: the alerts, one audit event each, a
    notification to each county staff and billing user of the county (their language; emailed after
    commit), and a pending delivery for each active webhook of the county; on commit the delivery task
    is queued once. Returns the counts.
    """
    change_sql, change_params = _subquery(changes)
    stamp_at = _batch_stamp()
    stamp = db_datetime(stamp_at)
    # One alert per (county, change), however many open employments the peer has in the county. The
    # DISTINCT is on the ids alone (PostgreSQL cannot type the NULL columns of a DISTINCT select list).
    raised = execute(
        f"INSERT INTO {table(WorkforceAlert)} (created_at, updated_at, county_id, status_change_id, certification_id, "
        f"person_id, from_status, to_status, effective_on, status, acknowledged_at, acknowledged_by_id, "
        f"acknowledgement_note) "
        f"SELECT %s, %s, t.county_id, sc.id, sc.certification_id, t.person_id, sc.from_status, sc.to_status, "
        f"sc.effective_on, %s, NULL, NULL, '' "
        f"FROM (SELECT DISTINCT e.county_id, c.person_id, sc.id AS change_id "
        f"  FROM {_change_table()} sc JOIN {_certification_table()} c ON c.id = sc.certification_id "
        f"  JOIN {table(Employment)} e ON e.person_id = c.person_id AND e.status IN (%s, %s) "
        f"  WHERE sc.id IN ({change_sql})) t "
        f"JOIN {_change_table()} sc ON sc.id = t.change_id "
        f"WHERE NOT EXISTS (SELECT 1 FROM {table(WorkforceAlert)} x "
        f"WHERE x.county_id = t.county_id AND x.status_change_id = t.change_id)",
        [stamp, stamp, AlertStatus.OPEN, *OPEN_EMPLOYMENT_STATUSES, *change_params],
    )
    if not raised:
        return {"alerts": 0, "notifications": 0, "deliveries": 0}
    mine = "a.created_at = %s"

    after = sql(
        "json",
        args="'county_id', a.county_id, 'status_change_id', a.status_change_id, 'from_status', a.from_status, "
        f"'to_status', a.to_status, 'effective_on', {sql('date_text', col='a.effective_on')}",
    )
    execute(
        f"INSERT INTO {table(AuditEvent)} (at, actor_id, actor_label, action, object_type, object_id, object_repr, "
        f"before, after, reason, request_id) "
        f"SELECT %s, NULL, %s, %s, %s, CAST(a.id AS VARCHAR(64)), c.number, NULL, {after}, %s, {sql('uuid')} "
        f"FROM {table(WorkforceAlert)} a JOIN {_certification_table()} c ON c.id = a.certification_id WHERE {mine}",
        [
            stamp,
            SYSTEM_LABEL,
            AuditAction.ALERTS_RAISE.value,
            WorkforceAlert._meta.label_lower,
            "Certification status changed",
            stamp,
        ],
    )

    notification_ids = _notify_county_users(stamp, mine)

    deliveries = execute(
        f"INSERT INTO {table(WebhookDelivery)} (created_at, updated_at, event_id, webhook_id, alert_id, status, "
        f"attempts, next_attempt_at, body, delivered_at) "
        f"SELECT %s, %s, {sql('uuid')}, w.id, a.id, %s, 0, %s, '', NULL "
        f"FROM {table(WorkforceAlert)} a JOIN {table(Webhook)} w ON w.county_id = a.county_id AND w.status = %s "
        f"WHERE {mine}",
        [stamp, stamp, DeliveryStatus.PENDING, stamp, WebhookStatus.ACTIVE, stamp],
    )
    _after_commit(notification_ids, deliveries)
    return {"alerts": raised, "notifications": len(notification_ids), "deliveries": deliveries}


def _notify_county_users(stamp, mine: str) -> list[int]:
    """One notification per county user per alert just raised, in each user's language (one INSERT each)."""
    user_table = table(get_user_model())
    people = table(Person)
    head, tail = _alert_link_parts()
    columns = {
        "name": "(peer.legal_first_name || ' ' || peer.legal_last_name)",
        "number": "c.number",
        "status": "lbl.label",
        "effective": SqlDate("a.effective_on"),
    }
    codes = [code for code, _name in settings.LANGUAGES]
    ids: list[int] = []
    for code, (where, where_params, subject_sql, subject_params, body_sql, body_params) in zip(
        codes,
        messages_sql(
            gettext_noop("Workforce alert: certification %(number)s is now %(status)s"),
            gettext_noop(
                "%(name)s, who works for a provider in your county, holds certification %(number)s, which is "
                "%(status)s from %(effective)s. Open the alert to see the employments it affects, then "
                "acknowledge it."
            ),
            columns,
        ),
        strict=True,
    ):
        with translation.override(code):
            labels_sql, labels_params = _status_labels_sql()
        ids += execute(
            f"INSERT INTO {table(Notification)} (created_at, updated_at, user_id, subject, body, url, read_at, "
            f"emailed_at) "
            f"SELECT %s, %s, u.id, SUBSTR({subject_sql}, 1, 200), {body_sql}, "
            f"(CAST(%s AS TEXT) || CAST(a.id AS TEXT) || CAST(%s AS TEXT)), NULL, NULL "
            f"FROM {table(WorkforceAlert)} a JOIN {_certification_table()} c ON c.id = a.certification_id "
            f"JOIN {people} peer ON peer.id = a.person_id "
            f"JOIN {labels_sql} lbl ON lbl.code = a.to_status "
            f"JOIN (SELECT DISTINCT r.user_id, r.county_id FROM {table(RoleAssignment)} r "
            f"WHERE r.role IN (%s, %s)) cu ON cu.county_id = a.county_id "
            f"JOIN {user_table} u ON u.id = cu.user_id AND u.is_active = %s "
            f"LEFT JOIN {people} p ON p.user_id = u.id "
            f"WHERE {mine} AND {where} RETURNING id",
            [
                stamp,
                stamp,
                *subject_params,
                *body_params,
                head,
                tail,
                *labels_params,
                *COUNTY_USER_ROLES,
                True,
                stamp,
                *where_params,
            ],
            returning=True,
        )
    return ids


def _after_commit(notification_ids: list[int], deliveries: int) -> None:
    from peercert.benefit import tasks

    if notification_ids:
        transaction.on_commit(lambda: tasks.email_notifications.enqueue(notification_ids))
    if deliveries:
        transaction.on_commit(lambda: tasks.deliver_webhooks.enqueue())


def workforce_alerts_catch_up(today: datetime.date) -> dict:
    """The daily job: alerts for the last week's status changes that none was raised for (a receiver that
    failed after the change committed). Idempotent."""
    since = clock.now() - datetime.timedelta(days=CATCH_UP_DAYS)
    return workforce_alerts_raise(changes=certification_selectors.status_changes_since(since))


# ---- Acknowledging an alert ---------------------------------------------------------------------


@transaction.atomic
def alert_acknowledge(*, actor: Actor, alert: WorkforceAlert, note: str = "") -> WorkforceAlert:
    """County staff of the alert's county acknowledge it (optionally with a note).

    Preconditions: the actor keeps the county's records; the alert is open; it is not about the
    actor themselves. Audited."""
    alert = WorkforceAlert.objects.select_for_update().get(pk=alert.pk)
    if actor is None or not can_manage_county(actor, alert.county_id):
        raise ApplicationError("Only county staff of the alert's county may acknowledge it.", code="forbidden")
    ensure_not_own_matter(actor, alert.person_id, what="record")
    note = (note or "").strip()
    if len(note) > 500:
        raise ApplicationError("Keep the note to 500 characters or fewer.", field="note")
    before = transition(alert, AlertStatus.ACKNOWLEDGED, allowed=ALERT_TRANSITIONS, noun=ALERT)
    alert.acknowledged_at = clock.now()
    alert.acknowledged_by = actor
    alert.acknowledgement_note = note
    alert.save(update_fields=["status", "acknowledged_at", "acknowledged_by", "acknowledgement_note", "updated_at"])
    audit_record(
        actor=actor,
        action=AuditAction.ALERT_ACKNOWLEDGE,
        obj=alert,
        before={"status": before},
        after={"status": alert.status},
        reason=note,
    )
    return alert


# ---- Webhooks -----------------------------------------------------------------------------------


def _resolve(host: str, port: int) -> list[str]:
    """The addresses a host name resolves to (a function of its own so tests need no network)."""
    return sorted({info[4][0] for info in socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)})


def _not_public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    return (
        ip.is_loopback
        or ip.is_private
        or ip.is_link_local
        or ip.is_multicast
        or ip.is_reserved
        or ip.is_unspecified
        or not ip.is_global
    )


def check_webhook_url(url: str) -> str:
    """The address, cleaned, if PeerCert may send events there; else ApplicationError saying what to fix.

    https only (http too when settings.DEBUG, for a local receiver). Outside DEBUG the host must be a
    name, not an IP address, and every address it resolves to must be public (no loopback, private or
    link-local network): PeerCert must not be made to post into its own network."""
    url = (url or "").strip()
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise ApplicationError(
            "Enter a complete web address, such as https://ehr.example.org/peercert.", field="url"
        ) from None
    allowed = ("https", "http") if settings.DEBUG else ("https",)
    if parts.scheme not in allowed:
        raise ApplicationError(
            "Use an https:// address: events carry people's names and are sent only over an encrypted connection.",
            field="url",
        )
    host = parts.hostname or ""
    if not host:
        raise ApplicationError("Enter a complete web address, such as https://ehr.example.org/peercert.", field="url")
    if parts.username or parts.password:
        raise ApplicationError(
            "Leave the user name and password out of the address; each event is signed instead.", field="url"
        )
    if settings.DEBUG:
        return url
    try:
        ipaddress.ip_address(host)
    except ValueError:
        pass
    else:
        raise ApplicationError(
            "Use the receiver's host name (such as ehr.example.org), not an IP address.", field="url"
        )
    try:
        addresses = _resolve(host, port or 443)
    except (OSError, UnicodeError):
        raise ApplicationError(
            "We could not find the host %(host)s. Check the address with your EHR team.",
            params={"host": host},
            field="url",
        ) from None
    if not addresses or any(_not_public(a) for a in addresses):
        raise ApplicationError(
            "The host %(host)s is on a private or local network, which PeerCert does not send to. "
            "Use the receiver's public https address.",
            params={"host": host},
            field="url",
        )
    return url


def _new_secret() -> str:
    return secrets.token_urlsafe(32)


def _ensure_manages(actor, county_id: int) -> None:
    if actor is None or not can_manage_county(actor, county_id):
        raise ApplicationError("Only county staff of this county may change its webhooks.", code="forbidden")


@transaction.atomic
def webhook_create(*, actor: Actor, county, url: str, description: str = "") -> tuple[Webhook, str]:
    """County staff register an address to receive their county's workforce events.

    Returns the webhook and its signing secret, which is shown to the person once. Audited (without
    the secret)."""
    _ensure_manages(actor, county.pk)
    url = check_webhook_url(url)
    description = (description or "").strip()
    if len(description) > 200:
        raise ApplicationError("Keep the description to 200 characters or fewer.", field="description")
    if Webhook.objects.filter(county=county, url=url).exclude(status=WebhookStatus.RETIRED).exists():
        raise ApplicationError(
            "This county already sends events to that address. Pause or remove that webhook first.",
            code="duplicate",
            field="url",
        )
    secret = _new_secret()
    webhook = Webhook.objects.create(county=county, url=url, description=description, secret=secret, created_by=actor)
    audit_record(
        actor=actor,
        action=AuditAction.WEBHOOK_CREATE,
        obj=webhook,
        after={"url": url, "county_id": county.pk, "status": webhook.status},
    )
    return webhook, secret


def _move_webhook(actor, webhook: Webhook, to: str, action) -> Webhook:
    webhook = Webhook.objects.select_for_update().get(pk=webhook.pk)
    _ensure_manages(actor, webhook.county_id)
    before = transition(webhook, to, allowed=WEBHOOK_TRANSITIONS, noun=WEBHOOK)
    webhook.save(update_fields=["status", "updated_at"])
    audit_record(actor=actor, action=action, obj=webhook, before={"status": before}, after={"status": to})
    return webhook


@transaction.atomic
def webhook_pause(*, actor: Actor, webhook: Webhook) -> Webhook:
    """Stop sending for now. Events raised meanwhile are not queued for a paused webhook."""
    return _move_webhook(actor, webhook, WebhookStatus.PAUSED, AuditAction.WEBHOOK_PAUSE)


@transaction.atomic
def webhook_resume(*, actor: Actor, webhook: Webhook) -> Webhook:
    """Send again; deliveries still pending are sent by the next run of the task."""
    webhook = _move_webhook(actor, webhook, WebhookStatus.ACTIVE, AuditAction.WEBHOOK_RESUME)
    _queue_delivery_run()
    return webhook


@transaction.atomic
def webhook_retire(*, actor: Actor, webhook: Webhook) -> Webhook:
    """Remove the webhook for good (kept, with its deliveries, for the record)."""
    return _move_webhook(actor, webhook, WebhookStatus.RETIRED, AuditAction.WEBHOOK_RETIRE)


@transaction.atomic
def webhook_rotate_secret(*, actor: Actor, webhook: Webhook) -> tuple[Webhook, str]:
    """A new signing secret (shown once); events from now on are signed with it. Audited without it."""
    webhook = Webhook.objects.select_for_update().get(pk=webhook.pk)
    _ensure_manages(actor, webhook.county_id)
    if webhook.status == WebhookStatus.RETIRED:
        raise ApplicationError("This webhook was removed; register a new one instead.", code="state")
    webhook.secret = _new_secret()
    webhook.save(update_fields=["secret", "updated_at"])
    audit_record(actor=actor, action=AuditAction.WEBHOOK_ROTATE_SECRET, obj=webhook)
    return webhook, webhook.secret


# ---- Delivering events --------------------------------------------------------------------------


def sign_body(secret: str, body: bytes) -> str:
    """The X-PeerCert-Signature header's value: sha256=<hex HMAC-SHA256 of the body with the secret>."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def _utc_iso(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.UTC).isoformat().replace("+00:00", "Z")


def _event_body(delivery: WebhookDelivery) -> str:
    alert = delivery.alert
    county = alert.county
    employments = (
        Employment.objects.filter(
            county_id=alert.county_id, person_id=alert.person_id, status__in=OPEN_EMPLOYMENT_STATUSES
        )
        .select_related("provider")
        .order_by("start_on", "pk")
    )
    event = {
        "event_id": str(delivery.event_id),
        "type": EVENT_TYPE,
        "occurred_at": _utc_iso(alert.status_change.created_at),
        "effective_on": alert.effective_on.isoformat(),
        "county": {"code": county.code, "name": county.name},
        "certification": {
            "number": alert.certification.number,
            "from_status": alert.from_status,
            "to_status": alert.to_status,
        },
        "person": {"name": alert.person.full_name},
        "employments": [
            {
                "id": e.pk,
                "provider": {"id": e.provider_id, "name": e.provider.name, "npi": e.provider.npi},
                "position_title": e.position_title,
                "status": e.status,
            }
            for e in employments
        ],
    }
    return json.dumps(event, ensure_ascii=False, separators=(",", ":"), sort_keys=True)


def _post(webhook_url: str, secret: str, body: str, event_id: str) -> tuple[int | None, str, int]:
    """POST the body; (status code or None, error text, milliseconds). Never raises."""
    import requests

    started = time.monotonic()
    data = body.encode()
    try:
        check_webhook_url(webhook_url)  # again at send time: a name may now resolve somewhere private
        response = requests.post(
            webhook_url,
            data=data,
            headers={
                "Content-Type": "application/json",
                "X-PeerCert-Event": EVENT_TYPE,
                "X-PeerCert-Delivery": event_id,
                "X-PeerCert-Signature": sign_body(secret, data),
            },
            timeout=TIMEOUT_SECONDS,
            allow_redirects=False,
            stream=True,  # the answer's body is never read: a receiver cannot make PeerCert download anything
        )
        code, error = response.status_code, ""
        response.close()
    except ApplicationError as exc:
        code, error = None, exc.message
    except requests.RequestException as exc:
        code, error = None, f"{type(exc).__name__}: {exc}"
    return code, error[:500], int((time.monotonic() - started) * 1000)


def _claim(delivery_id: int) -> WebhookDelivery | None:
    """Lock a due delivery, fix its body, and hold it for this worker (LEASE) while it is sent."""
    with transaction.atomic():
        now = clock.now()
        delivery = (
            WebhookDelivery.objects.select_for_update(of=("self",))
            .select_related("webhook", "alert__county", "alert__certification", "alert__person", "alert__status_change")
            .filter(
                pk=delivery_id,
                status=DeliveryStatus.PENDING,
                next_attempt_at__lte=now,
                webhook__status=WebhookStatus.ACTIVE,
            )
            .first()
        )
        if delivery is None:
            return None
        if not delivery.body:
            delivery.body = _event_body(delivery)
        delivery.next_attempt_at = now + LEASE
        delivery.save(update_fields=["body", "next_attempt_at", "updated_at"])
        return delivery


def webhook_delivery_send(*, delivery_id: int) -> str | None:
    """Send one due delivery once and record the attempt. Returns its status after, or None if it was not due.

    2xx: delivered (the webhook's last delivery noted, its failing flag cleared). Anything else: the
    attempt is recorded and the next one scheduled by BACKOFF; after MAX_ATTEMPTS the delivery is failed.
    The POST happens outside any transaction (a slow receiver holds no lock)."""
    claimed = _claim(delivery_id)
    if claimed is None:
        return None
    attempted_at = clock.now()
    code, error, duration = _post(claimed.webhook.url, claimed.webhook.secret, claimed.body, str(claimed.event_id))
    return _record(claimed.pk, attempted_at, code, error, duration)


@transaction.atomic
def _record(delivery_id: int, attempted_at, code: int | None, error: str, duration: int) -> str:
    delivery = WebhookDelivery.objects.select_for_update().get(pk=delivery_id)
    webhook = Webhook.objects.select_for_update().get(pk=delivery.webhook_id)
    now = clock.now()
    DeliveryAttempt.objects.create(
        delivery=delivery, attempted_at=attempted_at, response_status=code, error=error, duration_ms=duration
    )
    delivery.attempts += 1
    fields = ["attempts", "next_attempt_at", "updated_at"]
    if code is not None and 200 <= code < 300:
        before = transition(delivery, DeliveryStatus.DELIVERED, allowed=DELIVERY_TRANSITIONS, noun=DELIVERY)
        delivery.delivered_at = now
        fields += ["status", "delivered_at"]
        webhook.last_delivered_at = now
        webhook.failing_since = None
        webhook.save(update_fields=["last_delivered_at", "failing_since", "updated_at"])
        audit_record(
            actor=None,
            action=AuditAction.DELIVERY_DELIVER,
            obj=delivery,
            before={"status": before},
            after={"status": delivery.status, "attempts": delivery.attempts, "response_status": code},
        )
    else:
        if webhook.failing_since is None:
            webhook.failing_since = now
            webhook.save(update_fields=["failing_since", "updated_at"])
        if delivery.attempts >= MAX_ATTEMPTS:
            before = transition(delivery, DeliveryStatus.FAILED, allowed=DELIVERY_TRANSITIONS, noun=DELIVERY)
            fields.append("status")
            audit_record(
                actor=None,
                action=AuditAction.DELIVERY_FAIL,
                obj=delivery,
                before={"status": before},
                after={"status": delivery.status, "attempts": delivery.attempts},
                reason=error or f"HTTP {code}",
            )
        else:
            delivery.next_attempt_at = now + BACKOFF[delivery.attempts - 1]
    delivery.save(update_fields=fields)
    return delivery.status


def _due_ids(now, limit: int) -> list[int]:
    return list(
        WebhookDelivery.objects.filter(
            status=DeliveryStatus.PENDING, next_attempt_at__lte=now, webhook__status=WebhookStatus.ACTIVE
        )
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )


def webhook_deliveries_send_due(*, limit: int = 1000) -> dict:
    """Send every due pending delivery of an active webhook (at most limit per run). When the task backend
    can defer, the next run is queued for the earliest retry still waiting."""
    counts = {"delivered": 0, "retrying": 0, "failed": 0}
    due = _due_ids(clock.now(), limit)
    for pk in due:
        status = webhook_delivery_send(delivery_id=pk)
        if status == DeliveryStatus.DELIVERED:
            counts["delivered"] += 1
        elif status == DeliveryStatus.FAILED:
            counts["failed"] += 1
        elif status == DeliveryStatus.PENDING:
            counts["retrying"] += 1
    # Only a run that scheduled retries (or left due rows behind) queues the next one, so runs started by
    # new alerts do not each start another chain of deferred runs.
    if counts["retrying"] or len(due) == limit:
        _queue_delivery_run(later=True)
    return counts


def _queue_delivery_run(*, later: bool = False) -> None:
    """Queue the delivery task: now (on commit), or, when the backend can defer, at the next retry."""
    from peercert.benefit import tasks

    if not later:
        transaction.on_commit(lambda: tasks.deliver_webhooks.enqueue())
        return
    if not tasks.deliver_webhooks.get_backend().supports_defer:
        return
    following = (
        WebhookDelivery.objects.filter(status=DeliveryStatus.PENDING, webhook__status=WebhookStatus.ACTIVE)
        .order_by("next_attempt_at")
        .values_list("next_attempt_at", flat=True)
        .first()
    )
    if following is not None:
        tasks.deliver_webhooks.using(run_after=max(following, clock.now())).enqueue()


@transaction.atomic
def webhook_delivery_resend(*, actor: Actor, delivery: WebhookDelivery) -> WebhookDelivery:
    """County staff send a failed delivery again (the same event and body, a fresh round of retries).

    Preconditions: county staff of the webhook's county; the delivery failed; the webhook is not removed."""
    delivery = WebhookDelivery.objects.select_for_update().select_related("webhook").get(pk=delivery.pk)
    _ensure_manages(actor, delivery.webhook.county_id)
    if delivery.webhook.status == WebhookStatus.RETIRED:
        raise ApplicationError("This webhook was removed, so it cannot be sent events again.", code="state")
    before = transition(delivery, DeliveryStatus.PENDING, allowed=DELIVERY_TRANSITIONS, noun=DELIVERY)
    delivery.attempts = 0
    delivery.next_attempt_at = clock.now()
    delivery.save(update_fields=["status", "attempts", "next_attempt_at", "updated_at"])
    audit_record(
        actor=actor,
        action=AuditAction.DELIVERY_RETRY,
        obj=delivery,
        before={"status": before},
        after={"status": delivery.status},
    )
    _queue_delivery_run()
    return delivery
