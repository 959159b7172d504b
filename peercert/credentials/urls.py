from django.urls import path

from peercert.credentials import views

app_name = "credentials"

urlpatterns = [
    path("jwks.json", views.jwks_json, name="jwks"),
    path("status/<str:list_id>", views.status_list, name="status_list"),
    path("verify/", views.verify, name="verify"),
    path("mine/", views.mine, name="mine"),
    path("mine/<str:number>/<slug:achievement>.jwt", views.credential_jwt, name="credential_jwt"),
]
