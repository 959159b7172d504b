"""Every change to applications and certifications happens here, one module per entity.

Callers keep using `from peercert.certification import services; services.x` and
`from peercert.certification.services import x`: every public name is re-exported here.
"""

from peercert.certification.services._common import (
    APPLICATION,
    CERTIFICATION,
    MAX_DOCUMENT_BYTES,
    NUMBER_COUNTER,
    NUMBER_PREFIX,
)
from peercert.certification.services.applications import (
    application_document_add,
    application_document_remove,
    application_save_step,
    application_start,
    application_submit,
    application_withdraw,
)
from peercert.certification.services.certifications import (
    certification_change_status,
    certification_issue,
    certification_number_next,
    certification_specialization_add,
    exam_authorization_request,
    milestone_record,
    reviewers_of,
)
from peercert.certification.services.historical import (
    GRANDPARENTING_FACTS,
    HISTORICAL_ANSWERS,
    MAX_CE_HOURS,
    HistoricalRecord,
    HistoricalRecordError,
    application_enter_historical,
    historical_already_recorded,
    historical_record_build,
)
from peercert.certification.services.lifecycle import certification_renew, certification_surrender
from peercert.certification.services.review import (
    application_approve,
    application_assign,
    application_deny,
    application_fee_received,
    application_reopen_on_appeal,
    application_request_revision,
    application_review_start,
    applications_expire_lapsed,
    requirement_decide,
)
from peercert.certification.services.training_certificates import (
    TRAINING_CERTIFICATE,
    training_certificate_accept,
    training_certificate_reject,
    training_certificate_submit,
)
from peercert.core.errors import ApplicationError

__all__ = [
    "APPLICATION",
    "ApplicationError",
    "CERTIFICATION",
    "GRANDPARENTING_FACTS",
    "HISTORICAL_ANSWERS",
    "HistoricalRecord",
    "HistoricalRecordError",
    "MAX_CE_HOURS",
    "MAX_DOCUMENT_BYTES",
    "NUMBER_COUNTER",
    "NUMBER_PREFIX",
    "application_approve",
    "application_assign",
    "application_deny",
    "application_document_add",
    "application_document_remove",
    "application_enter_historical",
    "application_fee_received",
    "application_reopen_on_appeal",
    "application_request_revision",
    "application_review_start",
    "application_save_step",
    "application_start",
    "application_submit",
    "application_withdraw",
    "applications_expire_lapsed",
    "certification_change_status",
    "certification_renew",
    "certification_surrender",
    "certification_issue",
    "certification_number_next",
    "certification_specialization_add",
    "exam_authorization_request",
    "historical_already_recorded",
    "historical_record_build",
    "milestone_record",
    "requirement_decide",
    "TRAINING_CERTIFICATE",
    "training_certificate_accept",
    "training_certificate_reject",
    "training_certificate_submit",
    "reviewers_of",
]
