"""Demo data for oversight's reports part. Safe to run again."""


def seed(stdout) -> None:
    pass
