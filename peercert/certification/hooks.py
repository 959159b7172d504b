"""Answers that apps above certification provide at start-up (certification may not import them).

credentials fills the credential link in its AppConfig.ready():

    from peercert.certification import hooks
    hooks.set_credential_link(lambda request, certification: "https://.../credentials/mine/PSS-000101")

The certificate PDF prints the link (and its QR code) when there is one.
"""

from collections.abc import Callable

_credential_link: Callable | None = None


def set_credential_link(fn: Callable | None) -> None:
    global _credential_link
    _credential_link = fn


def credential_link(request, certification) -> str | None:
    """Where the holder downloads the certification's signed credential, or None."""
    return _credential_link(request, certification) if _credential_link is not None else None
