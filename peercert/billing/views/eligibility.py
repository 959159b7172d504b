"""Pages for billing's eligibility."""

urlpatterns: list = []
