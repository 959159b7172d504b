"""Issue 17, point 7: the out-of-state step's state list, the hours and CE windows from the rules, the
transfer step's list of California programs; point 5: the review queue searched by name and number."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from peercert.accounts.models import CertificationProgram
from peercert.certification import requirements, selectors, services
from peercert.certification.forms import ReciprocityForm, TransferForm
from peercert.certification.models import Outcome, Pathway
from peercert.certification.tests.factories import (
    CertificationFactory,
    applicant,
    filled_application,
    pathway_answers,
    reviewer,
    started_application,
)
from peercert.core import clock
from peercert.core.errors import ApplicationError
from peercert.core.rules import rules_on

pytestmark = pytest.mark.django_db

NIGHT = datetime.datetime(2026, 4, 1, 7, 5, tzinfo=datetime.UTC)  # 00:05 Pacific, 1 April (PDT)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NIGHT, tick=False):
        yield


def save_pathway(user, application, **changes):
    return services.application_save_step(
        actor=user,
        application=application,
        step="pathway",
        data={**pathway_answers(application.pathway), **changes},
    )


def test_the_state_is_chosen_from_a_list_and_texas_is_saved_as_tx():
    form = ReciprocityForm()
    choices = dict(form.fields["out_of_state_state"].choices)
    assert choices["TX"] == "Texas" and "CA" not in choices and "TE" not in choices
    user = applicant()
    application = started_application(user, Pathway.RECIPROCITY_OUT_OF_STATE)
    save_pathway(user, application, out_of_state_state="TX")
    application.refresh_from_db()
    assert application.out_of_state_state == "TX"
    with pytest.raises(ApplicationError) as refused:
        save_pathway(user, application, out_of_state_state="TE")
    assert refused.value.field == "out_of_state_state"


def test_1000_hours_is_warned_and_the_reviewer_sees_it_not_met(client):
    user = applicant()
    application = started_application(user, Pathway.RECIPROCITY_OUT_OF_STATE)
    client.force_login(user)
    today = clock.today()
    response = client.post(
        reverse("certification:application_step", args=[application.pk, "pathway"]),
        {
            "out_of_state_state": "TX",
            "out_of_state_number": "TX-CPRS-1",
            "out_of_state_no_pending_discipline": "on",
            "peer_work_hours": "1000",
            "peer_work_from": (today - datetime.timedelta(days=300)).isoformat(),
            "peer_work_to": today.isoformat(),
            "ce_hours": "20",
            "ce_law_ethics_hours": "6",
            "ce_earned_since": (today - datetime.timedelta(days=100)).isoformat(),
        },
        follow=True,
    )
    text = response.content.decode()
    assert "Not met yet" in text and "1000 hours reported; 1550 needed." in text
    application.refresh_from_db()
    assert application.peer_work_hours == 1000  # saved: the applicant may still be gathering proof
    outcome, _note = requirements.BY_CODE["peer_work_hours"].evaluate(application, rules_on(), [], clock.today())
    assert outcome == Outcome.NOT_MET


def test_hours_outside_the_lookback_window_are_not_met():
    user = applicant()
    application = filled_application(user, Pathway.RECIPROCITY_OUT_OF_STATE)
    years = rules_on().peer_work_lookback_years
    today = clock.today()
    old_start = today.replace(year=today.year - years) - datetime.timedelta(days=1)
    save_pathway(user, application, peer_work_from=old_start, peer_work_to=today)
    application.refresh_from_db()
    warnings = requirements.pathway_warnings(application, rules_on(), today)
    assert any(f"last {years} years" in w for w in warnings)
    services.application_submit(actor=user, application=application)
    assert application.requirements.get(code="peer_work_hours").outcome == Outcome.NOT_MET


def test_ce_older_than_the_reciprocity_window_is_not_met_and_the_window_edge_is_met():
    user = applicant()
    application = filled_application(user, Pathway.RECIPROCITY_OUT_OF_STATE)
    years = rules_on().reciprocity_ce_lookback_years
    today = clock.today()
    edge = today.replace(year=today.year - years)
    save_pathway(user, application, ce_earned_since=edge)
    application.refresh_from_db()
    assert requirements.BY_CODE["ce_hours"].evaluate(application, rules_on(), [], today)[0] is None
    save_pathway(user, application, ce_earned_since=edge - datetime.timedelta(days=1))
    application.refresh_from_db()
    assert requirements.BY_CODE["ce_hours"].evaluate(application, rules_on(), [], today)[0] == Outcome.NOT_MET


def test_the_work_period_must_be_in_order_and_not_in_the_future():
    user = applicant()
    application = started_application(user, Pathway.RECIPROCITY_OUT_OF_STATE)
    today = clock.today()
    with pytest.raises(ApplicationError) as backwards:
        save_pathway(user, application, peer_work_from=today, peer_work_to=today - datetime.timedelta(days=5))
    assert backwards.value.field == "peer_work_to"
    with pytest.raises(ApplicationError) as future:
        save_pathway(user, application, peer_work_to=today + datetime.timedelta(days=1))
    assert future.value.field == "peer_work_to"


def test_the_transfer_step_offers_the_california_programs():
    CertificationProgram.objects.create(name="Bay Area Peer Certification", code="bayarea", kind="designated")
    names = [label for value, label in TransferForm().fields["prior_program_name"].choices if value]
    assert "Bay Area Peer Certification" in names
    assert not any("Statewide" in n for n in names if n == CertificationProgram.objects.get(code="statewide").name)
    assert not TransferForm({"prior_program_name": "Made-up program", "prior_certification_number": "1"}).is_valid()


def test_the_review_queue_searches_by_name_reference_and_certification_number(pay):
    staff = reviewer()
    mine = applicant(first="Itzel", last="Ramírez")
    other = applicant(first="Gabriel", last="Okafor")
    found = filled_application(mine)
    services.application_submit(actor=mine, application=found)
    unrelated = filled_application(other)
    services.application_submit(actor=other, application=unrelated)
    CertificationFactory(person=mine.person, number="PSS-000193")
    assert list(selectors.review_queue(actor=staff, query="ramirez")) == [found]
    assert list(selectors.review_queue(actor=staff, query="Itzel Ramírez")) == [found]
    assert list(selectors.review_queue(actor=staff, query=found.reference_id)) == [found]
    assert list(selectors.review_queue(actor=staff, query=f"app{found.pk}")) == [found]
    for typed in ("PSS-000193", "pss000193", "PSS 193"):
        assert list(selectors.review_queue(actor=staff, query=typed)) == [found], typed
    assert list(selectors.review_queue(actor=staff, query="Nadie")) == []


def test_certification_numbers_as_people_type_them():
    for typed in ("193", "pss000193", "PSS 193", "pss-000193", " PSS.000193 "):
        assert selectors.certification_number_candidates(typed)[0] == "PSS-000193", typed
    assert selectors.certification_number_candidates("FRE-0042")[-1] == "FRE-0042"
    assert selectors.certification_number_candidates("") == []


def test_the_demo_adds_a_county_program_once_and_its_transfer_names_it():
    from peercert.certification import demo

    demo._county_programs()
    demo._county_programs()
    fresno = CertificationProgram.objects.filter(code="fresno-county")
    assert fresno.count() == 1
    assert demo.PATHWAY_ANSWERS[Pathway.TRANSFER_IN_STATE]["prior_program_name"] == fresno.get().name
    periods = demo._work_periods(Pathway.RECIPROCITY_OUT_OF_STATE, clock.today())
    assert periods["peer_work_to"] <= clock.today() and periods["ce_earned_since"] < clock.today()
