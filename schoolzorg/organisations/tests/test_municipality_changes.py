"""`import-schools` and a municipality that changes: a merger (gemeentelijke herindeling) gives
the schools another GEMEENTENUMMER, a renamed municipality keeps its number, a closed location
comes back. Rows copied from the real DUO file (`data/registries/duo`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from schoolzorg.accounts.roles import Role
from schoolzorg.organisations.importers.base import ImportRefused
from schoolzorg.organisations.importers.schools import import_schools
from schoolzorg.organisations.models import Municipality, School
from schoolzorg.organisations.tests.factories import ServiceDeskFactory

pytestmark = pytest.mark.django_db

DUO = (
    Path(__file__).resolve().parents[3]
    / "data"
    / "registries"
    / "duo"
    / "02-alle-schoolvestigingen-basisonderwijs.csv"
)
NUMBER, NAME = 9, 10  # GEMEENTENUMMER, GEMEENTENAAM


def _rows(number: str) -> tuple[str, list[list[str]]]:
    """The header and the real rows of one municipality."""
    lines = DUO.read_text(encoding="utf-8").splitlines()
    rows = [line.split(";") for line in lines[1:]]
    return lines[0], [r for r in rows if r[NUMBER] == number]


def _write(path: Path, header: str, rows: list[list[str]]) -> Path:
    path.write_text("\n".join([header] + [";".join(r) for r in rows]) + "\n", encoding="utf-8")
    return path


def _merged(rows: list[list[str]], number: str, name: str) -> list[list[str]]:
    return [[*r[:NUMBER], number, name, *r[NAME + 1 :]] for r in rows]


@pytest.fixture
def brielle(tmp_path: Path) -> tuple[str, list[list[str]]]:
    """Brielle's schools (DUO 2024 gives them 1992 Voorne aan Zee) back under 0501, as before
    the merger of 1 January 2023."""
    header, rows = _rows("1992")
    rows = [r for r in rows if r[8] in ("BRIELLE", "ZWARTEWAAL", "VIERPOLDERS")]
    assert rows
    import_schools(_write(tmp_path / "voor.csv", header, _merged(rows, "0501", "BRIELLE")))
    return header, rows


def test_a_merger_names_the_new_municipality_and_the_one_left_without_schools(
    tmp_path: Path, brielle: tuple[str, list[list[str]]]
) -> None:
    header, rows = brielle
    report = import_schools(_write(tmp_path / "na.csv", header, rows))
    n = len(rows)
    assert (report.inserted, report.updated, report.unchanged) == (0, n, 0)
    assert "  1 nieuwe gemeente:" in report.summary().splitlines()
    assert f"    Voorne aan Zee (GM1992): {n} open vestigingen" in report.summary().splitlines()
    assert "    Brielle (GM0501)" in report.summary().splitlines()
    assert "gemeente zonder open vestiging" in report.summary()
    assert not School.objects.filter(municipality__cbs_code="GM0501").exists()


def test_a_merger_that_empties_a_configured_municipality_is_refused(
    tmp_path: Path, brielle: tuple[str, list[list[str]]], member: Callable[..., Any]
) -> None:
    header, rows = brielle
    old = Municipality.objects.get(cbs_code="GM0501")
    desk = ServiceDeskFactory(municipality=old)  # type: ignore[no-untyped-call]
    member(Role.MUNICIPAL_ANALYST, old)
    member(Role.SERVICE_DESK_COORDINATOR, desk)
    merged = _write(tmp_path / "na.csv", header, rows)

    with pytest.raises(ImportRefused) as exc:
        import_schools(merged)
    reason = exc.value.problems[0].reason
    assert "Brielle (GM0501) geen open school meer" in reason
    assert "2 rollen, 1 organisatie" in reason
    assert "--gemeente-zonder-scholen" in reason and "/beheer/" in reason
    # Nothing moved, and no empty new municipality stays behind.
    assert School.objects.filter(municipality=old).count() == len(rows)
    assert not Municipality.objects.filter(cbs_code="GM1992").exists()
    with pytest.raises(CommandError, match="gemeente-zonder-scholen"):
        call_command("import_schools", str(merged))

    out = StringIO()
    call_command("import_schools", str(merged), "--gemeente-zonder-scholen", stdout=out)
    assert "Brielle (GM0501)" in out.getvalue()
    assert not School.objects.filter(municipality=old).exists()


def test_a_municipality_that_keeps_a_school_is_not_refused(
    tmp_path: Path, brielle: tuple[str, list[list[str]]], member: Callable[..., Any]
) -> None:
    header, rows = brielle
    member(Role.MUNICIPAL_ANALYST, Municipality.objects.get(cbs_code="GM0501"))
    partly = _merged(rows[:1], "0501", "BRIELLE") + rows[1:]
    report = import_schools(_write(tmp_path / "deels.csv", header, partly))
    assert report.updated == len(rows) - 1
    assert "zonder open vestiging" not in report.summary()


def test_a_renamed_municipality_gets_its_new_name(tmp_path: Path) -> None:
    header, rows = _rows("1699")
    import_schools(_write(tmp_path / "oud.csv", header, rows))
    assert Municipality.objects.get(cbs_code="GM1699").name == "Noordenveld"

    renamed = _write(tmp_path / "nieuw.csv", header, _merged(rows, "1699", "NOORDENVELD-HERNOEMD"))
    report = import_schools(renamed)
    assert Municipality.objects.get(cbs_code="GM1699").name == "Noordenveld-Hernoemd"
    lines = report.summary().splitlines()
    assert "  1 gemeente hernoemd:" in lines
    assert "    GM1699: Noordenveld → Noordenveld-Hernoemd" in lines
    assert (report.updated, report.unchanged) == (0, len(rows))
    # Once stored, the same name is no change; a blank name changes nothing.
    assert "hernoemd" not in import_schools(renamed).summary()
    import_schools(_write(tmp_path / "leeg.csv", header, _merged(rows, "1699", " ")))
    assert Municipality.objects.get(cbs_code="GM1699").name == "Noordenveld-Hernoemd"


def test_a_closed_location_found_again_counts_as_reopened(tmp_path: Path) -> None:
    header, rows = _rows("1699")
    full = _write(tmp_path / "alle.csv", header, rows)
    import_schools(full)
    gone = rows[2][3]
    report = import_schools(
        _write(tmp_path / "zonder.csv", header, rows[:2] + rows[3:]), today=dt.date(2026, 1, 5)
    )
    assert report.closed == 1

    report = import_schools(full)
    assert (report.inserted, report.updated, report.reopened, report.closed) == (0, 0, 1, 0)
    assert report.unchanged == len(rows) - 1
    lines = report.summary().splitlines()
    assert ", 0 gewijzigd, 1 heropend, 0 gesloten," in lines[0]
    assert f"    regel 4 ({gone}): heropend, was gesloten op 5-1-2026" in lines
    assert School.objects.get(location_code=gone).closed_on is None
