import datetime
from decimal import Decimal

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from peercert.accounts.roles import Role
from peercert.accounts.tests.factories import statewide_program, user_with_role
from peercert.core import clock, samples
from peercert.core.vocabulary import ExamContentArea
from peercert.exams.models import (
    AccommodationRequest,
    AccommodationStatus,
    Attempt,
    BlueprintRow,
    Delivery,
    ExamAuthorization,
    ExamForm,
    ExamSession,
    FormItem,
    FormStatus,
    Item,
    ItemKind,
    ItemStatus,
    Registration,
    RubricCriterion,
)

PDF = samples.PDF


def pdf_upload(name="provider-form.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


class ItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Item

    program = factory.LazyFunction(statewide_program)
    code = factory.Sequence(lambda n: f"T{n:05d}")
    kind = ItemKind.MULTIPLE_CHOICE
    content_area = ExamContentArea.RECOVERY_SUPPORT
    competency = "Shares recovery story with purpose"
    stem = factory.Sequence(lambda n: f"Question {n}: what does a peer do first?")
    options = ["Listen", "Lecture", "Leave", "Label"]
    key = 0
    status = ItemStatus.APPROVED


def practical_task(*, status=ItemStatus.APPROVED, tolerance=2, points=(4, 3, 3), **kw) -> Item:
    task = ItemFactory(
        kind=ItemKind.PRACTICAL,
        key=None,
        options=[],
        tolerance=tolerance,
        status=status,
        stem="A member calls in distress after losing housing. Role-play the first ten minutes.",
        **kw,
    )
    RubricCriterion.objects.bulk_create(
        [RubricCriterion(item=task, position=i, label=f"Criterion {i}", points=p) for i, p in enumerate(points, 1)]
    )
    return task


def approved_bank(per_area: int = 2, practical: int = 0) -> list[Item]:
    items = [ItemFactory.build(content_area=area) for area in ExamContentArea.values for _ in range(per_area)]
    Item.objects.bulk_create(items)
    for _ in range(practical):
        practical_task()
    return items


def published_form(
    *,
    items: list[Item] | None = None,
    tasks: list[Item] | None = None,
    cut_score: int = 2,
    pass_rule: str = "raw",
    code: str | None = None,
    practical_cut_percent: int = 70,
) -> ExamForm:
    """A published form holding exactly the items given (made here when not given)."""
    if items is None:
        items = [ItemFactory(content_area=ExamContentArea.values[i % 8]) for i in range(3)]
    tasks = tasks or []
    form = ExamForm.objects.create(
        program=statewide_program(),
        code=code or f"form-{ExamForm.objects.count() + 1}",
        name="Test form",
        status=FormStatus.PUBLISHED,
        practical_task_count=len(tasks),
        pass_rule=pass_rule,
        cut_score=cut_score,
        practical_cut_percent=practical_cut_percent,
    )
    counts = {}
    for it in items:
        counts[it.content_area] = counts.get(it.content_area, 0) + 1
    BlueprintRow.objects.bulk_create([BlueprintRow(form=form, content_area=a, item_count=n) for a, n in counts.items()])
    FormItem.objects.bulk_create([FormItem(form=form, item=it, position=i) for i, it in enumerate([*items, *tasks], 1)])
    return form


def proctor():
    return user_with_role(Role.EXAM_ADMINISTRATOR)


def session(*, form=None, starts_at=None, capacity=10, proctor_user=None, delivery=Delivery.IN_PERSON) -> ExamSession:
    form = form or published_form()
    return ExamSession.objects.create(
        program=form.program,
        form=form,
        delivery=delivery,
        site_name="Centro Comunitario" if delivery == Delivery.IN_PERSON else "",
        city="Fresno",
        room="B-2",
        starts_at=starts_at or clock.now() + datetime.timedelta(days=7),
        minutes=150,
        rules_version="test",
        capacity=capacity,
        proctor=proctor_user or proctor(),
    )


def candidate(*, authorized=True, valid_days=300, attempts_paid=1, attempts_used=0):
    """A peer user with a Person, optionally authorized to test."""
    user = user_with_role(Role.PEER)
    if authorized:
        ExamAuthorization.objects.create(
            person=user.person,
            valid_until=clock.today() + datetime.timedelta(days=valid_days),
            attempts_paid=attempts_paid,
            attempts_used=attempts_used,
            reference=f"APP-{user.pk}",
            rules_version="test",
        )
    return user


def approved_accommodation(person, multiplier="1.50") -> AccommodationRequest:
    return AccommodationRequest.objects.create(
        person=person,
        kinds=["extra_time"],
        provider_name="Dra. Pilar Núñez",
        provider_license="PSY 12345",
        document=pdf_upload(),
        document_kind="pdf",
        status=AccommodationStatus.APPROVED,
        time_multiplier=Decimal(multiplier),
        decided_at=clock.now(),
    )


def checked_in_attempt(*, user=None, form=None, starts_at=None, multiplier="1.00") -> Attempt:
    """A candidate checked in to a session on `form` (starting now by default)."""
    user = user or candidate()
    sess = session(form=form, starts_at=starts_at or clock.now())
    auth = ExamAuthorization.objects.filter(person=user.person).first()
    auth.attempts_used += 1
    auth.save()
    reg = Registration.objects.create(
        session=sess,
        person=user.person,
        authorization=auth,
        status="checked_in",
        photo_id_confirmed=True,
        time_multiplier=Decimal(multiplier),
    )
    return Attempt.objects.create(
        registration=reg,
        person=user.person,
        form=sess.form,
        taken_on=timezone.localdate(sess.starts_at),
        rules_version="test",
    )


def exam_items_rule(n: int) -> None:
    """Tests build small forms: make the rules in force want n questions on the written exam."""
    from peercert.core.models import ProgramRuleSet

    for row in ProgramRuleSet.objects.all():
        row.rules = {**row.rules, "exam_items": n}
        row.save(update_fields=["rules"])


def conversion_table(form, table: dict[int, int]) -> None:
    from peercert.exams.models import ScaleConversion

    ScaleConversion.objects.bulk_create([ScaleConversion(form=form, raw=r, scaled=s) for r, s in table.items()])
