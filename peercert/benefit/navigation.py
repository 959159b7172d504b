"""Header navigation entries this app adds."""

from django.utils.translation import gettext_lazy as _

from peercert.benefit.permissions import can_read_benefit
from peercert.core.nav import NavEntry

ENTRIES: list = [
    # --- rates ---
    NavEntry(_("Rates"), "benefit:rates", can_read_benefit, order=72),
    NavEntry(_("Federal authorities"), "benefit:authorities", can_read_benefit, order=74),
]
