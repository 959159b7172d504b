"""Who may do what in integrity. Views use these; services check them again. Each part adds its own under its comment."""

# --- utilization ---

# --- overpayments ---

# --- reviews ---
# DHCS runs monitoring reviews; the reviewed party (the county's staff, billing and billing supervisor, or
# the program's manager and reviewer) sees and answers its own; the auditor reads every one.
from peercert.accounts.permissions import county_ids as _county_ids  # noqa: E402
from peercert.accounts.permissions import has_role as _has_role  # noqa: E402
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
