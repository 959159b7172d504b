"""Type names shared by every app's services.

Actor is who asks a service to act: a signed-in user, or None for the system (a nightly job,
a data migration, an import run by an operator). It is spelt through Django's
AbstractBaseUser rather than accounts.User because core imports no app; the alias is only
read by type checkers and people, so it names the base class by string and imports it only
when type checking (importing a model class before the app registry is ready would fail).

    def invoice_waive(*, actor: Actor, invoice: Invoice, reason: str) -> Invoice: ...
"""

from typing import TYPE_CHECKING, Optional, TypeAlias

if TYPE_CHECKING:
    from django.contrib.auth.base_user import AbstractBaseUser

Actor: TypeAlias = Optional["AbstractBaseUser"]  # noqa: UP007 - a string forward reference cannot use |
