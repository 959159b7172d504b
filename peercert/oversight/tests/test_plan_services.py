"""The implementation plan: submitted by the program, decided by DHCS, every move audited."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from peercert.accounts.roles import Role
from peercert.accounts.tests.factories import user_with_role
from peercert.core.errors import ApplicationError
from peercert.core.models import AuditEvent
from peercert.core.transitions import assert_map_covers, every_move
from peercert.oversight import selectors, services
from peercert.oversight.models.plan import PLAN_TRANSITIONS, PlanComment, PlanStatus, PlanVersion
from peercert.oversight.tests.factories.plan import PlanVersionFactory, plan_pdf, plan_sections

pytestmark = [pytest.mark.django_db]

# 00:05 in Los Angeles: the UTC date is already the next day.
EARLY = datetime.datetime(2026, 3, 3, 8, 5, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(EARLY, tick=False):
        yield


@pytest.fixture
def manager():
    return user_with_role(Role.PROGRAM_MANAGER)


@pytest.fixture
def approver():
    return user_with_role(Role.DHCS_APPROVER)


def _actions(version):
    return list(
        AuditEvent.objects.filter(object_type="oversight.planversion", object_id=str(version.pk))
        .order_by("at", "pk")
        .values_list("action", flat=True)
    )


def test_the_map_covers_every_state():
    assert_map_covers(PLAN_TRANSITIONS, PlanStatus)


@pytest.mark.parametrize(("source", "target", "allowed"), every_move(PLAN_TRANSITIONS, PlanStatus))
def test_every_move_is_in_the_map_or_refused(source, target, allowed):
    from peercert.core.transitions import check_transition

    version = PlanVersion(status=source)
    if allowed:
        check_transition(version, target, allowed=PLAN_TRANSITIONS, noun="plan version")
    else:
        with pytest.raises(ApplicationError) as refused:
            check_transition(version, target, allowed=PLAN_TRANSITIONS, noun="plan version")
        assert refused.value.code == "state"


def test_submit_keeps_every_section_and_its_attachment_and_is_audited(manager):
    version = services.plan_submit(actor=manager, sections=plan_sections(attachment=plan_pdf()), summary="First plan.")
    assert version.status == PlanStatus.SUBMITTED and version.number == 1
    sections = list(version.sections.all())
    assert len(sections) == 6
    assert sections[0].attachment_kind == "pdf" and sections[0].attachment_name == "plan-appendix.pdf"
    assert not sections[1].attachment
    assert _actions(version) == ["plan.submit"]


def test_a_second_version_while_one_awaits_a_decision_is_refused(manager):
    services.plan_submit(actor=manager, sections=plan_sections())
    with pytest.raises(ApplicationError) as refused:
        services.plan_submit(actor=manager, sections=plan_sections("Again: "))
    assert refused.value.code == "state"
    assert "still waiting for DHCS" in str(refused.value)
    assert PlanVersion.objects.count() == 1


def test_the_database_holds_one_awaiting_version_too(manager):
    from django.db import IntegrityError, transaction

    PlanVersionFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        PlanVersionFactory()


def test_only_the_program_manager_submits_and_every_section_needs_text(manager):
    with pytest.raises(ApplicationError):
        services.plan_submit(actor=user_with_role(Role.DHCS_APPROVER), sections=plan_sections())
    sections = plan_sections()
    sections["data"]["body"] = "   "
    with pytest.raises(ApplicationError) as refused:
        services.plan_submit(actor=manager, sections=sections)
    assert refused.value.field == "data"


def test_a_file_that_is_not_a_document_is_refused(manager):
    from django.core.files.uploadedfile import SimpleUploadedFile

    bad = SimpleUploadedFile("plan.pdf", b"<html><script>alert(1)</script></html>", content_type="application/pdf")
    with pytest.raises(ApplicationError):
        services.plan_submit(actor=manager, sections=plan_sections(attachment=bad))
    assert not PlanVersion.objects.exists()


def test_returned_with_comments_per_section_then_a_new_version_is_approved(manager, approver):
    first = services.plan_submit(actor=manager, sections=plan_sections())
    returned = services.plan_return(
        actor=approver, version=first, section_comments={"data": "Say how often you report to DHCS.", "training": ""}
    )
    assert returned.status == PlanStatus.RETURNED and returned.decided_by == approver
    comments = list(PlanComment.objects.filter(version=first))
    assert [(c.section.code, c.text) for c in comments] == [("data", "Say how often you report to DHCS.")]
    assert selectors.plan_in_force() is None

    second = services.plan_submit(actor=manager, sections=plan_sections("Monthly: "))
    assert second.number == 2 and second.responds_to == first
    services.plan_approve(actor=approver, version=second)
    second.refresh_from_db()
    assert second.status == PlanStatus.APPROVED
    assert second.in_force_from == datetime.date(2026, 3, 3), "today in Los Angeles, not the UTC date"
    assert selectors.plan_in_force() == second
    assert _actions(first) == ["plan.submit", "plan.return"]
    assert _actions(second) == ["plan.submit", "plan.approve"]


def test_approving_a_later_version_supersedes_the_one_in_force(manager, approver):
    first = services.plan_submit(actor=manager, sections=plan_sections())
    services.plan_approve(actor=approver, version=first)
    second = services.plan_submit(actor=manager, sections=plan_sections("v2 "))
    services.plan_approve(actor=approver, version=second)
    first.refresh_from_db()
    assert first.status == PlanStatus.SUPERSEDED and first.in_force_to == datetime.date(2026, 3, 3)
    assert _actions(first) == ["plan.submit", "plan.approve", "plan.supersede"]
    assert selectors.plan_in_force() == second


def test_a_return_needs_a_section_comment_and_a_rejection_a_reason(manager, approver):
    version = services.plan_submit(actor=manager, sections=plan_sections())
    with pytest.raises(ApplicationError):
        services.plan_return(actor=approver, version=version, section_comments={}, comment="Overall only.")
    with pytest.raises(ApplicationError):
        services.plan_reject(actor=approver, version=version, comment="")
    services.plan_reject(actor=approver, version=version, comment="Out of scope for the program.")
    version.refresh_from_db()
    assert version.status == PlanStatus.REJECTED
    assert _actions(version) == ["plan.submit", "plan.reject"]
    with pytest.raises(ApplicationError) as again:
        services.plan_approve(actor=approver, version=version)
    assert again.value.code == "state"


def test_nobody_decides_their_own_submission_and_only_approvers_decide(manager):
    # A user holding both roles submits, then tries to approve.
    from peercert.accounts.models import RoleAssignment

    both = user_with_role(Role.PROGRAM_MANAGER)
    RoleAssignment.objects.create(user=both, role=Role.DHCS_APPROVER)
    version = services.plan_submit(actor=both, sections=plan_sections())
    with pytest.raises(ApplicationError) as own:
        services.plan_approve(actor=both, version=version)
    assert own.value.code == "own_matter"
    with pytest.raises(ApplicationError):
        services.plan_approve(actor=user_with_role(Role.DHCS_ANALYST), version=version)
    with pytest.raises(ApplicationError):
        services.plan_approve(actor=manager, version=version)
    version.refresh_from_db()
    assert version.status == PlanStatus.SUBMITTED


def test_pages_the_plan_in_force_for_everyone_signed_in_and_versions_for_readers(client, manager, approver):
    version = services.plan_submit(actor=manager, sections=plan_sections(attachment=plan_pdf()))
    services.plan_approve(actor=approver, version=version)
    peer = user_with_role(Role.PEER)
    client.force_login(peer)
    page = client.get(reverse("oversight:plan"))
    assert page.status_code == 200 and "How the program handles" in page.content.decode()
    section = version.sections.first()
    download = client.get(reverse("oversight:plan_attachment", args=[section.pk]))
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf" and "attachment" in download["Content-Disposition"]
    assert client.get(reverse("oversight:plan_versions")).status_code == 403
    client.logout()
    assert client.get(reverse("oversight:plan")).status_code == 302


def test_the_decision_page_refuses_a_return_without_comments(client, manager, approver):
    version = services.plan_submit(actor=manager, sections=plan_sections())
    client.force_login(approver)
    url = reverse("oversight:plan_decide", args=[version.pk])
    refused = client.post(url, {"decide-decision": "return", "decide-comment": ""})
    assert refused.status_code == 400
    assert "at least one section" in refused.content.decode()
    done = client.post(url, {"decide-decision": "return", "decide-section_data": "Add the reporting calendar."})
    assert done.status_code == 302
    version.refresh_from_db()
    assert version.status == PlanStatus.RETURNED


def test_the_submit_page_refuses_while_a_version_awaits(client, manager):
    services.plan_submit(actor=manager, sections=plan_sections())
    client.force_login(manager)
    data = {code: s["body"] for code, s in plan_sections("New ").items()}
    response = client.post(reverse("oversight:plan_submit"), data)
    assert response.status_code == 400
    assert "still waiting for DHCS" in response.content.decode()
