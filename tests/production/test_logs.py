"""Logs: JSON lines, each with the request's id, and never a person's data."""

import io
import json
import logging

import pytest

from peercert.core.logs import JsonFormatter, RequestIdFilter

pytestmark = pytest.mark.django_db


@pytest.fixture
def captured():
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    old_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    yield stream
    root.removeHandler(handler)
    root.setLevel(old_level)


def test_each_line_is_json_with_the_request_id(client, captured):
    response = client.get("/no-such-page/?q=maria.hernandez@example.org", HTTP_X_REQUEST_ID="abcd1234-ef56")
    assert response.status_code == 404 and response["X-Request-ID"] == "abcd1234-ef56"
    lines = [json.loads(line) for line in captured.getvalue().splitlines()]
    assert lines, "Django logs a 404"
    assert all(line["request_id"] == "abcd1234-ef56" for line in lines)
    assert all(line["path"] == "/no-such-page/" for line in lines if "path" in line)
    assert "maria.hernandez" not in captured.getvalue()  # the query string never reaches the log


def test_an_offered_request_id_that_is_not_one_is_replaced(client):
    response = client.get("/healthz", HTTP_X_REQUEST_ID="<script>")
    assert len(response["X-Request-ID"]) == 32 and response["X-Request-ID"].isalnum()


def test_signing_in_and_working_logs_no_personal_data(client, captured, settings):
    from peercert.accounts.models import Person
    from peercert.accounts.tests.factories import user_with_role

    settings.AXES_ENABLED = True
    user = user_with_role("peer", email="maria.jose@test.peercert.example")
    user.set_password("a long pass phrase 2026")
    user.save()
    Person.objects.filter(user=user).update(date_of_birth="1988-03-14")
    client.post("/sign-in/", {"username": user.email, "password": "wrong password 2026"})
    client.post("/sign-in/", {"username": user.email, "password": "a long pass phrase 2026"})
    for path in ("/", "/certification/", "/registry/", "/no-such/"):
        client.get(path)
    text = captured.getvalue()
    assert "maria.jose" not in text and "1988-03-14" not in text and "pass phrase" not in text
