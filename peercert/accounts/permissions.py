"""Who may do what. Views use these; services check them again."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

from peercert.accounts.roles import PROGRAM_STAFF_ROLES, Role


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


def can_view_audit(user) -> bool:
    return has_role(user, Role.AUDITOR, Role.SYSTEM_ADMINISTRATOR)


def can_view_rules(user) -> bool:
    return bool(roles_of(user) - {Role.PEER})


def county_ids(user, *roles: str) -> set[int]:
    """The counties a user's county roles reach."""
    wanted = set(roles) or {Role.COUNTY_STAFF, Role.COUNTY_BILLING}
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
