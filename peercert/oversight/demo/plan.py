"""Demo data for oversight's plan part. Safe to run again."""


def seed(stdout) -> None:
    pass
