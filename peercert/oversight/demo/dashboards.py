"""Demo data for oversight's dashboards part. Safe to run again."""


def seed(stdout) -> None:
    pass
