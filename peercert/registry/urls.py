from django.urls import path

from peercert.registry import views

app_name = "registry"

urlpatterns = [
    path("", views.search, name="search"),
    path("<str:number>", views.verify, name="verify"),
]
