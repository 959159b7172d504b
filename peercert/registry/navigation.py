from django.utils.translation import gettext_lazy as _

from peercert.core.nav import NavEntry

ENTRIES = [NavEntry(_("Registry"), "registry:search", lambda user: True, order=70)]
