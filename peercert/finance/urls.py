from django.urls import path

from peercert.finance import views

app_name = "finance"

urlpatterns = [
    path("", views.my_fees, name="my_fees"),
    path("schedule/", views.fee_schedule, name="fee_schedule"),
    path("staff/", views.staff_invoices, name="staff_invoices"),
    path("invoices/<int:invoice_id>/", views.invoice_detail, name="invoice_detail"),
    path("invoices/<int:invoice_id>/receipt.pdf", views.invoice_receipt, name="invoice_receipt"),
    path("invoices/<int:invoice_id>/pay/", views.invoice_pay, name="invoice_pay"),
    path("invoices/<int:invoice_id>/record-payment/", views.invoice_record_payment, name="invoice_record_payment"),
    path("invoices/<int:invoice_id>/waive/", views.invoice_waive, name="invoice_waive"),
    path("invoices/<int:invoice_id>/cancel/", views.invoice_cancel, name="invoice_cancel"),
    path("invoices/<int:invoice_id>/scholarship/", views.invoice_scholarship, name="invoice_scholarship"),
]
