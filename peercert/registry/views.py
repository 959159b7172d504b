from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache

from peercert.accounts.selectors import county_list
from peercert.certification.models import CertificationStatus
from peercert.core.apitypes import MAX_ID
from peercert.core.vocabulary import Specialization
from peercert.registry import selectors


def _int(value, default=None):
    """A whole number from the query string, or default: junk and numbers past a database integer are ignored."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return default
    return number if 1 <= number <= MAX_ID else default


@never_cache
def search(request):
    params = {k: request.GET.get(k, "").strip()[:100] for k in ("name", "number", "status", "specialization", "county")}
    if params["status"] not in CertificationStatus.values:
        params["status"] = ""
    if params["specialization"] not in Specialization.values:
        params["specialization"] = ""
    searched = any(params.values())
    result = selectors.registry_search(
        name=params["name"], number=params["number"], status=params["status"],
        specialization=params["specialization"], county_id=_int(params["county"]), page=_int(request.GET.get("page"), 1),
    ) if searched else None
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "registry/search.html", {
        "params": params, "result": result, "query": query.urlencode(), "searched": searched,
        "statuses": CertificationStatus.choices, "specializations": Specialization.choices, "counties": county_list(),
    })


@never_cache
def verify(request, number: str):
    record = selectors.registry_record(number)
    if record is None:
        raise Http404
    if record["current_number"] != number:
        # An old number (before a transfer) still verifies; the page lives at the current one.
        return redirect("registry:verify", record["current_number"])
    return render(request, "registry/verify.html", {"record": record})
