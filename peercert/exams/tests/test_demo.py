import io

import pytest

from peercert.accounts import demo as accounts_demo
from peercert.exams import demo
from peercert.exams.models import ExamAuthorization, ExamForm, ExamSession, FormItem, Item, ItemStatus

pytestmark = pytest.mark.django_db


def test_demo_seed_is_idempotent_and_complete():
    accounts_demo.seed(io.StringIO())
    demo.seed(io.StringIO())
    counts = (
        Item.objects.count(),
        FormItem.objects.count(),
        ExamSession.objects.count(),
        ExamAuthorization.objects.count(),
    )
    demo.seed(io.StringIO())
    assert (
        Item.objects.count(),
        FormItem.objects.count(),
        ExamSession.objects.count(),
        ExamAuthorization.objects.count(),
    ) == counts
    assert Item.objects.filter(status=ItemStatus.APPROVED, kind="multiple_choice").count() >= 120
    assert set(Item.objects.values_list("content_area", flat=True)) >= {"advocacy", "crisis_management"}
    form = ExamForm.objects.get(code="ca-2027-a")
    assert form.status == "published" and form.form_items.count() == 121
    assert ExamSession.objects.filter(delivery="online").exists()
    assert ExamAuthorization.objects.filter(person__user__email="peer@demo.peercert.example").exists()


def test_the_exam_demo_peers_tell_their_stories():
    from peercert.exams import selectors
    from peercert.exams.models import Attempt, ScaleConversion
    from peercert.exams.selectors import RetakeState

    accounts_demo.seed(io.StringIO())
    demo.seed(io.StringIO())
    demo.seed(io.StringIO())  # twice: the same people, attempts and table
    form = ExamForm.objects.get(code="ca-2027-a")
    assert ScaleConversion.objects.filter(form=form).count() == 121
    failed = Attempt.objects.get(person__user__email="reintento@demo.peercert.example")
    assert failed.result == "failed" and failed.written_scaled < form.cut_score
    assert selectors.retake_standing(failed).state == RetakeState.REQUEST
    open_attempt = Attempt.objects.get(person__user__email="enexamen@demo.peercert.example")
    assert open_attempt.status == "in_progress" and not open_attempt.break_taken
