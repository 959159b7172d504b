import json

from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, JsonResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils.http import http_date
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import condition, require_http_methods

from peercert.benefit import permissions as benefit_permissions
from peercert.benefit import selectors as benefit_selectors
from peercert.certification import selectors as certification_selectors
from peercert.core.apitypes import MAX_ID
from peercert.core.csvexport import stream_rows
from peercert.core.errors import ApplicationError, add_to_form
from peercert.core.rules import rules_on
from peercert.core.tabular import check_tabular_upload, read_table
from peercert.registry import bulk, bulkfiles, selectors
from peercert.registry.forms import BulkVerifyForm, RegistrySearchForm
from peercert.registry.ratelimit import bulk_request_allowed

# The results table shows this many rows; the CSV download always has every line.
SHOWN_ROWS = 500


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
        # An old number (before a transfer), or one typed as 193 or pss000193, verifies; the page lives at the current one.
        return redirect("registry:verify", record["current_number"])
    if not record["disciplinary_actions"]:
        # A suspension or revocation set by the program without a case is a public action too.
        action = certification_selectors.public_status_action(record["current_number"])
        if action is not None:
            record["disciplinary_actions"] = [action]
    return render(
        request,
        "registry/verify.html",
        {"record": record, "update_hours": rules_on().registry_update_hours},
    )


def developers(request):
    """How to use the registry by machine: the API, bulk files, bulk verification, FHIR, credentials."""
    manifest = bulkfiles.current()
    return render(
        request,
        "registry/developers.html",
        {
            "site": request.build_absolute_uri("/").rstrip("/"),
            "manifest": manifest,
            "max_items": bulk.MAX_ITEMS,
            "max_page_size": selectors.MAX_PAGE_SIZE,
        },
    )


def _items_from_post(request) -> list[bulk.Item]:
    """The items a results page sends back for its CSV download (a hidden field of [line, number, name])."""
    try:
        raw = json.loads(request.POST.get("items") or "[]")
    except ValueError:
        raw = None
    if not isinstance(raw, list) or len(raw) > bulk.MAX_ITEMS:
        raise ApplicationError("The list of numbers could not be read. Upload the file again.")
    items = []
    for entry in raw:
        if not (isinstance(entry, list) and len(entry) == 3 and isinstance(entry[0], int)):
            raise ApplicationError("The list of numbers could not be read. Upload the file again.")
        line, number, name = entry
        items.append(bulk.Item(line=line, number=str(number)[:200], name=str(name)[: bulk.MAX_NAME_LENGTH]))
    return items


def _csv_download(answer: dict) -> StreamingHttpResponse:
    response = StreamingHttpResponse(
        stream_rows(bulk.CSV_HEADER, bulk.csv_rows(answer)), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="registry-verification.csv"'
    response["Cache-Control"] = "no-store"
    return response


@never_cache
@require_http_methods(["GET", "POST"])
def bulk_verify(request):
    """Anyone uploads up to 5,000 numbers and gets each one's public record, as a table and a CSV."""
    form = BulkVerifyForm(request.POST or None, request.FILES or None)
    context = {
        "form": form,
        "answer": None,
        "max_items": bulk.MAX_ITEMS,
        "shown_rows": SHOWN_ROWS,
        "county_user": benefit_permissions.is_county_user(request.user),
    }
    if request.method != "POST":
        return render(request, "registry/bulk.html", context)
    verdict = bulk_request_allowed(request)
    if not verdict.allowed:
        context["rate_limited"] = gettext(
            "Too many bulk verifications from your address: the limit is %(limit)s an hour. "
            "Try again in %(minutes)s minutes, or put more numbers in each file (up to 5,000)."
        ) % {"limit": verdict.limit, "minutes": max(1, round(verdict.retry_after / 60))}
        response = render(request, "registry/bulk.html", context, status=429)
        response["Retry-After"] = str(verdict.retry_after)
        return response
    try:
        if "items" in request.POST:
            return _csv_download(bulk.verify_items(_items_from_post(request)))
        if "our_employees" in request.POST:
            items = _our_employees(request)
            if items is not None:
                return _answer_page(request, context, items)
        if not form.is_valid():
            return render(request, "registry/bulk.html", context, status=400)
        upload = form.cleaned_data["file"]
        content = check_tabular_upload(upload)
        table = read_table(content, upload.name, known=bulk.COLUMNS, max_rows=bulk.MAX_ITEMS)
        items, file_errors = bulk.items_from_table(table)
    except ApplicationError as exc:
        add_to_form(form, exc)
        return render(request, "registry/bulk.html", context, status=400)
    if file_errors:
        context["file_errors"] = file_errors
        return render(request, "registry/bulk.html", context, status=400)
    return _answer_page(request, context, items)


def _answer_page(request, context, items):
    answer = bulk.verify_items(items)
    if request.POST.get("format") == "csv":
        return _csv_download(answer)
    context.update(
        answer=answer,
        shown=answer["results"][:SHOWN_ROWS],
        items_json=json.dumps([[i.line, i.number, i.name] for i in items], ensure_ascii=False),
    )
    return render(request, "registry/bulk.html", context)


def _our_employees(request) -> list | None:
    """Signed-in county staff verify every peer their county employs in one step (no file to make)."""
    if not benefit_permissions.is_county_user(request.user):
        return None
    rows = benefit_selectors.employees_to_verify(request.user, limit=bulk.MAX_ITEMS)
    return [bulk.Item(line=n, number=number, name=name) for n, (number, name) in enumerate(rows, start=1)]


def _generated_at(request, name):
    if name == bulkfiles.SCHEMA_NAME:
        return None
    manifest = bulkfiles.current()
    return manifest["generated_at"] if manifest else None


@condition(last_modified_func=_generated_at)
def bulk_download(request, name: str):
    """A bulk file, streamed from storage as an attachment; the schema is made from the code."""
    if name == bulkfiles.SCHEMA_NAME:
        response = JsonResponse(bulkfiles.schema(request.build_absolute_uri("/")), json_dumps_params={"indent": 2})
        response["Content-Type"] = bulkfiles.CONTENT_TYPES[name]
        return response
    manifest = bulkfiles.current()
    stored = (manifest or {}).get("files", {}).get(name)
    handle = None
    if stored:
        try:
            handle = default_storage.open(stored, "rb")
        except (FileNotFoundError, OSError):
            handle = None
    if handle is None:
        return render(request, "registry/download_missing.html", {"name": name}, status=404)
    response = FileResponse(handle, as_attachment=True, filename=name, content_type=bulkfiles.CONTENT_TYPES[name])
    response["Last-Modified"] = http_date(manifest["generated_at"].timestamp())
    response["Cache-Control"] = "public, max-age=3600"
    return response
