"""Start-up wiring for integrity's overpayments part."""


def connect() -> None:
    pass
