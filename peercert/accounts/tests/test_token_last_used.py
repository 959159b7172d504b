"""A token's last-used time is written at most once a minute (issue 11, finding 8).

Every token request used to UPDATE the token row; four clients reading by token kept
SQLite's write lock busy and registrations failed with "database is locked".
"""

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from peercert.accounts import services
from peercert.accounts.roles import Role
from peercert.accounts.tests.factories import user_with_role

pytestmark = pytest.mark.django_db
START = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)


def _token_writes(queries) -> int:
    return sum(1 for q in queries if q["sql"].lstrip().upper().startswith("UPDATE") and "accounts_apitoken" in q["sql"])


def test_five_requests_in_a_minute_write_once_and_a_later_one_writes_again(client):
    peer = user_with_role(Role.PEER)
    token, key = services.api_token_create(actor=peer, name="script")
    auth = {"Authorization": f"Bearer {key}"}
    with time_machine.travel(START, tick=False) as traveller:
        with CaptureQueriesContext(connection) as first_minute:
            for _ in range(5):
                assert client.get("/api/v1/me", headers=auth).status_code == 200
                traveller.shift(datetime.timedelta(seconds=10))
        assert _token_writes(first_minute.captured_queries) == 1
        token.refresh_from_db()
        assert token.last_used_at == START

        traveller.move_to(START + datetime.timedelta(seconds=61))
        with CaptureQueriesContext(connection) as later:
            assert client.get("/api/v1/me", headers=auth).status_code == 200
        assert _token_writes(later.captured_queries) == 1
        token.refresh_from_db()
        assert token.last_used_at == START + datetime.timedelta(seconds=61)
