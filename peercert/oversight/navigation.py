"""Header navigation entries this app adds (each part its own)."""

from django.utils.translation import gettext_lazy as _

from peercert.core.nav import NavEntry
from peercert.oversight import permissions

ENTRIES: list = [
    # --- plan ---
    NavEntry(_("Implementation plan"), "oversight:plan", permissions.can_read_plan_versions, order=85),
    # --- reports ---
    NavEntry(_("Reports"), "oversight:report_list", permissions.can_use_reports, order=86),
    # --- dashboards ---
    # The open-data dashboard is for everyone, signed in or not.
    NavEntry(_("Open data"), "oversight:public_dashboard", lambda user: True, order=71),
    NavEntry(
        _("Counties side by side"), "oversight:statewide_dashboard", permissions.can_see_statewide_dashboard, order=86
    ),
    NavEntry(_("Program quality"), "oversight:quality_dashboard", permissions.can_see_quality_dashboard, order=87),
    NavEntry(_("County dashboard"), "oversight:county_dashboard", permissions.can_see_county_dashboard, order=88),
]
