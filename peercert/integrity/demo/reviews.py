"""Demo data for integrity's reviews part. Safe to run again."""


def seed(stdout) -> None:
    pass
