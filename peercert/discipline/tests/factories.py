import datetime

import factory

from peercert.accounts.tests.factories import PersonFactory, TrainingEntityFactory, statewide_program
from peercert.core import clock
from peercert.discipline.models import (
    ActionKind,
    ActionStatus,
    Appeal,
    AppealSubject,
    Channel,
    Complaint,
    ComplaintStatus,
    DisciplinaryAction,
    RequiredClass,
    RespondentKind,
)


class ComplaintFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Complaint

    number = factory.Sequence(lambda n: f"C-TEST-{n:05d}")
    program = factory.LazyFunction(statewide_program)
    respondent_kind = RespondentKind.PEER
    respondent_person = factory.SubFactory(PersonFactory)
    respondent_entity = None
    complainant_name = "Rosalía Quintanilla"
    complainant_phone = "(213) 555-0177"
    complainant_email = "rosalia.quintanilla@complainant.example"
    channel = Channel.ONLINE
    incident_on = factory.LazyFunction(lambda: clock.today() - datetime.timedelta(days=20))
    incident_description = "The peer shared my story with my employer without asking me."
    received_on = factory.LazyFunction(clock.today)
    status = ComplaintStatus.RECEIVED
    ack_due_on = factory.LazyFunction(lambda: clock.today() + datetime.timedelta(days=7))
    investigation_due_on = factory.LazyFunction(lambda: clock.today() + datetime.timedelta(days=90))
    rules_version = "test"

    class Params:
        against_entity = factory.Trait(
            respondent_kind=RespondentKind.TRAINING_ENTITY,
            respondent_person=None,
            respondent_entity=factory.SubFactory(TrainingEntityFactory),
        )


class ActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DisciplinaryAction

    complaint = factory.SubFactory(
        ComplaintFactory,
        status=ComplaintStatus.DECIDED,
        outcome="suspension",
        findings="Shared private information.",
        provisions=["confidentiality"],
    )
    kind = ActionKind.SUSPENSION
    person = factory.LazyAttribute(lambda o: o.complaint.respondent_person)
    entity = factory.LazyAttribute(lambda o: o.complaint.respondent_entity)
    status = ActionStatus.IN_EFFECT
    effective_on = factory.LazyFunction(clock.today)
    ends_on = factory.LazyFunction(lambda: clock.today() + datetime.timedelta(days=30))
    decided_on = factory.LazyFunction(clock.today)
    public_summary = "Suspended for 30 days. Code of Ethics: confidentiality."
    rules_version = "test"


class RequiredClassFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RequiredClass

    action = factory.SubFactory(
        ActionFactory,
        kind=ActionKind.CORRECTIVE_ACTION,
        ends_on=None,
        due_on=factory.LazyFunction(lambda: clock.today() + datetime.timedelta(days=60)),
    )
    title = "Law and ethics refresher"


class AppealFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Appeal

    number = factory.Sequence(lambda n: f"A-TEST-{n:05d}")
    subject = AppealSubject.SUSPENSION
    action = factory.SubFactory(ActionFactory)
    person = factory.LazyAttribute(lambda o: o.action.person if o.action else None)
    decision_on = factory.LazyFunction(clock.today)
    grounds = "I did not share anything; the employer already knew."
    filed_on = factory.LazyFunction(clock.today)
    window_ends_on = factory.LazyFunction(lambda: clock.today() + datetime.timedelta(days=30))
    review_due_on = factory.LazyFunction(lambda: clock.today() + datetime.timedelta(days=90))
    rules_version = "test"
