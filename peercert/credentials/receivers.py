"""How credentials hears from certification: issue and renewal, status changes, and the certificate's link."""

import logging

from django.urls import reverse

from peercert.core.errors import ApplicationError
from peercert.credentials import keys, services

logger = logging.getLogger(__name__)


def issued(sender, certification, **kwargs) -> None:
    """A certification was issued or renewed (on commit): sign its credentials for the new cycle.

    Without a signing key nothing is issued now; the peer's download page says so, and issues
    lazily once a key is set.
    """
    if keys.keys().signing is None:
        return
    try:
        services.credentials_issue(actor=None, certification=certification)
    except ApplicationError as exc:
        logger.warning("Credentials of certification %s not issued: %s", certification.number, exc.message)
    except Exception:  # noqa: BLE001 - after commit: the issue stands; the peer's download issues lazily
        logger.exception("Credentials of certification %s not issued", certification.number)


def status_changed(sender, changes, **kwargs) -> None:
    """Statuses changed (one or a sweep, on commit): re-sign the status lists that cover them."""
    try:
        services.status_lists_for_changes(changes)
    except Exception:  # noqa: BLE001 - after commit: the change stands; the daily job re-signs every list
        logger.exception("Status lists not re-signed after a status change")


def credential_link(request, certification) -> str | None:
    """For the certificate PDF: where the holder downloads the credential (none without a key)."""
    if keys.keys().signing is None:
        return None
    return request.build_absolute_uri(reverse("credentials:credential_jwt", args=[certification.number, "pss"]))
