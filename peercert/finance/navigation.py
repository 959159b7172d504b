"""Header navigation entries this app adds."""

from django.utils.translation import gettext_lazy as _

from peercert.accounts.permissions import has_role
from peercert.accounts.roles import Role
from peercert.core.nav import NavEntry
from peercert.finance.permissions import is_finance_staff


def _is_peer(user) -> bool:
    return has_role(user, Role.PEER)


ENTRIES: list = [
    NavEntry(_("My fees"), "finance:my_fees", _is_peer, order=40),
    NavEntry(_("Fees and payments"), "finance:staff_invoices", is_finance_staff, order=60),
]
