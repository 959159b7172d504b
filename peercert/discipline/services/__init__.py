"""Every change to complaints, actions and appeals happens here, one module per entity.

Callers keep using `from peercert.discipline import services; services.x` and
`from peercert.discipline.services import x`: every public name is re-exported here. Helpers the
entity modules share (who may act on a case, telling the respondent, carrying a decision into
certification, training and renewal) are in _common.
"""

from peercert.discipline.services._common import (
    ACTION_FIELDS,
    APPEAL_FIELDS,
    CERTIFICATION_SOURCE,
    COMPLAINANT_LANGUAGE,
    COMPLAINT_FIELDS,
    NOUNS,
    PLURAL_NOUNS,
)
from peercert.discipline.services.actions import (
    action_check_training,
    action_lift,
    complaint_decide,
    corrective_actions_escalate,
    discipline_execute_due,
    required_class_complete,
)
from peercert.discipline.services.appeals import (
    appeal_decide,
    appeal_file,
    appeal_withdraw,
)
from peercert.discipline.services.complaints import (
    case_entry_add,
    complaint_acknowledge,
    complaint_assign,
    complaint_extend,
    complaint_file,
    complaint_screen_out,
    complaint_start_investigation,
)

__all__ = [
    "ACTION_FIELDS",
    "APPEAL_FIELDS",
    "CERTIFICATION_SOURCE",
    "COMPLAINANT_LANGUAGE",
    "COMPLAINT_FIELDS",
    "NOUNS",
    "PLURAL_NOUNS",
    "action_check_training",
    "action_lift",
    "appeal_decide",
    "appeal_file",
    "appeal_withdraw",
    "case_entry_add",
    "complaint_acknowledge",
    "complaint_assign",
    "complaint_decide",
    "complaint_extend",
    "complaint_file",
    "complaint_screen_out",
    "complaint_start_investigation",
    "corrective_actions_escalate",
    "discipline_execute_due",
    "required_class_complete",
]
