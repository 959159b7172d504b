"""Header navigation entries this app adds."""

ENTRIES: list = []
