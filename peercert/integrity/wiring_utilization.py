"""Start-up wiring for integrity's utilization part."""


def connect() -> None:
    pass
