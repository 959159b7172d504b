from django.conf import settings
from django.db import transaction
from django.utils import translation

from peercert.core.models import Notification
from peercert.core.text import fill


def language_of(user) -> str:
    """The language a person asked to be written to in (their account's preferred language)."""
    person = getattr(user, "person", None) if user is not None else None
    language = getattr(person, "preferred_language", "") or settings.LANGUAGE_CODE
    return language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def local_times(params: dict | None) -> dict | None:
    """The params with each date and time written as the reader reads it: in Pacific time
    (America/Los_Angeles, the site's TIME_ZONE) and the active language's format ("December 1, 2026,
    6:30 p.m.", "1 de diciembre de 2026, 18:30"), never the UTC value the server keeps.
    Call it inside the reader's translation.override."""
    import datetime

    from django.utils import formats, timezone

    if not params:
        return params

    def written(moment):
        # The site's own date (config/formats: "December 1, 2026") and the language's time of day.
        local = timezone.localtime(moment)
        return f"{formats.date_format(local, 'DATE_FORMAT')}, {formats.time_format(local, 'TIME_FORMAT')}"

    return {
        k: written(v) if isinstance(v, datetime.datetime) and timezone.is_aware(v) else v for k, v in params.items()
    }


def notify(
    *, user, subject: str, body: str, url: str = "", params: dict | None = None, matter: str = ""
) -> Notification:
    """Tell a person something: in their account now, by email once the transaction commits.

    subject and body are plain-English catalogue keys, marked at the call with gettext_noop,
    with %(name)s placeholders filled from params: the message is written in the recipient's
    preferred language, whoever's request sends it (a reviewer's English, a nightly job).
    """
    from peercert.core.tasks import send_notification_email

    with translation.override(language_of(user)):
        params = local_times(params)
        subject, body = fill(subject, params), fill(body, params)
    notification = Notification.objects.create(user=user, subject=subject[:200], body=body, url=url, matter=matter)
    transaction.on_commit(lambda: send_notification_email.enqueue(notification.pk))
    return notification


def unread_for(user, limit: int = 10):
    return Notification.objects.filter(user=user, read_at__isnull=True)[:limit]


def showing_for(user, limit: int = 10):
    """The notifications a person still sees: neither dismissed nor cleared by a settled matter."""
    return Notification.objects.filter(user=user, dismissed_at__isnull=True, cleared_at__isnull=True)[:limit]
