"""oversight: the dashboards part's pages."""

urlpatterns: list = []
