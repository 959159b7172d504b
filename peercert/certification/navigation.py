from django.utils.translation import gettext_lazy as _

from peercert.accounts.permissions import has_role
from peercert.accounts.roles import Role
from peercert.core.nav import NavEntry

REVIEWERS = (Role.PROGRAM_REVIEWER, Role.PROGRAM_MANAGER)

ENTRIES = [
    NavEntry(_("My certification"), "certification:mine", lambda user: has_role(user, Role.PEER), order=10),
    NavEntry(_("Applications"), "certification:queue", lambda user: has_role(user, *REVIEWERS), order=20),
    NavEntry(_("Specialists"), "certification:records", lambda user: has_role(user, *REVIEWERS), order=21),
]
