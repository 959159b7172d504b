"""Who may do what in oversight. Views use these; services check them again. Each part adds its own under its comment."""

from peercert.accounts.permissions import county_ids, has_role
from peercert.accounts.roles import Role

# --- plan ---
# The program's manager submits the plan; a DHCS approver decides it; program staff, DHCS and the
# auditor read every version; anyone signed in reads the plan in force.
PLAN_SUBMITTER_ROLES = frozenset({Role.PROGRAM_MANAGER})
PLAN_DECIDER_ROLES = frozenset({Role.DHCS_APPROVER})
PLAN_READER_ROLES = frozenset(
    {Role.PROGRAM_MANAGER, Role.PROGRAM_REVIEWER, Role.DHCS_ANALYST, Role.DHCS_APPROVER, Role.AUDITOR}
)


def can_submit_plan(user) -> bool:
    return has_role(user, *PLAN_SUBMITTER_ROLES)


def can_decide_plan(user) -> bool:
    return has_role(user, *PLAN_DECIDER_ROLES)


def can_read_plan_versions(user) -> bool:
    return has_role(user, *PLAN_READER_ROLES)


def can_read_plan_in_force(user) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False))


# --- reports ---
# DHCS analysts and approvers run any report, statewide or for a county; county staff and billing roles run
# the billing and employment report for their own county only; the program manager runs the certification
# report. Each sees and downloads the runs they could have made.
from peercert.accounts.permissions import county_ids as _county_ids  # noqa: E402
from peercert.accounts.permissions import has_role as _has_role  # noqa: E402
from peercert.accounts.roles import COUNTY_ROLES as _COUNTY_ROLES  # noqa: E402
from peercert.accounts.roles import DHCS_ROLES as _DHCS_ROLES  # noqa: E402
from peercert.accounts.roles import Role as _Role  # noqa: E402

REPORT_ALL_ROLES = frozenset(_DHCS_ROLES)
REPORT_COUNTY_ROLES = frozenset(_COUNTY_ROLES)
REPORT_PROGRAM_ROLES = frozenset({_Role.PROGRAM_MANAGER})
REPORT_ROLES = REPORT_ALL_ROLES | REPORT_COUNTY_ROLES | REPORT_PROGRAM_ROLES


def report_codes_for(user) -> set[str]:
    """The reports a user may run (and whose runs they may see)."""
    codes: set[str] = set()
    if _has_role(user, *REPORT_ALL_ROLES):
        return {"certification", "billing", "annual", "evaluation"}
    if _has_role(user, *REPORT_PROGRAM_ROLES):
        codes.add("certification")
    if _report_county_ids(user):
        codes.add("billing")
    return codes


def _report_county_ids(user) -> set[int]:
    return _county_ids(user, *REPORT_COUNTY_ROLES)


def report_county_scope(user, report: str) -> set[int] | None:
    """The counties a user's run of a report may cover: None for every county (DHCS, and the program
    manager's statewide certification report), else their own counties."""
    if _has_role(user, *REPORT_ALL_ROLES) or (report == "certification" and _has_role(user, *REPORT_PROGRAM_ROLES)):
        return None
    return _report_county_ids(user)


def can_use_reports(user) -> bool:
    return bool(report_codes_for(user))


def can_run_report(user, report: str) -> bool:
    return report in report_codes_for(user)


def can_see_report_run(user, run) -> bool:
    if run.report not in report_codes_for(user):
        return False
    scope = report_county_scope(user, run.report)
    return scope is None or (run.county_id is not None and run.county_id in scope)


# --- dashboards ---
# DHCS and the auditor see every county side by side and the program's quality; program staff see
# the program's quality; a county's staff see their own county beside the state. The public
# dashboard needs no sign-in.
STATEWIDE_DASHBOARD_ROLES = frozenset({Role.DHCS_ANALYST, Role.DHCS_APPROVER, Role.AUDITOR})
QUALITY_DASHBOARD_ROLES = STATEWIDE_DASHBOARD_ROLES | {Role.PROGRAM_MANAGER, Role.PROGRAM_REVIEWER}
COUNTY_DASHBOARD_ROLES = frozenset(
    {Role.COUNTY_STAFF, Role.COUNTY_BILLING, Role.COUNTY_BILLING_SUPERVISOR, Role.COUNTY_AUTHORIZED_SIGNER}
)


def can_see_statewide_dashboard(user) -> bool:
    return has_role(user, *STATEWIDE_DASHBOARD_ROLES)


def can_see_quality_dashboard(user) -> bool:
    return has_role(user, *QUALITY_DASHBOARD_ROLES)


def dashboard_county_ids(user) -> set[int]:
    """The counties whose own dashboard the user may open."""
    return county_ids(user, *COUNTY_DASHBOARD_ROLES)


def can_see_county_dashboard(user) -> bool:
    return bool(dashboard_county_ids(user))
