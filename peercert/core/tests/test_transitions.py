"""core.transitions: one check for every status map, and the every-source-state test cases."""

import pytest
from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy

from peercert.core.errors import ApplicationError
from peercert.core.models import JobRun
from peercert.core.transitions import assert_map_covers, check_transition, every_move, transition
from peercert.finance.models import INVOICE_TRANSITIONS, Invoice, InvoiceStatus

Outcome = JobRun.Outcome
# A map over core's own choices, on a field not called "status".
RUN_MOVES = {Outcome.RUNNING: {Outcome.SUCCEEDED, Outcome.FAILED}, Outcome.SUCCEEDED: set(), Outcome.FAILED: set()}


def test_an_allowed_move_sets_the_field_and_returns_the_state_it_left():
    run = JobRun(outcome=Outcome.RUNNING)
    before = transition(run, Outcome.SUCCEEDED, allowed=RUN_MOVES, noun="job run", field="outcome")
    assert before == Outcome.RUNNING
    assert run.outcome == Outcome.SUCCEEDED


def test_a_refused_move_raises_a_state_error_and_changes_nothing():
    run = JobRun(outcome=Outcome.SUCCEEDED)
    with pytest.raises(ApplicationError) as refused:
        transition(run, Outcome.RUNNING, allowed=RUN_MOVES, noun="job run", field="outcome")
    assert refused.value.code == "state" and refused.value.http_status == 409
    assert refused.value.message == "This job run is succeeded, so it cannot become running."
    assert run.outcome == Outcome.SUCCEEDED


def test_the_refusal_names_the_states_by_their_labels_not_their_codes():
    invoice = Invoice(status=InvoiceStatus.OPEN)
    with pytest.raises(ApplicationError) as refused:
        check_transition(invoice, "open", allowed={"open": set()}, noun="invoice")
    assert "open (to pay)" in refused.value.message  # the label of "open"


def test_the_refusal_is_written_in_the_readers_language_noun_included():
    run = JobRun(outcome=Outcome.SUCCEEDED)
    with translation.override("es"), pytest.raises(ApplicationError) as refused:
        check_transition(run, Outcome.RUNNING, allowed=RUN_MOVES, noun=gettext_lazy("invoice"), field="outcome")
    message = refused.value.message
    assert "completado" in message and "en curso" in message  # core's Spanish labels
    assert "factura" in message  # finance's Spanish noun, looked up when the error is raised
    assert "succeeded" not in message and "running" not in message


def test_a_state_the_map_forgot_may_go_nowhere():
    run = JobRun(outcome=Outcome.FAILED)
    with pytest.raises(ApplicationError):
        check_transition(run, Outcome.RUNNING, allowed={Outcome.RUNNING: {Outcome.FAILED}}, noun="run", field="outcome")


def test_a_field_without_choices_shows_its_code_as_words():
    class Loose:
        status = "in_review"

    with pytest.raises(ApplicationError) as refused:
        check_transition(Loose(), "approved", allowed={}, noun="thing")
    assert "in review" in refused.value.message


# ---- the test helpers ---------------------------------------------------------------------


def test_every_move_lists_every_ordered_pair_with_whether_the_map_allows_it():
    moves = every_move(RUN_MOVES, Outcome)
    assert len(moves) == 9  # 3 sources x 3 targets, staying put included
    allowed = {(source, target) for source, target, ok in moves if ok}
    assert allowed == {(Outcome.RUNNING, Outcome.SUCCEEDED), (Outcome.RUNNING, Outcome.FAILED)}


class Colour(models.TextChoices):
    RED = "red", "Red"
    BLUE = "blue", "Blue"


def test_assert_map_covers_catches_a_forgotten_state_and_a_misspelt_target():
    assert_map_covers({"red": {"blue"}, "blue": set()}, Colour)
    with pytest.raises(AssertionError, match="no entry"):
        assert_map_covers({"red": {"blue"}}, Colour)
    with pytest.raises(AssertionError, match="does not have"):
        assert_map_covers({"red": {"bleu"}, "blue": set()}, Colour)
    with pytest.raises(AssertionError, match="not Colour states"):
        assert_map_covers({"red": set(), "blue": set(), "green": set()}, Colour)


def test_finance_map_covers_its_states():
    assert_map_covers(INVOICE_TRANSITIONS, InvoiceStatus)


@pytest.mark.parametrize(("source", "target", "allowed"), every_move(INVOICE_TRANSITIONS, InvoiceStatus))
def test_every_invoice_move_from_every_state(source, target, allowed):
    invoice = Invoice(status=source)
    if allowed:
        assert transition(invoice, target, allowed=INVOICE_TRANSITIONS, noun="invoice") == source
        assert invoice.status == target
    else:
        with pytest.raises(ApplicationError):
            transition(invoice, target, allowed=INVOICE_TRANSITIONS, noun="invoice")
        assert invoice.status == source
