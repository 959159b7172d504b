"""With Spanish chosen, the public course list and a peer's training record read in Spanish."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import translation

from peercert.accounts.models import Person
from peercert.accounts.roles import Role
from peercert.accounts.tests.factories import PersonFactory, user_with_role
from peercert.core.errors import ApplicationError
from peercert.core.models import Notification
from peercert.training.models import ProviderStatus
from peercert.training.services import (
    provider_application_request_renewal,
    provider_application_return,
    provider_application_submit,
)
from peercert.training.tests.factories import ProviderApplicationFactory


@pytest.fixture(autouse=True)
def _back_to_english():
    """LocaleMiddleware leaves Spanish active on this thread; later tests expect the default language."""
    yield
    translation.deactivate()


@pytest.mark.django_db
def test_training_pages_in_spanish(client, peer):
    public = client.get(reverse("training:providers"), HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Entidades de capacitación y cursos aprobados" in public
    client.force_login(peer)
    mine = client.get(reverse("training:my_training"), HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Mi capacitación y educación continua" in mine and "Horas de educación continua" in mine


@pytest.mark.django_db
def test_a_refused_application_is_explained_in_spanish(entity, entity_staff):
    with translation.override("es"), pytest.raises(ApplicationError) as refused:
        provider_application_submit(actor=entity_staff, training_entity=entity, training_type="juggling", language="es")
    assert refused.value.message == "Elija un tipo de capacitación."


@pytest.mark.django_db
def test_a_refusal_with_a_value_reads_in_spanish_with_the_value(entity, entity_staff):
    app = ProviderApplicationFactory(
        training_entity=entity,
        status=ProviderStatus.APPROVED,
        approved_from=datetime.date(2025, 1, 1),
        approved_until=datetime.date(2026, 12, 31),
    )
    with translation.override("es"), pytest.raises(ApplicationError) as refused:
        provider_application_request_renewal(actor=entity_staff, application=app)
    assert re.fullmatch(r"La renovación se abre el \d+ de [a-z]+ de 2026\.", refused.value.message)


@pytest.mark.django_db
def test_entity_staff_who_read_spanish_are_told_in_spanish(entity, entity_staff):
    person = Person.objects.filter(user=entity_staff).first() or PersonFactory(user=entity_staff)
    person.preferred_language = "es"
    person.save(update_fields=["preferred_language"])
    app = ProviderApplicationFactory(training_entity=entity, status=ProviderStatus.UNDER_REVIEW)
    provider_application_return(
        actor=user_with_role(Role.PROGRAM_REVIEWER), application=app, comments="Add trainer CVs"
    )  # sent while English is active
    told = Notification.objects.get(user=entity_staff)
    assert told.subject == "Su solicitud de entidad de capacitación necesita cambios"
    assert told.body.startswith("Sierra Recovery Academy · ")
    assert told.body.endswith(": Devuelta para hacer cambios. Add trainer CVs")
