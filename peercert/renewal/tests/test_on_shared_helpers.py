"""Renewal on core's shared helpers: its three transition maps checked from every source state,
one URL per action (no action switch), forms drawn by core.forms, audit actions as members."""

import ast
import datetime
import importlib
import inspect
import re
import typing
from pathlib import Path

import pytest
import time_machine
from django.core.files.base import ContentFile
from django.urls import reverse

from peercert.accounts.roles import Role
from peercert.accounts.tests.factories import user_with_role
from peercert.core.audit import registered_actions
from peercert.core.errors import ApplicationError
from peercert.core.transitions import assert_map_covers, every_move, transition
from peercert.core.types import Actor
from peercert.renewal import services
from peercert.renewal.audit import RenewalAuditAction
from peercert.renewal.models import (
    CE_AUDIT_TRANSITIONS,
    NAME_CHANGE_TRANSITIONS,
    RENEWAL_TRANSITIONS,
    CEAudit,
    CEAuditEvidence,
    CEAuditStatus,
    NameChange,
    NameChangeStatus,
    Renewal,
    RenewalStatus,
)
from peercert.renewal.tests.factories import EXPIRES, certified_peer

NOW = datetime.datetime(2026, 11, 20, 17, tzinfo=datetime.UTC)
SERVICE_MODULES = sorted(Path(services.__file__).parent.glob("*.py"))
MAPS = [
    (RENEWAL_TRANSITIONS, RenewalStatus, Renewal),
    (CE_AUDIT_TRANSITIONS, CEAuditStatus, CEAudit),
    (NAME_CHANGE_TRANSITIONS, NameChangeStatus, NameChange),
]


@pytest.mark.parametrize(("allowed", "choices", "model"), MAPS, ids=lambda v: getattr(v, "__name__", ""))
def test_each_map_covers_every_state(allowed, choices, model):
    assert_map_covers(allowed, choices)


@pytest.mark.parametrize(
    ("allowed", "choices", "model", "source", "target", "permitted"),
    [(a, c, m, *move) for a, c, m in MAPS for move in every_move(a, c)],
)
def test_every_move_of_every_map(allowed, choices, model, source, target, permitted):
    record = model(status=source)
    if permitted:
        assert transition(record, target, allowed=allowed, noun="renewal") == source
        assert record.status == target
    else:
        with pytest.raises(ApplicationError) as err:
            transition(record, target, allowed=allowed, noun="renewal")
        assert err.value.code == "state" and record.status == source


def _renewal(cert, status):
    # A decided renewal carries what the database requires of it (a new expiry, a reason).
    return Renewal.objects.create(
        certification=cert,
        person=cert.person,
        status=status,
        cycle_ends_on=EXPIRES,
        cycle_starts_on=datetime.date(2025, 1, 15),
        new_expires_on=datetime.date(2029, 1, 15),
        decision_reason="Decided",
    )


@pytest.mark.django_db
@pytest.mark.parametrize("source", RenewalStatus.values)
@time_machine.travel(NOW, tick=False)
def test_withdrawing_a_renewal_from_every_state_follows_the_map(source):
    user, cert = certified_peer()
    renewal = _renewal(cert, source)
    before = Renewal.objects.filter(pk=renewal.pk).values().get()
    if RenewalStatus.WITHDRAWN in RENEWAL_TRANSITIONS[source]:
        services.renewal_withdraw(actor=user, renewal=renewal)
        assert Renewal.objects.get(pk=renewal.pk).status == RenewalStatus.WITHDRAWN
    else:
        with pytest.raises(ApplicationError) as err:
            services.renewal_withdraw(actor=user, renewal=renewal)
        assert err.value.code == "state"
        assert Renewal.objects.filter(pk=renewal.pk).values().get() == before


@pytest.mark.django_db
@pytest.mark.parametrize("source", CEAuditStatus.values)
@time_machine.travel(NOW, tick=False)
def test_sending_ce_evidence_from_every_state_follows_the_map(source):
    user, cert = certified_peer()
    audit = CEAudit.objects.create(
        renewal=_renewal(cert, RenewalStatus.UNDER_REVIEW),
        rate="0.10",
        draw="0.05",
        status=source,
        notes="Missing the law and ethics hours",
    )
    evidence = CEAuditEvidence(audit=audit, content_type="pdf", original_name="ce.pdf", size=15)
    evidence.file.save("ce.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=False)
    evidence.save()
    before = CEAudit.objects.filter(pk=audit.pk).values().get()
    if CEAuditStatus.SUBMITTED in CE_AUDIT_TRANSITIONS[source]:
        services.ce_audit_submit(actor=user, audit=audit)
        assert CEAudit.objects.get(pk=audit.pk).status == CEAuditStatus.SUBMITTED
    else:
        with pytest.raises(ApplicationError) as err:
            services.ce_audit_submit(actor=user, audit=audit)
        assert err.value.code == "state"
        assert CEAudit.objects.filter(pk=audit.pk).values().get() == before


@pytest.mark.django_db
@pytest.mark.parametrize("source", NameChangeStatus.values)
@time_machine.travel(NOW, tick=False)
def test_withdrawing_a_name_change_from_every_state_follows_the_map(source):
    user, cert = certified_peer()
    person = cert.person
    change = NameChange.objects.create(
        person=person,
        old_first_name=person.legal_first_name,
        old_last_name=person.legal_last_name,
        new_first_name="Ana",
        new_last_name="Nueva",
        document_type="pdf",
        document_name="order.pdf",
        status=source,
        decision_reason="Decided",
    )
    before = NameChange.objects.filter(pk=change.pk).values().get()
    if NameChangeStatus.WITHDRAWN in NAME_CHANGE_TRANSITIONS[source]:
        services.name_change_withdraw(actor=user, name_change=change)
        assert NameChange.objects.get(pk=change.pk).status == NameChangeStatus.WITHDRAWN
    else:
        with pytest.raises(ApplicationError) as err:
            services.name_change_withdraw(actor=user, name_change=change)
        assert err.value.code == "state"
        assert NameChange.objects.filter(pk=change.pk).values().get() == before


# ---- One URL per action -----------------------------------------------------------------


@pytest.mark.django_db
@time_machine.travel(NOW, tick=False)
def test_an_action_field_no_longer_chooses_what_the_detail_page_does(client):
    user, cert = certified_peer()
    renewal = _renewal(cert, RenewalStatus.IN_PROGRESS)
    client.force_login(user)
    response = client.post(reverse("renewal:detail", args=[renewal.pk]), {"action": "withdraw"})
    assert response.status_code == 200
    assert Renewal.objects.get(pk=renewal.pk).status == RenewalStatus.IN_PROGRESS
    # Withdrawing asks to confirm: without the box ticked nothing changes.
    response = client.post(reverse("renewal:withdraw", args=[renewal.pk]))
    assert response.status_code == 400 and Renewal.objects.get(pk=renewal.pk).status == RenewalStatus.IN_PROGRESS
    assert "Keep my renewal" in client.get(reverse("renewal:withdraw", args=[renewal.pk])).content.decode()
    response = client.post(reverse("renewal:withdraw", args=[renewal.pk]), {"confirm": "on"})
    assert response.status_code == 302 and Renewal.objects.get(pk=renewal.pk).status == RenewalStatus.WITHDRAWN


@pytest.mark.django_db
@time_machine.travel(NOW, tick=False)
def test_a_refused_deny_is_shown_once_beside_the_reason(client):
    user, cert = certified_peer()
    renewal = _renewal(cert, RenewalStatus.UNDER_REVIEW)
    client.force_login(user_with_role(Role.PROGRAM_REVIEWER))
    response = client.post(reverse("renewal:deny", args=[renewal.pk]), {"decision-reason": ""})
    assert response.status_code == 400
    body = response.content.decode()
    assert body.count("Give the reason; the peer will read it.") == 1
    textarea = re.search(r'<textarea[^>]*name="decision-reason"[^>]*>', body).group(0)
    assert "usa-textarea" in textarea and "usa-input--error" in textarea
    assert Renewal.objects.get(pk=renewal.pk).status == RenewalStatus.UNDER_REVIEW


@pytest.mark.django_db
@time_machine.travel(NOW, tick=False)
def test_a_reviewer_cannot_press_the_peers_buttons(client):
    user, cert = certified_peer()
    renewal = _renewal(cert, RenewalStatus.IN_PROGRESS)
    client.force_login(user_with_role(Role.PROGRAM_REVIEWER))
    assert client.post(reverse("renewal:withdraw", args=[renewal.pk])).status_code in (403, 404)
    assert Renewal.objects.get(pk=renewal.pk).status == RenewalStatus.IN_PROGRESS


def test_the_views_have_no_action_switch():
    source = (Path(services.__file__).parent.parent / "views.py").read_text(encoding="utf-8")
    assert 'POST.get("action"' not in source and "except ApplicationError" not in source


# ---- Audit actions and signatures -------------------------------------------------------


def _service_trees():
    # Every module of the services package, so a service in any entity module is held to these rules.
    return [ast.parse(path.read_text(encoding="utf-8")) for path in SERVICE_MODULES]


def test_every_renewal_audit_action_is_a_registered_member():
    literal_actions = [
        node
        for tree in _service_trees()
        for node in ast.walk(tree)
        if isinstance(node, ast.keyword) and node.arg == "action" and isinstance(node.value, ast.Constant)
    ]
    assert literal_actions == []
    assert set(RenewalAuditAction.values) <= set(registered_actions())


PUBLIC_SERVICES = [
    node.name
    for tree in _service_trees()
    for node in tree.body
    if isinstance(node, ast.FunctionDef)
    and not node.name.startswith("_")
    and any(a.arg == "actor" for a in node.args.kwonlyargs)
]


@pytest.mark.parametrize("name", PUBLIC_SERVICES)
def test_every_service_names_its_actor_type(name):
    assert typing.get_type_hints(getattr(services, name))["actor"] == Actor


def test_the_services_package_re_exports_every_public_service():
    from peercert.renewal.services import ce_audit_decide, name_change_request, renewal_start

    assert services.renewal_start is renewal_start and services.ce_audit_decide is ce_audit_decide
    assert services.name_change_request is name_change_request
    # The checks above read the package's modules, so they still see every service that takes an actor.
    takes_actor = {
        name
        for name in services.__all__
        if callable(getattr(services, name)) and "actor" in inspect.signature(getattr(services, name)).parameters
    }
    assert set(PUBLIC_SERVICES) == takes_actor and len(takes_actor) > 10
    # _common is read too: the dates, draws and checks it holds are public (selectors and views use them).
    public = set()
    for path in SERVICE_MODULES:
        if path.stem == "__init__":
            continue
        entity = importlib.import_module(f"peercert.renewal.services.{path.stem}")
        for name, function in inspect.getmembers(entity, inspect.isfunction):
            if function.__module__ == entity.__name__ and not name.startswith("_"):
                assert getattr(services, name) is function, name
                public.add(name)
    assert public <= set(services.__all__)
    assert all(hasattr(services, name) for name in services.__all__)
