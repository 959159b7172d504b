"""Demo data for the benefit's alerts."""


def seed(stdout) -> None:
    pass
