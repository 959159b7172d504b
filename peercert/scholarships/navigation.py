"""Header navigation entries this app adds."""

from django.utils.translation import gettext_lazy as _

from peercert.core.nav import NavEntry
from peercert.scholarships.permissions import can_apply, can_read_ledgers

ENTRIES: list = [
    NavEntry(_("Scholarships"), "scholarships:my_scholarships", can_apply, order=42),
    NavEntry(_("Scholarship funds"), "scholarships:fund_list", can_read_ledgers, order=62),
]
