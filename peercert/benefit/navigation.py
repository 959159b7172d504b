"""Header navigation entries this app adds."""

from django.utils.translation import gettext_lazy as _

from peercert.benefit.permissions import can_read_benefit, is_county_user, readable_county_ids
from peercert.core.nav import NavEntry


def _statewide(user) -> bool:
    return can_read_benefit(user) and readable_county_ids(user) is None


ENTRIES: list = [
    # --- workforce ---
    NavEntry(_("Providers"), "benefit:provider_list", is_county_user, order=30),
    NavEntry(_("Employment"), "benefit:employment_list", is_county_user, order=31),
    NavEntry(_("Supervision"), "benefit:supervision", is_county_user, order=32),
    NavEntry(_("Workforce by county"), "benefit:workforce_by_county", _statewide, order=30),
    # --- alerts --- (Webhooks are reached from the alerts page, to keep the header short.)
    NavEntry(_("Alerts"), "benefit:alert_list", is_county_user, order=52),
    # --- rates ---
    NavEntry(_("Rates"), "benefit:rates", can_read_benefit, order=72),
    NavEntry(_("Federal authorities"), "benefit:authorities", can_read_benefit, order=74),
]
