"""Demo data for billing's gate."""


def seed(stdout) -> None:
    pass
