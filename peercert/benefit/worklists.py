"""Home-page queues for county staff and DHCS."""


def register_all() -> None:
    pass
