"""Access-matrix rows for oversight's plan part. Written out by hand, not imported from permissions.py.

The world holds one version awaiting decision (submitted by the matrix's program manager) with an
attachment on its first section, and the plan in force (version 1)."""

from peercert.accounts.roles import Role
from peercert.core.access import SIGNED_IN

READERS = {Role.PROGRAM_MANAGER, Role.PROGRAM_REVIEWER, Role.DHCS_ANALYST, Role.DHCS_APPROVER, Role.AUDITOR}


def _awaiting(w):
    return {"version_id": w["plan_awaiting"].pk}


def _in_force_section(w):
    return {"section_id": w["plan_in_force_section"].pk}


def _awaiting_section(w):
    return {"section_id": w["plan_awaiting_section"].pk}


ACCESS: dict = {
    "oversight:plan": {"allow": SIGNED_IN},
    "oversight:plan_versions": {"allow": READERS},
    "oversight:plan_submit": {"allow": {Role.PROGRAM_MANAGER}},
    "oversight:plan_version": {"allow": READERS, "kwargs": _awaiting},
    "oversight:plan_decide": {"allow": {Role.DHCS_APPROVER}, "kwargs": _awaiting},
    "oversight:plan_attachment": {"allow": SIGNED_IN, "kwargs": _in_force_section},
}


def build_world(w) -> dict:
    from peercert.oversight.tests.factories.plan import PlanVersionFactory

    manager = w["users"][Role.PROGRAM_MANAGER]
    in_force = PlanVersionFactory(approved=True, number=1, submitted_by=manager, attachment=True)
    awaiting = PlanVersionFactory(number=2, submitted_by=manager, attachment=True)
    return {
        "plan_in_force": in_force,
        "plan_in_force_section": in_force.sections.first(),
        "plan_awaiting": awaiting,
        "plan_awaiting_section": awaiting.sections.first(),
    }
