"""Header navigation entries this app adds (each part its own)."""

from django.utils.translation import gettext_lazy as _

from peercert.core.nav import NavEntry
from peercert.integrity.permissions import can_see_reviews  # reviews

ENTRIES: list = [
    # --- utilization ---
    # --- overpayments ---
    # --- reviews ---
    NavEntry(_("Monitoring reviews"), "integrity:monitoring_list", can_see_reviews, order=88),
]
