from django_tasks import task


@task()
def email_notifications(notification_ids: list[int]) -> int:
    """Email the notifications a sweep created: one task for the whole sweep, one message per person.

    Each send is skipped when already emailed, so running the task again sends nothing twice.
    """
    from peercert.core.tasks import send_notification_email

    for pk in notification_ids:
        send_notification_email.call(pk)
    return len(notification_ids)
