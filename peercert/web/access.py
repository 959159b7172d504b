from peercert.accounts.roles import Role
from peercert.core.access import PUBLIC

STAFF = set(Role.values) - {Role.PEER}


def _peers_notification(w):
    from peercert.core.models import Notification

    note, _created = Notification.objects.get_or_create(
        user=w["peer"], subject="Fee to pay: $100", defaults={"body": "Your application fee is due."}
    )
    return {"notification_id": note.pk}


ACCESS = {
    "web:home": {"allow": PUBLIC},
    "web:healthz": {"allow": PUBLIC},
    "web:readyz": {"allow": PUBLIC},
    "web:metrics": {"allow": {Role.SYSTEM_ADMINISTRATOR}},
    "web:audit": {"allow": {Role.AUDITOR, Role.SYSTEM_ADMINISTRATOR}},
    "web:rules": {"allow": STAFF},
    # One's own notification only: the matrix's is the peer's.
    "web:notification_dismiss": {"allow": {Role.PEER}, "kwargs": _peers_notification},
    "set_language": {"allow": PUBLIC},
    # The OpenAPI document and its interactive docs describe routes, never data.
    "api:openapi-json": {"allow": PUBLIC},
    "api:openapi-view": {"allow": PUBLIC},
    # The Django admin, every page of it: system administrators only.
    "admin:*": {"allow": {Role.SYSTEM_ADMINISTRATOR}},
    "admin:login": {"allow": PUBLIC},
    "admin:logout": {"allow": PUBLIC},
}
