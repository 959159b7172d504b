"""What benefit does when the apps below it announce a change."""


def connect_all() -> None:
    pass
