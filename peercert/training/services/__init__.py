"""Every change to training records. Each service checks permission, state and rules, then audits.

One module per entity, along the banners the single file had; every public name is
re-exported here, so `services.x` and `from peercert.training.services import x` keep working.
"""

from peercert.training.services._common import (
    ACTIVITY,
    APPLICATION,
    AS_WRITTEN,
    COURSE,
    ENROLLMENT,
    PROVIDER_FIELDS,
    REQUEST,
    VERSION,
    VERSION_FIELDS,
)
from peercert.training.services.accommodations import (
    accommodation_request_create,
    accommodation_request_decide,
    accommodation_request_withdraw,
)
from peercert.training.services.completions import (
    check_completion_values,
    completion_record,
    roster_commit,
    supervisor_completion_record,
)
from peercert.training.services.continuing_education import (
    ce_activity_accept,
    ce_activity_reject,
    ce_activity_report,
)
from peercert.training.services.curricula import (
    curriculum_create,
    curriculum_map_competencies,
    curriculum_version_approve,
    curriculum_version_create,
    curriculum_version_reject,
    curriculum_version_return,
    curriculum_version_submit,
    curriculum_version_update,
)
from peercert.training.services.offerings import (
    enrollment_cancel,
    enrollment_create,
    enrollment_mark_attendance,
    offering_cancel,
    offering_close,
    offering_create,
    provider_approval_in_force,
)
from peercert.training.services.providers import (
    provider_application_approve,
    provider_application_deny,
    provider_application_lift_suspension,
    provider_application_renew,
    provider_application_request_renewal,
    provider_application_resubmit,
    provider_application_return,
    provider_application_start_review,
    provider_application_submit,
    provider_application_suspend,
    provider_application_withdraw,
    provider_applications_expire,
)

__all__ = [
    "PROVIDER_FIELDS",
    "VERSION_FIELDS",
    "APPLICATION",
    "VERSION",
    "COURSE",
    "ENROLLMENT",
    "REQUEST",
    "ACTIVITY",
    "AS_WRITTEN",
    "provider_application_submit",
    "provider_application_start_review",
    "provider_application_approve",
    "provider_application_return",
    "provider_application_deny",
    "provider_application_resubmit",
    "provider_application_suspend",
    "provider_application_lift_suspension",
    "provider_application_withdraw",
    "provider_application_request_renewal",
    "provider_application_renew",
    "provider_applications_expire",
    "curriculum_create",
    "curriculum_map_competencies",
    "curriculum_version_create",
    "curriculum_version_update",
    "curriculum_version_submit",
    "curriculum_version_approve",
    "curriculum_version_return",
    "curriculum_version_reject",
    "provider_approval_in_force",
    "offering_create",
    "offering_cancel",
    "offering_close",
    "enrollment_create",
    "enrollment_cancel",
    "enrollment_mark_attendance",
    "check_completion_values",
    "completion_record",
    "roster_commit",
    "supervisor_completion_record",
    "accommodation_request_create",
    "accommodation_request_decide",
    "accommodation_request_withdraw",
    "ce_activity_report",
    "ce_activity_accept",
    "ce_activity_reject",
]
