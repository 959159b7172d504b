"""Who may do what in integrity. Views use these; services check them again. Each part adds its own under its comment."""

# --- utilization ---

# --- overpayments ---

# --- reviews ---
