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

EXAMPLES = 10
FUZZ = settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None, print_blob=True,
                suppress_health_check=list(HealthCheck))


def _schema():
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)


def test_no_generated_request_gets_a_server_error():
    """Each generated request is sent twice: as generated (no or made-up credentials) and with a staff token.

    Generating the cases costs most of the time, so one set serves both callers.
    """
    staff = user_with_role(Role.PROGRAM_MANAGER)
    _token, key = api_token_create(actor=staff, name="fuzz")
    as_staff = {"Authorization": f"Bearer {key}"}
    failures = []
    for result in _schema().get_all_operations():
        operation = result.ok()
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):

            @FUZZ
            @given(case=operation.as_strategy(generation_mode=mode))
            def run(case):
                for who, headers in (("anonymous", None), ("staff", as_staff)):
                    response = case.call(headers=headers)
                    if response.status_code >= 500:
                        failures.append(f"{who}: {case.method} {case.formatted_path} query={case.query} "
                                        f"body={case.body!r} -> {response.status_code}")

            try:
                run()
            except Unsatisfiable:
                # No invalid request exists for an operation without parameters (GET /faq).
                assert mode is GenerationMode.NEGATIVE
    assert failures == []
