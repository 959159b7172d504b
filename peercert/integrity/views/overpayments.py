"""integrity: the overpayments part's pages."""

urlpatterns: list = []
