"""The two shapes every view that calls a service has, written once.

A service refuses by raising ApplicationError; the view shows the refusal once, where the
person will see it: on the form that asked (beside the field it names, else at the top), or
as a flash message after a button. Both helpers are for function-based views and leave the
rendering to the view, which knows its template.

A form that asks a service (52 copies of this shape before):

    form = ReasonForm(request.POST or None, prefix="waive")
    done = run_form(request, form, lambda data: services.invoice_waive(
        actor=request.user, invoice=invoice, reason=data["reason"]),
        success_url=invoice_url, message=_("Fee waived."))
    return done or render(request, "finance/invoice_detail.html", {...}, status=400 if form.is_bound else 200)

A button that asks a service (20 copies):

    return run_action(request, lambda: services.api_token_revoke(actor=request.user, token=token),
                      success_url=reverse("accounts:account"), message=_("The token is revoked."))
"""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect

from peercert.core.errors import ApplicationError, add_to_form

# A URL, or a function of the service's result giving one (the new record's page).
Url = str | Callable[[Any], str]
Message = str | Callable[[Any], str] | None


def _resolve(value, result):
    return value(result) if callable(value) else value


def _succeeded(
    request, result, *, success_url: Url | None, on_success: Callable[[Any], HttpResponse] | None, message: Message
) -> HttpResponse:
    text = _resolve(message, result)
    if text:
        messages.success(request, text)
    if on_success is not None:
        return on_success(result)
    return redirect(_resolve(success_url, result))


def run_form(
    request,
    form,
    service: Callable[[dict], Any],
    *,
    success_url: Url | None = None,
    on_success: Callable[[Any], HttpResponse] | None = None,
    message: Message = None,
) -> HttpResponse | None:
    """Call service(form.cleaned_data) if the form is bound and valid.

    On success: flash `message` (a string, or a function of the service's result) and
    redirect to success_url (a URL, or a function of the result), or return on_success(result)
    for anything else. Returns None when there is nothing to do (an unbound form), the form is
    invalid, or the service refused, the refusal now on the form (beside the field it names,
    else as a non-field error): the view then renders the form, 400 when form.is_bound.
    """
    if (success_url is None) == (on_success is None):
        raise TypeError("run_form needs exactly one of success_url and on_success")
    if not form.is_bound or not form.is_valid():
        return None
    try:
        result = service(form.cleaned_data)
    except ApplicationError as exc:
        add_to_form(form, exc)
        return None
    return _succeeded(request, result, success_url=success_url, on_success=on_success, message=message)


def run_action(
    request, service: Callable[[], Any], *, success_url: Url, message: Message = None, failure_url: str | None = None
) -> HttpResponse:
    """Call service() for a button (a POST with nothing to fill in) and redirect.

    On success: flash `message` and go to success_url (a URL, or a function of the result).
    On refusal: flash the refusal as an error and go to failure_url, or back to success_url
    when that is a plain URL (the page the button was on, usually).
    """
    back = failure_url or (success_url if isinstance(success_url, str) else None)
    if back is None:
        raise TypeError("run_action needs failure_url when success_url depends on the result")
    try:
        result = service()
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect(back)
    return _succeeded(request, result, success_url=success_url, on_success=None, message=message)
