from django.utils.translation import gettext_lazy as _

from peercert.accounts.permissions import has_role
from peercert.accounts.roles import Role
from peercert.core.nav import NavEntry

ENTRIES = [NavEntry(_("Digital credentials"), "credentials:mine", lambda user: has_role(user, Role.PEER), order=75)]
