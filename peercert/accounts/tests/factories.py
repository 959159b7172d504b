import datetime

import factory

from peercert.accounts.models import CertificationProgram, County, Person, RoleAssignment, TrainingEntity, User
from peercert.accounts.roles import ROLE_SCOPE, Role

FIRST_NAMES = ["María", "José", "Nguyễn", "Siobhán", "Zoë", "Renée", "Tomás", "Anaïs", "Thảo", "Gurpreet", "Aarav"]
LAST_NAMES = ["Hernández", "Núñez", "Trần", "Ó Briain", "Peña", "Castañeda", "Kaur", "Møller", "Okafor", "Ibáñez"]


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@test.peercert.example")
    display_name = factory.Faker("name")
    password = factory.PostGenerationMethodCall("set_password", "correct-horse-battery")

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    legal_first_name = factory.Iterator(FIRST_NAMES)
    legal_last_name = factory.Iterator(LAST_NAMES)
    date_of_birth = datetime.date(1985, 6, 1)
    email = factory.Sequence(lambda n: f"person{n}@test.peercert.example")
    phone = "(916) 555-0100"
    preferred_language = "en"


class TrainingEntityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TrainingEntity

    name = factory.Sequence(lambda n: f"Training Entity {n}")


def statewide_program() -> CertificationProgram:
    return CertificationProgram.objects.get(code="statewide")


def county(name: str = "Los Angeles") -> County:
    return County.objects.get(name=name)


def user_with_role(
    role: str,
    *,
    email: str | None = None,
    county_name: str = "Los Angeles",
    training_entity: TrainingEntity | None = None,
    program: CertificationProgram | None = None,
    with_person: bool | None = None,
) -> User:
    """A user holding one role, with the scope that role needs."""
    user = UserFactory(email=email) if email else UserFactory()
    scope = {}
    kind = ROLE_SCOPE[role]
    if kind == "program":
        scope["program"] = program or statewide_program()
    elif kind == "county":
        scope["county"] = county(county_name)
    elif kind == "training_entity":
        scope["training_entity"] = training_entity or TrainingEntityFactory()
    RoleAssignment.objects.create(user=user, role=role, **scope)
    if role == Role.SYSTEM_ADMINISTRATOR:
        user.is_staff = user.is_superuser = True
        user.save()
    if with_person or (with_person is None and role == Role.PEER):
        PersonFactory(user=user, email=user.email)
    return user
