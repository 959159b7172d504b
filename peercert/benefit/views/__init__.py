"""Pages of the benefit app, one module per part (each with its urlpatterns)."""
