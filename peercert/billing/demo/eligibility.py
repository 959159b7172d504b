"""Demo data for billing's eligibility."""


def seed(stdout) -> None:
    pass
