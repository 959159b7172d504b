"""The benefit's background tasks: emailing the alerts' notifications and delivering webhook events."""

from django_tasks import task


@task()
def email_notifications(notification_ids: list[int]) -> int:
    """Email the notifications a raise of workforce alerts wrote: one task for the whole set.

    Each send is skipped when already emailed, so running the task again sends nothing twice."""
    from peercert.core.tasks import send_notification_email

    for pk in notification_ids:
        send_notification_email.call(pk)
    return len(notification_ids)


@task()
def deliver_webhooks() -> dict:
    """Send every due webhook delivery (services.webhook_deliveries_send_due); safe to run at any time."""
    from peercert.benefit.services import webhook_deliveries_send_due

    return webhook_deliveries_send_due()
