"""integrity: the reviews part's pages."""

urlpatterns: list = []
