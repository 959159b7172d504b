"""Pages for the benefit's rates."""

urlpatterns: list = []
