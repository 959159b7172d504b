"""Header navigation entries this app adds."""

from django.utils.translation import gettext_lazy as _

from peercert.billing.permissions import can_read_billing
from peercert.core.nav import NavEntry

ENTRIES: list = [
    # --- claims ---
    NavEntry(_("Remittances"), "billing:remittances", can_read_billing, order=84),
    NavEntry(_("Denials"), "billing:denials", can_read_billing, order=85),
]
