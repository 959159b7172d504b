"""Schemathesis fuzzes every API operation from the OpenAPI document: no input gives a 5xx.

This is how CI runs schemathesis: scripts/test runs pytest, and this module is part of it. Each
operation gets a bounded, reproducible set of generated requests (valid ones and invalid ones),
anonymous and with a staff member's personal token, all through the WSGI app in pytest-django's
test database.
"""

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode

from config.wsgi import application
from peercert.accounts.roles import Role
from peercert.accounts.services import api_token_create
from peercert.accounts.tests.factories import user_with_role

pytestmark = pytest.mark.django_db

EXAMPLES = 15
FUZZ = settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None, print_blob=True,
                suppress_health_check=list(HealthCheck))


def _schema():
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)


def _fuzz(headers: dict) -> list[str]:
    """Run every operation in both generation modes; return a line per request that got a 5xx."""
    failures = []
    for result in _schema().get_all_operations():
        operation = result.ok()
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):

            @FUZZ
            @given(case=operation.as_strategy(generation_mode=mode))
            def run(case):
                response = case.call(headers=headers)
                if response.status_code >= 500:
                    failures.append(f"{case.method} {case.formatted_path} query={case.query} body={case.body!r} -> "
                                    f"{response.status_code}")

            try:
                run()
            except Unsatisfiable:
                # No invalid request exists for an operation without parameters (GET /faq).
                assert mode is GenerationMode.NEGATIVE
    return failures


def test_anonymous_requests_never_get_a_server_error():
    assert _fuzz({}) == []


def test_staff_requests_never_get_a_server_error():
    staff = user_with_role(Role.PROGRAM_MANAGER)
    _token, key = api_token_create(actor=staff, name="fuzz")
    assert _fuzz({"Authorization": f"Bearer {key}"}) == []
