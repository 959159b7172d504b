"""Who may do what in oversight. Views use these; services check them again. Each part adds its own under its comment."""

# --- plan ---

# --- reports ---

# --- dashboards ---
