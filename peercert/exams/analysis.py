"""Classical item analysis: difficulty (p), discrimination (point-biserial) and KR-20 reliability.

The arithmetic is plain Python over a 0/1 response matrix; the matrix itself is read from the
database set-based (two queries, whatever the number of candidates).
"""

import math

from django.db.models import F

from peercert.exams.models import Answer, Attempt, AttemptStatus, FormItem, ItemKind


def response_matrix(form) -> tuple[list[int], list[list[int]]]:
    """(item ids in form order, one row of 0/1 per scored attempt). Unanswered counts as wrong."""
    item_ids = list(
        FormItem.objects.filter(form=form, item__kind=ItemKind.MULTIPLE_CHOICE)
        .order_by("position")
        .values_list("item_id", flat=True)
    )
    attempt_ids = list(
        Attempt.objects.filter(form=form, status=AttemptStatus.SCORED).order_by("pk").values_list("pk", flat=True)
    )
    column = {item_id: j for j, item_id in enumerate(item_ids)}
    row = {attempt_id: i for i, attempt_id in enumerate(attempt_ids)}
    matrix = [[0] * len(item_ids) for _ in attempt_ids]
    correct = (
        Answer.objects.filter(attempt_id__in=attempt_ids, item_id__in=item_ids)
        .filter(choice=F("item__key"))
        .values_list("attempt_id", "item_id")
    )
    for attempt_id, item_id in correct:
        matrix[row[attempt_id]][column[item_id]] = 1
    return item_ids, matrix


def _mean(values: list[float]) -> float:
    return sum(values) / len(values)


def _pvariance(values: list[float]) -> float:
    m = _mean(values)
    return sum((v - m) ** 2 for v in values) / len(values)


def point_biserial(item: list[int], rest: list[float]) -> float | None:
    """r_pb = (M1 - M0) / s * sqrt(p q), with s the population standard deviation of `rest`.

    We use the CORRECTED item-total correlation: `rest` is each candidate's total score minus this
    item, so an item does not correlate with itself (which inflates r on short forms). None when
    everyone or no one got the item right, or the rest scores do not vary.
    """
    n = len(item)
    p = sum(item) / n
    if p in (0, 1):
        return None
    s = math.sqrt(_pvariance(rest))
    if s == 0:
        return None
    m1 = _mean([r for x, r in zip(item, rest, strict=True) if x])
    m0 = _mean([r for x, r in zip(item, rest, strict=True) if not x])
    return (m1 - m0) / s * math.sqrt(p * (1 - p))


def kr20(matrix: list[list[int]]) -> float | None:
    """KR-20 = k/(k-1) x (1 - sum(p q) / var(total)), population variance. None if it cannot be computed."""
    k = len(matrix[0]) if matrix else 0
    if k < 2 or len(matrix) < 2:
        return None
    totals = [sum(row) for row in matrix]
    variance = _pvariance(totals)
    if variance == 0:
        return None
    n = len(matrix)
    sum_pq = 0.0
    for j in range(k):
        p = sum(row[j] for row in matrix) / n
        sum_pq += p * (1 - p)
    return k / (k - 1) * (1 - sum_pq / variance)


def analyse(matrix: list[list[int]], *, p_min, p_max, rpb_min) -> dict:
    """Per-item p, corrected r_pb and flag (p < p_min, p > p_max, or r_pb < rpb_min), and the form's KR-20."""
    p_min, p_max, rpb_min = float(p_min), float(p_max), float(rpb_min)
    n = len(matrix)
    k = len(matrix[0]) if matrix else 0
    totals = [sum(row) for row in matrix]
    items = []
    for j in range(k):
        column = [row[j] for row in matrix]
        p = sum(column) / n
        r = point_biserial(column, [t - x for t, x in zip(totals, column, strict=True)])
        flagged = p < p_min or p > p_max or (r is not None and r < rpb_min)
        items.append({"p": p, "r_pb": r, "flagged": flagged})
    return {"items": items, "kr20": kr20(matrix)}
