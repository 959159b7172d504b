"""The public search as a bounded USWDS form: drawn by core.forms, and anything a stranger
types that is not a name, number, status, specialization or county is a form error."""

import re

import pytest

from peercert.accounts.models import County
from peercert.certification.tests.factories import CertificationFactory

pytestmark = pytest.mark.django_db


def _tag(body: str, tag: str, name: str) -> str:
    found = re.search(rf'<{tag}\b[^>]*\bname="{name}"[^>]*>', body)
    assert found, f"no <{tag} name={name}>"
    return found.group(0)


def test_the_search_form_is_drawn_in_uswds(client):
    body = client.get("/registry/").content.decode()
    assert "usa-input" in _tag(body, "input", "name") and 'autocomplete="off"' in _tag(body, "input", "name")
    for name in ("status", "specialization", "county"):
        assert "usa-select" in _tag(body, "select", name)


def test_a_search_finds_by_status_and_county(client):
    la = County.objects.get(name="Los Angeles")
    CertificationFactory(number="PSS-000201", county=la)
    CertificationFactory(number="PSS-000202", county=la, status="suspended")
    page = client.get("/registry/", {"status": "suspended", "county": la.pk})
    assert page.status_code == 200
    assert [r["number"] for r in page.context["result"]["results"]] == ["PSS-000202"]


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("status", "made-up"),
        ("specialization", "' OR 1=1 --"),
        ("county", "999999"),
        ("county", "x"),
        ("name", "a" * 101),
    ],
)
def test_an_impossible_value_is_a_form_error_not_a_server_error(client, field, value):
    CertificationFactory(number="PSS-000301")
    page = client.get("/registry/", {"number": "PSS-000301", field: value})
    assert page.status_code == 400
    assert list(page.context["form"].errors) == [field]
    assert 'aria-invalid="true"' in _tag(page.content.decode(), "select" if field != "name" else "input", field)
    # the valid fields still search
    assert [r["number"] for r in page.context["result"]["results"]] == ["PSS-000301"]
