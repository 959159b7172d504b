"""Item analysis checked against figures worked out by hand on a small data set.

Six candidates (A-F), five items; 1 = correct.

        i1 i2 i3 i4 i5 | X (total)
    A    1  1  1  1  0 | 4
    B    1  1  1  0  0 | 3
    C    1  1  1  0  0 | 3
    D    1  1  0  0  1 | 3
    E    1  0  0  0  1 | 2
    F    1  0  0  0  0 | 1

Totals: mean 16/6 = 8/3; deviations 4/3, 1/3, 1/3, 1/3, -2/3, -5/3; squares sum 48/9;
population variance 48/54 = 8/9.

p (share correct): i1 6/6 = 1, i2 4/6 = 2/3, i3 3/6 = 1/2, i4 1/6, i5 2/6 = 1/3.
p q: 0, 2/9, 1/4, 5/36, 2/9; sum = (0 + 8 + 9 + 5 + 8) / 36 = 5/6.
KR-20 = k/(k-1) (1 - sum pq / var) = 5/4 x (1 - (5/6)/(8/9)) = 5/4 x (1 - 45/48) = 5/4 x 3/48 = 15/192 = 0.078125.

Corrected point-biserial, r = (M1 - M0) / s x sqrt(p q), on the rest score R = X - item:
  i2: R = 3,2,2,2,2,1. M1 (A-D) = 9/4 = 2.25, M0 (E,F) = 1.5. mean 2, squares 1,0,0,0,0,1 -> var 1/3, s = 0.57735.
      r = 0.75 / 0.57735 x sqrt(2/9) = 1.29904 x 0.47140 = 0.61237
  i3: R = 3,2,2,3,2,1. M1 (A-C) = 7/3, M0 (D-F) = 2. mean 13/6, squares sum 17/6 -> var 17/36, s = 0.68718.
      r = (1/3) / 0.68718 x 0.5 = 0.24254
  i4: R = 3,3,3,3,2,1. M1 (A) = 3, M0 = 12/5 = 2.4. mean 2.5, squares sum 3.5 -> var 7/12, s = 0.76376.
      r = 0.6 / 0.76376 x sqrt(5/36) = 0.78558 x 0.37268 = 0.29277
  i5: R = 4,3,3,2,1,1. M1 (D,E) = 1.5, M0 (A,B,C,F) = 11/4 = 2.75. mean 7/3, squares sum 22/3 -> var 11/9, s = 1.10554.
      r = -1.25 / 1.10554 x sqrt(2/9) = -1.13067 x 0.47140 = -0.53300
  i1: everyone correct, r undefined.

Flags (p < 0.20, p > 0.95, r < 0.15): i1 (p = 1), i4 (p = 0.167), i5 (r = -0.533). i2, i3 in range.
"""

from decimal import Decimal

import pytest

from peercert.accounts.roles import Role
from peercert.core import clock
from peercert.core.errors import ApplicationError
from peercert.core.models import AuditEvent
from peercert.exams import analysis, services
from peercert.exams.models import Answer, Attempt, FormItem, Item
from peercert.exams.tests.factories import ItemFactory, candidate, checked_in_attempt, published_form

pytestmark = pytest.mark.django_db

MATRIX = [
    [1, 1, 1, 1, 0],
    [1, 1, 1, 0, 0],
    [1, 1, 1, 0, 0],
    [1, 1, 0, 0, 1],
    [1, 0, 0, 0, 1],
    [1, 0, 0, 0, 0],
]


def test_pure_figures_match_the_hand_calculation():
    stats = analysis.analyse(MATRIX, p_min="0.20", p_max="0.95", rpb_min="0.15")
    assert stats["kr20"] == pytest.approx(15 / 192)
    ps = [s["p"] for s in stats["items"]]
    assert ps == pytest.approx([1, 2 / 3, 1 / 2, 1 / 6, 1 / 3])
    rs = [s["r_pb"] for s in stats["items"]]
    assert rs[0] is None
    assert rs[1:] == pytest.approx([0.61237, 0.24254, 0.29277, -0.53300], abs=5e-5)
    assert [s["flagged"] for s in stats["items"]] == [True, False, False, True, True]


def test_form_analysis_reads_the_attempts_and_stores_and_flags(role_users):
    items = [ItemFactory(key=0) for _ in range(5)]
    form = published_form(items=items, cut_score=1)
    for row in MATRIX:
        attempt = checked_in_attempt(user=candidate(), form=form)
        # a wrong answer is option B (1); an unanswered item would count as wrong too
        Answer.objects.bulk_create(
            [
                Answer(attempt=attempt, item=item, choice=0 if ok else 1, answered_at=clock.now())
                for item, ok in zip(items, row, strict=True)
            ]
        )
        Attempt.objects.filter(pk=attempt.pk).update(status="scored", result="passed")
    # an attempt still in progress is left out
    checked_in_attempt(user=candidate(), form=form)

    summary = services.form_analyse(actor=role_users[Role.PROGRAM_MANAGER], form=form)

    assert summary["attempts"] == 6 and summary["flagged"] == 3
    form.refresh_from_db()
    assert form.kr20 == Decimal("0.0781")
    rows = list(FormItem.objects.filter(form=form).order_by("position"))
    assert [r.p_value for r in rows] == [
        Decimal("1.0000"),
        Decimal("0.6667"),
        Decimal("0.5000"),
        Decimal("0.1667"),
        Decimal("0.3333"),
    ]
    assert [r.point_biserial for r in rows] == [
        None,
        Decimal("0.6124"),
        Decimal("0.2425"),
        Decimal("0.2928"),
        Decimal("-0.5330"),
    ]
    assert [r.flagged for r in rows] == [True, False, False, True, True]
    assert set(Item.objects.filter(flagged_for_review=True).values_list("pk", flat=True)) == {
        items[0].pk,
        items[3].pk,
        items[4].pk,
    }
    assert AuditEvent.objects.filter(action="form.analyse", object_id=str(form.pk)).exists()


def test_analysis_needs_two_scored_attempts_and_staff(role_users):
    form = published_form()
    with pytest.raises(ApplicationError, match="at least two"):
        services.form_analyse(actor=role_users[Role.EXAM_ADMINISTRATOR], form=form)
    with pytest.raises(ApplicationError):
        services.form_analyse(actor=role_users[Role.COUNTY_STAFF], form=form)
