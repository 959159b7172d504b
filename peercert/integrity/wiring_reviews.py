"""Start-up wiring for integrity's reviews part."""


def connect() -> None:
    pass
