"""Every status map in the program covers every state of its choices.

Each app tests every move of its own maps against its services; this guard makes sure no map is
forgotten. It finds each `*_TRANSITIONS` map in peercert/<app>/models.py by introspection, tells
its choices from the members it is written with (`ItemStatus.DRAFT: {ItemStatus.IN_REVIEW}`), and
checks with core.transitions.assert_map_covers that no state is missing (it would be silently
final) and no target is misspelt. It also checks the other way: every `*Status` choices in a
models.py has a map, so a new workflow cannot skip writing one down.
"""

from importlib import import_module
from pathlib import Path

import pytest
from django.db import models

from peercert.core.transitions import assert_map_covers

ROOT = Path(__file__).resolve().parent.parent / "peercert"


def _models_modules():
    for path in sorted(ROOT.glob("*/models.py")):
        yield import_module(f"peercert.{path.parent.name}.models")
    # Apps whose models are a package, one module per part (integrity, oversight).
    for path in sorted(ROOT.glob("*/models/*.py")):
        if path.name != "__init__.py":
            yield import_module(f"peercert.{path.parent.parent.name}.models.{path.stem}")


def transition_maps() -> dict[str, dict]:
    """{"peercert.exams.models.ITEM_TRANSITIONS": the map} for every map defined in a models.py."""
    found = {}
    for module in _models_modules():
        for name, value in vars(module).items():
            if name.endswith("_TRANSITIONS") and isinstance(value, dict):
                found[f"{module.__name__}.{name}"] = value
    return found


def status_choices() -> dict[str, type[models.TextChoices]]:
    """Every TextChoices named *Status that a models.py defines (not ones it merely imports)."""
    found = {}
    for module in _models_modules():
        for name, value in vars(module).items():
            if (
                isinstance(value, type)
                and issubclass(value, models.TextChoices)
                and name.endswith("Status")
                and (value.__module__ == module.__name__ or value.__module__.startswith(module.__name__ + "."))
            ):
                found[f"{module.__name__}.{name}"] = value
    return found


def choices_of(allowed: dict) -> set[type]:
    """The choices classes a map is written in: the types of its keys and targets."""
    states = [*allowed, *(t for targets in allowed.values() for t in targets)]
    return {type(s) for s in states}


MAPS = transition_maps()


def test_the_maps_are_found():
    # A guard that finds nothing passes forever; the program has had maps in five apps since the start.
    assert len(MAPS) >= 20, sorted(MAPS)


def check_map(name: str, allowed: dict) -> None:
    kinds = choices_of(allowed)
    only = next(iter(kinds))
    assert len(kinds) == 1 and isinstance(only, type) and issubclass(only, models.TextChoices), (
        f"{name} must be written with the members of one TextChoices (ItemStatus.DRAFT, not 'draft'); found {kinds}"
    )
    assert_map_covers(allowed, only)


@pytest.mark.parametrize("name", sorted(MAPS))
def test_each_map_covers_every_state_of_its_choices(name):
    check_map(name, MAPS[name])


def test_every_status_choices_has_a_map():
    mapped = {choices for allowed in MAPS.values() for choices in choices_of(allowed)}
    unmapped = sorted(name for name, choices in status_choices().items() if choices not in mapped)
    assert not unmapped, f"Write a *_TRANSITIONS map beside each status choices (see core.transitions): {unmapped}"


# --- the guard itself -----------------------------------------------------------------------------


class LampStatus(models.TextChoices):
    OFF = "off", "Off"
    ON = "on", "On"
    BROKEN = "broken", "Broken"


def test_the_guard_passes_a_complete_map():
    check_map(
        "LAMP",
        {LampStatus.OFF: {LampStatus.ON}, LampStatus.ON: {LampStatus.OFF, LampStatus.BROKEN}, LampStatus.BROKEN: set()},
    )


def test_the_guard_finds_a_forgotten_state():
    forgetful = {LampStatus.OFF: {LampStatus.ON}, LampStatus.ON: {LampStatus.OFF, LampStatus.BROKEN}}
    with pytest.raises(AssertionError, match="broken"):
        check_map("LAMP", forgetful)


def test_the_guard_refuses_a_map_of_plain_strings():
    with pytest.raises(AssertionError, match="members of one TextChoices"):
        check_map("LAMP", {"off": {"on"}, "on": {"off"}})


def test_the_guard_refuses_a_map_mixing_two_choices():
    with pytest.raises(AssertionError, match="members of one TextChoices"):
        check_map("LAMP", {LampStatus.OFF: {models.TextChoices("Other", "ON").ON}})
