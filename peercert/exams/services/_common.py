"""Helpers the exam services share: refusals, permission checks, locks, and what a refused
status change calls each record."""

from django.utils.translation import gettext_noop

from peercert.accounts.models import Person
from peercert.core.errors import ApplicationError
from peercert.core.types import Actor
from peercert.exams import permissions as perms


def _forbid(message: str, params: dict | None = None) -> ApplicationError:
    return ApplicationError(message, code="forbidden", params=params)


# What a refused status change calls each record ("This session is cancelled, so it cannot become ...").
ATTEMPT = gettext_noop("attempt")
FORM = gettext_noop("form")
ITEM = gettext_noop("item")
REGISTRATION = gettext_noop("registration")
REQUEST = gettext_noop("request")
SESSION = gettext_noop("session")


def _system_or(actor: Actor, rule, message: str, params: dict | None = None) -> None:
    if actor is not None and not rule(actor):
        raise _forbid(message, params)


def _lock(model, pk):
    return model.objects.select_for_update().get(pk=pk)


def _is_self(actor: Actor, person: Person) -> bool:
    return actor is not None and person.user_id is not None and person.user_id == actor.pk


def _check_can_act_for(actor: Actor, person: Person) -> None:
    if actor is None or _is_self(actor, person) or perms.can_manage_sessions(actor):
        return
    raise _forbid("You can only register yourself.")
