"""Type names shared by every app's services.

Actor is who asks a service to act: a signed-in user, or None for the system (a nightly job,
a data migration, an import run by an operator).

It is a Protocol rather than accounts.User because core imports no app, and rather than
Django's AbstractBaseUser because that is a model class: importing it before the app registry
is ready fails, so it could only be named by a string that typing.get_type_hints cannot
resolve in the services' modules. The Protocol names what core itself reads from an actor
(core.audit writes the email; permission rules start from is_authenticated and is_active);
an app's permission rules read its own User's roles.

    def invoice_waive(*, actor: Actor, invoice: Invoice, reason: str) -> Invoice: ...
"""

from typing import Any, Protocol, TypeAlias, runtime_checkable


@runtime_checkable
class SignedInUser(Protocol):
    pk: Any
    email: str
    is_authenticated: bool
    is_active: bool


Actor: TypeAlias = SignedInUser | None
