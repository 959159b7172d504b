"""Start-up wiring, one function per part: signal receivers, billing hooks, worklists, daily jobs.

Each part fills in its own connect_<part>() (in its own module) and this calls them all once."""

from importlib import import_module

PARTS = ["utilization", "overpayments", "reviews"]


def connect_all() -> None:
    for part in PARTS:
        module = import_module("peercert.integrity.wiring_" + part)
        module.connect()
