from django.urls import path

from peercert.scholarships import views

app_name = "scholarships"

urlpatterns = [
    path("", views.my_scholarships, name="my_scholarships"),
    path("funds/", views.fund_list, name="fund_list"),
    path("funds/new/", views.fund_create, name="fund_create"),
    path("funds/<int:fund_id>/", views.fund_detail, name="fund_detail"),
    path("funds/<int:fund_id>/nominate/", views.nominate, name="nominate"),
    path("funds/<int:fund_id>/apply/", views.apply, name="apply"),
    path("nominations/", views.nomination_list, name="nominations"),
    path("nominations/<int:nomination_id>/withdraw/", views.nomination_withdraw, name="nomination_withdraw"),
    path("applications/", views.application_list, name="applications"),
    path("applications/<int:application_id>/", views.application_detail, name="application_detail"),
    path("applications/<int:application_id>/award/", views.application_award, name="application_award"),
    path("applications/<int:application_id>/decline/", views.application_decline, name="application_decline"),
    path("applications/<int:application_id>/withdraw/", views.application_withdraw, name="application_withdraw"),
    path("awards/<int:award_id>/", views.award_detail, name="award_detail"),
    path("awards/<int:award_id>/disburse/", views.award_disburse, name="award_disburse"),
    path("awards/<int:award_id>/end/", views.award_end, name="award_end"),
    path("reports/", views.report, name="report"),
    path("reports/scholarships.csv", views.report_csv, name="report_csv"),
    path("reports/scholarships.xlsx", views.report_xlsx, name="report_xlsx"),
]
