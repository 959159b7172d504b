"""What the entity modules of training.services share: nouns, refusals, whom to tell."""

from django.utils.functional import lazy
from django.utils.translation import gettext_noop

from peercert.accounts.models import RoleAssignment
from peercert.accounts.roles import Role
from peercert.core.errors import ApplicationError

PROVIDER_FIELDS = ("status", "approved_from", "approved_until", "decision_comments", "rules_version")
VERSION_FIELDS = ("status", "hours", "summary")


def _deny(
    message: str = gettext_noop("You do not have permission to do this."), params: dict | None = None
) -> ApplicationError:
    return ApplicationError(message, code="forbidden", params=params)


# What a refused status change calls the record ("This enrollment is cancelled, so it cannot become enrolled.").
APPLICATION = gettext_noop("application")
VERSION = gettext_noop("curriculum version")
COURSE = gettext_noop("course")
ENROLLMENT = gettext_noop("enrollment")
REQUEST = gettext_noop("accommodation request")
ACTIVITY = gettext_noop("continuing education activity")


def _entity_users(training_entity_id: int):
    """The entity's active staff, each told in their own language."""
    return [
        a.user
        for a in RoleAssignment.objects.filter(
            role=Role.TRAINING_STAFF, training_entity_id=training_entity_id, user__is_active=True
        ).select_related("user__person")
    ]


# Notifications: subject and body are gettext_noop literals with %(name)s placeholders filled from
# params in the recipient's language. Pass records and lazy choice labels, not str() of them, so
# they are written in that language too.
AS_WRITTEN = gettext_noop("%(text)s")  # a body that is only what a person typed


def _label(obj, field: str = "status"):
    """The lazy label of a choice field's value: written in the language active when it is filled."""
    return dict(type(obj)._meta.get_field(field).flatchoices).get(getattr(obj, field), getattr(obj, field))


_lower = lazy(lambda text: str(text).lower(), str)
