"""Item analysis: each item's statistics and the form's reliability over its scored attempts."""

from decimal import Decimal

from django.db import transaction

from peercert.core import clock
from peercert.core.audit import audit_record
from peercert.core.errors import ApplicationError
from peercert.core.rules import rules_on
from peercert.core.types import Actor
from peercert.exams import permissions as perms
from peercert.exams.audit import ExamsAuditAction
from peercert.exams.models import (
    ExamForm,
    FormItem,
    Item,
)
from peercert.exams.services._common import (
    _lock,
    _system_or,
)


@transaction.atomic
def form_analyse(*, actor: Actor, form: ExamForm) -> dict:
    """Compute each item's p and point-biserial and the form's KR-20 over its scored attempts; flag items.

    Preconditions: program exam staff; at least two scored attempts. Side effects: statistics stored
    on the form's items (bulk), flagged items marked for review on the item, KR-20 on the form; audit
    form.analyse. Thresholds are program rules (exam_item_p_min/max, exam_item_rpb_min).
    """
    from peercert.exams.analysis import analyse, response_matrix

    _system_or(actor, perms.can_view_analysis, "Only exam and program staff may run item analysis.")
    form = _lock(ExamForm, form.pk)
    item_ids, matrix = response_matrix(form)
    if len(matrix) < 2:
        raise ApplicationError("Item analysis needs at least two scored attempts on this form.", code="state")
    rules = rules_on()
    stats = analyse(matrix, p_min=rules.exam_item_p_min, p_max=rules.exam_item_p_max, rpb_min=rules.exam_item_rpb_min)
    rows = {fi.item_id: fi for fi in FormItem.objects.filter(form=form, item_id__in=item_ids)}
    q = Decimal("0.0001")
    for item_id, stat in zip(item_ids, stats["items"], strict=True):
        row = rows[item_id]
        row.p_value = Decimal(stat["p"]).quantize(q)
        row.point_biserial = None if stat["r_pb"] is None else Decimal(stat["r_pb"]).quantize(q)
        row.flagged = stat["flagged"]
    FormItem.objects.bulk_update(list(rows.values()), ["p_value", "point_biserial", "flagged"])
    flagged = [pk for pk, row in rows.items() if row.flagged]
    Item.objects.filter(pk__in=flagged).update(flagged_for_review=True)
    form.kr20 = None if stats["kr20"] is None else Decimal(stats["kr20"]).quantize(q)
    form.analysed_at, form.analysis_attempts = clock.now(), len(matrix)
    form.save(update_fields=["kr20", "analysed_at", "analysis_attempts", "updated_at"])
    audit_record(
        actor=actor,
        action=ExamsAuditAction.FORM_ANALYSE,
        obj=form,
        after={"attempts": len(matrix), "kr20": form.kr20, "flagged": len(flagged), "rules_version": rules.version},
    )
    return {"attempts": len(matrix), "kr20": form.kr20, "flagged": len(flagged)}
