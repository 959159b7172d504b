from django.urls import path

from peercert.renewal import views

app_name = "renewal"

urlpatterns = [
    path("", views.mine, name="mine"),
    path("start/", views.start, name="start"),
    path("<int:renewal_id>/", views.detail, name="detail"),
    path("<int:renewal_id>/sign/", views.sign, name="sign"),
    path("<int:renewal_id>/submit/", views.submit, name="submit"),
    path("<int:renewal_id>/withdraw/", views.withdraw, name="withdraw"),
    path("<int:renewal_id>/evidence/", views.evidence_add, name="evidence_add"),
    path("<int:renewal_id>/evidence/send/", views.evidence_send, name="evidence_send"),
    path("evidence/<int:evidence_id>/", views.evidence_download, name="evidence_download"),
    path("review/", views.queue, name="queue"),
    path("review/<int:renewal_id>/", views.review, name="review"),
    path("review/<int:renewal_id>/audit/accept/", views.audit_accept, name="audit_accept"),
    path("review/<int:renewal_id>/audit/reject/", views.audit_reject, name="audit_reject"),
    path("review/<int:renewal_id>/approve/", views.approve, name="approve"),
    path("review/<int:renewal_id>/deny/", views.deny, name="deny"),
    path("timeline/", views.timeline, name="timeline"),
    path("surrender/", views.surrender, name="surrender"),
    path("name-change/", views.name_change, name="name_change"),
    path("name-changes/", views.name_changes, name="name_changes"),
    path("name-changes/<int:change_id>/", views.name_change_detail, name="name_change_detail"),
    path("name-changes/<int:change_id>/approve/", views.name_change_approve, name="name_change_approve"),
    path("name-changes/<int:change_id>/deny/", views.name_change_deny, name="name_change_deny"),
    path("name-changes/<int:change_id>/withdraw/", views.name_change_withdraw, name="name_change_withdraw"),
    path("name-changes/<int:change_id>/document/", views.name_change_document, name="name_change_document"),
]
