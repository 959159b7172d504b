"""Form bases that look like the U.S. Web Design System without each field saying so.

Subclass UswdsForm (or UswdsModelForm) instead of forms.Form: every widget gets its USWDS
class (usa-input, usa-select, usa-textarea, usa-checkbox__input, usa-radio__input,
usa-file-input), and a field bound with errors is drawn as one (usa-input--error,
aria-invalid, aria-describedby naming the hint and error that web/_form.html writes).

    class WaiveForm(UswdsForm):
        reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))
        paid_on = forms.DateField(label=_("Paid on"), widget=DateInput)
"""

from django import forms
from django.forms.boundfield import BoundField
from django.utils.translation import gettext_lazy as _

REASON_MAX_LENGTH = 2000
ERROR_CLASS = "usa-input--error"


def uswds_class(widget: forms.Widget) -> str:
    """The USWDS class for one widget. Order matters: CheckboxSelectMultiple is a RadioSelect,
    SelectMultiple a Select, ClearableFileInput a FileInput."""
    if isinstance(widget, forms.HiddenInput):
        return ""
    if isinstance(widget, forms.CheckboxInput | forms.CheckboxSelectMultiple):
        return "usa-checkbox__input"
    if isinstance(widget, forms.RadioSelect):
        return "usa-radio__input"
    if isinstance(widget, forms.Select):
        return "usa-select"
    if isinstance(widget, forms.Textarea):
        return "usa-textarea"
    if isinstance(widget, forms.FileInput):
        return "usa-file-input"
    return "usa-input"


def _add_class(attrs: dict, name: str) -> None:
    classes = attrs.get("class", "").split()
    if name and name not in classes:
        attrs["class"] = " ".join([*classes, name])


def style_widget(widget: forms.Widget) -> None:
    """Give a widget (and each part of a MultiWidget, such as SplitDateTimeWidget) its class,
    keeping any classes the form already set (usa-input--small, say)."""
    if isinstance(widget, forms.MultiWidget):
        for part in widget.widgets:
            style_widget(part)
        return
    _add_class(widget.attrs, uswds_class(widget))


def _marks_errors(widget: forms.Widget) -> bool:
    # USWDS draws errors on text boxes, selects and text areas; a checkbox or radio shows its
    # error through the form group and message instead. A MultiWidget hands one class to all
    # its parts, which would wipe theirs, so it is marked by aria-invalid alone.
    if isinstance(widget, forms.MultiWidget):
        return False
    return uswds_class(widget) in {"usa-input", "usa-select", "usa-textarea", "usa-file-input"}


class UswdsBoundField(BoundField):
    def build_widget_attrs(self, attrs, widget=None):
        widget = widget or self.field.widget
        attrs = super().build_widget_attrs(attrs, widget)  # required, disabled, aria-invalid
        if self.errors and _marks_errors(widget):
            # Attributes given at rendering replace the widget's own, so the class is the
            # widget's classes plus the error; the widget itself stays clean for the next form.
            classes = [*widget.attrs.get("class", "").split(), *attrs.get("class", "").split(), ERROR_CLASS]
            attrs["class"] = " ".join(dict.fromkeys(classes))
        if "aria-describedby" not in widget.attrs and not self.use_fieldset:
            # Django points at <id>_helptext; web/_form.html writes the hint as <id>-hint (not
            # for a checkbox, whose hint is inside its label) and each error as <id>-error.
            attrs.pop("aria-describedby", None)
            described = []
            if self.help_text and self.widget_type != "checkbox":
                described.append(f"{self.auto_id}-hint")
            if self.errors:
                described.append(f"{self.auto_id}-error")
            if self.auto_id and described:
                attrs["aria-describedby"] = " ".join(described)
        return attrs


class UswdsMixin:
    """Styles every field's widget when the form is made; mix into Form or ModelForm."""

    bound_field_class = UswdsBoundField
    # {{ form }} draws the same markup as {% include "web/_form.html" %}: the error summary at the top
    # (each error linked to its field), labels, hints and messages.
    template_name = "web/_form.html"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            style_widget(field.widget)


class UswdsForm(UswdsMixin, forms.Form):
    pass


class UswdsModelForm(UswdsMixin, forms.ModelForm):
    pass


class DateInput(forms.DateInput):
    """A date picker the browser draws (type=date), sent and read as YYYY-MM-DD whatever the language."""

    input_type = "date"

    def __init__(self, attrs=None, format="%Y-%m-%d"):
        super().__init__(attrs, format=format)


class ReasonForm(UswdsForm):
    """One required reason, for a decision that must say why (waive, cancel, deny, suspend)."""

    reason = forms.CharField(
        label=_("Reason"), max_length=REASON_MAX_LENGTH, strip=True, widget=forms.Textarea(attrs={"rows": 3})
    )
