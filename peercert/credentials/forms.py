from django import forms
from django.utils.translation import gettext_lazy as _

from peercert.core.forms import UswdsForm
from peercert.credentials.vc import MAX_TOKEN_CHARS

# A credential is a few kilobytes of text; a file much bigger than the longest one is not a credential.
MAX_FILE_BYTES = MAX_TOKEN_CHARS


class VerifyForm(UswdsForm):
    credential = forms.CharField(
        label=_("Paste the credential"),
        help_text=_("The signed credential is one long line of letters, digits and dots (a VC-JWT)."),
        required=False,
        max_length=MAX_TOKEN_CHARS,
        widget=forms.Textarea(attrs={"rows": 6, "spellcheck": "false", "autocomplete": "off"}),
    )
    file = forms.FileField(
        label=_("Or upload the credential file"),
        help_text=_("The .jwt file the peer downloaded, at most 20 KB."),
        required=False,
    )

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if not upload:
            return ""
        if upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError(
                _("“%(name)s” is larger than a credential can be (20 KB). Choose the .jwt file the peer downloaded."),
                params={"name": upload.name},
            )
        data = upload.read(MAX_FILE_BYTES + 1)
        if not data.strip():
            raise forms.ValidationError(_("“%(name)s” is empty. Choose the file again."), params={"name": upload.name})
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            raise forms.ValidationError(
                _("“%(name)s” is not a text file. A credential is text: choose the .jwt file."),
                params={"name": upload.name},
            ) from None
        if "\x00" in text:
            raise forms.ValidationError(
                _("“%(name)s” is not a text file. A credential is text: choose the .jwt file."),
                params={"name": upload.name},
            )
        return text.strip()

    def clean(self):
        data = super().clean()
        pasted, uploaded = (data.get("credential") or "").strip(), data.get("file") or ""
        if not self.errors and not pasted and not uploaded:
            raise forms.ValidationError(_("Paste a credential or choose its file, then press Check."))
        if pasted and uploaded and pasted != uploaded:
            raise forms.ValidationError(_("Paste a credential or upload one, not both."))
        data["token"] = pasted or uploaded
        return data
