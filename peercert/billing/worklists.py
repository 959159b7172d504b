"""Home-page queues for county billing staff and DHCS."""


def register_all() -> None:
    pass
