"""Start-up wiring for oversight's dashboards part."""


def connect() -> None:
    pass
