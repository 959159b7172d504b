import unicodedata

from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm, SetPasswordForm
from django.utils.translation import gettext_lazy as _

from peercert.accounts.models import CertificationProgram, County, Language, Person, TrainingEntity, User
from peercert.accounts.permissions import grantable_roles, managed_program_ids
from peercert.accounts.roles import ROLE_SCOPE, Role
from peercert.core import clock
from peercert.core.forms import DateInput, UswdsForm, UswdsMixin, UswdsModelForm


class SignInForm(UswdsMixin, AuthenticationForm):
    username = forms.EmailField(
        label=_("Email"), widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True})
    )


class ForgotPasswordForm(UswdsMixin, PasswordResetForm):
    """Django's form e-mails only accounts with a usable password. Staff create accounts with
    none and tell the person to choose "Forgot your password?", so those must get the link too.
    The page answers the same whether or not anything was sent (PasswordResetView's redirect)."""

    def get_users(self, email):
        candidates = User._default_manager.filter(email__iexact=email, is_active=True)
        # Django's own second check: a database's case-insensitive match is looser than
        # Unicode's for some scripts, and a near-miss address must not receive the link.
        return (user for user in candidates if _same_email(email, user.email))


def _same_email(first: str, second: str) -> bool:
    return unicodedata.normalize("NFKC", first).casefold() == unicodedata.normalize("NFKC", second).casefold()


class NewPasswordForm(UswdsMixin, SetPasswordForm):
    pass


class RegisterForm(UswdsForm):
    legal_first_name = forms.CharField(
        label=_("Legal first name"), max_length=100, widget=forms.TextInput(attrs={"autocomplete": "given-name"})
    )
    legal_last_name = forms.CharField(
        label=_("Legal last name"), max_length=100, widget=forms.TextInput(attrs={"autocomplete": "family-name"})
    )
    date_of_birth = forms.DateField(label=_("Date of birth"), widget=DateInput(attrs={"autocomplete": "bday"}))
    email = forms.EmailField(label=_("Email"), widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    preferred_language = forms.ChoiceField(label=_("Preferred language"), choices=Language.choices, initial="en")
    password = forms.CharField(
        label=_("Password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 10 characters. Avoid common words."),
    )
    password_again = forms.CharField(
        label=_("Password again"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def clean_date_of_birth(self):
        value = self.cleaned_data["date_of_birth"]
        if value > clock.today():
            raise forms.ValidationError(_("Date of birth cannot be in the future."))
        return value

    def clean(self):
        data = super().clean()
        if data.get("password") and data.get("password") != data.get("password_again"):
            self.add_error("password_again", _("The two passwords are different. Type the same password twice."))
        return data


class PersonContactForm(UswdsModelForm):
    class Meta:
        model = Person
        fields = [
            "preferred_name",
            "email",
            "phone",
            "address_line1",
            "address_line2",
            "city",
            "state",
            "postal_code",
            "preferred_language",
        ]


class ApiTokenForm(UswdsForm):
    name = forms.CharField(label=_("Token name"), max_length=100, help_text=_("For example: county billing export"))


class UserCreateForm(UswdsForm):
    email = forms.EmailField(label=_("Email"))
    display_name = forms.CharField(label=_("Name"), max_length=150, required=False)


class RoleGrantForm(UswdsForm):
    """Offers only the roles, and programs, the actor may hand out; the service checks again."""

    role = forms.ChoiceField(
        label=_("Role"), choices=Role.choices, error_messages={"invalid_choice": _("You may not grant that role.")}
    )
    program = forms.ModelChoiceField(
        label=_("Certification program"),
        queryset=CertificationProgram.objects.all(),
        required=False,
        help_text=_("For program reviewer, manager and exam administrator."),
    )
    county = forms.ModelChoiceField(
        label=_("County"),
        queryset=County.objects.all(),
        required=False,
        help_text=_("For county staff and county billing."),
    )
    training_entity = forms.ModelChoiceField(
        label=_("Training entity"),
        queryset=TrainingEntity.objects.all(),
        required=False,
        help_text=_("For training entity staff."),
    )
    reason = forms.CharField(label=_("Reason"), max_length=500, required=False)

    def __init__(self, *args, actor=None, **kwargs):
        super().__init__(*args, **kwargs)
        if actor is None:
            return
        allowed = grantable_roles(actor)
        self.fields["role"].choices = [(value, label) for value, label in Role.choices if value in allowed]
        managed = managed_program_ids(actor)
        if managed is not None:
            self.fields["program"].queryset = CertificationProgram.objects.filter(pk__in=managed)
        # Drop the scopes none of the offered roles take, so the form asks only what matters.
        for scope in ("program", "county", "training_entity"):
            if not any(ROLE_SCOPE[r] == scope for r in allowed):
                del self.fields[scope]

    def clean(self):
        data = super().clean()
        for scope in ("program", "county", "training_entity"):
            data.setdefault(scope, None)
        return data
