import datetime

import factory

from peercert.assistance.models import AssistanceCategory, AssistanceRequest, FaqEntry, SavedAnswer
from peercert.core import clock


class AssistanceRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AssistanceRequest

    number = factory.Sequence(lambda n: f"H-TEST-{n:05d}")
    name = "Xóchitl Ramírez"
    email = "xochitl@asker.example"
    category = AssistanceCategory.APPLYING
    subject = "Which ID can I upload?"
    question = "Can I use my consular ID?"
    received_at = factory.LazyFunction(clock.now)
    respond_by = factory.LazyFunction(lambda: clock.today() + datetime.timedelta(days=3))
    rules_version = "test"


class SavedAnswerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SavedAnswer

    title = factory.Sequence(lambda n: f"Saved answer {n}")
    body = "Thank you for asking. Here is how it works."


class FaqEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FaqEntry

    question = factory.Sequence(lambda n: f"Question number {n}?")
    answer = "The answer in plain words."
    category = AssistanceCategory.APPLYING
