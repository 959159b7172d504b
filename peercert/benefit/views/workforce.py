"""Pages for the benefit's workforce."""

urlpatterns: list = []
