"""Who may do what with fees. Views use these; services check them again."""

from peercert.accounts.permissions import has_role, roles_of
from peercert.accounts.roles import Role

# Program staff who handle money: record offline payments, waive, apply scholarships.
FINANCE_STAFF_ROLES = frozenset({Role.PROGRAM_REVIEWER, Role.PROGRAM_MANAGER, Role.SYSTEM_ADMINISTRATOR})


def is_finance_staff(user) -> bool:
    return has_role(user, *FINANCE_STAFF_ROLES)


def is_payer(user, invoice) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and invoice.payer.user_id == user.pk


def can_view_invoice(user, invoice) -> bool:
    return is_finance_staff(user) or is_payer(user, invoice)


def can_create_invoice(user, payer) -> bool:
    """Invoices are made by the services of other apps on behalf of someone: the system,
    any staff member working that case, or the payer themselves (an applicant submitting)."""
    if user is None:
        return True
    if payer.user_id is not None and payer.user_id == user.pk:
        return True
    return bool(roles_of(user) - {Role.PEER})


def can_record_offline_payment(user) -> bool:
    return is_finance_staff(user)


def can_pay_online(user, invoice) -> bool:
    return is_payer(user, invoice)


def can_waive(user) -> bool:
    return is_finance_staff(user)


def can_cancel(user) -> bool:
    return user is None or is_finance_staff(user)


def can_apply_scholarship(user, invoice) -> bool:
    return is_finance_staff(user) or is_payer(user, invoice)


def can_award_scholarship(user) -> bool:
    return user is None or has_role(user, Role.PROGRAM_MANAGER, Role.SYSTEM_ADMINISTRATOR)
