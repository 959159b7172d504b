import datetime

from ninja import Router, Schema

from peercert.accounts.permissions import assignments_of
from peercert.accounts.selectors import person_for_user

router = Router(tags=["accounts"])


class RoleOut(Schema):
    role: str
    label: str
    scope_type: str | None
    scope_id: int | None
    scope_name: str | None


class PersonOut(Schema):
    id: int
    legal_name: str
    preferred_name: str
    date_of_birth: datetime.date | None
    email: str
    phone: str
    preferred_language: str


class MeOut(Schema):
    id: int
    email: str
    display_name: str
    roles: list[RoleOut]
    person: PersonOut | None


@router.get("/me", response=MeOut, summary="The signed-in user, their roles and their own person record")
def me(request):
    user = request.auth
    roles = []
    for a in assignments_of(user):
        scope_type = (
            "program"
            if a.program_id
            else "county"
            if a.county_id
            else "training_entity"
            if a.training_entity_id
            else None
        )
        scope = a.scope
        roles.append(
            RoleOut(
                role=a.role,
                label=str(a.get_role_display()),
                scope_type=scope_type,
                scope_id=scope.pk if scope else None,
                scope_name=str(scope) if scope else None,
            )
        )
    person = person_for_user(user)
    return MeOut(
        id=user.pk,
        email=user.email,
        display_name=str(user),
        roles=roles,
        person=PersonOut(
            id=person.pk,
            legal_name=person.full_name,
            preferred_name=person.preferred_name,
            date_of_birth=person.date_of_birth,
            email=person.email,
            phone=person.phone,
            preferred_language=person.preferred_language,
        )
        if person
        else None,
    )
