"""Start-up wiring for oversight's reports part."""


def connect() -> None:
    pass
