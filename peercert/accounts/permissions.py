"""Who may do what. Views use these; services check them again."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_noop

from peercert.accounts.roles import COUNTY_ROLES, PROGRAM_STAFF_ROLES, ROLE_SCOPE, Role


def roles_of(user) -> set[str]:
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return set()
    cached = getattr(user, "_role_cache", None)
    if cached is None:
        cached = list(user.role_assignments.select_related("program", "county", "training_entity"))
        user._role_cache = cached
    return {a.role for a in cached}


def assignments_of(user, role: str | None = None) -> list:
    roles_of(user)
    cached = getattr(user, "_role_cache", [])
    return [a for a in cached if role is None or a.role == role]


def has_role(user, *roles: str) -> bool:
    return bool(roles_of(user) & set(roles))


def is_program_staff(user) -> bool:
    return has_role(user, *PROGRAM_STAFF_ROLES, Role.SYSTEM_ADMINISTRATOR)


def can_manage_users(user) -> bool:
    return has_role(user, Role.SYSTEM_ADMINISTRATOR, Role.PROGRAM_MANAGER)


def is_system_administrator(user) -> bool:
    return has_role(user, Role.SYSTEM_ADMINISTRATOR)


# A program manager staffs their own program and the training entities it approves. Everything else
# (DHCS, county, auditor, administrator, peer and program manager itself) is granted by a system
# administrator: those roles reach the state's decisions, a county's claims or the whole audit trail,
# which a program manager must not be able to hand to themselves through a friend.
PROGRAM_MANAGER_GRANTS = frozenset({Role.PROGRAM_REVIEWER, Role.EXAM_ADMINISTRATOR, Role.TRAINING_STAFF})


def grantable_roles(actor) -> frozenset[str]:
    """The roles an actor may give or take away (None: the system, which may do anything)."""
    if actor is None or is_system_administrator(actor):
        return frozenset(Role.values)
    if has_role(actor, Role.PROGRAM_MANAGER):
        return PROGRAM_MANAGER_GRANTS
    return frozenset()


def managed_program_ids(actor) -> set[int] | None:
    """The programs whose roles an actor hands out; None means every program."""
    if actor is None or is_system_administrator(actor):
        return None
    return program_ids(actor, Role.PROGRAM_MANAGER)


def _holds_admin(user) -> bool:
    return user.is_superuser or user.role_assignments.filter(role=Role.SYSTEM_ADMINISTRATOR).exists()


def role_change_refusal(actor, user, role: str, program=None) -> str | None:
    """Why the actor may not give `role` (in `program`) to `user`, or take it away; None if they may.

    The reasons are plain-English catalogue keys with %(role)s for the role's name.
    """
    if actor is None:
        return None
    if user.pk == actor.pk:
        return gettext_noop("You cannot change your own roles. Ask a system administrator.")
    if role not in grantable_roles(actor):
        return gettext_noop("Only a system administrator may grant or remove the role “%(role)s”.")
    if not is_system_administrator(actor) and _holds_admin(user):
        return gettext_noop("Only a system administrator may change the roles of a system administrator.")
    managed = managed_program_ids(actor)
    if managed is not None and ROLE_SCOPE[role] == "program" and (program is None or program.pk not in managed):
        return gettext_noop("You may grant or remove the role “%(role)s” only in a program you manage.")
    return None


def may_change_role(actor, user, role: str, program=None) -> bool:
    return role_change_refusal(actor, user, role, program) is None


def account_change_refusal(actor, user) -> str | None:
    """Why the actor may not deactivate or reactivate `user`'s sign-in, or None if they may.

    A program manager reaches only accounts whose every role they could remove themselves.
    """
    if actor is None:
        return None
    if user.pk == actor.pk:
        return gettext_noop("You cannot deactivate your own account.")
    if not can_manage_users(actor):
        return gettext_noop("Only a system administrator or program manager may manage users.")
    if is_system_administrator(actor):
        return None
    if _holds_admin(user):
        return gettext_noop("Only another system administrator may deactivate or reactivate a system administrator.")
    for assignment in user.role_assignments.all():
        if assignment.role != Role.PEER and not may_change_role(actor, user, assignment.role, assignment.program):
            return gettext_noop(
                "Only a system administrator may deactivate or reactivate this account: "
                "it holds roles you do not manage."
            )
    return None


def can_view_audit(user) -> bool:
    return has_role(user, Role.AUDITOR, Role.SYSTEM_ADMINISTRATOR)


def can_view_rules(user) -> bool:
    return bool(roles_of(user) - {Role.PEER})


def county_ids(user, *roles: str) -> set[int]:
    """The counties a user's county roles reach."""
    wanted = set(roles) or set(COUNTY_ROLES)
    return {a.county_id for a in assignments_of(user) if a.role in wanted and a.county_id}


def training_entity_ids(user) -> set[int]:
    return {a.training_entity_id for a in assignments_of(user, Role.TRAINING_STAFF)}


def program_ids(user, *roles: str) -> set[int]:
    wanted = set(roles) or set(PROGRAM_STAFF_ROLES)
    return {a.program_id for a in assignments_of(user) if a.role in wanted and a.program_id}


def role_required(*roles: str):
    """View decorator: signed-in users holding one of the roles; others get 403."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not has_role(request.user, *roles):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapper.required_roles = frozenset(roles)
        return wrapper

    return decorator


def rule_required(rule):
    """View decorator for a named rule taking the user."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not rule(request.user):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
