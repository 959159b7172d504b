from django.core.mail import send_mail
from django_tasks import task

from peercert.core import clock, site


@task()
def send_notification_email(notification_id: int) -> None:
    """Email one notification. Safe to run again: a sent notification is not sent twice."""
    from peercert.core.models import Notification

    notification = (
        Notification.objects.select_related("user").filter(pk=notification_id, emailed_at__isnull=True).first()
    )
    if notification is None:
        return
    body = notification.body
    if notification.url:
        body += f"\n\n{site.absolute(notification.url)}"
    send_mail(notification.subject, body, None, [notification.user.email])
    Notification.objects.filter(pk=notification.pk).update(emailed_at=clock.now())


@task()
def run_daily_jobs_task(today: str | None = None) -> dict:
    """The daily jobs as a background task (for a scheduler that enqueues tasks instead of cron)."""
    import datetime

    from peercert.core.jobs import run_daily_jobs

    day = datetime.date.fromisoformat(today) if today else None
    runs = run_daily_jobs(today=day, triggered_by="task")
    return {run.job: run.outcome for run in runs}
