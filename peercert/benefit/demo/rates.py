"""Demo data for the benefit's rates."""


def seed(stdout) -> None:
    pass
