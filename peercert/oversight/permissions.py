"""Who may do what in oversight. Views use these; services check them again. Each part adds its own under its comment."""

# --- plan ---

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
