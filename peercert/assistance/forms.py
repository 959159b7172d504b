from django import forms
from django.utils.translation import gettext_lazy as _

from peercert.assistance.models import AssistanceCategory, FaqEntry, SavedAnswer
from peercert.core.forms import UswdsForm, UswdsModelForm


def _text(label, **kw):
    return forms.CharField(label=label, widget=forms.Textarea(attrs={"rows": 5}), **kw)


class AskForm(UswdsForm):
    name = forms.CharField(label=_("Your name"), max_length=200, widget=forms.TextInput(attrs={"autocomplete": "name"}))
    email = forms.EmailField(label=_("Your email"), widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    phone = forms.CharField(
        label=_("Your phone"),
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    category = forms.ChoiceField(label=_("Topic"), choices=AssistanceCategory.choices)
    subject = forms.CharField(label=_("Subject"), max_length=200)
    question = _text(_("Your question"))


class ReplyForm(UswdsForm):
    body = _text(_("Reply"))
    close = forms.BooleanField(label=_("Close the question after this reply"), required=False)


class FollowUpForm(UswdsForm):
    body = _text(_("Add a message"))


class AssistanceAssignForm(UswdsForm):
    assignee = forms.ModelChoiceField(label=_("Give to"), queryset=None)

    def __init__(self, *args, staff=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = staff


class SavedAnswerForm(UswdsModelForm):
    class Meta:
        model = SavedAnswer
        fields = ["title", "category", "body", "is_active"]


class FaqForm(UswdsModelForm):
    class Meta:
        model = FaqEntry
        fields = ["question", "answer", "category", "order", "is_published", "language", "translation_of"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A translation is of an English entry; an entry that names no language is in English.
        self.fields["translation_of"].queryset = FaqEntry.objects.filter(translation_of__isnull=True)
        self.fields["language"].required = False

    def clean_language(self):
        return self.cleaned_data.get("language") or "en"
