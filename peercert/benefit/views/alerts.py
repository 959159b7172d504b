"""Pages for the benefit's alerts."""

urlpatterns: list = []
