"""Lookups that apps above training provide at start-up (training may not import them).

certification wires the certification-number lookup in its AppConfig.ready():

    from peercert.training import hooks
    hooks.set_certification_lookup(
        lambda numbers: dict(Certification.objects.filter(number__in=numbers).values_list("number", "person_id")))

It takes a set of numbers and answers {number: person_id} in one query, so a roster of
thousands of rows still costs one lookup.
"""

from collections.abc import Callable, Iterable

_certification_lookup: Callable[[set[str]], dict[str, int]] | None = None


def set_certification_lookup(fn: Callable[[set[str]], dict[str, int]] | None) -> None:
    global _certification_lookup
    _certification_lookup = fn


def certification_lookup_available() -> bool:
    return _certification_lookup is not None


def person_ids_for_certification_numbers(numbers: Iterable[str]) -> dict[str, int]:
    wanted = {n for n in numbers if n}
    if not wanted or _certification_lookup is None:
        return {}
    return dict(_certification_lookup(wanted))


# Certification cycles for the CE ledger: certification knows when each person's cycles run
# (issued_on to expires_on, then each renewal). It registers fn(person) -> [(start, end), ...],
# newest first; without it the ledger shows the last two periods of the certification term.
_cycle_provider: Callable | None = None


def set_cycle_provider(fn: Callable | None) -> None:
    global _cycle_provider
    _cycle_provider = fn


def certification_cycles(person) -> list | None:
    if _cycle_provider is None:
        return None
    return list(_cycle_provider(person)) or None
