"""Header navigation entries this app adds (each part its own)."""

from django.utils.translation import gettext_lazy as _

from peercert.core.nav import NavEntry
from peercert.oversight.permissions import can_use_reports

ENTRIES: list = [
    # --- plan ---
    # --- reports ---
    NavEntry(_("Reports"), "oversight:report_list", can_use_reports, order=86),
    # --- dashboards ---
]
