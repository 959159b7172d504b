"""oversight: the dashboards part's pages: the public open-data dashboard and its CSV files (no sign-in),
DHCS's counties side by side, a county's own figures beside the state's, and the program's quality.

Each chart is drawn by static/oversight/dashboards.js from a JSON block (json_script: no inline
script, as the CSP requires), and each has the same figures in a table beside it for screen readers."""

from decimal import Decimal

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils.translation import gettext as _

from peercert.accounts.permissions import rule_required
from peercert.core.csvexport import csv_text
from peercert.oversight import permissions, selectors


def _number(value):
    return float(value) if isinstance(value, Decimal) else value


def _table_chart(table: dict) -> dict:
    """A bar chart of a public table's count columns: withheld values are gaps (null), never drawn."""
    counts = [i for i, c in enumerate(table["columns"]) if c["kind"] == "count"]
    return {
        "type": "bar",
        "labels": [row["label"] for row in table["rows"]],
        "datasets": [
            {"label": table["columns"][i]["label"], "data": [row["values"][i]["value"] for row in table["rows"]]}
            for i in counts
        ],
        "horizontal": len(table["rows"]) > 12,
        "stacked": len(counts) > 1,
    }


def _for_display(table: dict) -> dict:
    """The table with its rate cells marked, so the page writes them as the reader's language writes decimals."""
    rates = {i for i, c in enumerate(table["columns"]) if c["kind"] == "rate"}

    def mark(values):
        return [{**cell, "rate": i in rates} for i, cell in enumerate(values)]

    return {
        **table,
        "rows": [{**row, "values": mark(row["values"])} for row in table["rows"]],
        "total": None if table["total"] is None else {**table["total"], "values": mark(table["total"]["values"])},
        "chart": _table_chart(table),
        "chart_id": f"chart-{table['key']}",
    }


def public_dashboard(request):
    data = selectors.public_dashboard()
    tables = [_for_display(table) for table in data["tables"]]
    suppressed = sum(cell["suppressed"] for table in data["tables"] for row in table["rows"] for cell in row["values"])
    return render(
        request,
        "oversight/dashboards/public.html",
        {"data": data, "tables": tables, "threshold": data["threshold"], "suppressed_count": suppressed},
    )


def public_dashboard_csv(request, table_key: str):
    table = selectors.public_table(table_key)
    if table is None:
        raise Http404
    rows = [[table["row_header"], *[c["label"] for c in table["columns"]]]]

    def show(cell):
        if cell["suppressed"]:
            return _("suppressed")
        return "" if cell["value"] is None else cell["value"]

    rows += [[row["label"], *[show(c) for c in row["values"]]] for row in table["rows"]]
    if table["total"] is not None:
        rows.append([table["total"]["label"], *[show(c) for c in table["total"]["values"]]])
    response = HttpResponse(csv_text(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="peercert-{table["key"]}-{selectors.public_dashboard()["as_of"]}.csv"'
    )
    return response


def _figures_chart(rows: list[dict], label_key: str, keys: list[tuple[str, str]]) -> dict:
    return {
        "type": "bar",
        "labels": [row[label_key] for row in rows],
        "datasets": [{"label": label, "data": [_number(row.get(key, 0)) for row in rows]} for key, label in keys],
        "horizontal": len(rows) > 12,
        "stacked": False,
    }


@rule_required(permissions.can_see_statewide_dashboard)
def statewide_dashboard(request):
    data = selectors.statewide_dashboard(request.user)
    labels = {key: label for key, label, _kind in data["columns"]}
    charts = [
        {
            "id": "chart-workforce",
            "title": _("Certified, employed and formally hired peers by county"),
            "chart": _figures_chart(
                data["rows"], "county", [(k, labels[k]) for k in ("certified_peers", "employed", "hired")]
            ),
        },
        {
            "id": "chart-money",
            "title": _("Billed, paid and denied this fiscal year by county"),
            "chart": _figures_chart(data["rows"], "county", [(k, labels[k]) for k in ("billed", "paid", "denied")]),
        },
    ]
    kinds = [(key, kind) for key, _label, kind in data["columns"]]
    table_rows = [{"county": row["county"], "cells": [(row[key], kind) for key, kind in kinds]} for row in data["rows"]]
    total_cells = [(data["total"].get(key, 0), kind) for key, kind in kinds]
    return render(
        request,
        "oversight/dashboards/statewide.html",
        {"data": data, "charts": charts, "table_rows": table_rows, "total_cells": total_cells},
    )


@rule_required(permissions.can_see_county_dashboard)
def county_dashboard(request):
    mine = sorted(permissions.dashboard_county_ids(request.user))
    wanted = request.GET.get("county", "")
    county_id = int(wanted) if wanted.isdigit() and len(wanted) < 10 else mine[0]
    data = selectors.county_dashboard(request.user, county_id)
    if data is None:
        raise Http404
    rows = [
        {"key": key, "label": label, "kind": kind, "mine": data["mine"].get(key, 0), "state": data["state"].get(key, 0)}
        for key, label, kind in data["columns"]
    ]
    chart = {
        "type": "line",
        "labels": [m["label"] for m in data["months"]],
        "datasets": [
            {"label": data["county"].name, "data": [m["county"] for m in data["months"]]},
            {"label": _("California"), "data": [m["state"] for m in data["months"]]},
        ],
        "horizontal": False,
        "stacked": False,
    }
    return render(
        request,
        "oversight/dashboards/county.html",
        {"data": data, "rows": rows, "chart": chart, "other_counties": len(mine) > 1},
    )


@rule_required(permissions.can_see_quality_dashboard)
def quality_dashboard(request):
    data = selectors.quality_dashboard(request.user)
    exams_chart = {
        "type": "bar",
        "labels": [row["form"] for row in data["exams"]],
        "datasets": [
            {"label": _("Passed"), "data": [row["passed"] for row in data["exams"]]},
            {"label": _("Did not pass"), "data": [row["failed"] for row in data["exams"]]},
        ],
        "horizontal": False,
        "stacked": True,
    }
    renewals = data["renewals"]
    renewals_chart = {
        "type": "bar",
        "labels": [_("Renewed on time"), _("Renewed late"), _("Not renewed")],
        "datasets": [
            {"label": _("Certifications due"), "data": [renewals["on_time"], renewals["late"], renewals["not_renewed"]]}
        ],
        "horizontal": False,
        "stacked": False,
    }
    return render(
        request,
        "oversight/dashboards/quality.html",
        {"data": data, "exams_chart": exams_chart, "renewals_chart": renewals_chart},
    )


urlpatterns: list = [
    path("open-data/", public_dashboard, name="public_dashboard"),
    path("open-data/<slug:table_key>.csv", public_dashboard_csv, name="public_dashboard_csv"),
    path("dashboards/counties/", statewide_dashboard, name="statewide_dashboard"),
    path("dashboards/county/", county_dashboard, name="county_dashboard"),
    path("dashboards/quality/", quality_dashboard, name="quality_dashboard"),
]
