"""Header navigation entries for training."""

from django.utils.translation import gettext_lazy as _

from peercert.accounts.permissions import has_role
from peercert.accounts.roles import Role
from peercert.core.nav import NavEntry
from peercert.training.permissions import READ_ALL_ROLES

ENTRIES: list = [
    NavEntry(
        _("Training"),
        "training:providers",
        lambda user: not has_role(user, *(set(Role.values) - {Role.PEER})),
        order=30,
    ),
    NavEntry(_("My training and CE"), "training:my_training", lambda user: has_role(user, Role.PEER), order=31),
    NavEntry(
        _("Courses"), "training:offerings", lambda user: has_role(user, Role.TRAINING_STAFF, *READ_ALL_ROLES), order=32
    ),
    NavEntry(
        _("Curricula"),
        "training:curricula",
        lambda user: has_role(user, Role.TRAINING_STAFF, Role.COUNTY_STAFF, *READ_ALL_ROLES),
        order=33,
    ),
    NavEntry(
        _("Training entities"),
        "training:applications",
        lambda user: has_role(user, Role.TRAINING_STAFF, *READ_ALL_ROLES),
        order=34,
    ),
]
