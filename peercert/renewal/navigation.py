"""Header navigation entries this app adds."""

from django.utils.translation import gettext_lazy as _

from peercert.accounts.permissions import has_role
from peercert.accounts.roles import Role
from peercert.core.nav import NavEntry
from peercert.renewal.permissions import can_decide_name_change

REVIEWERS = (Role.PROGRAM_REVIEWER, Role.PROGRAM_MANAGER)

ENTRIES = [
    NavEntry(_("Renew"), "renewal:mine", lambda user: has_role(user, Role.PEER), order=11),
    NavEntry(_("Renewals"), "renewal:queue", lambda user: has_role(user, *REVIEWERS), order=22),
    NavEntry(_("Name changes"), "renewal:name_changes", can_decide_name_change, order=23),
]
