"""The PeerCert API at /api/v1/. Each app contributes a router; errors map here once."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from ninja import NinjaAPI

from peercert.accounts.api import router as accounts_router
from peercert.accounts.api_auth import API_AUTH
from peercert.assistance.api import router as assistance_router
from peercert.benefit.api import router as benefit_router
from peercert.billing.api import router as billing_router
from peercert.certification.api import router as certification_router
from peercert.core.errors import ApplicationError
from peercert.council.api import router as council_router
from peercert.credentials.api import router as credentials_router
from peercert.discipline.api import router as discipline_router
from peercert.exams.api import router as exams_router
from peercert.finance.api import fees_router
from peercert.finance.api import router as finance_router
from peercert.integrity.api import router as integrity_router
from peercert.oversight.api import router as oversight_router
from peercert.registry.api import router as registry_router
from peercert.renewal.api import router as renewal_router
from peercert.training.api import router as training_router

api = NinjaAPI(
    title="PeerCert API",
    version="1",
    description="Medi-Cal Peer Support Specialist certification. Sign in with the browser session, "
    "or send a personal token from your account page as `Authorization: Bearer <token>`.",
    auth=API_AUTH,
    urls_namespace="api",
    docs_url="/docs",
)


@api.exception_handler(ApplicationError)
def application_error(request, exc: ApplicationError):
    body = {"detail": exc.message, "code": exc.code}
    if exc.field:
        body["field"] = exc.field
    return api.create_response(request, body, status=exc.http_status)


@api.exception_handler(PermissionDenied)
def permission_denied(request, exc):
    return api.create_response(request, {"detail": "You do not have access to this."}, status=403)


@api.exception_handler(Http404)
def not_found(request, exc):
    return api.create_response(request, {"detail": "Not found."}, status=404)


api.add_router("", accounts_router)
api.add_router("/certification", certification_router)
api.add_router("/registry", registry_router)
api.add_router("/credentials", credentials_router)
api.add_router("/renewal", renewal_router)
api.add_router("/training", training_router)
api.add_router("/exams", exams_router)
api.add_router("/finance", finance_router)
api.add_router("/discipline", discipline_router)
api.add_router("/assistance", assistance_router)
api.add_router("/benefit", benefit_router)
api.add_router("/billing", billing_router)
api.add_router("/fees", fees_router)
api.add_router("/council", council_router)
# Mounted at the root: their routes carry their own prefixes (/billing/overpayments, /dashboard/public).
api.add_router("", integrity_router)
api.add_router("", oversight_router)
