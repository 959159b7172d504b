"""core.views.run_form and run_action, with a tiny fake service."""

import pytest
from django import forms
from django.contrib import messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.signed_cookies import SessionStore
from django.http import HttpResponse
from django.test import RequestFactory

from peercert.core.errors import ApplicationError
from peercert.core.views import run_action, run_form


class FakeService:
    """Records its calls; raises the error it is given, else returns `result`."""

    def __init__(self, error: ApplicationError | None = None, result="done"):
        self.error, self.result, self.calls = error, result, []

    def __call__(self, *args):
        self.calls.append(args)
        if self.error is not None:
            raise self.error
        return self.result


class NameForm(forms.Form):
    name = forms.CharField()


@pytest.fixture
def request_():
    request = RequestFactory().post("/somewhere")
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    return request


def flashed(request) -> list[tuple[int, str]]:
    return [(m.level, m.message) for m in messages.get_messages(request)]


def test_an_unbound_form_calls_nothing(request_):
    service = FakeService()
    assert run_form(request_, NameForm(), service, success_url="/next") is None
    assert service.calls == []


def test_an_invalid_form_calls_nothing_and_keeps_its_errors(request_):
    service = FakeService()
    form = NameForm(data={})
    assert run_form(request_, form, service, success_url="/next") is None
    assert service.calls == [] and "name" in form.errors


def test_a_valid_form_calls_the_service_with_its_data_then_flashes_and_redirects(request_):
    service = FakeService()
    response = run_form(request_, NameForm(data={"name": "Ana"}), service, success_url="/next", message="Saved.")
    assert service.calls == [({"name": "Ana"},)]
    assert response.status_code == 302 and response.url == "/next"
    assert flashed(request_) == [(messages.SUCCESS, "Saved.")]


def test_the_url_and_message_may_depend_on_the_result(request_):
    service = FakeService(result=42)
    response = run_form(
        request_,
        NameForm(data={"name": "Ana"}),
        service,
        success_url=lambda pk: f"/records/{pk}",
        message=lambda pk: f"Record {pk} made.",
    )
    assert response.url == "/records/42"
    assert flashed(request_) == [(messages.SUCCESS, "Record 42 made.")]


def test_on_success_returns_whatever_the_view_wants(request_):
    response = run_form(
        request_,
        NameForm(data={"name": "Ana"}),
        FakeService(result="x"),
        on_success=lambda result: HttpResponse(f"made {result}", status=201),
    )
    assert response.status_code == 201 and response.content == b"made x"
    assert flashed(request_) == []


def test_a_refusal_naming_a_field_goes_beside_that_field_and_nowhere_else(request_):
    form = NameForm(data={"name": "Ana"})
    service = FakeService(ApplicationError("That name is taken.", field="name"))
    assert run_form(request_, form, service, success_url="/next", message="Saved.") is None
    assert form.errors == {"name": ["That name is taken."]}
    assert flashed(request_) == []  # shown once, on the form


def test_a_refusal_naming_no_field_of_the_form_goes_at_the_top(request_):
    form = NameForm(data={"name": "Ana"})
    run_form(request_, form, FakeService(ApplicationError("Closed.", field="not_on_this_form")), success_url="/next")
    assert form.non_field_errors() == ["Closed."]
    assert "name" not in form.errors


def test_a_bug_in_the_service_is_not_swallowed(request_):
    with pytest.raises(ZeroDivisionError):
        run_form(request_, NameForm(data={"name": "Ana"}), FakeService(ZeroDivisionError()), success_url="/next")


def test_run_form_needs_exactly_one_way_to_finish(request_):
    with pytest.raises(TypeError):
        run_form(request_, NameForm(data={"name": "Ana"}), FakeService())
    with pytest.raises(TypeError):
        run_form(
            request_,
            NameForm(data={"name": "Ana"}),
            FakeService(),
            success_url="/a",
            on_success=lambda r: HttpResponse(),
        )


# ---- run_action -------------------------------------------------------------------------


def test_a_button_that_works_flashes_success_and_redirects(request_):
    service = FakeService()
    response = run_action(request_, service, success_url="/page", message="Revoked.")
    assert service.calls == [()]
    assert response.url == "/page"
    assert flashed(request_) == [(messages.SUCCESS, "Revoked.")]


def test_a_refused_button_flashes_the_refusal_once_and_goes_back(request_):
    response = run_action(
        request_, FakeService(ApplicationError("Already revoked.")), success_url="/page", message="Revoked."
    )
    assert response.url == "/page"
    assert flashed(request_) == [(messages.ERROR, "Already revoked.")]


def test_a_refusal_goes_to_the_failure_url_when_given(request_):
    response = run_action(
        request_, FakeService(ApplicationError("No.")), success_url=lambda r: f"/r/{r}", failure_url="/back"
    )
    assert response.url == "/back"


def test_a_result_dependent_url_without_a_way_back_is_refused_before_the_service_runs(request_):
    service = FakeService()
    with pytest.raises(TypeError):
        run_action(request_, service, success_url=lambda r: f"/r/{r}")
    assert service.calls == []
