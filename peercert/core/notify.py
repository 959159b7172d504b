from django.db import transaction

from peercert.core.models import Notification


def notify(*, user, subject: str, body: str, url: str = "") -> Notification:
    """Tell a person something: in their account now, by email once the transaction commits."""
    from peercert.core.tasks import send_notification_email

    notification = Notification.objects.create(user=user, subject=subject[:200], body=body, url=url)
    transaction.on_commit(lambda: send_notification_email.enqueue(notification.pk))
    return notification


def unread_for(user, limit: int = 10):
    return Notification.objects.filter(user=user, read_at__isnull=True)[:limit]
