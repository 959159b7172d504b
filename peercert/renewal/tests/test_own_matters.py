"""Separation of duties in renewal (issue 11, finding 4)."""

import pytest

from peercert.accounts.models import RoleAssignment
from peercert.accounts.roles import Role
from peercert.accounts.tests.factories import statewide_program, user_with_role
from peercert.core.duties import OWN_MATTER
from peercert.core.errors import ApplicationError
from peercert.renewal import services
from peercert.renewal.models import NameChange, NameChangeStatus
from peercert.renewal.tests.factories import certified_peer, pdf

pytestmark = pytest.mark.django_db


def test_a_manager_does_not_decide_her_own_name_change():
    user, _cert = certified_peer()
    RoleAssignment.objects.create(user=user, role=Role.PROGRAM_MANAGER, program=statewide_program())
    change = services.name_change_request(
        actor=user,
        person=user.person,
        new_first_name="Rosa",
        new_last_name="Gutiérrez Peña",
        document=pdf("marriage.pdf"),
    )
    with pytest.raises(ApplicationError) as err:
        services.name_change_decide(actor=user, name_change=change, approve=True)
    assert err.value.code == OWN_MATTER
    user.person.refresh_from_db()
    assert NameChange.objects.get(pk=change.pk).status == NameChangeStatus.REQUESTED
    assert user.person.legal_last_name == "Gutiérrez"
    services.name_change_decide(actor=user_with_role(Role.PROGRAM_MANAGER), name_change=change, approve=True)
    user.person.refresh_from_db()
    assert user.person.legal_last_name == "Gutiérrez Peña"


def test_a_reviewer_does_not_decide_her_own_renewal():
    from peercert.renewal.models import Renewal, RenewalStatus

    user, cert = certified_peer()
    RoleAssignment.objects.create(user=user, role=Role.PROGRAM_REVIEWER, program=statewide_program())
    renewal = Renewal.objects.create(
        certification=cert,
        person=user.person,
        status=RenewalStatus.UNDER_REVIEW,
        cycle_starts_on=cert.issued_on,
        cycle_ends_on=cert.expires_on,
        rules_version="test",
    )
    with pytest.raises(ApplicationError) as err:
        services.renewal_deny(actor=user, renewal=renewal, reason="no")
    assert err.value.code == OWN_MATTER
    assert Renewal.objects.get(pk=renewal.pk).status == RenewalStatus.UNDER_REVIEW
    services.renewal_deny(actor=user_with_role(Role.PROGRAM_REVIEWER), renewal=renewal, reason="Missing CE")
    assert Renewal.objects.get(pk=renewal.pk).status == RenewalStatus.DENIED


# ---- CE audits, appeals and the queues (a test per service) ----------------------------------


def _reviewing_peer(first="Rosa María", last="Gutiérrez"):
    user, cert = certified_peer(first, last)
    RoleAssignment.objects.create(user=user, role=Role.PROGRAM_REVIEWER, program=statewide_program())
    return user, cert


def _under_review(cert):
    from peercert.renewal.models import Renewal, RenewalStatus

    return Renewal.objects.create(
        certification=cert,
        person=cert.person,
        status=RenewalStatus.UNDER_REVIEW,
        cycle_starts_on=cert.issued_on,
        cycle_ends_on=cert.expires_on,
        rules_version="test",
    )


def _audited(action, obj):
    from peercert.core.models import AuditEvent

    return AuditEvent.objects.filter(action=action, object_id=str(obj.pk)).exists()


def test_a_reviewer_does_not_decide_the_ce_audit_of_her_own_renewal():
    from decimal import Decimal

    from peercert.renewal.models import CEAudit, CEAuditStatus, Renewal, RenewalStatus

    user, cert = _reviewing_peer()
    renewal = _under_review(cert)
    audit = CEAudit.objects.create(
        renewal=renewal, status=CEAuditStatus.SUBMITTED, rate=Decimal("0.1"), draw=Decimal("0.05")
    )
    with pytest.raises(ApplicationError) as err:
        services.ce_audit_decide(actor=user, audit=audit, accept=True)
    assert err.value.code == OWN_MATTER
    fresh = CEAudit.objects.get(pk=audit.pk)
    assert fresh.status == CEAuditStatus.SUBMITTED and fresh.decided_by_id is None
    assert Renewal.objects.get(pk=renewal.pk).status == RenewalStatus.UNDER_REVIEW
    assert not _audited("ce_audit.decide", audit)
    colleague = user_with_role(Role.PROGRAM_REVIEWER)
    services.ce_audit_decide(actor=colleague, audit=audit, accept=False, notes="No certificates for 6 hours")
    assert CEAudit.objects.get(pk=audit.pk).status == CEAuditStatus.REJECTED


def test_a_reviewer_does_not_reopen_her_own_denied_renewal_on_appeal():
    from peercert.renewal.models import Renewal, RenewalStatus

    user, cert = _reviewing_peer()
    renewal = _under_review(cert)
    colleague = user_with_role(Role.PROGRAM_REVIEWER)
    services.renewal_deny(actor=colleague, renewal=renewal, reason="Missing CE")
    with pytest.raises(ApplicationError) as err:
        services.renewal_reopen_on_appeal(actor=user, renewal=renewal, reason="I won my appeal")
    assert err.value.code == OWN_MATTER
    assert Renewal.objects.get(pk=renewal.pk).status == RenewalStatus.DENIED
    assert not _audited("renewal.reopen", renewal)
    services.renewal_reopen_on_appeal(actor=colleague, renewal=renewal, reason="Appeal overturned the denial")
    assert Renewal.objects.get(pk=renewal.pk).status == RenewalStatus.UNDER_REVIEW


def test_the_renewal_queue_page_does_not_list_the_reviewers_own_renewal(client):
    from django.urls import reverse

    user, cert = _reviewing_peer()
    _other, other_cert = certified_peer("Lucía", "Ramírez")
    own, theirs = _under_review(cert), _under_review(other_cert)
    own_link, their_link = (reverse("renewal:review", args=[r.pk]) for r in (own, theirs))
    client.force_login(user)
    page = client.get(reverse("renewal:queue")).content.decode()
    assert their_link in page and own_link not in page
    assert own_link not in client.get("/").content.decode()  # nor the home page's queue
    client.force_login(user_with_role(Role.PROGRAM_REVIEWER))
    page = client.get(reverse("renewal:queue")).content.decode()
    assert their_link in page and own_link in page


def test_the_name_change_queue_does_not_list_the_managers_own_request(client):
    from django.urls import reverse

    user, _cert = certified_peer()
    RoleAssignment.objects.create(user=user, role=Role.PROGRAM_MANAGER, program=statewide_program())
    other, _ = certified_peer("Lucía", "Ramírez")
    own = services.name_change_request(
        actor=user,
        person=user.person,
        new_first_name="Rosa",
        new_last_name="Gutiérrez Peña",
        document=pdf("marriage.pdf"),
    )
    theirs = services.name_change_request(
        actor=other,
        person=other.person,
        new_first_name="Lucía",
        new_last_name="Ramírez Soto",
        document=pdf("marriage.pdf"),
    )
    own_link, their_link = (reverse("renewal:name_change_detail", args=[c.pk]) for c in (own, theirs))
    client.force_login(user)
    page = client.get(reverse("renewal:name_changes")).content.decode()
    assert their_link in page and own_link not in page
