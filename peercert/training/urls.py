from django.urls import path

from peercert.training import views

app_name = "training"

# Each action on a training entity's application posts to its own URL, named application_<action>.
APPLICATION_ACTIONS = (
    "start_review",
    "approve",
    "return",
    "deny",
    "suspend",
    "lift_suspension",
    "renew",
    "resubmit",
    "request_renewal",
    "withdraw",
)

urlpatterns = [
    path("", views.providers, name="providers"),
    path("courses/<int:offering_id>/", views.offering_detail, name="offering_detail"),
    path("courses/<int:offering_id>/enroll/", views.enroll, name="enroll"),
    path("courses/<int:offering_id>/accommodation/", views.accommodation_create, name="accommodation_create"),
    path("mine/", views.my_training, name="my_training"),
    path("enrollments/<int:enrollment_id>/cancel/", views.enrollment_cancel, name="enrollment_cancel"),
    path("accommodations/<int:request_id>/", views.accommodation_detail, name="accommodation_detail"),
    path("accommodations/<int:request_id>/withdraw/", views.accommodation_withdraw, name="accommodation_withdraw"),
    path("accommodations/<int:request_id>/document/", views.accommodation_document, name="accommodation_document"),
    path("ce/report/", views.ce_report, name="ce_report"),
    path("ce/review/", views.ce_review, name="ce_review"),
    path("ce/<int:activity_id>/", views.ce_activity_detail, name="ce_activity_detail"),
    path("ce/<int:activity_id>/evidence/", views.ce_evidence, name="ce_evidence"),
    path("completions/<int:completion_id>/certificate.pdf", views.certificate, name="certificate"),
    path("applications/", views.applications, name="applications"),
    path("applications/<int:application_id>/", views.application_detail, name="application_detail"),
    *[
        path(
            f"applications/<int:application_id>/{action.replace('_', '-')}/",
            getattr(views, f"application_{action}"),
            name=f"application_{action}",
        )
        for action in APPLICATION_ACTIONS
    ],
    path("curricula/", views.curricula, name="curricula"),
    path("curricula/<int:curriculum_id>/", views.curriculum_detail, name="curriculum_detail"),
    path("curricula/<int:curriculum_id>/versions/", views.curriculum_version_create, name="curriculum_version_create"),
    path(
        "curricula/<int:curriculum_id>/competencies/",
        views.curriculum_map_competencies,
        name="curriculum_map_competencies",
    ),
    path("versions/<int:version_id>/submit/", views.version_submit, name="version_submit"),
    path("versions/<int:version_id>/approve/", views.version_approve, name="version_approve"),
    path("versions/<int:version_id>/return/", views.version_return, name="version_return"),
    path("versions/<int:version_id>/reject/", views.version_reject, name="version_reject"),
    path("offerings/", views.offerings, name="offerings"),
    path("offerings/<int:offering_id>/", views.offering_manage, name="offering_manage"),
    path("offerings/<int:offering_id>/cancel/", views.offering_cancel, name="offering_cancel"),
    path("offerings/<int:offering_id>/close/", views.offering_close, name="offering_close"),
    path("offerings/<int:offering_id>/completions/", views.completion_record, name="completion_record"),
    path(
        "offerings/<int:offering_id>/supervisor-completions/",
        views.supervisor_completion_record,
        name="supervisor_completion_record",
    ),
    path("offerings/<int:offering_id>/roster/", views.roster_upload, name="roster_upload"),
    path("offerings/<int:offering_id>/roster/confirm/", views.roster_confirm, name="roster_confirm"),
    path(
        "enrollments/<int:enrollment_id>/attendance/",
        views.enrollment_mark_attendance,
        name="enrollment_mark_attendance",
    ),
]
