"""Issue 17, point 4: every form shows a USWDS error summary at the top, each error linked to its field."""

import re

import pytest
from django import forms
from django.template.loader import render_to_string
from django.urls import reverse

from peercert.core.forms import UswdsForm


class _Form(UswdsForm):
    name = forms.CharField(label="Name")
    county = forms.ChoiceField(label="County", choices=[("fresno", "Fresno")])
    agree = forms.BooleanField(label="I agree")

    def clean(self):
        raise forms.ValidationError("Something about the whole form.")


def _summary(html: str) -> str:
    match = re.search(r'<div class="usa-alert usa-alert--error peercert-error-summary".*?</ul>', html, re.S)
    assert match, "no error summary"
    return match.group(0)


def test_the_summary_links_each_error_to_its_field_and_lists_form_errors():
    form = _Form(data={"county": "nowhere"})
    html = render_to_string("web/_form.html", {"form": form})
    summary = _summary(html)
    assert html.index("peercert-error-summary") < html.index('<label class="usa-label')  # at the top
    for field in ("name", "county", "agree"):
        anchor = f'href="#id_{field}"'
        assert anchor in summary
        assert f'id="id_{field}"' in html  # the link goes somewhere
    assert "Something about the whole form." in summary
    # Each field's message is written once, beside the field; the summary names the field.
    assert html.count("This field is required.") == 2  # name and agree
    assert ">Name</a>" in summary and ">County</a>" in summary
    assert "Please correct these 4 things" in summary


def test_a_valid_or_unbound_form_has_no_summary():
    assert "peercert-error-summary" not in render_to_string("web/_form.html", {"form": _Form()})
    assert "peercert-error-summary" not in str(_Form())


def test_form_renders_with_the_shared_template():
    assert 'href="#id_name"' in str(_Form(data={}))


@pytest.mark.django_db
def test_the_register_form_shows_the_summary_in_spanish(client):
    client.cookies["django_language"] = "es"
    response = client.post(reverse("accounts:register"), {"email": "not an email"}, HTTP_ACCEPT_LANGUAGE="es")
    assert response.status_code == 400
    summary = _summary(response.content.decode())
    assert 'href="#id_email"' in summary and 'href="#id_legal_first_name"' in summary
    assert "Corrija" in summary
