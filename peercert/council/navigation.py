"""Header navigation entries this app adds."""

from django.utils.translation import gettext_lazy as _

from peercert.core.nav import NavEntry
from peercert.council.permissions import can_read_council_records, is_seated_member


def _member_not_staff(user) -> bool:
    return is_seated_member(user) and not can_read_council_records(user)


ENTRIES: list = [
    NavEntry(_("Advisory council"), "council:staff", can_read_council_records, order=85),
    NavEntry(_("Council materials"), "council:members_area", _member_not_staff, order=85),
]
