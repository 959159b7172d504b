"""Pages of the billing app, one module per part (each with its urlpatterns)."""
