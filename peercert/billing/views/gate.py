"""Pages for billing's gate."""

urlpatterns: list = []
