"""Telling people things: one set of helpers for every app.

PeerCert had three behaviours: core.notify.notify (in the account now, by email on commit),
discipline's _tell_person (the same, or an email alone to a person with no sign-in) and
training's and renewal's _tell_person (nothing at all for a person with no sign-in). The
helpers here are discipline's rule for everyone, because a complainant or a past-record peer
without an account still has to hear about their case:

- tell_user: a user with an account: a Notification now, the email once the transaction commits.
- tell_users: the same for many users, in one insert (a batch of score reports).
- tell_person: a Person: tell_user when they can sign in, else tell_email to their address.
- tell_email: an address with no account (a training entity's office, a complainant).
- notifications_clear: when a matter is settled (an invoice paid, a case closed), every notification
  about it clears itself from the home page; a notification is about the matter named with
  matter=matter_of(record), or, naming none, about the page its link opens.
- notification_dismiss: a person puts away one of their own notifications.

Every email leaves only after the transaction commits (a rolled-back decision tells nobody),
and every message is written in the reader's language, whoever's request sends it: subject and
body are plain-English catalogue keys marked at the call with gettext_noop, with %(name)s
placeholders filled from params (pass lazy labels, not str() of them, so they are written in
the reader's language too).

    tell_person(invoice.payer, subject=gettext_noop("Fee waived: %(fee)s"),
                body=gettext_noop("The fee for %(fee)s was waived."), params={"fee": invoice.description},
                link=reverse("finance:invoice_detail", args=[invoice.pk]))
"""

import logging
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import translation

from peercert.core import site
from peercert.core.models import Notification
from peercert.core.notify import language_of, local_times, notify
from peercert.core.text import fill

logger = logging.getLogger(__name__)


def _language(code: str) -> str:
    return code if code in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def _absolute(link: str) -> str:
    return site.absolute(link)


def tell_user(
    user, *, subject: str, body: str, params: dict | None = None, link: str = "", matter: str = ""
) -> Notification:
    """In their account now, by email once the transaction commits, in their language."""
    return notify(user=user, subject=subject, body=body, url=link, params=params, matter=matter)


def matter_of(record) -> str:
    """The reference a notification carries for the record it is about: "finance.invoice:12"."""
    return f"{record._meta.label_lower}:{record.pk}"


def notifications_clear(*, matters: Iterable[str] = (), links: Iterable[str] = (), before=None) -> int:
    """The matter is settled: clear every notification still showing about it, in one UPDATE.
    `matters` are matter_of() references; `links` the pages of the matter, which name it for
    notifications that carry no reference. With `before` (the moment it was settled), only those
    written earlier clear: the message that tells of the settlement itself stays. Returns how many."""
    from django.db.models import Q

    from peercert.core import clock

    matters, links = [m for m in matters if m], [link for link in links if link]
    if not matters and not links:
        return 0
    about = Q(matter__in=matters) | Q(matter="", url__in=links)
    showing = Notification.objects.filter(about, cleared_at__isnull=True)
    if before is not None:
        showing = showing.filter(created_at__lt=before)
    return showing.update(cleared_at=clock.now())


def notification_dismiss(*, actor, notification_id: int) -> Notification:
    """Put away one of the actor's own notifications (recorded with its time). Another person's, or
    one that does not exist, is not found: nobody learns it is there."""
    from peercert.core import clock
    from peercert.core.errors import ApplicationError

    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update()
            .filter(pk=notification_id, user_id=getattr(actor, "pk", None))
            .first()
        )
        if notification is None:
            raise ApplicationError("That message is not in your account.", code="not_found")
        if notification.dismissed_at is None:
            notification.dismissed_at = clock.now()
            notification.save(update_fields=["dismissed_at", "updated_at"])
    return notification


def tell_users(
    users: Iterable, *, subject: str, body: str, params: dict | None = None, link: str = ""
) -> list[Notification]:
    """tell_user for many users at once: one insert, then one email each after commit.

    Each is written in that user's language; select_related("person") on the users saves a
    query per user."""
    from peercert.core.tasks import send_notification_email

    notes = []
    for user in users:
        with translation.override(language_of(user)):
            local = local_times(params)
            notes.append(Notification(user=user, subject=fill(subject, local)[:200], body=fill(body, local), url=link))
    notes = Notification.objects.bulk_create(notes)
    ids = [n.pk for n in notes]
    transaction.on_commit(lambda: [send_notification_email.enqueue(pk) for pk in ids])
    return notes


def tell_email(
    address: str, *, language: str, subject: str, body: str, params: dict | None = None, link: str = ""
) -> None:
    """Email someone who has no account, in `language` (the site's when it is not one we write)."""
    if not address:
        return
    with translation.override(_language(language)):
        params = local_times(params)
        subject, body = fill(subject, params), fill(body, params)
    if link:
        body += f"\n\n{_absolute(link)}"

    def send():
        # After commit the decision stands; a mail server's failure must not turn it into an
        # error page, so it is logged for the operators instead of raised.
        try:
            send_mail(subject, body, None, [address])
        except Exception:  # noqa: BLE001 - any transport failure is logged, none is raised
            logger.exception("Could not email %s about %r", address, subject)

    transaction.on_commit(send)


def tell_person(
    person, *, subject: str, body: str, params: dict | None = None, link: str = "", matter: str = ""
) -> Notification | None:
    """Tell a Person: in their account (and by email) if they can sign in, else by email alone
    to the address on their record. Returns the Notification when one was written."""
    if person.user_id:
        return tell_user(person.user, subject=subject, body=body, params=params, link=link, matter=matter)
    tell_email(person.email, language=person.preferred_language, subject=subject, body=body, params=params, link=link)
    return None
