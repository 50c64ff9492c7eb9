"""The municipality's figures page, its CSV export, and the benchmark's floor view."""

from __future__ import annotations

import itertools

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache

from schoolzorg.lib import spreadsheets
from schoolzorg.reports import charts, suppression
from schoolzorg.reports.access import chosen_municipality
from schoolzorg.reports.figures import figures_for, schools_caption


@never_cache
@login_required
def index(request: HttpRequest) -> HttpResponse:
    municipality_id, name, options = chosen_municipality(request)
    figures = figures_for(municipality_id)
    chart_specs = [
        ("cases_opened", "Nieuwe casussen per maand"),
        ("help_requests", "Hulpvragen per maand"),
        ("referrals_submitted", "Toeleidingen naar het wijkteam per maand"),
    ]
    svg = [
        (title, charts.bar_chart(title, figures.month_labels, figures.series[key], ident=key))
        for key, title in chart_specs
    ]
    return render(
        request,
        "reports/index.html",
        {
            "municipality_id": municipality_id,
            "municipality_name": name,
            "options": options,
            "figures": figures,
            "schools_caption": schools_caption(figures.stock_on, timezone.localdate()),
            "charts": svg,
            "legend": suppression.LEGEND,
        },
    )


LEGEND_TABLE = "uitleg bij de tekens"


@never_cache
@login_required
def export_csv(request: HttpRequest) -> HttpResponse:
    """The same suppressed tables as the page, one line per cell, then what the marks mean."""
    municipality_id, name, _ = chosen_municipality(request)
    figures = figures_for(municipality_id)
    tables = [
        ("per maand", figures.monthly),
        ("per school", figures.schools),
        ("casussen per school en maand", figures.cases_by_school),
        ("hulpvragen per school en maand", figures.help_by_school),
        ("toeleidingen per wijkteam en maand", figures.referrals_by_team),
        ("warme overdracht per wijkteam", figures.handovers),
        (
            "doorlooptijd per stap (mediaan in schooldagen, in de maand dat de stap klaar was)",
            figures.lead_times,
        ),
        ("escalaties per reden en niveau", figures.escalations),
    ]
    values = (
        [name, title, label, column, cell.text]
        for title, table in tables
        for label, cells in table.rows
        for column, cell in zip(table.columns, cells, strict=True)
    )
    legend = ([name, LEGEND_TABLE, mark, "betekenis", text] for mark, text in suppression.LEGEND)
    rows = itertools.chain(values, legend)
    body = spreadsheets.csv_text(["gemeente", "tabel", "rij", "kolom", "waarde"], rows)
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="cijfers.csv"'
    return response


def floor(request: HttpRequest) -> HttpResponse:
    """The benchmark's floor: the full middleware stack, a fixed tiny answer, no data."""
    return HttpResponse(b"ok", content_type="text/plain")
