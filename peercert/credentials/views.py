"""The credentials pages: the public keys and status lists, the verification page, the peer's downloads."""

from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_GET, require_http_methods

from peercert.accounts.permissions import role_required
from peercert.accounts.roles import Role
from peercert.core.errors import ApplicationError
from peercert.core.vocabulary import Specialization
from peercert.credentials import keys, selectors, services, verification
from peercert.credentials.forms import VerifyForm

CERTIFICATION_CODE = services.CERTIFICATION_ACHIEVEMENT
JWT_TYPE = "application/vc+jwt"


def _public(response):
    # Verifiers (wallets, employers' browsers) fetch these from other sites.
    response["Access-Control-Allow-Origin"] = "*"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_GET
@cache_control(public=True, max_age=300)
def did_json(request):
    """did:web for the program: a verification method per current and retired key."""
    return _public(JsonResponse(keys.did_document(), content_type="application/did+json"))


@require_GET
@cache_control(public=True, max_age=300)
def jwks_json(request):
    return _public(JsonResponse(keys.public_jwks(), content_type="application/jwk-set+json"))


@require_GET
@cache_control(public=True, max_age=60)
def status_list(request, list_id: str):
    """The signed BitstringStatusListCredential, as stored when it was last signed (never rebuilt here)."""
    row = selectors.status_list(list_id)
    if row is None:
        raise Http404
    return _public(HttpResponse(row.token, content_type=JWT_TYPE))


@never_cache
@require_http_methods(["GET", "POST"])
def verify(request):
    form = VerifyForm(request.POST if request.method == "POST" else None, request.FILES or None)
    result = None
    if form.is_bound and form.is_valid():
        result = verification.verify(form.cleaned_data["token"])
    return render(
        request,
        "credentials/verify.html",
        {"form": form, "result": result},
        status=400 if form.is_bound and form.errors else 200,
    )


@role_required(Role.PEER)
def mine(request):
    certifications = selectors.own_certifications(request.user)
    issued = list(selectors.credentials_of(certifications))
    rows = []
    for cert in certifications:
        rows.append(
            {
                "cert": cert,
                "downloads": [
                    (CERTIFICATION_CODE, _("Peer Support Specialist certification")),
                    *((s, Specialization(s).label) for s in sorted(cert.specialization_values)),
                ],
                "issued": [c for c in issued if c.certification_id == cert.pk],
            }
        )
    return render(
        request,
        "credentials/mine.html",
        {"rows": rows, "signing": keys.keys().signing is not None},
    )


@role_required(Role.PEER)
@require_GET
def credential_jwt(request, number: str, achievement: str):
    """The peer's own credential as a .jwt file: signed now if this cycle's is not yet (idempotent)."""
    cert = selectors.access_own_certification(request.user, number)
    specialization = "" if achievement == CERTIFICATION_CODE else achievement
    if specialization and specialization not in cert.specialization_values:
        raise Http404
    credential = None
    try:
        issued = services.credentials_issue(actor=request.user, certification=cert)
        credential = next((c for c in issued if c.specialization == specialization), None)
    except ApplicationError as exc:
        # Not active (or no key): the last credential issued still downloads; it verifies with its status.
        credential = selectors.latest_credential(cert, specialization)
        if credential is None:
            certifications = selectors.own_certifications(request.user)
            return render(
                request,
                "credentials/mine.html",
                {
                    "rows": [],
                    "refusal": exc.message,
                    "signing": keys.keys().signing is not None,
                    "certifications": certifications,
                },
                status=409,
            )
    if credential is None:
        raise Http404
    response = HttpResponse(credential.token, content_type=JWT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{cert.number}-{achievement}.jwt"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
