"""Demo data for integrity's overpayments part. Safe to run again."""


def seed(stdout) -> None:
    pass
