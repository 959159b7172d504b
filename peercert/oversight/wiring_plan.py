"""Start-up wiring for oversight's plan part."""


def connect() -> None:
    pass
