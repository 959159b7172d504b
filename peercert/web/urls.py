from django.urls import path

from peercert.web import views

app_name = "web"

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("readyz", views.readyz, name="readyz"),
    path("metrics", views.metrics, name="metrics"),
    path("audit/", views.audit, name="audit"),
    path("rules/", views.rules, name="rules"),
    path("messages/<int:notification_id>/dismiss/", views.notification_dismiss, name="notification_dismiss"),
]
