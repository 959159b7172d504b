"""Demo data for this app, loaded by `manage.py seed_demo`. Must be idempotent."""


def seed(out) -> None:
    pass
