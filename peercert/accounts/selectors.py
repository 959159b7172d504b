from django.db.models import Q, QuerySet
from django.http import Http404

from peercert.accounts.models import (
    ApiToken,
    CertificationProgram,
    County,
    Person,
    RoleAssignment,
    TrainingEntity,
    User,
)
from peercert.accounts.permissions import can_manage_users


def user_list(*, actor, query: str = "", role: str = "") -> QuerySet[User]:
    if not can_manage_users(actor):
        return User.objects.none()
    qs = User.objects.prefetch_related(
        "role_assignments__program", "role_assignments__county", "role_assignments__training_entity"
    )
    if query:
        qs = qs.filter(Q(email__icontains=query) | Q(display_name__icontains=query))
    if role:
        qs = qs.filter(role_assignments__role=role).distinct()
    return qs.order_by("email")


def access_user(actor, user_id: int) -> User:
    if not can_manage_users(actor):
        raise Http404
    try:
        return User.objects.get(pk=user_id)
    except User.DoesNotExist:
        raise Http404 from None


def access_role_assignment(actor, assignment_id: int) -> RoleAssignment:
    if not can_manage_users(actor):
        raise Http404
    try:
        return RoleAssignment.objects.select_related("user").get(pk=assignment_id)
    except RoleAssignment.DoesNotExist:
        raise Http404 from None


def person_for_user(user) -> Person | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return Person.objects.filter(user=user).first()


def api_tokens_of(user) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user).order_by("-created_at")


def access_api_token(actor, token_id: int) -> ApiToken:
    try:
        return ApiToken.objects.get(pk=token_id, user=actor)
    except ApiToken.DoesNotExist:
        raise Http404 from None


def county_list() -> QuerySet[County]:
    return County.objects.order_by("name")


def program_list() -> QuerySet[CertificationProgram]:
    return CertificationProgram.objects.filter(is_active=True).order_by("name")


def statewide_program() -> CertificationProgram | None:
    return CertificationProgram.objects.filter(kind="statewide", is_active=True).order_by("pk").first()


def training_entity_list() -> QuerySet[TrainingEntity]:
    return TrainingEntity.objects.order_by("name")
