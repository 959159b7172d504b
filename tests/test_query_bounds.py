"""Junk in the query string of every page gives a page or a 4xx, never a server error.

Filter forms and paginators read numbers, dates and choices from GET; an attacker (or a mangled
link) sends numbers past any database integer, negative pages, impossible dates and NUL bytes.
"""

import re
from urllib.parse import quote

import pytest
from django.urls import reverse

from peercert.accounts.roles import Role
from peercert.core.access import PUBLIC, SIGNED_IN
from peercert.web.tests.test_access_matrix import declared, django_routes, world  # noqa: F401 - world is a fixture

# Every name a view or filter form reads from GET today (grep request.GET), and the usual suspects.
PARAMS = [
    "page",
    "status",
    "q",
    "mine",
    "denial",
    "action",
    "saved",
    "role",
    "overdue",
    "number",
    "kind",
    "fee",
    "category",
    "county",
    "program",
    "entity",
    "offering",
    "year",
    "month",
    "date",
    "from",
    "to",
    "start",
    "end",
    "since",
    "until",
    "person",
    "application",
    "limit",
    "offset",
    "sort",
    "order",
    "next",
    "lang",
    "topic",
    "outcome",
    "pathway",
    "specialization",
    "form",
    "session",
    "cycle",
]
JUNK = {
    "huge": "9605417440677047345058052778452058112",
    "negative": "-9223372036854775809",
    "date": "9999-99-99",
    "text": "\x00'\"<script>%",
}


def _who(rule):
    """One role that may open the page: the public, any signed-in person, or the first role allowed."""
    if rule == PUBLIC:
        return None
    if rule == SIGNED_IN:
        return Role.PEER
    return next(role for role in Role.values if role in rule)


def _query(turn: int) -> str:
    """Each parameter gets a different kind of junk, rotated by turn, so a few requests try every pairing."""
    kinds = sorted(JUNK)
    return "&".join(f"{name}={quote(JUNK[kinds[(i + turn) % len(kinds)]])}" for i, name in enumerate(PARAMS))


@pytest.mark.django_db
@pytest.mark.parametrize("turn", [0, 1, 2, 3])
def test_junk_in_the_query_string_is_never_a_server_error(turn, world, client):  # noqa: F811 - fixture
    table = declared()
    failures = []
    world.setdefault("own_token_id", 0)
    query = _query(turn)
    for name, _pattern in django_routes():
        if name is None or name.startswith(("admin:", "api:")) or name not in table:
            continue
        spec = table[name]
        if re.search(r"logout|sign-out|set_language", name):
            continue
        kwargs_fn = spec.get("kwargs")
        url = reverse(name, kwargs=kwargs_fn(world) if kwargs_fn else None)
        role = _who(spec["allow"])
        client.logout()
        if role is not None:
            client.force_login(world["users"][role])
        response = client.get(f"{url}?{query}")
        if response.status_code >= 500:
            failures.append(f"{name} ({url}) as {role or 'anonymous'}: {response.status_code}")
    assert not failures, "\n".join(failures)


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "es"])
def test_a_nul_character_is_refused_once_with_a_plain_message(client, language):
    """PostgreSQL cannot hold NUL in text (SQLite can, so this passes unseen in development):
    one middleware refuses it in the query string and in form fields, before any view reads it."""
    client.cookies["django_language"] = language
    for response in (
        client.get("/registry/", {"name": "ana\x00"}),
        client.post("/sign-in/", {"username": "a\x00@example.org", "password": "x"}),
    ):
        assert response.status_code == 400
        text = response.content.decode()
        assert ("NUL" in text) and (
            ("invisible" in text) if language == "en" else ("invisible" in text and "Regrese" in text)
        )
