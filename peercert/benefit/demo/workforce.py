"""Demo data for the benefit's workforce."""


def seed(stdout) -> None:
    pass
