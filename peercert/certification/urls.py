from django.urls import path

from peercert.certification import demographics, views

app_name = "certification"

urlpatterns = [
    path("", views.mine, name="mine"),
    path("apply/", views.start, name="start"),
    path("apply/pathway/", views.pathway, name="pathway"),
    path("applications/<int:application_id>/", views.application_status, name="application_status"),
    path("applications/<int:application_id>/step/<slug:step>/", views.application_step, name="application_step"),
    path("applications/<int:application_id>/documents/", views.document_upload, name="document_upload"),
    path("applications/<int:application_id>/review/", views.application_review, name="application_review"),
    path("applications/<int:application_id>/submit/", views.application_submit, name="application_submit"),
    path("applications/<int:application_id>/withdraw/", views.application_withdraw, name="application_withdraw"),
    path(
        "applications/<int:application_id>/training-certificate/",
        views.training_certificate_upload,
        name="training_certificate_upload",
    ),
    path("documents/<int:document_id>/", views.document_download, name="document_download"),
    path("documents/<int:document_id>/remove/", views.document_remove, name="document_remove"),
    path("review/", views.queue, name="queue"),
    path("review/<int:application_id>/", views.review, name="review"),
    path("review/<int:application_id>/assign/", views.review_assign, name="review_assign"),
    path("review/<int:application_id>/start/", views.review_start, name="review_start"),
    path("review/<int:application_id>/decide/", views.review_decide, name="review_decide"),
    path("review/<int:application_id>/revise/", views.review_request_revision, name="review_request_revision"),
    path("review/<int:application_id>/approve/", views.review_approve, name="review_approve"),
    path("review/<int:application_id>/deny/", views.review_deny, name="review_deny"),
    path("review/<int:application_id>/issue/", views.review_issue, name="review_issue"),
    path("review/training/", views.training_queue, name="training_queue"),
    path("review/training/<int:certificate_id>/", views.training_review, name="training_review"),
    path("review/training/<int:certificate_id>/accept/", views.training_accept, name="training_accept"),
    path("review/training/<int:certificate_id>/reject/", views.training_reject, name="training_reject"),
    path("records/", views.records, name="records"),
    path("records/enter/", views.historical, name="historical"),
    path("records/import/", views.historical_import, name="historical_import"),
    path("records/import/template.csv", views.historical_import_template, name="historical_import_template"),
    path("records/<int:person_id>/", views.record_detail, name="record_detail"),
    path("certifications/<str:number>/", views.certification_detail, name="certification_detail"),
    path(
        "certifications/<str:number>/specializations/",
        views.certification_specialization_add,
        name="certification_specialization_add",
    ),
    path("certifications/<str:number>/certificate.pdf", views.certificate_pdf, name="certificate_pdf"),
    path("certifications/<str:number>/wallet-card.pdf", views.wallet_card_pdf, name="wallet_card_pdf"),
    # --- for oversight reports: the voluntary demographic questions ---
    *demographics.urlpatterns,
]
