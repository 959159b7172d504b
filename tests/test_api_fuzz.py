"""Schemathesis fuzzes every API operation from the OpenAPI document: no input gives a 5xx.

This is how CI runs schemathesis: scripts/test runs pytest, and this module is part of it. Each
operation gets a bounded, reproducible set of generated requests (valid ones and invalid ones),
anonymous and with a staff member's personal token, all through the WSGI app in pytest-django's
test database. Two checks cover what a fuzzer rarely draws: every integer and text parameter
declares its bounds in the schema, and numbers past any database integer are refused, not 500.
"""

import re

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode

from config.wsgi import application
from peercert.accounts.roles import Role
from peercert.accounts.services import api_token_create
from peercert.accounts.tests.factories import user_with_role

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """The WSGI handler closes the database connection after each request; inside the test's transaction
    that would end the transaction (PostgreSQL). Django's own test Client unhooks the same signals."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


EXAMPLES = 10
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    print_blob=True,
    suppress_health_check=list(HealthCheck),
)


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
                        failures.append(
                            f"{who}: {case.method} {case.formatted_path} query={case.query} "
                            f"body={case.body!r} -> {response.status_code}"
                        )

            try:
                run()
            except Unsatisfiable:
                # No invalid request exists for an operation without parameters (GET /faq).
                assert mode is GenerationMode.NEGATIVE
    assert failures == []


def _parameters():
    """(path, method, parameter) for every query and path parameter of every operation in the OpenAPI document."""
    document = Client().get("/api/v1/openapi.json").json()
    for path, methods in document["paths"].items():
        for method, operation in methods.items():
            for parameter in operation.get("parameters", []):
                if parameter["in"] in ("query", "path"):
                    yield path, method, parameter


def _type_of(schema: dict) -> dict:
    """The schema of a parameter, unwrapping `X | None` (anyOf with null)."""
    options = [s for s in schema.get("anyOf", [schema]) if s.get("type") != "null"]
    return options[0] if options else schema


def test_every_integer_and_text_parameter_declares_its_bounds():
    unbounded = []
    for path, method, parameter in _parameters():
        schema = _type_of(parameter["schema"])
        if schema.get("type") == "integer" and ("minimum" not in schema or "maximum" not in schema):
            unbounded.append(f"{method} {path} {parameter['name']}: integer without minimum and maximum")
        if schema.get("type") == "string" and "maxLength" not in schema and "enum" not in schema:
            unbounded.append(f"{method} {path} {parameter['name']}: text without maxLength")
    assert unbounded == []


def test_numbers_past_any_database_integer_are_refused_not_500():
    """What a fuzzer rarely draws: 2**63 and a 37-digit number in every integer parameter."""
    staff = user_with_role(Role.PROGRAM_MANAGER)
    client = Client(raise_request_exception=False)
    client.force_login(staff)
    failures = []
    for path, method, parameter in _parameters():
        if _type_of(parameter["schema"]).get("type") != "integer" or method != "get":
            continue
        for huge in (str(2**63), "9605417440677047345058052778452058112", "-" + str(2**63)):
            url = path.replace("{" + parameter["name"] + "}", huge) if parameter["in"] == "path" else path
            url = re.sub(r"\{[^}]+\}", "1", url)
            query = {parameter["name"]: huge} if parameter["in"] == "query" else {}
            status = client.get(url, query).status_code
            if status >= 500:
                failures.append(f"GET {url} {query} -> {status}")
    assert failures == []
