from django.conf import settings
from django.core.mail import send_mail
from django_tasks import task

from peercert.core import clock


@task()
def send_notification_email(notification_id: int) -> None:
    """Email one notification. Safe to run again: a sent notification is not sent twice."""
    from peercert.core.models import Notification

    notification = Notification.objects.select_related("user").filter(pk=notification_id, emailed_at__isnull=True).first()
    if notification is None:
        return
    body = notification.body
    if notification.url:
        body += f"\n\n{settings.SITE_URL.rstrip('/')}{notification.url}"
    send_mail(notification.subject, body, None, [notification.user.email])
    Notification.objects.filter(pk=notification.pk).update(emailed_at=clock.now())
