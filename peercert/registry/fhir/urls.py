from django.urls import path, re_path

from peercert.registry.fhir import views

app_name = "fhir"

# FHIR paths have no trailing slash. Anything else under /fhir/ is answered by `unknown` with an
# OperationOutcome, so a FHIR client never receives the site's HTML 404 page.
urlpatterns = [
    path("metadata", views.metadata, name="metadata"),
    path("Practitioner", views.practitioner_search, name="practitioner_search"),
    path("Practitioner/<str:id>", views.practitioner_read, name="practitioner_read"),
    path("Organization", views.organization_search, name="organization_search"),
    path("Organization/<str:id>", views.organization_read, name="organization_read"),
    path("PractitionerRole", views.practitioner_role_search, name="practitioner_role_search"),
    path("PractitionerRole/<str:id>", views.practitioner_role_read, name="practitioner_role_read"),
    re_path(r"^(?P<rest>.*)$", views.unknown, name="unknown"),
]
