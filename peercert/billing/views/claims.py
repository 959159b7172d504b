"""Pages for billing's claims."""

urlpatterns: list = []
