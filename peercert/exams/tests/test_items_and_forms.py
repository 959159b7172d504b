import pytest

from peercert.accounts.roles import Role
from peercert.accounts.tests.factories import statewide_program
from peercert.core.errors import ApplicationError
from peercert.core.models import AuditEvent
from peercert.core.vocabulary import ExamContentArea
from peercert.exams import services
from peercert.exams.models import ITEM_TRANSITIONS, FormItem, FormStatus, Item, ItemKind, ItemStatus
from peercert.exams.tests.factories import ItemFactory, approved_bank, exam_items_rule, practical_task

pytestmark = pytest.mark.django_db


def _draft(writer, **kw):
    return services.item_create(
        actor=writer,
        program=statewide_program(),
        code=kw.pop("code", "MC-1"),
        kind=ItemKind.MULTIPLE_CHOICE,
        content_area=ExamContentArea.ADVOCACY,
        stem="Which is self-advocacy?",
        options=["Asking for a reasonable change", "Waiting", "Ignoring"],
        key=0,
        **kw,
    )


def _audited(action, obj):
    return AuditEvent.objects.filter(action=action, object_type="exams.item", object_id=str(obj.pk)).exists()


def test_item_travels_from_draft_to_approved_with_dhcs(role_users):
    writer, reviewer, approver = (
        role_users[r] for r in (Role.EXAM_ADMINISTRATOR, Role.PROGRAM_REVIEWER, Role.DHCS_APPROVER)
    )
    item = _draft(writer)
    assert item.status == ItemStatus.DRAFT and _audited("item.create", item)
    item = services.item_submit(actor=writer, item=item)
    assert item.status == ItemStatus.IN_REVIEW and _audited("item.submit", item)
    item = services.item_review_pass(actor=reviewer, item=item)
    assert item.status == ItemStatus.AWAITING_DHCS and _audited("item.review_pass", item)
    item = services.item_approve(actor=approver, item=item)
    assert item.status == ItemStatus.APPROVED and item.approved_by == approver and _audited("item.approve", item)
    item = services.item_retire(actor=writer, item=item, reason="Outdated wording")
    assert item.status == ItemStatus.RETIRED and Item.objects.filter(pk=item.pk).exists()


def test_returns_by_program_and_by_dhcs_then_resubmit(role_users):
    writer, reviewer, approver = (
        role_users[r] for r in (Role.EXAM_ADMINISTRATOR, Role.PROGRAM_REVIEWER, Role.DHCS_APPROVER)
    )
    item = services.item_submit(actor=writer, item=_draft(writer))
    item = services.item_return(actor=reviewer, item=item, reason="Two options are correct.")
    assert item.status == ItemStatus.RETURNED and item.return_reason == "Two options are correct."
    item = services.item_update(
        actor=writer,
        item=item,
        stem="Which one is self-advocacy?",
        options=["Asking for a change", "Waiting", "Ignoring"],
        key=0,
    )
    item = services.item_submit(actor=writer, item=item)
    item = services.item_review_pass(actor=reviewer, item=item)
    with pytest.raises(ApplicationError, match="DHCS approver"):
        services.item_return(actor=reviewer, item=item, reason="no")
    item = services.item_return(actor=approver, item=item, reason="Plain language, please.")
    assert item.status == ItemStatus.RETURNED and _audited("item.return", item)


@pytest.mark.parametrize("start", list(ItemStatus.values))
@pytest.mark.parametrize("target", list(ItemStatus.values))
def test_every_item_transition_allowed_or_refused(role_users, start, target):
    writer, reviewer, approver = (
        role_users[r] for r in (Role.EXAM_ADMINISTRATOR, Role.PROGRAM_REVIEWER, Role.DHCS_APPROVER)
    )
    item = ItemFactory(status=start, written_by=writer)
    call = {
        ItemStatus.IN_REVIEW: lambda: services.item_submit(actor=writer, item=item),
        ItemStatus.AWAITING_DHCS: lambda: services.item_review_pass(actor=reviewer, item=item),
        ItemStatus.RETURNED: lambda: services.item_return(
            actor=approver if start == ItemStatus.AWAITING_DHCS else reviewer, item=item, reason="fix"
        ),
        ItemStatus.APPROVED: lambda: services.item_approve(actor=approver, item=item),
        ItemStatus.RETIRED: lambda: services.item_retire(actor=writer, item=item),
        ItemStatus.DRAFT: None,
    }[target]
    if call is None:
        assert ItemStatus.DRAFT not in ITEM_TRANSITIONS[start]  # nothing goes back to draft
        return
    if target in ITEM_TRANSITIONS[start]:
        assert call().status == target
    else:
        with pytest.raises(ApplicationError) as exc:
            call()
        assert exc.value.code == "state"
        item.refresh_from_db()
        assert item.status == start


def test_wrong_roles_are_refused(role_users):
    writer = role_users[Role.EXAM_ADMINISTRATOR]
    with pytest.raises(ApplicationError, match="exam administrator"):
        _draft(role_users[Role.PROGRAM_REVIEWER])
    item = services.item_submit(actor=writer, item=_draft(writer))
    with pytest.raises(ApplicationError, match="Someone other than the writer"):
        writer.role_assignments.create(role=Role.PROGRAM_REVIEWER, program=statewide_program())
        writer._role_cache = None
        services.item_review_pass(actor=writer, item=item)
    with pytest.raises(ApplicationError, match="program reviewer"):
        services.item_review_pass(actor=role_users[Role.DHCS_APPROVER], item=item)


def test_new_version_replaces_the_approved_one_on_approval(role_users):
    writer, reviewer, approver = (
        role_users[r] for r in (Role.EXAM_ADMINISTRATOR, Role.PROGRAM_REVIEWER, Role.DHCS_APPROVER)
    )
    v1 = ItemFactory(code="MC-9", status=ItemStatus.APPROVED)
    v2 = services.item_new_version(actor=writer, item=v1)
    assert v2.version == 2 and v2.status == ItemStatus.DRAFT and v2.stem == v1.stem
    with pytest.raises(ApplicationError, match="already being worked on"):
        services.item_new_version(actor=writer, item=v1)
    with pytest.raises(ApplicationError, match="Only a draft or returned"):
        services.item_update(actor=writer, item=v1, stem="x", options=["a", "b"], key=0)
    v2 = services.item_submit(actor=writer, item=v2)
    v2 = services.item_review_pass(actor=reviewer, item=v2)
    services.item_approve(actor=approver, item=v2)
    v1.refresh_from_db()
    assert v1.status == ItemStatus.RETIRED


def test_item_content_checks(role_users):
    writer = role_users[Role.EXAM_ADMINISTRATOR]
    with pytest.raises(ApplicationError, match="2 to 6 answer options"):
        _draft(
            writer,
            code="X1",
        ) if False else services.item_create(
            actor=writer,
            program=statewide_program(),
            code="X1",
            kind="multiple_choice",
            content_area="advocacy",
            stem="Q",
            options=["only one"],
            key=0,
        )
    with pytest.raises(ApplicationError, match="rubric criterion"):
        services.item_create(
            actor=writer,
            program=statewide_program(),
            code="P1",
            kind="practical",
            content_area="crisis_management",
            stem="Scenario",
            tolerance=2,
            criteria=[],
        )
    task = services.item_create(
        actor=writer,
        program=statewide_program(),
        code="P2",
        kind="practical",
        content_area="crisis_management",
        stem="Scenario",
        tolerance=2,
        criteria=[("Safety first", 5), ("Warm hand-off", 3)],
    )
    assert task.max_points == 8
    with pytest.raises(ApplicationError, match="already used"):
        _draft(writer, code="p2")


# Forms ------------------------------------------------------------------------------------------


def _form(writer, **kw):
    return services.form_create(
        actor=writer,
        program=statewide_program(),
        code=kw.pop("code", "ca-2027-a"),
        name="California 2027 A",
        blueprint=kw.pop("blueprint", {a: 2 for a in ExamContentArea.values}),
        practical_task_count=kw.pop("practical_task_count", 1),
        pass_rule="scaled",
        cut_score=70,
        **kw,
    )


def test_form_assembled_from_blueprint_then_approved_and_published(role_users):
    writer, manager = role_users[Role.EXAM_ADMINISTRATOR], role_users[Role.PROGRAM_MANAGER]
    approved_bank(per_area=3, practical=2)
    ItemFactory(status=ItemStatus.DRAFT, content_area="advocacy")  # never picked
    form = services.form_assemble(actor=writer, form=_form(writer))
    assert form.status == FormStatus.ASSEMBLED
    picked = FormItem.objects.filter(form=form).select_related("item")
    assert picked.count() == 17
    assert all(fi.item.status == ItemStatus.APPROVED for fi in picked)
    assert {
        a: sum(1 for fi in picked if fi.item.content_area == a and fi.item.kind == "multiple_choice")
        for a in ExamContentArea.values
    } == {a: 2 for a in ExamContentArea.values}
    form = services.form_assemble(actor=writer, form=form)  # re-assembling replaces the picks
    assert FormItem.objects.filter(form=form).count() == 17
    with pytest.raises(ApplicationError, match="program manager"):
        services.form_approve(actor=writer, form=form)
    # the rules say how many questions the written exam has: 120 by default, not this form's 16
    with pytest.raises(ApplicationError, match="has 16 questions; the program rules say the written exam has 120"):
        services.form_approve(actor=manager, form=form)
    exam_items_rule(16)
    with pytest.raises(ApplicationError, match="conversion table"):
        services.form_approve(actor=manager, form=form)  # a scaled form needs its table
    table = services.suggested_conversion(16, 100)
    with pytest.raises(ApplicationError, match="from 0 to 16"):
        services.form_approve(actor=manager, form=form, conversion={k: v for k, v in table.items() if k != 5})
    with pytest.raises(ApplicationError, match="Raw score 9 converts lower"):
        services.form_approve(actor=manager, form=form, conversion={**table, 9: 1})
    with pytest.raises(ApplicationError, match="reaches the scaled cut score of 70"):
        services.form_approve(actor=manager, form=form, conversion={k: min(v, 50) for k, v in table.items()})
    form.refresh_from_db()
    assert form.status == FormStatus.ASSEMBLED and not form.conversion.exists()  # nothing half-saved
    equated = {**table, 11: 70, 12: 76}  # the equating study's table, not a percent of the items
    form = services.form_approve(actor=manager, form=form, conversion=equated)
    assert dict(form.conversion.values_list("raw", "scaled")) == equated
    with pytest.raises(ApplicationError) as exc:
        services.form_assemble(actor=writer, form=form)
    assert exc.value.code == "state"
    form = services.form_publish(actor=writer, form=form)
    assert form.status == FormStatus.PUBLISHED
    assert AuditEvent.objects.filter(object_type="exams.examform", action="form.publish").exists()
    form = services.form_retire(actor=writer, form=form)
    with pytest.raises(ApplicationError):
        services.form_publish(actor=writer, form=form)


def test_assembly_refuses_a_short_bank_naming_each_area(role_users):
    writer = role_users[Role.EXAM_ADMINISTRATOR]
    approved_bank(per_area=1)
    form = _form(writer)
    with pytest.raises(ApplicationError) as exc:
        services.form_assemble(actor=writer, form=form)
    assert "Advocacy: needs 2, 1 approved" in exc.value.message
    assert "Practical tasks: needs 1, 0 approved" in exc.value.message
    assert not FormItem.objects.filter(form=form).exists()
    form.refresh_from_db()
    assert form.status == FormStatus.DRAFT


def test_form_approval_refused_when_an_item_was_retired_since(role_users):
    writer, manager = role_users[Role.EXAM_ADMINISTRATOR], role_users[Role.PROGRAM_MANAGER]
    approved_bank(per_area=2)
    practical_task()
    form = services.form_assemble(actor=writer, form=_form(writer))
    services.item_retire(actor=writer, item=form.form_items.first().item)
    with pytest.raises(ApplicationError, match="no longer approved"):
        services.form_approve(actor=manager, form=form)


def test_form_pass_rule_checked(role_users):
    writer = role_users[Role.EXAM_ADMINISTRATOR]
    with pytest.raises(ApplicationError, match="cut score"):
        services.form_create(
            actor=writer,
            program=statewide_program(),
            code="x",
            name="X",
            blueprint={"advocacy": 5},
            pass_rule="raw",
            cut_score=6,
        )


@pytest.mark.parametrize("start", list(FormStatus.values))
@pytest.mark.parametrize(
    "target", [FormStatus.ASSEMBLED, FormStatus.APPROVED, FormStatus.PUBLISHED, FormStatus.RETIRED]
)
def test_every_form_transition_allowed_or_refused(role_users, start, target):
    from peercert.exams.models import FORM_TRANSITIONS
    from peercert.exams.tests.factories import published_form

    writer, manager = role_users[Role.EXAM_ADMINISTRATOR], role_users[Role.PROGRAM_MANAGER]
    approved_bank(per_area=1)
    exam_items_rule(8)
    form = published_form(items=list(Item.objects.filter(kind="multiple_choice")), code=f"f-{start}-{target}")
    form.status = start
    form.save(update_fields=["status"])
    call = {
        FormStatus.ASSEMBLED: lambda: services.form_assemble(actor=writer, form=form),
        FormStatus.APPROVED: lambda: services.form_approve(actor=manager, form=form),
        FormStatus.PUBLISHED: lambda: services.form_publish(actor=writer, form=form),
        FormStatus.RETIRED: lambda: services.form_retire(actor=writer, form=form),
    }[target]
    if target in FORM_TRANSITIONS[start]:
        assert call().status == target
        assert AuditEvent.objects.filter(object_type="exams.examform", object_id=str(form.pk)).exists()
    else:
        with pytest.raises(ApplicationError) as exc:
            call()
        assert exc.value.code == "state"
        form.refresh_from_db()
        assert form.status == start


@pytest.mark.parametrize("start", ["scheduled", "cancelled"])
def test_every_session_transition(role_users, start):
    from peercert.exams.models import SESSION_TRANSITIONS
    from peercert.exams.tests.factories import session

    s = session()
    s.status = start
    s.save(update_fields=["status"])
    admin = role_users[Role.EXAM_ADMINISTRATOR]
    if "cancelled" in SESSION_TRANSITIONS[start]:
        assert services.session_cancel(actor=admin, session=s, reason="Fire drill").status == "cancelled"
        assert AuditEvent.objects.filter(action="session.cancel", object_id=str(s.pk)).exists()
    else:
        with pytest.raises(ApplicationError) as exc:
            services.session_cancel(actor=admin, session=s, reason="again")
        assert exc.value.code == "state"
