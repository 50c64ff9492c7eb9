"""Read the roll-ups for one municipality and shape them into suppressed tables and charts.

A fixed number of queries (one per roll-up table plus the refresh stamp) whatever the data.
`figures_for` keeps the result in each worker until the roll-ups are refreshed again: every
analyst of a municipality sees the same suppressed aggregates, and they only change when the
periodic refresh writes a new stamp.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from html import escape
from typing import Any

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.safestring import SafeString, mark_safe

from schoolzorg.reports import suppression
from schoolzorg.reports.models import (
    FigureRefresh,
    MonthlyEscalationFigure,
    MonthlyLeadTimeFigure,
    MonthlyReferralFigure,
    MonthlySchoolFigure,
)
from schoolzorg.reports.services import DEFAULT_MONTHS
from schoolzorg.reports.sources import month_end, window
from schoolzorg.reports.suppression import Cell

MONTH_NAMES = ["jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec"]
MONTHLY_MEASURES = [
    ("help_requests", "Hulpvragen"),
    ("cases_opened", "Nieuwe casussen"),
    ("meetings_held", "Zorgoverleggen gehouden"),
    ("referrals_submitted", "Toeleidingen naar het wijkteam"),
    ("consents_given", "Toestemmingen vastgelegd"),
]


def month_label(month: dt.date) -> str:
    """ "jan 2026": with two digits, "jan 26" reads as 26 January."""
    return f"{MONTH_NAMES[month.month - 1]} {month:%Y}"


def schools_caption(stock_on: dt.date | None, today: dt.date) -> str:
    """The schools' table caption, saying on which day its stocks were counted.

    The running month's stocks are counted on the day of the refresh, not on its last day (a
    day still to come): the caption says "vandaag", or the day of the last refresh when that
    was before today.
    """
    caption = "Per school over de laatste twaalf maanden"
    if stock_on is None:
        return caption
    stocks = f"{caption}; leerlingen, toestemming en open casussen"
    day = date_format(stock_on, "j F Y")
    if stock_on == month_end(stock_on):
        return f"{stocks} op {day}, de laatste dag van de maand"
    if stock_on == today:
        return f"{stocks} vandaag ({day}): de maand loopt nog"
    return f"{stocks} op {day}, de dag van de laatste berekening (de maand liep toen nog)"


def _td(cell: Cell) -> str:
    if cell.text == suppression.COMPLEMENTARY:  # a screen reader would say "maal"
        return (
            f'<td><span aria-hidden="true">{cell.text}</span>'
            '<span class="visually-hidden">verborgen</span></td>'
        )
    return "<td>" + escape(cell.text) + "</td>"


@dataclass
class Table:
    """Rows of suppressed cells with a label per row; `columns` label the cells."""

    columns: list[str]
    rows: list[tuple[str, list[Cell]]] = field(default_factory=list)

    @cached_property
    def body_html(self) -> SafeString:
        """The table body in one go: a city's tables have thousands of cells, and the template
        engine spends ~0.1 ms per cell; joining escaped strings costs a hundredth of that.
        Computed once and kept with the cached figures (see `figures_for`)."""
        rows = [
            '<tr><th scope="row">'
            + escape(label)
            + "</th>"
            + "".join(_td(cell) for cell in cells)
            + "</tr>"
            for label, cells in self.rows
        ]
        return mark_safe("\n".join(rows))  # noqa: S308 - every text is escaped above


@dataclass
class Figures:
    months: list[dt.date]
    month_labels: list[str]
    refreshed_at: dt.datetime | None
    # The day the schools' stocks (pupils, consent, open cases) were counted: the last month's
    # last day, or the day of the refresh while that month was still running.
    stock_on: dt.date | None
    monthly: Table  # measure x month, municipality totals
    schools: Table  # school x measures over the period
    cases_by_school: Table  # school x month
    help_by_school: Table  # school x month
    referrals_by_team: Table  # team x month
    handovers: Table  # team x (warm handovers, within norm, share)
    lead_times: Table  # step x month (median days)
    escalations: Table  # reason x level, over the period
    series: dict[str, list[Cell]] = field(default_factory=dict)

    def tables(self) -> list[Table]:
        return [
            self.monthly,
            self.schools,
            self.cases_by_school,
            self.help_by_school,
            self.referrals_by_team,
            self.handovers,
            self.lead_times,
            self.escalations,
        ]


def _matrix_table(
    columns: list[str], labelled: list[tuple[str, list[int]]], *, keep_empty: bool = False
) -> Table:
    rows = [(label, values) for label, values in labelled if keep_empty or any(values)]
    cells = suppression.matrix([values for _, values in rows])
    return Table(columns, [(label, row) for (label, _), row in zip(rows, cells, strict=True)])


def figures_for(municipality_id: int) -> Figures:
    """`build` for today, kept while the roll-ups have not been refreshed since."""
    stamp = FigureRefresh.objects.filter(pk=1).values_list("refreshed_at", flat=True).first()
    return _kept(municipality_id, timezone.localdate(), stamp)


# Kept as objects in the worker, not in Django's cache: the cache pickles, and unpickling a
# city's figures (~75 KB) cost 1.7 ms of every figures page, a fifth of it. The key holds the
# refresh stamp and the day, so a refresh or a new day builds afresh; the tables are rendered
# once, as part of what is kept. A few municipalities per worker: an analyst sees one, the
# officer a handful.
@lru_cache(maxsize=16)
def _kept(municipality_id: int, today: dt.date, stamp: dt.datetime | None) -> Figures:
    figures = build(municipality_id, today=today)
    for table in figures.tables():
        table.body_html  # noqa: B018 - rendered once, kept with the figures
    return figures


forget_figures = _kept.cache_clear


def build(municipality_id: int, *, today: dt.date | None = None) -> Figures:
    months = window(today or timezone.localdate(), DEFAULT_MONTHS)
    labels = [month_label(m) for m in months]
    index = {m: i for i, m in enumerate(months)}
    start = months[0]

    school_rows: list[Any] = list(
        MonthlySchoolFigure.objects.filter(municipality_id=municipality_id, month__gte=start)
        .order_by("school_name", "school_id", "month")
        .values()
    )
    team_rows: list[Any] = list(
        MonthlyReferralFigure.objects.filter(municipality_id=municipality_id, month__gte=start)
        .order_by("team_name", "team_id", "month")
        .values()
    )
    step_rows: list[Any] = list(
        MonthlyLeadTimeFigure.objects.filter(
            municipality_id=municipality_id, month__gte=start
        ).values()
    )
    escalation_rows: list[Any] = list(
        MonthlyEscalationFigure.objects.filter(
            municipality_id=municipality_id, month__gte=start
        ).values()
    )
    stamp, counted_on = FigureRefresh.objects.filter(pk=1).values_list(
        "refreshed_at", "counted_on"
    ).first() or (None, None)

    # Municipality totals per month.
    totals: dict[str, list[int]] = {key: [0] * len(months) for key, _ in MONTHLY_MEASURES}
    for r in school_rows:
        i = index.get(r["month"])
        if i is None:
            continue
        for key, _ in MONTHLY_MEASURES:
            totals[key][i] += r[key]
    # Each measure's month row is its own breakdown of a known period total.
    monthly = Table(
        labels,
        [(label, suppression.counts(totals[key])) for key, label in MONTHLY_MEASURES],
    )

    # Per school: period sums; stock measures (pupils, consent) at the latest month.
    per_school: dict[int, dict[str, Any]] = {}
    cases: dict[int, list[int]] = defaultdict(lambda: [0] * len(months))
    helps: dict[int, list[int]] = defaultdict(lambda: [0] * len(months))
    names: dict[int, str] = {}
    for r in school_rows:
        sid = r["school_id"]
        names[sid] = r["school_name"]
        agg = per_school.setdefault(
            sid,
            {k: 0 for k, _ in MONTHLY_MEASURES}
            | {"pupils": 0, "in_care": 0, "in_care_consent": 0, "with_consent": 0, "month": None},
        )
        for key, _ in MONTHLY_MEASURES:
            agg[key] += r[key]
        if agg["month"] is None or r["month"] >= agg["month"]:
            agg.update(
                month=r["month"],
                pupils=r["pupils"],
                in_care=r["pupils_in_care"],
                in_care_consent=r["pupils_in_care_with_consent"],
                with_consent=r["pupils_with_consent"],
            )
        i = index.get(r["month"])
        if i is not None:
            cases[sid][i] += r["cases_opened"]
            helps[sid][i] += r["help_requests"]
    school_ids = list(per_school)
    latest = max((agg["month"] for agg in per_school.values()), default=None)
    stock_on = None if latest is None else month_end(latest)
    if stock_on is not None and counted_on is not None:
        stock_on = min(stock_on, counted_on)
    school_keys = ["pupils", *(k for k, _ in MONTHLY_MEASURES), "with_consent", "in_care"]
    school_columns = [
        "Leerlingen",
        *(label for _, label in MONTHLY_MEASURES),
        "Met toestemming zorgteam",
        "Met open casus",
    ]
    # Columns of different measures: each adds up to the municipality's figure, a row to
    # nothing, so a small count hides a second one in its column only (`suppression.columns`).
    grid = suppression.columns([[per_school[s][k] for k in school_keys] for s in school_ids])
    schools = Table(
        [*school_columns, "Dekking toestemming"],
        [
            (
                names[s],
                [
                    *row,
                    suppression.share(per_school[s]["in_care_consent"], per_school[s]["in_care"]),
                ],
            )
            for s, row in zip(school_ids, grid, strict=True)
        ],
    )
    cases_by_school = _matrix_table(labels, [(names[s], cases[s]) for s in school_ids])
    help_by_school = _matrix_table(labels, [(names[s], helps[s]) for s in school_ids])

    # Teams: referrals per month; handovers over the period.
    team_months: dict[int, list[int]] = defaultdict(lambda: [0] * len(months))
    team_names: dict[int, str] = {}
    handover: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0])
    for r in team_rows:
        tid = r["team_id"]
        team_names[tid] = r["team_name"]
        i = index.get(r["month"])
        if i is not None:
            team_months[tid][i] += r["referrals"]
        handover[tid][0] += r["warm_handovers"]
        handover[tid][1] += r["warm_handovers_within_norm"]
        handover[tid][2] += r["escalations"]
    referrals_by_team = _matrix_table(labels, [(team_names[t], team_months[t]) for t in team_names])
    handover_ids = [t for t in team_names if any(handover[t])]
    handover_grid = suppression.matrix([handover[t] for t in handover_ids])
    handovers = Table(
        ["Warme overdrachten", "Binnen de norm", "Escalaties", "Aandeel binnen de norm"],
        [
            (team_names[t], [*row, suppression.share(handover[t][1], handover[t][0])])
            for t, row in zip(handover_ids, handover_grid, strict=True)
        ],
    )

    # Lead time per referral step and month (median days, hidden under 5 referrals).
    steps: dict[str, tuple[int, str]] = {}
    step_cells: dict[str, list[Cell]] = defaultdict(
        lambda: [Cell(None, suppression.NOT_SHOWN)] * len(months)
    )
    for r in step_rows:
        steps[r["step"]] = (r["order"], r["step_label"])
        i = index.get(r["month"])
        if i is not None:
            step_cells[r["step"]][i] = suppression.days(r["median_days"], r["referrals"])
    lead_times = Table(
        labels,
        [(label, step_cells[key]) for key, (_, label) in sorted(steps.items(), key=lambda s: s[1])],
    )

    # Escalations: reason x level over the period.
    reasons: dict[str, str] = {}
    levels = sorted({r["level"] for r in escalation_rows})
    by_reason: dict[str, list[int]] = defaultdict(lambda: [0] * len(levels))
    for r in escalation_rows:
        reasons[r["reason"]] = r["reason_label"]
        by_reason[r["reason"]][levels.index(r["level"])] += r["escalations"]
    escalations = _matrix_table(
        [f"Niveau {level}" for level in levels],
        [(reasons[k], by_reason[k]) for k in sorted(reasons, key=reasons.__getitem__)],
    )

    series = {key: suppression.counts(totals[key]) for key, _ in MONTHLY_MEASURES}
    series["referrals_by_team_total"] = suppression.counts(
        [sum(v[i] for v in team_months.values()) for i in range(len(months))]
    )
    return Figures(
        months=months,
        month_labels=labels,
        refreshed_at=stamp,
        stock_on=stock_on,
        monthly=monthly,
        schools=schools,
        cases_by_school=cases_by_school,
        help_by_school=help_by_school,
        referrals_by_team=referrals_by_team,
        handovers=handovers,
        lead_times=lead_times,
        escalations=escalations,
        series=series,
    )
