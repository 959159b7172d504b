"""Who may do what in integrity. Views use these; services check them again. Each part adds its own under its comment."""

# --- utilization ---
# Statewide utilization rules change what every county may bill, like an approved rate, so only a DHCS
# approver changes them (an analyst drafts outside PeerCert and reads here). A county billing supervisor
# adds stricter limits for their own county. County billing staff read their county's and the statewide
# rules and work their county's utilization reviews; DHCS and the auditor read every county.
from peercert.accounts.permissions import county_ids as _county_ids
from peercert.accounts.permissions import has_role as _has_role
from peercert.accounts.roles import Role as _Role

UTILIZATION_COUNTY_ROLES = frozenset({_Role.COUNTY_BILLING, _Role.COUNTY_BILLING_SUPERVISOR})
UTILIZATION_STATEWIDE_READERS = frozenset({_Role.DHCS_ANALYST, _Role.DHCS_APPROVER, _Role.AUDITOR})


def utilization_county_ids(user) -> set[int]:
    """Counties whose utilization rules and reviews the user works."""
    return _county_ids(user, *UTILIZATION_COUNTY_ROLES)


def utilization_readable_county_ids(user) -> set[int] | None:
    """Counties whose local rules and reviews the user reads; None means every county."""
    if _has_role(user, *UTILIZATION_STATEWIDE_READERS):
        return None
    return utilization_county_ids(user)


def can_read_utilization_rules(user) -> bool:
    return _has_role(user, *UTILIZATION_COUNTY_ROLES, *UTILIZATION_STATEWIDE_READERS)


def can_edit_statewide_rules(user) -> bool:
    return _has_role(user, _Role.DHCS_APPROVER)


def county_rule_editor_ids(user) -> set[int]:
    """Counties whose local (stricter) limits the user may add, end or supersede."""
    return _county_ids(user, _Role.COUNTY_BILLING_SUPERVISOR)


def can_edit_rule_scope(user, county_id: int | None) -> bool:
    if county_id is None:
        return can_edit_statewide_rules(user)
    return county_id in county_rule_editor_ids(user)


def can_edit_some_rules(user) -> bool:
    return can_edit_statewide_rules(user) or bool(county_rule_editor_ids(user))


def can_read_utilization_reviews(user) -> bool:
    return _has_role(user, *UTILIZATION_COUNTY_ROLES, *UTILIZATION_STATEWIDE_READERS)


def can_work_utilization_review(user, county_id: int) -> bool:
    """County billing staff and supervisor of that county open reviews and record findings."""
    return county_id in utilization_county_ids(user)


def can_review_line(user, line) -> bool:
    """Nobody reviews a service they rendered: a user whose Person is the line's peer may not."""
    person = getattr(user, "person", None) if getattr(user, "is_authenticated", False) else None
    peer_id = getattr(getattr(line, "employment", None), "person_id", None)
    if person is not None and peer_id is not None and person.pk == peer_id:
        return False
    return can_work_utilization_review(user, line.county_id)


# --- overpayments ---
# County billing staff (and their supervisor) work their own county's overpayments; the county's authorized
# signer reads them and signs the report to the state (nobody else may); DHCS and the auditor read every county's.
from peercert.accounts.permissions import county_ids, has_role  # noqa: E402
from peercert.accounts.roles import Role  # noqa: E402

OVERPAYMENT_WORKER_ROLES = frozenset({Role.COUNTY_BILLING, Role.COUNTY_BILLING_SUPERVISOR})
OVERPAYMENT_COUNTY_READER_ROLES = OVERPAYMENT_WORKER_ROLES | {Role.COUNTY_AUTHORIZED_SIGNER}
OVERPAYMENT_STATEWIDE_ROLES = frozenset({Role.DHCS_ANALYST, Role.DHCS_APPROVER, Role.AUDITOR})


def overpayment_county_ids(user) -> set[int] | None:
    """Counties whose overpayments the user reads; None means every county."""
    if has_role(user, *OVERPAYMENT_STATEWIDE_ROLES):
        return None
    return county_ids(user, *OVERPAYMENT_COUNTY_READER_ROLES)


def can_read_overpayments(user) -> bool:
    return has_role(user, *OVERPAYMENT_COUNTY_READER_ROLES, *OVERPAYMENT_STATEWIDE_ROLES)


def is_overpayment_worker(user) -> bool:
    return has_role(user, *OVERPAYMENT_WORKER_ROLES)


def is_overpayment_signer(user) -> bool:
    return has_role(user, Role.COUNTY_AUTHORIZED_SIGNER)


def can_work_overpayment(user, overpayment) -> bool:
    return user is not None and overpayment.county_id in county_ids(user, *OVERPAYMENT_WORKER_ROLES)


def can_sign_overpayment(user, overpayment) -> bool:
    return user is not None and overpayment.county_id in county_ids(user, Role.COUNTY_AUTHORIZED_SIGNER)


# --- reviews ---
# DHCS runs monitoring reviews; the reviewed party (the county's staff, billing and billing supervisor, or
# the program's manager and reviewer) sees and answers its own; the auditor reads every one.
from peercert.accounts.permissions import program_ids as _program_ids  # noqa: E402
from peercert.accounts.roles import Role as _Role  # noqa: E402

REVIEW_RUNNERS = frozenset({_Role.DHCS_ANALYST, _Role.DHCS_APPROVER})
REVIEW_COUNTY_PARTY = frozenset({_Role.COUNTY_STAFF, _Role.COUNTY_BILLING, _Role.COUNTY_BILLING_SUPERVISOR})
REVIEW_PROGRAM_PARTY = frozenset({_Role.PROGRAM_MANAGER, _Role.PROGRAM_REVIEWER})


def can_run_reviews(user) -> bool:
    return _has_role(user, *REVIEW_RUNNERS)


def can_read_all_reviews(user) -> bool:
    return _has_role(user, *REVIEW_RUNNERS, _Role.AUDITOR)


def review_county_ids(user) -> set[int]:
    """The counties whose reviews the user answers."""
    return _county_ids(user, *REVIEW_COUNTY_PARTY)


def review_program_ids(user) -> set[int]:
    """The programs whose reviews the user answers."""
    return _program_ids(user, *REVIEW_PROGRAM_PARTY)


def is_reviewed_party(user) -> bool:
    return bool(review_county_ids(user) or review_program_ids(user))


def can_see_reviews(user) -> bool:
    return can_read_all_reviews(user) or is_reviewed_party(user)


def is_party_to_review(user, review) -> bool:
    """Whether the user works for the county or program the review is about."""
    if review.county_id is not None:
        return review.county_id in review_county_ids(user) or review.county_id in _county_ids(user)
    return review.program_id in _program_ids(user)


def can_answer_review(user, review) -> bool:
    if review.county_id is not None:
        return review.county_id in review_county_ids(user)
    return review.program_id in review_program_ids(user)
