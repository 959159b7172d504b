from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache

from peercert.core.apitypes import MAX_ID
from peercert.registry import selectors
from peercert.registry.forms import RegistrySearchForm


def _int(value, default=None):
    """A whole number from the query string, or default: junk and numbers past a database integer are ignored."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return default
    return number if 1 <= number <= MAX_ID else default


@never_cache
def search(request):
    form = RegistrySearchForm(request.GET or None)
    result, searched = None, False
    if form.is_bound:
        form.is_valid()  # an invalid field is shown as an error and left out; the valid ones still search
        data = form.cleaned_data
        searched = any(data.get(k) for k in ("name", "number", "status", "specialization", "county"))
        if searched:
            result = selectors.registry_search(
                name=data.get("name", ""),
                number=data.get("number", ""),
                status=data.get("status", ""),
                specialization=data.get("specialization", ""),
                county_id=data["county"].pk if data.get("county") else None,
                page=_int(request.GET.get("page"), 1),
            )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "registry/search.html",
        {
            "form": form,
            "result": result,
            "query": query.urlencode(),
            "searched": searched,
        },
        status=400 if form.errors else 200,
    )


@never_cache
def verify(request, number: str):
    record = selectors.registry_record(number)
    if record is None:
        raise Http404
    if record["current_number"] != number:
        # An old number (before a transfer) still verifies; the page lives at the current one.
        return redirect("registry:verify", record["current_number"])
    return render(request, "registry/verify.html", {"record": record})
