"""Holiday files in other real shapes, Rijksoverheid's JSON, and files that must be refused.

Accepted variants are made from the real OpenHolidays files (`organisations/tests/variants.py`)
and must give the same holidays as the original: importing the original afterwards changes
nothing. Refused files import nothing, keep what an earlier import stored, stop the command with
a CommandError, and show the upload form again with an error on the file field.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from schoolzorg.accounts.roles import Role
from schoolzorg.calendars.importing import (
    REGION_CODES,
    USUAL_HOLIDAYS,
    ImportRefused,
    parse_date,
    parse_school_file,
)
from schoolzorg.calendars.models import ImportBatch, PublicHoliday, SchoolHoliday, school_year_of
from schoolzorg.calendars.services import (
    import_municipality_regions,
    import_public_holidays,
    import_school_holidays,
)
from schoolzorg.organisations.tests.factories import MunicipalityFactory
from schoolzorg.organisations.tests.variants import (
    drop_columns,
    parse,
    variants,
    write,
    xlsx_bytes,
    zip_bytes,
)

pytestmark = pytest.mark.django_db

DATA = Path(__file__).resolve().parents[3] / "data" / "registries" / "vakanties"
SCHOOL_TEXT = (DATA / "nl-schoolvakanties.csv").read_text(encoding="utf-8")
PUBLIC_TEXT = (DATA / "nl-feestdagen.csv").read_text(encoding="utf-8")
REGION_TEXT = (DATA / "nl-vakantieregio-indeling.csv").read_text(encoding="utf-8")
VARIANT_NAMES = list(variants(SCHOOL_TEXT))


def _school_state() -> object:
    return sorted(
        SchoolHoliday.objects.values_list(
            "source_id", "source_region", "name", "region", "start_on", "end_on", "status"
        )
    )


def _public_state() -> object:
    return sorted(PublicHoliday.objects.values_list("date", "name", "source_id"))


@pytest.mark.parametrize("variant", VARIANT_NAMES)
def test_school_holiday_variant_gives_the_same_holidays(variant: str) -> None:
    batch = import_school_holidays(variants(SCHOOL_TEXT)[variant])
    assert batch.created == 162
    state = _school_state()
    again = import_school_holidays(SCHOOL_TEXT.encode())
    assert (again.created, again.updated, again.unchanged) == (0, 0, 162)
    assert _school_state() == state


@pytest.mark.parametrize("variant", VARIANT_NAMES)
def test_public_holiday_variant_gives_the_same_days(variant: str) -> None:
    batch = import_public_holidays(variants(PUBLIC_TEXT)[variant])
    assert batch.created == 121
    state = _public_state()
    again = import_public_holidays(PUBLIC_TEXT.encode())
    assert (again.created, again.updated, again.unchanged) == (0, 0, 121)
    assert _public_state() == state


@pytest.mark.parametrize("variant", ["cp1252", "comma", "excel-unicode-text", "excel-resave"])
def test_region_file_variant_matches_the_same_municipalities(variant: str) -> None:
    for name in ("Rotterdam", "Hollands Kroon", "'s-Gravenhage", "Altena"):
        MunicipalityFactory(name=name, holiday_region="")
    result = import_municipality_regions(variants(REGION_TEXT)[variant])
    assert result.matched == 4
    assert result.split == ["Altena"]


def test_header_names_in_another_case_and_a_public_end_date_equal_to_the_start() -> None:
    records = parse(PUBLIC_TEXT)
    records[0] = [h.lower() for h in records[0]]
    for r in records[1:]:
        r[3] = r[2]  # EndDate the same day, as some exports write it
    batch = import_public_holidays(write(records).encode())
    assert batch.created == 121


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("2024-12-21", dt.date(2024, 12, 21)),
        ("21-12-2024", dt.date(2024, 12, 21)),
        ("5-1-2025", dt.date(2025, 1, 5)),
        ("05/01/2025", dt.date(2025, 1, 5)),
        ("2024-12-21 00:00:00", dt.date(2024, 12, 21)),
        ("2024-12-21T00:00:00Z", dt.date(2024, 12, 21)),
        ("31-02-2025", None),
        ("12/21/2024", None),  # month first (American Excel) is no date here
        ("2024-13-01", None),
        ("gisteren", None),
    ],
)
def test_dates_as_excel_writes_them(text: str, day: dt.date | None) -> None:
    assert parse_date(text) == day


# --- Rijksoverheid's school-holiday JSON -----------------------------------------------------------

_REGION_NAMES = {"NO": "noord", "MI": "midden", "ZU": "zuid"}
_AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def _stamp(day: dt.date, *, local_midnight: bool) -> str:
    if not local_midnight:
        return f"{day.isoformat()}T00:00:00.000Z"
    moment = dt.datetime.combine(day, dt.time(0), tzinfo=_AMSTERDAM).astimezone(dt.UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.000Z")


def rijksoverheid_json(school_year: str, *, local_midnight: bool = False) -> bytes:
    """The year's holidays from the real CSV, written the way Rijksoverheid's API does."""
    rows = [
        r
        for r in parse_school_file(SCHOOL_TEXT.encode())
        if school_year_of(r.start_on) == school_year
    ]
    vacations = []
    for name in USUAL_HOLIDAYS:
        regions = []
        for r in (r for r in rows if r.name == name):
            dates = {
                "startdate": _stamp(r.start_on, local_midnight=local_midnight),
                "enddate": _stamp(r.end_on, local_midnight=local_midnight),
            }
            if set(r.groups) == set(REGION_CODES):
                regions.append({"region": "heel Nederland", **dates})
            else:
                regions += [{"region": _REGION_NAMES[g], **dates} for g in r.groups]
        vacations.append(
            {
                "type": name + " ",  # Rijksoverheid's types end in a space in several years
                "compulsorydates": "true" if name == "Zomervakantie" else "false",
                "regions": regions,
            }
        )
    year = school_year.replace("/", "-")
    document = {
        "id": "c8ad5fdb-0b9e-4b0c-9d7d-a83d0b0f0d9e",
        "type": "Schoolvakanties",
        "canonical": f"https://www.rijksoverheid.nl/onderwerpen/schoolvakanties/overzicht-schoolvakanties-per-schooljaar/overzicht-schoolvakanties-{year}",
        "title": f"Schoolvakanties {year}",
        "content": [
            {"title": f"Schoolvakanties {year}", "schoolyear": f"{year} ", "vacations": vacations}
        ],
        "language": "nl",
        "license": "CC0",
    }
    return json.dumps(document, indent=2).encode()


def _by_region(year: str) -> set[tuple[str, str, dt.date, dt.date]]:
    return {
        (h.region, h.name, h.start_on, h.end_on)
        for h in SchoolHoliday.objects.filter(school_year=year)
    }


@pytest.mark.parametrize("local_midnight", [False, True])
def test_rijksoverheid_json_gives_the_same_dates_as_the_csv(local_midnight: bool) -> None:
    import_school_holidays(SCHOOL_TEXT.encode())
    expected = _by_region("2024/2025")
    SchoolHoliday.objects.all().delete()

    batch = import_school_holidays(
        rijksoverheid_json("2024/2025", local_midnight=local_midnight), file_name="2024-2025.json"
    )
    assert batch.created == 15 and batch.flagged == 0
    assert _by_region("2024/2025") == expected
    herfst_mi = SchoolHoliday.objects.get(name="Herfstvakantie", region="midden")
    assert (herfst_mi.start_on, herfst_mi.end_on) == (dt.date(2024, 10, 26), dt.date(2024, 11, 3))
    again = import_school_holidays(rijksoverheid_json("2024/2025", local_midnight=local_midnight))
    assert (again.created, again.updated, again.unchanged) == (0, 0, 15)


def test_rijksoverheid_json_after_the_csv_stores_no_holiday_twice() -> None:
    """The same holidays from the other source are compared, not added (and the other way)."""
    import_school_holidays(SCHOOL_TEXT.encode())
    before = SchoolHoliday.objects.count()
    expected = _by_region("2024/2025")
    herfst = SchoolHoliday.objects.get(
        name="Herfstvakantie", region="midden", school_year="2024/2025"
    )
    batch = import_school_holidays(rijksoverheid_json("2024/2025"), file_name="2024-2025.json")
    assert (batch.created, batch.updated, batch.unchanged) == (0, 0, 15)
    assert SchoolHoliday.objects.count() == before and _by_region("2024/2025") == expected
    assert batch.findings.filter(message__contains="niet dubbel opgenomen").count() == 15

    # A date the JSON gives otherwise is a change of that holiday, waiting for review.
    moved = rijksoverheid_json("2024/2025").replace(b"2024-10-26T", b"2024-10-19T")
    changed = import_school_holidays(moved, file_name="2024-2025.json")
    assert changed.created == 0 and changed.updated >= 1
    herfst.refresh_from_db()
    assert herfst.proposed_start_on == dt.date(2024, 10, 19)
    assert herfst.start_on == dt.date(2024, 10, 26)  # approved dates count until review
    assert SchoolHoliday.objects.count() == before

    # And the CSV after the JSON: nothing added either.
    SchoolHoliday.objects.all().delete()
    import_school_holidays(rijksoverheid_json("2024/2025"))
    again = import_school_holidays(SCHOOL_TEXT.encode())
    assert _by_region("2024/2025") == expected
    assert SchoolHoliday.objects.filter(school_year="2024/2025").count() == 15
    assert again.created == before - 15


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_rijksoverheid_json_saved_as_utf16_with_bom(encoding: str) -> None:
    """Notepad's and Excel's "Unicode": the BOM comes first, then the `{`."""
    text = "\ufeff" + rijksoverheid_json("2024/2025").decode()
    batch = import_school_holidays(text.encode(encoding))
    assert batch.created == 15 and batch.flagged == 0


def test_rijksoverheid_json_as_utf16_cut_off_is_refused_in_dutch() -> None:
    cut = rijksoverheid_json("2024/2025").decode().encode("utf-16")[:-1]
    with pytest.raises(ImportRefused) as exc:
        import_school_holidays(cut)
    assert exc.value.problems == [
        "het JSON-bestand is geen leesbare UTF-16-tekst; is het afgebroken?"
    ]


def test_rijksoverheid_json_through_load_school_year(tmp_path: Path) -> None:
    path = tmp_path / "schoolvakanties-2025-2026.json"
    path.write_bytes(rijksoverheid_json("2025/2026"))
    call_command("load_school_year", str(path), "--school-year", "2025/2026")
    assert SchoolHoliday.objects.filter(school_year="2025/2026").count() == 15


def test_the_school_year_may_be_written_with_a_dash_and_nonsense_is_named(tmp_path: Path) -> None:
    path = tmp_path / "nl-schoolvakanties.csv"
    path.write_text(SCHOOL_TEXT, encoding="utf-8")
    call_command("load_school_year", str(path), "--school-year", "2025-2026")
    assert SchoolHoliday.objects.filter(school_year="2025/2026").exists()
    assert not SchoolHoliday.objects.exclude(school_year="2025/2026").exists()
    for nonsense in ("abc", "2025/2027"):
        with pytest.raises(ImportRefused) as exc:
            import_school_holidays(SCHOOL_TEXT.encode(), school_year=nonsense)
        assert exc.value.problems == [
            f"het schooljaar {nonsense!r} is niet te lezen: schrijf het als 2025/2026"
        ]


@pytest.mark.parametrize(
    ("data", "fragment"),
    [
        (b'{"content": [{"schoolyear": "2024-2025", "vacations": [', "geen geldige JSON"),
        (b'{"id": "x", "content": []}', "geen schoolvakanties"),
        (
            b'{"content": [{"schoolyear": "2024-2025", "vacations": [{"type": "Herfstvakantie", '
            b'"regions": [{"region": "noord", "startdate": "26 oktober", "enddate": ""}]}]}]}',
            "geen datum",
        ),
    ],
)
def test_broken_rijksoverheid_json_is_refused(data: bytes, fragment: str) -> None:
    with pytest.raises(ImportRefused) as exc:
        import_school_holidays(data)
    assert any(fragment in p for p in exc.value.problems), exc.value.problems
    assert not SchoolHoliday.objects.exists()


def test_broken_json_is_explained_without_the_english_of_the_parser() -> None:
    with pytest.raises(ImportRefused) as exc:
        import_school_holidays(b'{"content": [\n  {"schoolyear": "2024-2025",\n  "vacations": [')
    assert exc.value.problems == [
        "regel 3, teken 17: geen geldige JSON; is het bestand afgebroken?"
    ]


@pytest.mark.parametrize(
    ("depth", "fragment"),
    [(100_000, "geen geldige JSON"), (990, "geen schoolvakanties")],
)
def test_json_nested_very_deep_is_refused_in_dutch(depth: int, fragment: str) -> None:
    with pytest.raises(ImportRefused) as exc:
        import_school_holidays(b"[" * depth + b"]" * depth)
    assert fragment in exc.value.problems[0]
    assert not SchoolHoliday.objects.exists()


def test_upload_of_json_nested_too_deep_is_a_form_error(
    admin: Any, client_for: Callable[[Any], Any]
) -> None:
    deep = SimpleUploadedFile("vakanties.json", b"[" * 100_000 + b"]" * 100_000, "text/json")
    response = client_for(admin).post(reverse("calendars:upload"), {"file": deep})
    assert response.status_code == 400
    assert "geen geldige JSON" in response.content.decode()
    assert not SchoolHoliday.objects.exists()


def test_load_school_year_refuses_json_nested_too_deep(tmp_path: Path) -> None:
    path = tmp_path / "diep.json"
    path.write_bytes(b"[" * 100_000 + b"]" * 100_000)
    with pytest.raises(CommandError, match="geen geldige JSON"):
        call_command("load_school_year", str(path))


# --- Refused ----------------------------------------------------------------------------------------


def _truncated(text: str) -> bytes:
    lines = text.splitlines(keepends=True)
    at = len(lines) // 2
    return "".join(lines[:at]).encode() + lines[at][:30].encode()


def _bad_date(text: str) -> bytes:
    records = parse(text)
    records[3][2] = "2024-31-12"
    return write(records).encode()


REFUSALS: dict[str, tuple[Callable[[str], bytes], str]] = {
    "empty": (lambda t: b"", "leeg"),
    "header-only": (lambda t: (t.splitlines()[0] + "\r\n").encode(), "kopregel"),
    "xlsx": (xlsx_bytes, "Excel"),
    "zip": (lambda t: zip_bytes("vakanties.csv", t.encode()), "zip"),
    "utf-16-without-bom": (lambda t: t.encode("utf-16-le"), "NUL"),
    "missing-column": (lambda t: drop_columns(t, ["StartDate"]).encode(), "StartDate"),
    "truncated": (_truncated, "regel"),
    "bad-date": (_bad_date, "regel 4"),
    "mixed-encodings": (lambda t: t.encode() + "x;Caf\xe9\n".encode("cp1252"), "regel"),
}


@pytest.mark.parametrize("kind", list(REFUSALS))
@pytest.mark.parametrize("which", ["school", "public"])
def test_refused_file_keeps_what_was_imported(which: str, kind: str) -> None:
    text, run, state = (
        (SCHOOL_TEXT, import_school_holidays, _school_state)
        if which == "school"
        else (PUBLIC_TEXT, import_public_holidays, _public_state)
    )
    run(text.encode())
    before = state()
    make, fragment = REFUSALS[kind]
    with pytest.raises(ImportRefused) as exc:
        run(make(text))
    assert any(fragment in p for p in exc.value.problems), exc.value.problems
    assert state() == before
    assert ImportBatch.objects.count() == 1


@pytest.mark.parametrize("kind", ["xlsx", "header-only", "missing-column"])
def test_commands_stop_with_the_reason(tmp_path: Path, kind: str) -> None:
    make, fragment = REFUSALS[kind]
    path = tmp_path / "vakanties.csv"
    path.write_bytes(make(SCHOOL_TEXT))
    for args in (["import_holidays", "--school", str(path)], ["load_school_year", str(path)]):
        with pytest.raises(CommandError) as exc:
            call_command(*args)
        assert "niets ingelezen" in str(exc.value) and fragment in str(exc.value)
    with pytest.raises(CommandError, match="niets ingelezen"):
        call_command("import_holiday_regions", str(path))
    assert not SchoolHoliday.objects.exists()


# --- Upload ---------------------------------------------------------------------------------------


@pytest.fixture
def admin(member: Callable[..., Any]) -> Any:
    return member(Role.FUNCTIONAL_ADMIN, MunicipalityFactory())


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("vakanties.xlsx", "xlsx"),
        ("vakanties.csv", "header-only"),
        ("vakanties.zip", "zip"),
        ("vakanties.csv", "truncated"),
    ],
)
def test_refused_upload_is_a_form_error_and_imports_nothing(
    admin: Any, client_for: Callable[[Any], Any], name: str, kind: str
) -> None:
    import_school_holidays(SCHOOL_TEXT.encode())
    before = _school_state()
    make, fragment = REFUSALS[kind]
    upload = SimpleUploadedFile(name, make(SCHOOL_TEXT), "application/octet-stream")
    response = client_for(admin).post(reverse("calendars:upload"), {"file": upload})
    assert response.status_code == 400
    form = response.context["form"]
    assert form.errors["file"][0].startswith("Het bestand is niet ingelezen")
    assert fragment in response.content.decode()
    assert _school_state() == before


@pytest.mark.parametrize("variant", ["excel-resave", "excel-unicode-text", "comma"])
def test_upload_of_a_re_saved_file(
    admin: Any, client_for: Callable[[Any], Any], variant: str
) -> None:
    upload = SimpleUploadedFile("vakanties.csv", variants(SCHOOL_TEXT)[variant], "text/csv")
    response = client_for(admin).post(reverse("calendars:upload"), {"file": upload})
    assert response.status_code == 302
    assert SchoolHoliday.objects.count() == 162


def test_upload_of_rijksoverheid_json(admin: Any, client_for: Callable[[Any], Any]) -> None:
    upload = SimpleUploadedFile(
        "schoolvakanties-2026-2027.json", rijksoverheid_json("2026/2027"), "application/json"
    )
    response = client_for(admin).post(reverse("calendars:upload"), {"file": upload})
    assert response.status_code == 302
    assert SchoolHoliday.objects.filter(school_year="2026/2027").count() == 15


def test_upload_larger_than_two_megabytes_is_a_form_error(
    admin: Any, client_for: Callable[[Any], Any]
) -> None:
    big = SCHOOL_TEXT.encode() + b"x" * (2 * 1024 * 1024)
    upload = SimpleUploadedFile("vakanties.csv", big, "text/csv")
    response = client_for(admin).post(reverse("calendars:upload"), {"file": upload})
    assert response.status_code == 400
    assert "groter dan 2 MB" in response.context["form"].errors["file"][0]
    assert not SchoolHoliday.objects.exists()


def test_a_refusal_ending_in_a_question_gets_no_full_stop_after_it(
    admin: Any, client_for: Callable[[Any], Any]
) -> None:
    records = parse(SCHOOL_TEXT)
    records[3] = records[3][:3]  # a line cut short: "… staat er een scheidingsteken in een waarde?"
    upload = SimpleUploadedFile("vakanties.csv", write(records).encode(), "text/csv")
    response = client_for(admin).post(reverse("calendars:upload"), {"file": upload})
    assert response.status_code == 400
    [message] = response.context["form"].errors["file"]
    assert "in een waarde?" in message
    assert "?." not in message and ".." not in message


def test_the_upload_form_sent_empty_is_a_400(admin: Any, client_for: Callable[[Any], Any]) -> None:
    response = client_for(admin).post(reverse("calendars:upload"), {})
    assert response.status_code == 400
    assert response.context["form"].errors["file"]
