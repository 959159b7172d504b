"""With Spanish chosen, a peer's exam page reads in Spanish."""

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from peercert.accounts.roles import Role
from peercert.accounts.tests.factories import statewide_program
from peercert.core.errors import ApplicationError
from peercert.exams import services
from peercert.exams.models import ItemKind


@pytest.fixture(autouse=True)
def _back_to_english():
    """LocaleMiddleware leaves Spanish active on this thread; later tests expect the default language."""
    yield
    translation.deactivate()


@pytest.mark.django_db
def test_my_exam_page_in_spanish(client, role_users):
    client.force_login(role_users[Role.PEER])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"
    page = client.get(reverse("exams:my_exam")).content.decode()
    assert "Mi examen de certificación" in page and "Todavía no tiene autorización para tomar el examen" in page


@pytest.mark.django_db
def test_a_refused_item_reads_in_spanish(role_users):
    with translation.override("es"), pytest.raises(ApplicationError) as refused:
        services.item_create(
            actor=role_users[Role.EXAM_ADMINISTRATOR],
            program=statewide_program(),
            code="MC-9",
            kind=ItemKind.MULTIPLE_CHOICE,
            content_area="astrology",
            stem="Which?",
            options=["Yes", "No"],
            key=0,
        )
    assert refused.value.message == "Elija una de las ocho áreas de contenido."


@pytest.mark.django_db
def test_a_refusal_with_a_value_reads_in_spanish(role_users):
    admin = role_users[Role.EXAM_ADMINISTRATOR]
    services.item_create(
        actor=admin,
        program=statewide_program(),
        code="MC-7",
        kind=ItemKind.MULTIPLE_CHOICE,
        content_area="foundations",
        stem="Which?",
        options=["Yes", "No"],
        key=0,
    )
    with translation.override("es"), pytest.raises(ApplicationError) as refused:
        services.item_create(
            actor=admin,
            program=statewide_program(),
            code="mc-7",
            kind=ItemKind.MULTIPLE_CHOICE,
            content_area="foundations",
            stem="Which?",
            options=["Yes", "No"],
            key=0,
        )
    assert refused.value.message == (
        "El código de pregunta MC-7 ya está en uso. Elija otro o cree una nueva versión de esa pregunta."
    )


@pytest.mark.django_db
def test_a_spanish_reader_is_told_of_the_authorization_in_spanish_with_a_spanish_date():
    import datetime

    from peercert.accounts.tests.factories import user_with_role
    from peercert.core.models import Notification

    peer = user_with_role(Role.PEER)
    peer.person.preferred_language = "es"
    peer.person.save()
    with translation.override("en"):
        services.exam_authorization_grant(
            actor=None, person=peer.person, valid_until=datetime.date(2099, 11, 30), reference="APP-ES"
        )
    note = Notification.objects.get(user=peer)
    assert note.subject == "Tiene autorización para tomar el examen de certificación"
    assert note.body == "Puede programar el examen hasta el 30 de noviembre de 2099. Elija una sesión en PeerCert."
