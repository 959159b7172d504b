"""Demo data for integrity's utilization part. Safe to run again."""


def seed(stdout) -> None:
    pass
