from django.urls import path

from peercert.training import views

app_name = "training"

urlpatterns = [
    path("", views.providers, name="providers"),
    path("courses/<int:offering_id>/", views.offering_detail, name="offering_detail"),
    path("courses/<int:offering_id>/enroll/", views.enroll, name="enroll"),
    path("courses/<int:offering_id>/accommodation/", views.accommodation_create, name="accommodation_create"),
    path("mine/", views.my_training, name="my_training"),
    path("enrollments/<int:enrollment_id>/cancel/", views.enrollment_cancel, name="enrollment_cancel"),
    path("accommodations/<int:request_id>/", views.accommodation_detail, name="accommodation_detail"),
    path("accommodations/<int:request_id>/document/", views.accommodation_document, name="accommodation_document"),
    path("ce/report/", views.ce_report, name="ce_report"),
    path("ce/review/", views.ce_review, name="ce_review"),
    path("ce/<int:activity_id>/", views.ce_activity_detail, name="ce_activity_detail"),
    path("ce/<int:activity_id>/evidence/", views.ce_evidence, name="ce_evidence"),
    path("completions/<int:completion_id>/certificate.pdf", views.certificate, name="certificate"),
    path("applications/", views.applications, name="applications"),
    path("applications/<int:application_id>/", views.application_detail, name="application_detail"),
    path("curricula/", views.curricula, name="curricula"),
    path("curricula/<int:curriculum_id>/", views.curriculum_detail, name="curriculum_detail"),
    path("versions/<int:version_id>/action/", views.version_action, name="version_action"),
    path("offerings/", views.offerings, name="offerings"),
    path("offerings/<int:offering_id>/", views.offering_manage, name="offering_manage"),
    path("offerings/<int:offering_id>/roster/", views.roster_upload, name="roster_upload"),
]
