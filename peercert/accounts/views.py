from zoneinfo import ZoneInfo

from axes.helpers import get_cool_off
from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import i18n
from django.views.decorators.http import require_POST

from peercert.accounts import selectors, services
from peercert.accounts.forms import (
    ApiTokenForm,
    ForgotPasswordForm,
    NewPasswordForm,
    PersonContactForm,
    RegisterForm,
    RoleGrantForm,
    SignInForm,
    UserCreateForm,
)
from peercert.accounts.permissions import (
    account_change_refusal,
    assignments_of,
    can_manage_users,
    may_change_role,
    rule_required,
)
from peercert.accounts.selectors import person_for_user
from peercert.accounts.sign_in import SignInThrottle, client_address
from peercert.core import clock
from peercert.core.forms import ReasonForm
from peercert.core.views import run_action, run_form

PACIFIC = ZoneInfo("America/Los_Angeles")


def _speak_their_language(response, user):
    """Pages follow the language the person chose for their account (messages and emails do too)."""
    person = person_for_user(user)
    if person is not None and person.preferred_language in dict(settings.LANGUAGES):
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            person.preferred_language,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            samesite="Lax",
        )
    return response


class SignInView(auth_views.LoginView):
    template_name = "accounts/sign_in.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        return _speak_their_language(super().form_valid(form), form.get_user())


@require_POST
def set_language(request):
    """The header's language menu. For a signed-in person it also becomes their account's
    preferred language, so notifications and emails follow what they chose on screen."""
    response = i18n.set_language(request)
    language = request.POST.get("language", "")
    person = person_for_user(request.user) if request.user.is_authenticated else None
    if person is not None and language in dict(settings.LANGUAGES) and person.preferred_language != language:
        services.person_update(
            actor=request.user,
            person=person,
            data={"preferred_language": language},
            reason="chosen in the language menu",
        )
    return response


class SignOutView(auth_views.LogoutView):
    pass


def locked_out(request, original_response=None, credentials=None):
    """The page for a sign-in refused by throttling (AXES_LOCKOUT_CALLABLE): when to try
    again, in Pacific time and the reader's language, and what else to do meanwhile."""
    until = SignInThrottle().locked_until(request, credentials) or clock.now() + get_cool_off(request)
    return render(
        request,
        "accounts/locked_out.html",
        {"until": timezone.localtime(until, PACIFIC)},
        status=settings.AXES_HTTP_RESPONSE_CODE,
    )


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/password_reset_email.txt"
    subject_template_name = "accounts/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")
    form_class = ForgotPasswordForm

    def form_valid(self, form):
        services.password_reset_request_record(
            email=form.cleaned_data["email"], ip_address=client_address(self.request)
        )
        return super().form_valid(form)


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")
    form_class = NewPasswordForm

    def form_valid(self, form):
        response = super().form_valid(form)
        services.password_reset_complete(user=form.user, ip_address=client_address(self.request))
        return response


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


def register(request):
    """Sign-up. A new email and one that already has an account get the same answer, the
    "check your email" page: the account's owner hears of the attempt by email instead."""
    if request.user.is_authenticated:
        return redirect("web:home")
    form = RegisterForm(request.POST or None)

    def sent(_user):
        response = redirect("accounts:register_sent")
        language = form.cleaned_data["preferred_language"]
        if language in dict(settings.LANGUAGES):
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME, language, max_age=settings.LANGUAGE_COOKIE_AGE, samesite="Lax"
            )
        return response

    done = run_form(
        request,
        form,
        lambda data: services.user_register(
            email=data["email"],
            password=data["password"],
            legal_first_name=data["legal_first_name"],
            legal_last_name=data["legal_last_name"],
            date_of_birth=data["date_of_birth"],
            preferred_language=data["preferred_language"],
        ),
        on_success=sent,
    )
    return done or render(request, "accounts/register.html", {"form": form}, status=400 if form.is_bound else 200)


def register_sent(request):
    return render(request, "accounts/register_sent.html")


def _account_page(request, *, form=None, token_form=None, status=200):
    person = selectors.person_for_user(request.user)
    if form is None and person is not None:
        form = PersonContactForm(instance=person, prefix="person")
    return render(
        request,
        "accounts/account.html",
        {
            "person": person,
            "form": form,
            "assignments": assignments_of(request.user),
            "tokens": selectors.api_tokens_of(request.user),
            "token_form": token_form or ApiTokenForm(),
            "new_token": request.session.pop("new_api_token", None),
        },
        status=status,
    )


@login_required
def account(request):
    person = selectors.person_for_user(request.user)
    if person is None or request.method != "POST":
        return _account_page(request)
    form = PersonContactForm(request.POST, instance=person, prefix="person")
    done = run_form(
        request,
        form,
        lambda data: services.person_update(
            actor=request.user, person=person, data={k: data[k] for k in form.changed_data}
        ),
        success_url=reverse("accounts:account"),
        message=_("Your details are saved."),
    )
    return done or _account_page(request, form=form, status=400)


@login_required
@require_POST
def api_token_create(request):
    form = ApiTokenForm(request.POST)

    def show_once(made):
        # Shown once on the next page, then gone: only the hash is kept.
        request.session["new_api_token"] = made[1]
        return redirect("accounts:account")

    done = run_form(
        request,
        form,
        lambda data: services.api_token_create(actor=request.user, name=data["name"]),
        on_success=show_once,
    )
    return done or _account_page(request, token_form=form, status=400)


@login_required
@require_POST
def api_token_revoke(request, token_id: int):
    token = selectors.access_api_token(request.user, token_id)
    return run_action(
        request,
        lambda: services.api_token_revoke(actor=request.user, token=token),
        success_url=reverse("accounts:account"),
        message=_("The token is revoked. Anything using it will stop working."),
    )


def _user_list_page(request, *, form=None, status=200):
    query = request.GET.get("q", "").strip()
    role = request.GET.get("role", "")
    page = Paginator(selectors.user_list(actor=request.user, query=query, role=role), 25).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "accounts/user_list.html",
        {
            "page": page,
            "q": query,
            "role": role,
            "form": form or UserCreateForm(),
            "roles": RoleGrantForm.base_fields["role"].choices,
        },
        status=status,
    )


@rule_required(can_manage_users)
def user_list(request):
    return _user_list_page(request)


@rule_required(can_manage_users)
@require_POST
def user_create(request):
    form = UserCreateForm(request.POST)
    done = run_form(
        request,
        form,
        lambda data: services.user_create(actor=request.user, email=data["email"], display_name=data["display_name"]),
        success_url=lambda user: reverse("accounts:user_detail", kwargs={"user_id": user.pk}),
        message=_("User created. They can set a password with “Forgot password”."),
    )
    return done or _user_list_page(request, form=form, status=400)


def _user_detail_page(request, subject, *, form=None, reason_form=None, status=200):
    form = form or RoleGrantForm(actor=request.user)
    assignments = list(subject.role_assignments.select_related("program", "county", "training_entity"))
    is_self = subject.pk == request.user.pk
    return render(
        request,
        "accounts/user_detail.html",
        {
            "subject": subject,
            "form": form,
            "reason_form": reason_form or ReasonForm(prefix="account"),
            "is_self": is_self,
            "assignments": [(a, may_change_role(request.user, subject, a.role, a.program)) for a in assignments],
            "may_grant": not is_self and bool(form.fields["role"].choices),
            "may_set_active": account_change_refusal(request.user, subject) is None,
        },
        status=status,
    )


@rule_required(can_manage_users)
def user_detail(request, user_id: int):
    subject = selectors.access_user(request.user, user_id)
    form = RoleGrantForm(request.POST or None, actor=request.user)
    done = run_form(
        request,
        form,
        lambda data: services.role_grant(
            actor=request.user,
            user=subject,
            role=data["role"],
            program=data["program"],
            county=data["county"],
            training_entity=data["training_entity"],
            reason=data["reason"],
        ),
        success_url=reverse("accounts:user_detail", kwargs={"user_id": subject.pk}),
        message=_("Role granted."),
    )
    return done or _user_detail_page(request, subject, form=form, status=400 if form.is_bound else 200)


@rule_required(can_manage_users)
@require_POST
def role_revoke(request, assignment_id: int):
    assignment = selectors.access_role_assignment(request.user, assignment_id)
    return run_action(
        request,
        lambda: services.role_revoke(actor=request.user, assignment=assignment, reason=request.POST.get("reason", "")),
        success_url=reverse("accounts:user_detail", kwargs={"user_id": assignment.user_id}),
        message=_("Role removed."),
    )


def _set_active(request, user_id: int, *, is_active: bool, message: str):
    """Deactivate and reactivate are two buttons with their own URLs: a toggle would undo the
    first click when a second arrives (a double submit, or two managers at once)."""
    subject = selectors.access_user(request.user, user_id)
    form = ReasonForm(request.POST, prefix="account")
    done = run_form(
        request,
        form,
        lambda data: services.user_set_active(
            actor=request.user, user=subject, is_active=is_active, reason=data["reason"]
        ),
        success_url=reverse("accounts:user_detail", kwargs={"user_id": subject.pk}),
        message=message,
    )
    return done or _user_detail_page(request, subject, reason_form=form, status=400)


@rule_required(can_manage_users)
@require_POST
def user_deactivate(request, user_id: int):
    return _set_active(request, user_id, is_active=False, message=_("Account deactivated."))


@rule_required(can_manage_users)
@require_POST
def user_reactivate(request, user_id: int):
    return _set_active(request, user_id, is_active=True, message=_("Account reactivated."))
