"""Fixtures shared by every app's tests."""

from importlib import import_module

import pytest
from django.utils import translation
from hypothesis import settings as hypothesis_settings

from peercert.accounts.roles import Role
from peercert.accounts.tests.factories import user_with_role

pytest_plugins = ["peercert.web.tests.browser"]

# Property tests check rules, not speed: on a busy 2-core machine a slow example is no failure,
# and the same examples every run keep CI reproducible.
hypothesis_settings.register_profile("peercert", deadline=None, derandomize=True)
hypothesis_settings.load_profile("peercert")


@pytest.fixture(autouse=True, scope="session")
def _flush_lifts_the_audit_guard():
    """Transactional and live-server tests end with Django's flush command, which empties every
    table; the database refuses that for audit events. Let the flush lift the guard for its own
    transaction only (peercert.core.audit_guard explains why DDL is the one way past)."""
    from django.core.management.commands import flush

    from peercert.core import audit_guard

    plain = flush.sql_flush

    def sql_flush(style, connection, *args, **kwargs):
        return audit_guard.flush_sql(connection, plain(style, connection, *args, **kwargs))

    flush.sql_flush = sql_flush
    yield
    flush.sql_flush = plain


@pytest.fixture(autouse=True)
def _english_at_the_start():
    """LocaleMiddleware leaves a request's language on in the thread: a test that browses in
    Spanish would otherwise hand Spanish to the next test in the same worker."""
    translation.activate("en")
    yield
    translation.deactivate()


@pytest.fixture
def role_users(db):
    """One user for every role, each with its scope (county roles in Los Angeles)."""
    return {role: user_with_role(role, email=f"{role}@test.peercert.example") for role in Role.values}


@pytest.fixture
def as_user(client):
    """Sign a test client in as a user: as_user(user) -> client."""

    def sign_in(user):
        client.force_login(user)
        return client

    return sign_in


@pytest.fixture(autouse=True)
def _reference_data_for_transactional_tests(request):
    """Transactional tests (live server, on_commit) empty every table when they end,
    including rows that data migrations load (counties, the statewide program, program
    rules). Put them back at the start of such tests so every test sees the same world."""
    marker = request.node.get_closest_marker("django_db")
    transactional = (
        (marker is not None and (marker.kwargs.get("transaction") or (marker.args and marker.args[0])))
        or "live_server" in request.fixturenames
        or "transactional_db" in request.fixturenames
    )
    if not transactional:
        return
    request.getfixturevalue("_django_db_helper")
    from django.apps import apps

    from peercert.accounts.migrations import _reference

    _reference.load_all(apps)
    # benefit's dated reference table of the codes a peer may bill (above accounts, so loaded here).
    import_module("peercert.benefit.migrations.0002_billing_codes").load(apps, None)


# --- Any hour of the day ------------------------------------------------------------------------
# `pytest --clock-at=2026-12-02T00:05:00-08:00` runs every test as if the machine's clock started at
# that instant (ticking), so a test that mixes the wall clock with a travelled one, or reads "today"
# from the machine instead of the program's clock, fails at the hour it would fail in real life.
# .ci/run runs the time-sensitive suites this way at 00:05 and 23:55 Pacific and on both DST change
# days (CLOCK_SENSITIVE_SUITES there); a test's own time_machine.travel still wins inside it.


def pytest_addoption(parser):
    parser.addoption("--clock-at", default="", help="Start the clock of every test at this ISO instant.")


@pytest.fixture(autouse=True)
def _clock_at(request):
    at = request.config.getoption("--clock-at")
    if not at:
        yield
        return
    import datetime

    import time_machine

    with time_machine.travel(datetime.datetime.fromisoformat(at), tick=True):
        yield
