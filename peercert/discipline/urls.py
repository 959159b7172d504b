from django.urls import path

from peercert.discipline import views

app_name = "discipline"

urlpatterns = [
    # Public
    path("complaints/new/", views.complaint_new, name="complaint_new"),
    path("complaints/sent/", views.complaint_filed, name="complaint_filed"),
    path("complaints/find-peer/", views.peer_search, name="peer_search"),
    # Respondents, signed in
    path("my/cases/", views.my_cases, name="my_cases"),
    path("my/cases/<int:complaint_id>/", views.my_case, name="my_case"),
    path("appeals/new/", views.appeal_new, name="appeal_new"),
    # Program staff: cases
    path("cases/", views.case_list, name="case_list"),
    path("cases/new/", views.case_new, name="case_new"),
    path("cases/<int:complaint_id>/", views.case_detail, name="case_detail"),
    path("cases/<int:complaint_id>/acknowledge/", views.case_acknowledge, name="case_acknowledge"),
    path("cases/<int:complaint_id>/assign/", views.case_assign, name="case_assign"),
    path("cases/<int:complaint_id>/investigate/", views.case_investigate, name="case_investigate"),
    path("cases/<int:complaint_id>/screen-out/", views.case_screen_out, name="case_screen_out"),
    path("cases/<int:complaint_id>/extend/", views.case_extend, name="case_extend"),
    path("cases/<int:complaint_id>/entries/", views.case_entry_add, name="case_entry_add"),
    path("case-files/<int:entry_id>/", views.case_entry_file, name="case_entry_file"),
    path("cases/<int:complaint_id>/decide/", views.case_decide, name="case_decide"),
    path("actions/<int:action_id>/", views.action_detail, name="action_detail"),
    path("actions/<int:action_id>/check-training/", views.action_check_training, name="action_check_training"),
    path("actions/<int:action_id>/lift/", views.action_lift, name="action_lift"),
    path("classes/<int:class_id>/complete/", views.class_complete, name="class_complete"),
    path("appeals/", views.appeal_list, name="appeal_list"),
    path("appeals/<int:appeal_id>/", views.appeal_detail, name="appeal_detail"),
    path("records/", views.records, name="records"),
    path("records/export.csv", views.records_export, name="records_export"),
]
