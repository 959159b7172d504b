"""Pages of the oversight app, one module per part (each with its urlpatterns)."""
