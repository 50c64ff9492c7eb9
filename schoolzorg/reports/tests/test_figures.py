"""The figures as the analyst reads them: which cells hide which, and what the captions say."""

from __future__ import annotations

import datetime as dt
import random

import pytest

from schoolzorg.organisations.tests.factories import MunicipalityFactory, SchoolFactory
from schoolzorg.reports import suppression
from schoolzorg.reports.figures import MONTHLY_MEASURES, Table, build, schools_caption
from schoolzorg.reports.models import FigureRefresh, MonthlySchoolFigure
from schoolzorg.reports.sources import window

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 12, 5)
FLOWS = [key for key, _ in MONTHLY_MEASURES]
STOCKS = ["pupils", "pupils_in_care", "pupils_in_care_with_consent", "pupils_with_consent"]


def _rows(municipality, schools, values) -> None:
    """One roll-up row per school and month; `values(school_index, month_index, measure)`."""
    MonthlySchoolFigure.objects.all().delete()
    MonthlySchoolFigure.objects.bulk_create(
        MonthlySchoolFigure(
            municipality=municipality,
            school=school,
            school_name=school.name,
            month=month,
            **{key: values(i, m, key) for key in FLOWS + STOCKS},
        )
        for i, school in enumerate(schools)
        for m, month in enumerate(window(TODAY, 12))
    )


def _column(table: Table, name: str) -> dict[str, str]:
    j = table.columns.index(name)
    return {label: cells[j].text for label, cells in table.rows}


def test_open_cases_per_school_are_shown_beside_a_small_count_of_another_measure() -> None:
    """The tester's Waterstede: every school has 8 pupils with an open case and held 2 care
    meetings in the year. The 2s are small; the 8s are another measure and stay visible."""
    municipality = MunicipalityFactory()
    schools = [SchoolFactory(name=f"School {i}", municipality=municipality) for i in range(12)]

    def values(i: int, m: int, key: str) -> int:
        if key == "meetings_held":
            return 2 if m == 11 else 0
        return {"pupils": 300, "pupils_in_care": 8, "help_requests": 3}.get(key, 0)

    _rows(municipality, schools, values)
    figures = build(municipality.pk, today=TODAY)
    assert set(_column(figures.schools, "Met open casus").values()) == {"10"}
    assert set(_column(figures.schools, "Zorgoverleggen gehouden").values()) == {"<5"}
    assert set(_column(figures.schools, "Leerlingen").values()) == {"300"}


def _lonely(cells: list[suppression.Cell], values: list[int]) -> bool:
    hidden = [c for c in cells if c.hidden]
    visible = [n for c, n in zip(cells, values, strict=True) if not c.hidden and n > 0]
    return len(hidden) == 1 and bool(visible)


@pytest.mark.parametrize("seed", range(12))
def test_no_hidden_count_follows_from_a_total_shown_elsewhere(seed: int) -> None:
    """Every line of cells whose total the page shows somewhere, or that is public (a school's
    pupils), hides none or at least two cells among visible counts:
    - a measure's row of months (its total: the schools' column, summed);
    - a column of the schools' table (its total: the municipality's months, summed);
    - a school's row of months for cases and help requests (its total: the schools' table) and
      a month's column of them (its total: the municipality's month).
    The page and the CSV show the same cells (`test_views`); `?gemeente=` only chooses between
    municipalities, whose schools do not overlap; there is no other filter."""
    rnd = random.Random(seed)
    municipality = MunicipalityFactory()
    schools = [
        SchoolFactory(name=f"School {i}", municipality=municipality)
        for i in range(rnd.randint(1, 6))
    ]
    small = rnd.choice([2, 4, 7])
    table: dict[tuple[int, int, str], int] = {}

    def values(i: int, m: int, key: str) -> int:
        return table.setdefault((i, m, key), rnd.choice([0, 0, 1, 2, 3, 5, 8, small, 12, 40]))

    _rows(municipality, schools, values)
    figures = build(municipality.pk, today=TODAY)
    months = range(12)
    names = [s.name for s in schools]

    for key, label in MONTHLY_MEASURES:
        row = dict(figures.monthly.rows)[label]
        totals = [sum(table[(i, m, key)] for i in range(len(schools))) for m in months]
        assert not _lonely(row, totals), (key, totals)

    school_cells = dict(figures.schools.rows)
    period = {
        key: [sum(table[(i, m, key)] for m in months) for i in range(len(schools))] for key in FLOWS
    } | {key: [table[(i, 11, key)] for i in range(len(schools))] for key in STOCKS}
    columns = {
        "Leerlingen": "pupils",
        "Met toestemming zorgteam": "pupils_with_consent",
        "Met open casus": "pupils_in_care",
        **{label: key for key, label in MONTHLY_MEASURES},
    }
    shown = [n for n in names if n in school_cells]
    for column, key in columns.items():
        j = figures.schools.columns.index(column)
        cells = [school_cells[n][j] for n in shown]
        assert not _lonely(cells, [period[key][names.index(n)] for n in shown]), column

    for by_month, key in (
        (figures.cases_by_school, "cases_opened"),
        (figures.help_by_school, "help_requests"),
    ):
        rows = dict(by_month.rows)
        for n, cells in rows.items():
            i = names.index(n)
            assert not _lonely(cells, [table[(i, m, key)] for m in months]), (key, n)
        for m in months:
            cells = [cells[m] for cells in rows.values()]
            assert not _lonely(cells, [table[(names.index(n), m, key)] for n in rows]), (key, m)


def test_the_caption_says_on_which_day_pupils_consent_and_cases_were_counted() -> None:
    assert schools_caption(None, TODAY) == "Per school over de laatste twaalf maanden"
    assert schools_caption(TODAY, TODAY) == (
        "Per school over de laatste twaalf maanden; leerlingen, toestemming en open casussen "
        "vandaag (5 december 2026): de maand loopt nog"
    )
    assert schools_caption(dt.date(2026, 12, 4), TODAY).endswith(
        "op 4 december 2026, de dag van de laatste berekening (de maand liep toen nog)"
    )
    assert schools_caption(dt.date(2026, 11, 30), TODAY).endswith(
        "op 30 november 2026, de laatste dag van de maand"
    )


def test_the_stock_day_is_the_refresh_day_while_the_month_runs() -> None:
    municipality = MunicipalityFactory()
    _rows(municipality, [SchoolFactory(municipality=municipality)], lambda i, m, key: 10)
    FigureRefresh.objects.update_or_create(pk=1, defaults={"counted_on": TODAY})
    assert build(municipality.pk, today=TODAY).stock_on == TODAY
    FigureRefresh.objects.filter(pk=1).update(counted_on=dt.date(2027, 1, 1))
    assert build(municipality.pk, today=TODAY).stock_on == dt.date(2026, 12, 31)
