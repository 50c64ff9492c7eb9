"""Importers on files with more rows than one SQL query takes, and on implausible values."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.db import connection

from schoolzorg.organisations.importers.base import ImportRefused
from schoolzorg.organisations.importers.pupil_counts import import_pupil_counts
from schoolzorg.organisations.importers.schools import import_schools
from schoolzorg.organisations.models import Municipality, School

pytestmark = pytest.mark.django_db

SAMPLES = Path(__file__).resolve().parents[3] / "data" / "samples"
SCHOOLS = SAMPLES / "schoolvestigingen-waterstede.csv"
COUNTS = SAMPLES / "leerlingen-per-vestiging-waterstede.csv"
LIMIT = 40  # SQLite's parameter limit in these tests: a file of 60 rows exceeds it


@pytest.fixture
def few_sql_variables() -> Iterator[None]:
    """Lower SQLite's limit on query parameters, as a file of 40,000 rows meets the real one."""
    if connection.vendor != "sqlite":
        pytest.skip("the parameter limit is lowered on SQLite only")
    connection.ensure_connection()
    raw = connection.connection
    before = raw.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
    raw.setlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER, LIMIT)
    try:
        yield
    finally:
        raw.setlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER, before)


def _many_schools(tmp_path: Path, count: int) -> Path:
    header, first, *_ = SCHOOLS.read_text(encoding="utf-8").splitlines()
    lines = [header]
    for n in range(count):
        brin = f"9{n // 10:02d}X"  # 90X0 .. 95X9: valid BRIN codes, ten locations each
        lines.append(first.replace("99WA00", f"{brin}{n % 10:02d}").replace("99WA", brin))
    path = tmp_path / "veel-scholen.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_import_schools_looks_up_a_large_file_in_chunks(
    tmp_path: Path, few_sql_variables: None
) -> None:
    path = _many_schools(tmp_path, 60)
    report = import_schools(path)
    assert (report.inserted, report.updated, report.closed) == (60, 0, 0)
    again = import_schools(path)
    assert (again.inserted, again.unchanged) == (0, 60)
    # A file without most of them closes them chunk by chunk too (on purpose).
    fewer = tmp_path / "minder.csv"
    fewer.write_text("\n".join(path.read_text(encoding="utf-8").splitlines()[:3]) + "\n")
    assert import_schools(fewer, close_many=True).closed == 58


def test_import_pupil_counts_looks_up_a_large_file_in_chunks(
    tmp_path: Path, few_sql_variables: None
) -> None:
    import_schools(_many_schools(tmp_path, 60))
    header = "VESTIGINGSCODE;LEERLINGEN_2025"
    rows = [
        f"{s};{100 + i}"
        for i, s in enumerate(School.objects.values_list("location_code", flat=True))
    ]
    counts = tmp_path / "tellingen.csv"
    counts.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    assert import_pupil_counts(counts).updated == 60


def _schools_with(tmp_path: Path, column: int, value: str) -> Path:
    """The sample with the second location's field `column` replaced by `value`."""
    lines = SCHOOLS.read_text(encoding="utf-8").splitlines()
    cells = lines[2].split(";")
    cells[column] = value
    lines[2] = ";".join(cells)
    path = tmp_path / "gewijzigd.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


POSTCODE, GEMEENTENUMMER = 7, 9


@pytest.mark.parametrize(
    ("column", "value", "reason"),
    [
        (POSTCODE, "", "POSTCODE is leeg"),
        (POSTCODE, " ", "POSTCODE is leeg"),
        (POSTCODE, "3502", "ongeldige POSTCODE '3502'"),
        (POSTCODE, "0502 AB", "ongeldige POSTCODE '0502 AB'"),
        (GEMEENTENUMMER, "0000", "ongeldig GEMEENTENUMMER '0000'"),
        (GEMEENTENUMMER, "9999", "ongeldig GEMEENTENUMMER '9999'"),
        (GEMEENTENUMMER, "2000", "ongeldig GEMEENTENUMMER '2000'"),
        (GEMEENTENUMMER, "²", "ongeldig GEMEENTENUMMER '²'"),
    ],
)
def test_import_schools_refuses_a_bad_postcode_or_municipality_number(
    tmp_path: Path, column: int, value: str, reason: str
) -> None:
    import_schools(SCHOOLS)
    before = list(School.objects.values_list("postcode", "municipality_id").order_by("pk"))
    municipalities = Municipality.objects.count()
    with pytest.raises(ImportRefused) as exc:
        import_schools(_schools_with(tmp_path, column, value))
    [problem] = exc.value.problems
    assert problem.line == 3
    assert problem.reason.startswith(reason)
    assert list(School.objects.values_list("postcode", "municipality_id").order_by("pk")) == before
    assert Municipality.objects.count() == municipalities


def test_import_schools_accepts_a_postcode_without_space_and_a_short_municipality_number(
    tmp_path: Path,
) -> None:
    import_schools(_schools_with(tmp_path, POSTCODE, "3502ab"))
    assert School.objects.get(location_code="99WA01").postcode == "3502 AB"
    import_schools(_schools_with(tmp_path, GEMEENTENUMMER, "599"))  # Excel dropped the zero
    assert School.objects.get(location_code="99WA01").municipality.cbs_code == "GM0599"


def _counts_with(tmp_path: Path, value: str, header: str = "LEERLINGEN_2025") -> Path:
    """The sample counts with 99WA00's latest count replaced by `value`."""
    text = COUNTS.read_text(encoding="utf-8").replace(";220\n", f";{value}\n")
    path = tmp_path / "tellingen.csv"
    path.write_text(text.replace("LEERLINGEN_2025", header), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("99999999999999999999", "is geen aantal"),
        ("²", "is geen aantal"),
        ("１２", "is geen aantal"),
        ("٣", "is geen aantal"),
        ("10001", "is geen aannemelijk aantal leerlingen"),
    ],
)
def test_pupil_counts_refuse_non_ascii_or_implausible_counts(
    tmp_path: Path, value: str, reason: str
) -> None:
    import_schools(SCHOOLS)
    with pytest.raises(ImportRefused) as exc:
        import_pupil_counts(_counts_with(tmp_path, value))
    [problem] = exc.value.problems
    assert problem.line == 2 and reason in problem.reason
    assert not School.objects.exclude(pupil_count=None).exists()


def test_pupil_counts_accept_the_largest_plausible_count(tmp_path: Path) -> None:
    import_schools(SCHOOLS)
    import_pupil_counts(_counts_with(tmp_path, "10000"))
    assert School.objects.get(location_code="99WA00").pupil_count == 10_000


@pytest.mark.parametrize("header", ["LEERLINGEN_9999", "LEERLINGEN_2099", "LEERLINGEN_1900"])
def test_pupil_counts_refuse_a_year_column_that_cannot_be_a_count(
    tmp_path: Path, header: str
) -> None:
    import_schools(SCHOOLS)
    with pytest.raises(ImportRefused) as exc:
        import_pupil_counts(_counts_with(tmp_path, "220", header=header))
    [problem] = exc.value.problems
    assert problem.line == 1
    assert problem.reason.startswith(f"kolom {header}: ")
    assert "geen jaar van een telling" in problem.reason
    assert not School.objects.exclude(pupil_count_year=None).exists()


def test_pupil_counts_refuse_a_future_year_column_also_beside_real_ones(tmp_path: Path) -> None:
    import_schools(SCHOOLS)
    text = COUNTS.read_text(encoding="utf-8").splitlines()
    text = [text[0] + ";LEERLINGEN_9999"] + [line + ";1" for line in text[1:]]
    path = tmp_path / "toekomst.csv"
    path.write_text("\n".join(text) + "\n", encoding="utf-8")
    with pytest.raises(ImportRefused) as exc:
        import_pupil_counts(path)
    assert "LEERLINGEN_9999" in str(exc.value)


VESTIGINGSNAAM, PLAATSNAAM = 4, 8


def test_import_schools_takes_hidden_characters_out_of_names_and_counts_the_rows(
    tmp_path: Path,
) -> None:
    path = _schools_with(tmp_path, VESTIGINGSNAAM, "De \u202eRegenboog\u200b dependance")
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[1] = lines[1].replace(";WATERSTEDE;9901;", ";WATER\u200bSTEDE;9901;", 1)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = import_schools(path)
    school = School.objects.get(location_code="99WA01")
    assert school.name == "De Regenboog dependance"
    school.full_clean()  # the model accepts what the import stored
    assert School.objects.get(location_code="99WA00").city == "WATERSTEDE"
    summary = report.summary()
    assert "2 regels met onzichtbare tekens" in summary
    assert "regel 2 (99WA00): onzichtbare tekens weggehaald uit PLAATSNAAM" in summary
    assert "regel 3 (99WA01): onzichtbare tekens weggehaald uit VESTIGINGSNAAM" in summary


def test_import_schools_refuses_a_name_of_only_hidden_characters(tmp_path: Path) -> None:
    with pytest.raises(ImportRefused) as exc:
        import_schools(_schools_with(tmp_path, VESTIGINGSNAAM, "\u200b\u202e"))
    [problem] = exc.value.problems
    assert (problem.line, problem.reason) == (3, "VESTIGINGSNAAM is leeg")
    assert not School.objects.exists()
