"""core.forms: every widget type is drawn with its USWDS class, and errors are marked."""

import datetime
import re

import pytest
from django import forms
from django.utils import translation

from peercert.core.forms import REASON_MAX_LENGTH, DateInput, ReasonForm, UswdsForm, UswdsModelForm
from peercert.core.models import JobRun


class EveryWidget(UswdsForm):
    text = forms.CharField(help_text="A hint")
    email = forms.EmailField()
    number = forms.IntegerField()
    amount = forms.DecimalField(widget=forms.NumberInput(attrs={"class": "usa-input--small"}))
    day = forms.DateField(widget=DateInput)
    when = forms.SplitDateTimeField()
    choice = forms.ChoiceField(choices=[("a", "A"), ("b", "B")])
    choices = forms.MultipleChoiceField(choices=[("a", "A"), ("b", "B")])
    radio = forms.ChoiceField(choices=[("a", "A"), ("b", "B")], widget=forms.RadioSelect)
    boxes = forms.MultipleChoiceField(choices=[("a", "A"), ("b", "B")], widget=forms.CheckboxSelectMultiple)
    agree = forms.BooleanField()
    yes_no = forms.NullBooleanField()
    notes = forms.CharField(widget=forms.Textarea)
    upload = forms.FileField()
    secret = forms.CharField(widget=forms.HiddenInput)


def tags(html: str, tag: str = "(?:input|select|textarea)") -> list[str]:
    return re.findall(rf"<{tag}\b[^>]*>", html)


def classes(tag: str) -> list[str]:
    found = re.search(r'class="([^"]*)"', tag)
    return found.group(1).split() if found else []


EXPECTED = {
    "text": "usa-input",
    "email": "usa-input",
    "number": "usa-input",
    "day": "usa-input",
    "choice": "usa-select",
    "choices": "usa-select",
    "radio": "usa-radio__input",
    "boxes": "usa-checkbox__input",
    "agree": "usa-checkbox__input",
    "yes_no": "usa-select",
    "notes": "usa-textarea",
    "upload": "usa-file-input",
}


@pytest.mark.parametrize(("name", "expected"), EXPECTED.items())
def test_each_widget_type_gets_its_uswds_class(name, expected):
    rendered = tags(str(EveryWidget()[name]))
    assert rendered, name
    for tag in rendered:  # every radio and every checkbox of a group too
        assert expected in classes(tag), (name, tag)


def test_checkboxes_of_a_multiple_choice_are_checkboxes_not_radios():
    # CheckboxSelectMultiple is a RadioSelect in Django: checked first or it would get the radio class.
    for tag in tags(str(EveryWidget()["boxes"])):
        assert classes(tag) == ["usa-checkbox__input"]


def test_a_class_the_form_set_is_kept_beside_the_uswds_one():
    assert classes(tags(str(EveryWidget()["amount"]))[0]) == ["usa-input--small", "usa-input"]


def test_each_part_of_a_split_date_time_is_styled():
    parts = tags(str(EveryWidget()["when"]))
    assert len(parts) == 2 and all("usa-input" in classes(t) for t in parts)


def test_a_hidden_field_gets_no_class():
    assert classes(tags(str(EveryWidget()["secret"]))[0]) == []


def test_a_field_with_an_error_is_marked_and_points_at_its_hint_and_error():
    form = EveryWidget(data={})
    assert not form.is_valid()
    text = tags(str(form["text"]))[0]
    assert classes(text) == ["usa-input", "usa-input--error"]
    assert 'aria-invalid="true"' in text
    assert 'aria-describedby="id_text-hint id_text-error"' in text  # the ids web/_form.html writes
    assert "usa-input--error" in classes(tags(str(form["choice"]))[0])
    assert "usa-input--error" in classes(tags(str(form["notes"]))[0])
    assert classes(tags(str(form["agree"]))[0]) == ["usa-checkbox__input"]  # USWDS marks the group, not the box
    assert 'aria-invalid="true"' in tags(str(form["agree"]))[0]


def test_a_valid_field_is_not_marked_and_the_next_form_is_clean():
    bad = EveryWidget(data={})
    bad.is_valid()
    str(bad["text"])
    fresh = tags(str(EveryWidget()["text"]))[0]
    assert classes(fresh) == ["usa-input"]
    assert "aria-invalid" not in fresh
    assert 'aria-describedby="id_text-hint"' in fresh


def test_a_model_form_is_styled_too():
    class RunForm(UswdsModelForm):
        class Meta:
            model = JobRun
            fields = ["job", "outcome", "error"]

    form = RunForm()
    assert "usa-input" in classes(tags(str(form["job"]))[0])
    assert "usa-select" in classes(tags(str(form["outcome"]))[0])
    assert "usa-textarea" in classes(tags(str(form["error"]))[0])


def test_date_input_is_a_date_picker_with_an_iso_value_in_spanish_too():
    class When(UswdsForm):
        day = forms.DateField(widget=DateInput)

    with translation.override("es"):
        tag = tags(str(When(initial={"day": datetime.date(2026, 11, 30)})["day"]))[0]
        assert When(data={"day": "2026-11-30"}).is_valid()
    assert 'type="date"' in tag and 'value="2026-11-30"' in tag


@pytest.mark.parametrize(
    ("reason", "valid"),
    [
        ("Hardship", True),
        ("", False),
        ("   ", False),
        ("x" * REASON_MAX_LENGTH, True),
        ("x" * (REASON_MAX_LENGTH + 1), False),
    ],
)
def test_reason_form_needs_a_bounded_reason(reason, valid):
    form = ReasonForm(data={"reason": reason})
    assert form.is_valid() is valid
    if valid:
        assert form.cleaned_data["reason"] == reason.strip()
    assert "usa-textarea" in classes(tags(str(form["reason"]))[0])
    assert f'maxlength="{REASON_MAX_LENGTH}"' in str(form["reason"])
