from django.urls import path, re_path

from peercert.registry import views

app_name = "registry"

urlpatterns = [
    path("", views.search, name="search"),
    path("bulk/", views.bulk_verify, name="bulk"),
    path("developers/", views.developers, name="developers"),
    re_path(r"^downloads/(?P<name>registry\.csv|registry\.jsonl|schema\.json)$", views.bulk_download, name="download"),
    path("<str:number>", views.verify, name="verify"),
]
