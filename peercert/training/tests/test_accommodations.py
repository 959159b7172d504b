import pytest
from django.urls import reverse

from peercert.accounts.roles import Role
from peercert.accounts.tests.factories import user_with_role
from peercert.core.errors import ApplicationError
from peercert.core.models import AuditEvent, Notification
from peercert.training import services
from peercert.training.models import AccommodationStatus
from peercert.training.tests.factories import OfferingFactory, pdf_file


@pytest.fixture
def request_(entity, entity_staff, peer):
    offering = OfferingFactory(training_entity=entity)
    return services.accommodation_request_create(
        actor=peer, offering=offering, needs="ASL interpreter", document=pdf_file()
    )


def test_request_tells_entity_and_decision_tells_both(request_, entity_staff, peer):
    assert Notification.objects.filter(user=entity_staff, subject__contains="accommodation").exists()
    services.accommodation_request_decide(
        actor=entity_staff, request=request_, status="granted", decision="An interpreter will attend every session."
    )
    assert Notification.objects.filter(user=peer, subject__startswith="Accommodation decision").exists()
    assert Notification.objects.filter(user=entity_staff, subject__startswith="Accommodation to provide").exists()
    assert AuditEvent.objects.filter(action="accommodation_request.decide").exists()


@pytest.mark.parametrize("start", list(AccommodationStatus.values))
@pytest.mark.parametrize("to", ["granted", "partly_granted", "denied", "withdrawn"])
def test_accommodation_transitions(start, to, request_, reviewer, peer):
    request_.status = start
    request_.save()
    call = (
        (lambda: services.accommodation_request_withdraw(actor=peer, request=request_))
        if to == "withdrawn"
        else (lambda: services.accommodation_request_decide(actor=reviewer, request=request_, status=to, decision="ok"))
    )
    if start == "submitted":
        assert call().status == to
    else:
        with pytest.raises(ApplicationError):
            call()


def test_program_staff_may_decide_other_entity_may_not(request_, reviewer):
    with pytest.raises(ApplicationError):
        services.accommodation_request_decide(
            actor=user_with_role(Role.TRAINING_STAFF), request=request_, status="denied", decision="no"
        )
    services.accommodation_request_decide(
        actor=reviewer, request=request_, status="partly_granted", decision="Large print, not extra time."
    )


def test_document_is_confidential(request_, entity_staff, reviewer, peer, client):
    url = reverse("training:accommodation_document", args=[request_.pk])
    for allowed in (peer, entity_staff, reviewer):
        client.force_login(allowed)
        response = client.get(url)
        assert response.status_code == 200, allowed
        assert b"".join(response.streaming_content).startswith(b"%PDF")
        assert response["Cache-Control"] == "private, no-store"
    other_peer = user_with_role(Role.PEER)
    other_entity = user_with_role(Role.TRAINING_STAFF)
    for refused in (other_peer, other_entity):
        client.force_login(refused)
        assert client.get(url).status_code == 404
    for role in (Role.AUDITOR, Role.DHCS_APPROVER, Role.COUNTY_STAFF, Role.SYSTEM_ADMINISTRATOR):
        client.force_login(user_with_role(role))
        assert client.get(url).status_code in (403, 404)
    client.logout()
    assert client.get(url).status_code == 302


def test_records_outside_ones_reach_answer_404(client, entity, entity_staff, peer):
    from peercert.training.tests.factories import CEActivityFactory, CompletionFactory

    offering = OfferingFactory(training_entity=entity)
    completion = CompletionFactory(offering=offering, person=peer.person)
    activity = CEActivityFactory(person=peer.person)
    stranger_peer = user_with_role(Role.PEER)
    stranger_entity = user_with_role(Role.TRAINING_STAFF)
    client.force_login(stranger_peer)
    assert client.get(reverse("training:certificate", args=[completion.pk])).status_code == 404
    assert client.get(reverse("training:ce_evidence", args=[activity.pk])).status_code == 404
    assert client.get(reverse("training:ce_activity_detail", args=[activity.pk])).status_code == 404
    client.force_login(stranger_entity)
    assert client.get(reverse("training:offering_manage", args=[offering.pk])).status_code == 404
    assert client.get(reverse("training:certificate", args=[completion.pk])).status_code == 404
    client.force_login(entity_staff)
    assert client.get(reverse("training:offering_manage", args=[offering.pk])).status_code == 200
    assert client.get(reverse("training:certificate", args=[completion.pk])).status_code == 200
    client.force_login(peer)
    assert client.get(reverse("training:ce_evidence", args=[activity.pk])).status_code == 200
