"""oversight: the plan part's pages."""

urlpatterns: list = []
