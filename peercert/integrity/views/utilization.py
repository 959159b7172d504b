"""integrity: the utilization part's pages."""

urlpatterns: list = []
