"""One check for every status change: is the move in the record's map of allowed transitions?

Each app keeps its map beside its TextChoices (INVOICE_TRANSITIONS = {state: {states it may
become}}); services call transition() instead of setting the field, so the refusal reads the
same everywhere and names the states as people read them ("paid"), never as stored ("paid",
"in_review").

    before = transition(invoice, InvoiceStatus.WAIVED, allowed=INVOICE_TRANSITIONS, noun=INVOICE)
    invoice.save(update_fields=["status", "updated_at"])

noun is the record's name in a sentence, a plain-English literal the app marks with
gettext_noop (or a lazy string), so each app's catalogue carries its own nouns.
"""

from collections.abc import Iterable, Mapping

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext

from peercert.core.errors import ApplicationError

Map = Mapping[str, Iterable[str]]


def state_label(obj: models.Model, value: str, field: str = "status") -> str:
    """A state as people read it, in the active language: the choice's label, else the code."""
    try:
        choices = dict(obj._meta.get_field(field).flatchoices)
    except AttributeError:  # not a model, or a field without choices
        choices = {}
    return str(choices.get(value, str(value).replace("_", " "))).lower()


def check_transition(obj, to: str, *, allowed: Map, noun, field: str = "status") -> None:
    """Refuse, with code "state" (HTTP 409), unless obj may move from its current state to `to`.

    A state missing from the map may go nowhere, so a new status added to the choices is
    refused until someone writes down where it may lead.
    """
    current = getattr(obj, field)
    if to in allowed.get(current, ()):
        return
    raise ApplicationError(
        "This %(noun)s is %(current)s, so it cannot become %(target)s.",
        code="state",
        params={
            "noun": str(noun) if isinstance(noun, Promise) else gettext(noun),
            "current": state_label(obj, current, field),
            "target": state_label(obj, to, field),
        },
    )


def transition(obj, to: str, *, allowed: Map, noun, field: str = "status") -> str:
    """Move obj to `to` if its map allows it, and return the state it was in. Does not save:
    the service saves with the other fields it changes, inside its transaction."""
    check_transition(obj, to, allowed=allowed, noun=noun, field=field)
    before = getattr(obj, field)
    setattr(obj, field, to)
    return before


# ---- For tests: every move from every source state ------------------------------------


def assert_map_covers(allowed: Map, choices: type[models.TextChoices]) -> None:
    """Every state of the choices has an entry in the map, and every target is a real state.

    A forgotten state would be silently final; a misspelt target could never be reached."""
    states = set(choices.values)
    missing = states - set(allowed)
    unknown = set(allowed) - states
    bad_targets = {
        (source, target) for source, targets in allowed.items() for target in targets if target not in states
    }
    assert not missing, f"{choices.__name__} states with no entry in the map: {sorted(missing)}"
    assert not unknown, f"map entries that are not {choices.__name__} states: {sorted(unknown)}"
    assert not bad_targets, f"moves to states {choices.__name__} does not have: {sorted(bad_targets)}"


def every_move(allowed: Map, choices: type[models.TextChoices]) -> list[tuple[str, str, bool]]:
    """(source, target, allowed?) for every ordered pair of states, staying put included,
    for pytest.mark.parametrize: each refused move is a test too."""
    return [
        (source, target, target in allowed.get(source, ())) for source in choices.values for target in choices.values
    ]
