"""Header navigation entries this app adds (each part its own)."""

ENTRIES: list = [
    # --- plan ---
    # --- reports ---
    # --- dashboards ---
]
