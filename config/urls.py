from django.contrib import admin
from django.urls import include, path

from config.api import api
from peercert.accounts.views import set_language
from peercert.credentials.views import did_json

urlpatterns = [
    path("", include("peercert.web.urls")),
    path("", include("peercert.accounts.urls")),
    path("certification/", include("peercert.certification.urls")),
    path("renewal/", include("peercert.renewal.urls")),
    path("benefit/", include("peercert.benefit.urls")),
    path("billing/", include("peercert.billing.urls")),
    path("integrity/", include("peercert.integrity.urls")),
    path("oversight/", include("peercert.oversight.urls")),
    path("scholarships/", include("peercert.scholarships.urls")),
    path("registry/", include("peercert.registry.urls")),
    path("credentials/", include("peercert.credentials.urls")),
    # did:web resolves the program's DID here (the signing keys, current and retired).
    path(".well-known/did.json", did_json, name="did_web"),
    # The registry as a read-only FHIR R4 directory (Practitioner, Organization, metadata).
    path("fhir/", include("peercert.registry.fhir.urls")),
    path("training/", include("peercert.training.urls")),
    path("exams/", include("peercert.exams.urls")),
    path("payments/", include("peercert.finance.urls")),
    path("discipline/", include("peercert.discipline.urls")),
    # Technical assistance lived under /discipline/ until it became its own app; old paths redirect.
    path("discipline/", include("peercert.assistance.moved")),
    path("assistance/", include("peercert.assistance.urls")),
    path("council/", include("peercert.council.urls")),
    # The language menu also sets a signed-in person's preferred language (accounts.views).
    path("i18n/setlang/", set_language, name="set_language"),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
]

# MEDIA_ROOT is never routed, not even with DEBUG on: uploads are IDs, medical forms and complaint
# evidence, and go out only through each app's scoped download view (core.downloads.serve_upload).
