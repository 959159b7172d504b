"""oversight: the reports part's pages."""

urlpatterns: list = []
