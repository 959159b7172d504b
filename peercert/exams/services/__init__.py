"""Every change to the exam's records. Each service: lock, check, change, audit.

One module per entity, along the banners the single module had; every public name is
re-exported here, so `from peercert.exams import services; services.item_submit(...)` and
`from peercert.exams.services import item_submit` keep working. Helpers the entity modules
share are in _common."""

from peercert.exams.services._common import ATTEMPT, FORM, ITEM, REGISTRATION, REQUEST, SESSION
from peercert.exams.services.accommodations import (
    accommodation_decide,
    accommodation_request,
    accommodation_withdraw,
)
from peercert.exams.services.authorizations import (
    exam_attempt_paid,
    exam_authorization_grant,
)
from peercert.exams.services.delivery import (
    answer_save,
    attempt_break_end,
    attempt_break_start,
    attempt_close_if_overdue,
    attempt_start,
    attempt_submit,
    attempts_close_overdue,
    close_overdue_daily,
)
from peercert.exams.services.exam_forms import (
    form_approve,
    form_assemble,
    form_create,
    form_publish,
    form_retire,
)
from peercert.exams.services.item_analysis import (
    form_analyse,
)
from peercert.exams.services.items import (
    ITEM_FIELDS,
    item_approve,
    item_create,
    item_new_version,
    item_retire,
    item_return,
    item_review_pass,
    item_submit,
    item_update,
)
from peercert.exams.services.practical import (
    RESPONSE_MAX_CHARS,
    practical_response_save,
)
from peercert.exams.services.retakes import (
    on_invoice_settled,
    retake_invoice_request,
)
from peercert.exams.services.scoring import (
    practical_score_record,
    suggested_conversion,
    task_final_points,
)
from peercert.exams.services.sessions import (
    incident_report,
    registration_cancel,
    registration_check_in,
    registration_create,
    registration_reschedule,
    session_cancel,
    session_create,
)
from peercert.exams.services.vendor import (
    VENDOR_HEADER,
    vendor_results_import,
)

__all__ = [
    "ATTEMPT",
    "FORM",
    "ITEM",
    "ITEM_FIELDS",
    "REGISTRATION",
    "REQUEST",
    "RESPONSE_MAX_CHARS",
    "SESSION",
    "VENDOR_HEADER",
    "accommodation_decide",
    "accommodation_request",
    "accommodation_withdraw",
    "answer_save",
    "attempt_break_end",
    "attempt_break_start",
    "attempt_close_if_overdue",
    "attempt_start",
    "attempt_submit",
    "attempts_close_overdue",
    "close_overdue_daily",
    "exam_attempt_paid",
    "exam_authorization_grant",
    "form_analyse",
    "form_approve",
    "form_assemble",
    "form_create",
    "form_publish",
    "form_retire",
    "incident_report",
    "item_approve",
    "item_create",
    "item_new_version",
    "item_retire",
    "item_return",
    "item_review_pass",
    "item_submit",
    "item_update",
    "on_invoice_settled",
    "practical_response_save",
    "practical_score_record",
    "retake_invoice_request",
    "registration_cancel",
    "registration_check_in",
    "registration_create",
    "registration_reschedule",
    "session_cancel",
    "session_create",
    "suggested_conversion",
    "task_final_points",
    "vendor_results_import",
]
