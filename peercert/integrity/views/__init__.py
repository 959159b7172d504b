"""Pages of the integrity app, one module per part (each with its urlpatterns)."""
