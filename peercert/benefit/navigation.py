"""Header navigation entries this app adds."""

from django.utils.translation import gettext_lazy as _

from peercert.benefit.permissions import is_county_user
from peercert.core.nav import NavEntry

ENTRIES: list = [
    # --- alerts --- (Webhooks are reached from the alerts page, to keep the header short.)
    NavEntry(_("Alerts"), "benefit:alert_list", is_county_user, order=52),
]
