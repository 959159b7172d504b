"""Demo data for billing's claims."""


def seed(stdout) -> None:
    pass
