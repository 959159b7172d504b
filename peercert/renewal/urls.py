from django.urls import path

from peercert.renewal import views

app_name = "renewal"

urlpatterns = [
    path("", views.mine, name="mine"),
    path("<int:renewal_id>/", views.detail, name="detail"),
    path("evidence/<int:evidence_id>/", views.evidence_download, name="evidence_download"),
    path("review/", views.queue, name="queue"),
    path("review/<int:renewal_id>/", views.review, name="review"),
    path("timeline/", views.timeline, name="timeline"),
    path("surrender/", views.surrender, name="surrender"),
    path("name-change/", views.name_change, name="name_change"),
    path("name-changes/", views.name_changes, name="name_changes"),
    path("name-changes/<int:change_id>/", views.name_change_detail, name="name_change_detail"),
    path("name-changes/<int:change_id>/document/", views.name_change_document, name="name_change_document"),
]
