"""Header navigation entries this app adds (each part its own)."""

from django.utils.translation import gettext_lazy as _  # noqa: F401

from peercert.core.nav import NavEntry  # noqa: F401
from peercert.integrity import permissions

ENTRIES: list = [
    # --- utilization ---
    # --- overpayments ---
    NavEntry(_("Overpayments"), "integrity:overpayments", permissions.can_read_overpayments, order=86),
    # --- reviews ---
]
