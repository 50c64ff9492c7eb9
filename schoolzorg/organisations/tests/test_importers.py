"""Importers on the fictional samples: counts, re-import, changes, closing, refusal of bad files."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from schoolzorg.organisations.importers.areas import import_areas
from schoolzorg.organisations.importers.base import ImportRefused, readable_place
from schoolzorg.organisations.importers.partnerships import import_partnership_regions
from schoolzorg.organisations.importers.postcodes import import_postcodes
from schoolzorg.organisations.importers.pupil_counts import import_pupil_counts
from schoolzorg.organisations.importers.schools import import_schools
from schoolzorg.organisations.models import (
    District,
    Municipality,
    Neighbourhood,
    Organisation,
    Partnership,
    PartnershipArea,
    PostcodeArea,
    School,
    SchoolBoard,
)
from schoolzorg.organisations.tests.factories import SchoolFactory

pytestmark = pytest.mark.django_db

SAMPLES = Path(__file__).resolve().parents[3] / "data" / "samples"
SCHOOLS = SAMPLES / "schoolvestigingen-waterstede.csv"


def _snapshot() -> tuple[int, ...]:
    return (
        Organisation.objects.count(),
        School.objects.count(),
        Municipality.objects.count(),
        District.objects.count(),
        Neighbourhood.objects.count(),
        PostcodeArea.objects.count(),
        PartnershipArea.objects.count(),
    )


def test_schools_sample_creates_schools_boards_and_municipalities() -> None:
    report = import_schools(SCHOOLS)
    assert (report.inserted, report.updated, report.closed, report.unchanged) == (4, 0, 0, 0)
    school = School.objects.get(location_code="99WA01")
    assert school.name == "De Regenboog dependance"
    assert school.brin == "99WA"
    assert school.house_number == "12-A"
    assert school.postcode == "3502 AB"
    assert school.website == ""  # a single space is empty
    assert school.holiday_region == "midden"
    assert school.board == SchoolBoard.objects.get(number="99001")
    assert school.municipality == Municipality.objects.get(cbs_code="GM9901")
    assert Municipality.objects.get(cbs_code="GM9901").name == "Waterstede"
    # A blank GEMEENTENAAM (like DUO's Meierijstad rows) gives a neutral name, not an error.
    assert Municipality.objects.get(cbs_code="GM9902").name == "Gemeente 9902"


def test_reimporting_the_same_file_changes_nothing() -> None:
    import_schools(SCHOOLS)
    before = list(School.objects.values_list("pk", "source_hash", "name").order_by("pk"))
    report = import_schools(SCHOOLS)
    assert (report.inserted, report.updated, report.closed, report.unchanged) == (0, 0, 0, 4)
    assert list(School.objects.values_list("pk", "source_hash", "name").order_by("pk")) == before


def test_a_file_of_another_layout_with_the_same_data_changes_nothing(tmp_path: Path) -> None:
    """A DUO file without the optional VAKANTIEREGIO column, in Windows-1252, stores the same:
    the summary says unchanged, not "bijgewerkt" for every school."""
    import_schools(SCHOOLS)
    before = list(School.objects.values_list("pk", "name", "holiday_region").order_by("pk"))
    rows = [line.split(";") for line in SCHOOLS.read_text(encoding="utf-8").splitlines()]
    column = rows[0].index("VAKANTIEREGIO")
    other = tmp_path / "zonder-regio.csv"
    other.write_text(
        "\r\n".join(";".join(r[:column] + r[column + 1 :]) for r in rows) + "\r\n",
        encoding="cp1252",
    )
    report = import_schools(other)
    assert (report.inserted, report.updated, report.closed, report.unchanged) == (0, 0, 0, 4)
    assert list(School.objects.values_list("pk", "name", "holiday_region").order_by("pk")) == before
    # A real change in that layout is still one update.
    other.write_text(
        other.read_text(encoding="cp1252").replace("Het Kompas", "Het Nieuwe Kompas"),
        encoding="cp1252",
    )
    report = import_schools(other)
    assert (report.updated, report.unchanged) == (1, 3)


def test_changed_file_updates_inserts_and_closes(tmp_path: Path) -> None:
    import_schools(SCHOOLS)
    lines = SCHOOLS.read_text(encoding="utf-8").splitlines()
    lines[3] = lines[3].replace("Het Kompas", "Het Nieuwe Kompas")
    lines[2] = lines[2].replace("99WA01", "99WA02").replace("dependance", "nieuwbouw")
    changed = tmp_path / "changed.csv"
    changed.write_text("\n".join(lines) + "\n", encoding="utf-8")

    report = import_schools(changed, today=dt.date(2026, 8, 1))

    assert (report.inserted, report.updated, report.closed, report.unchanged) == (1, 1, 1, 2)
    assert School.objects.get(location_code="99WB00").name == "Het Nieuwe Kompas"
    closed = School.objects.get(location_code="99WA01")
    assert closed.closed_on == dt.date(2026, 8, 1)  # closed, never deleted
    assert School.objects.open().filter(location_code="99WA02").exists()
    # Back in the file: reopened.
    report = import_schools(SCHOOLS)
    assert School.objects.get(location_code="99WA01").closed_on is None
    assert (report.reopened, report.updated) == (1, 1)  # 99WA01 reopened, 99WB00 renamed back
    assert report.closed == 1  # 99WA02 vanished in its turn


def test_schools_not_from_duo_are_never_closed() -> None:
    own: School = SchoolFactory(location_code="99ZZ00")  # type: ignore[no-untyped-call, assignment]
    import_schools(SCHOOLS)
    own.refresh_from_db()
    assert own.closed_on is None


def test_windows_1252_file_imports_the_same() -> None:
    import_schools(SAMPLES / "schoolvestigingen-waterstede-cp1252.csv")
    assert School.objects.get(location_code="99WA00").name == "De Régenboog"


@pytest.mark.parametrize(
    ("sample", "expected"),
    [
        ("schoolvestigingen-verkeerde-kolom.csv", [(1, "VESTIGINGSCODE")]),
        ("schoolvestigingen-verkeerde-codering.csv", [(4, "UTF-8")]),
        ("schoolvestigingen-kapot.csv", [(3, "te weinig velden"), (4, "VESTIGINGSCODE")]),
    ],
)
def test_malformed_files_are_refused_with_every_bad_line_and_nothing_imported(
    sample: str, expected: list[tuple[int, str]]
) -> None:
    before = _snapshot()
    with pytest.raises(ImportRefused) as exc:
        import_schools(SAMPLES / sample)
    problems = exc.value.problems
    assert [p.line for p in problems] == [line for line, _ in expected]
    for problem, (_, text) in zip(problems, expected, strict=True):
        assert text in problem.reason
    assert _snapshot() == before


def test_refused_import_leaves_an_earlier_import_untouched() -> None:
    import_schools(SCHOOLS)
    before = list(School.objects.values_list("location_code", "name", "closed_on"))
    with pytest.raises(ImportRefused):
        import_schools(SAMPLES / "schoolvestigingen-kapot.csv")
    assert list(School.objects.values_list("location_code", "name", "closed_on")) == before


def test_command_prints_summary_and_refuses_with_line_numbers() -> None:
    out = StringIO()
    call_command("import_schools", str(SCHOOLS), stdout=out)
    assert out.getvalue().startswith(
        "schoolvestigingen-waterstede.csv (schoolvestigingen): "
        "4 nieuw, 0 gewijzigd, 0 heropend, 0 gesloten, 0 ongewijzigd.\n"
    )
    with pytest.raises(CommandError) as exc:
        call_command("import_schools", str(SAMPLES / "schoolvestigingen-kapot.csv"))
    assert "regel 3" in str(exc.value)
    assert "regel 4" in str(exc.value)
    assert "niets ingelezen" in str(exc.value)


def test_missing_file_is_a_clear_refusal() -> None:
    with pytest.raises(ImportRefused) as exc:
        import_schools(SAMPLES / "bestaat-niet.csv")
    assert "niet te openen" in str(exc.value)


@pytest.mark.parametrize(
    ("name", "reason"),
    [("bestaat-niet.csv", "het bestand bestaat niet"), ("", "dit is een map, geen bestand")],
)
def test_a_file_that_cannot_be_opened_is_refused_in_dutch(
    tmp_path: Path, name: str, reason: str
) -> None:
    with pytest.raises(CommandError) as exc:
        call_command("import_schools", str(tmp_path / name))
    assert f"bestand niet te openen: {reason}" in str(exc.value)
    assert "No such file" not in str(exc.value) and "directory" not in str(exc.value)


def test_pupil_counts_take_the_latest_year_and_mark_small_counts() -> None:
    import_schools(SCHOOLS)
    report = import_pupil_counts(SAMPLES / "leerlingen-per-vestiging-waterstede.csv")
    assert report.updated == 3
    big = School.objects.get(location_code="99WA00")
    assert (big.pupil_count, big.pupil_count_year, big.is_small_count) == (220, 2025, False)
    small = School.objects.get(location_code="99WA01")
    assert (small.pupil_count, small.is_small_count) == (None, True)
    assert import_pupil_counts(SAMPLES / "leerlingen-per-vestiging-waterstede.csv").updated == 0


def test_pupil_counts_refuse_a_non_number(tmp_path: Path) -> None:
    import_schools(SCHOOLS)
    text = (SAMPLES / "leerlingen-per-vestiging-waterstede.csv").read_text()
    bad = tmp_path / "bad.csv"
    bad.write_text(text.replace(";181\n", ";veel\n"))
    with pytest.raises(ImportRefused) as exc:
        import_pupil_counts(bad)
    assert [p.line for p in exc.value.problems] == [4]
    assert School.objects.get(location_code="99WA00").pupil_count is None


def test_areas_derive_districts_and_municipalities_from_codes() -> None:
    report = import_areas(
        SAMPLES / "buurten-waterstede.csv", district_names=SAMPLES / "wijken-waterstede.csv"
    )
    assert report.inserted == 6
    hood = Neighbourhood.objects.get(code="BU990101A1")  # letters stay text
    assert hood.district.code == "WK990101"
    assert hood.district.name == "Centrum"
    assert District.objects.get(code="WK990103").name == "Wijk WK990103"
    assert District.objects.get(code="WK990103").municipality.cbs_code == "GM9901"
    assert Neighbourhood.objects.get(code="BU99010200").name == "Havenkwartier, oost"
    again = import_areas(
        SAMPLES / "buurten-waterstede.csv", district_names=SAMPLES / "wijken-waterstede.csv"
    )
    assert (again.inserted, again.updated, again.unchanged) == (0, 0, 6)


def test_areas_refuse_invalid_codes(tmp_path: Path) -> None:
    bad = tmp_path / "buurten.csv"
    bad.write_text("Identifier,Title\nBU99010100,Goed\n12345,Fout\nBU99010100,Dubbel\n")
    with pytest.raises(ImportRefused) as exc:
        import_areas(bad, district_names=None)
    assert [p.line for p in exc.value.problems] == [3, 4]
    assert Neighbourhood.objects.count() == 0


def test_postcodes_pc6_wins_over_pc4_and_schools_get_their_district() -> None:
    import_schools(SCHOOLS)
    import_areas(
        SAMPLES / "buurten-waterstede.csv", district_names=SAMPLES / "wijken-waterstede.csv"
    )
    report = import_postcodes(SAMPLES / "postcode-buurt-waterstede.csv")
    assert report.inserted == 4
    import_postcodes(SAMPLES / "postcode-pc4-waterstede.csv")

    # 3501AA has two addresses in buurt ..00 and one in ..01: the majority wins.
    pc6 = PostcodeArea.objects.resolve("3501 aa")
    assert pc6 is not None and pc6.is_pc6
    assert pc6.neighbourhood is not None and pc6.neighbourhood.code == "BU99010100"
    pc4 = PostcodeArea.objects.resolve("3501ZZ")
    assert pc4 is not None and pc4.postcode == "3501" and pc4.neighbourhood is None
    assert pc4.district is not None and pc4.district.code == "WK990101"
    school = School.objects.get(location_code="99WB00")
    assert school.district is not None and school.district.code == "WK990103"


def test_postcodes_with_unknown_buurt_are_refused(tmp_path: Path) -> None:
    bad = tmp_path / "pc.csv"
    bad.write_text("postcode;buurtcode\n3501AA;BU99010100\n")
    with pytest.raises(ImportRefused) as exc:
        import_postcodes(bad)
    assert exc.value.problems[0].line == 2
    assert "import-areas" in exc.value.problems[0].reason


def test_partnerships_from_pc4_table_skip_europoort_and_link_primary_schools() -> None:
    import_schools(SCHOOLS)
    report = import_partnership_regions(SAMPLES / "swv-waterstede.csv")
    assert Partnership.objects.count() == 4
    po = Partnership.objects.get(code="PO9901")
    assert po.name == "Samenwerkingsverband PO9901"
    assert po.sector == "primary"
    assert sorted(po.areas.values_list("pc4", flat=True)) == ["3501", "3502", "3503"]
    assert [p.line for p in report.skipped] == [6, 6]
    assert School.objects.get(location_code="99WC00").partnership == Partnership.objects.get(
        code="PO9902"
    )
    again = import_partnership_regions(SAMPLES / "swv-waterstede.csv")
    assert (again.inserted, again.closed) == (0, 0)


def test_partnerships_refuse_an_invalid_code(tmp_path: Path) -> None:
    bad = tmp_path / "swv.csv"
    bad.write_text("PC4;gemeente;PO SWV;VO SWV\n3501;W;PO9901;VO9901\n3502;W;XX12;VO9901\n")
    with pytest.raises(ImportRefused) as exc:
        import_partnership_regions(bad)
    assert [p.line for p in exc.value.problems] == [3]
    assert Partnership.objects.count() == 0


def test_pc4_fallback_by_municipality_name_never_overrides_a_district() -> None:
    import_schools(SCHOOLS)
    import_areas(
        SAMPLES / "buurten-waterstede.csv", district_names=SAMPLES / "wijken-waterstede.csv"
    )
    import_postcodes(SAMPLES / "postcode-pc4-waterstede.csv")
    report = import_postcodes(SAMPLES / "swv-waterstede.csv")
    assert PostcodeArea.objects.get(postcode="3501").district is not None
    assert PostcodeArea.objects.get(postcode="3503").municipality.cbs_code == "GM9901"
    assert PostcodeArea.objects.get(postcode="3503").source.startswith("swv:")
    # "Kleinveen" is not a known name (DUO left it blank): skipped and reported, not guessed.
    assert any("Kleinveen" in p.reason for p in report.skipped)


@pytest.mark.parametrize(
    ("duo", "readable"),
    [
        ("HOOGVLIET ROTTERDAM", "Hoogvliet Rotterdam"),
        ("ROZENBURG ZH", "Rozenburg ZH"),
        ("'S-GRAVENHAGE", "'s-Gravenhage"),
        ("2E EXLOERMOND", "2e Exloermond"),
        ("ALPHEN AAN DEN RIJN", "Alphen aan den Rijn"),
        ("Al leesbaar", "Al leesbaar"),
    ],
)
def test_readable_place_names(duo: str, readable: str) -> None:
    assert readable_place(duo) == readable


def test_a_partnership_merged_into_another_loses_its_postcodes(tmp_path: Path) -> None:
    import_schools(SCHOOLS)
    import_partnership_regions(SAMPLES / "swv-waterstede.csv")
    # The next edition: PO9901 merged into PO9902. VO links of a file without a VO column stay.
    merged = tmp_path / "swv-2027.csv"
    merged.write_text(
        "PC4;gemeente;PO SWV\n3501;W;PO9902\n3502;W;PO9902\n3503;W;PO9902\n3601;K;PO9902\n"
    )
    report = import_partnership_regions(merged, remove_many=True)
    assert report.closed == 3
    assert not Partnership.objects.get(code="PO9901").areas.exists()
    assert sorted(Partnership.objects.get(code="PO9902").areas.values_list("pc4", flat=True)) == [
        "3501",
        "3502",
        "3503",
        "3601",
    ]
    assert sorted(Partnership.objects.get(code="VO9901").areas.values_list("pc4", flat=True)) == [
        "3501",
        "3502",
    ]
    # Its schools (PC4 3501) move along, not left with the old partnership or a random one.
    school = School.objects.get(location_code="99WA00")
    assert school.partnership == Partnership.objects.get(code="PO9902")


def test_each_summary_counts_only_what_its_import_can_change() -> None:
    """Pupil counts, areas and postcodes close nothing: their summary does not say "0 gesloten";
    a partnership file removes links, so it says "verwijderd" (tester O4)."""
    out = StringIO()
    call_command("import_schools", str(SCHOOLS), stdout=out)
    out = StringIO()
    call_command(
        "import_pupil_counts", str(SAMPLES / "leerlingen-per-vestiging-waterstede.csv"), stdout=out
    )
    first = out.getvalue().splitlines()[0]
    assert first.startswith("leerlingen-per-vestiging-waterstede.csv (leerlingaantallen van ")
    assert first.endswith(" gewijzigd, 0 ongewijzigd.") and "nieuw" not in first
    areas = import_areas(
        SAMPLES / "buurten-waterstede.csv", district_names=SAMPLES / "wijken-waterstede.csv"
    ).summary()
    assert "(buurten): " in areas and "gesloten" not in areas
    links = import_partnership_regions(SAMPLES / "swv-waterstede.csv").summary()
    assert "(koppelingen van een postcode aan een samenwerkingsverband): " in links
    assert ": 8 nieuw, 0 ongewijzigd, 0 verwijderd, " in links and "gesloten" not in links
    assert "Overgeslagen:\n    regel " in links  # Europoort, not "overgeslagen regel"


def test_a_refused_file_lists_its_reasons_without_a_word_glued_on(tmp_path: Path) -> None:
    """The file is refused as a whole: a reason about the file reads as a sentence, not as
    "afgewezen dit bestand zou ..." (tester O4)."""
    full = tmp_path / "swv.csv"
    full.write_text(
        "PC4;gemeente;PO SWV\n" + "".join(f"{3500 + n};W;PO9901\n" for n in range(1, 31))
    )
    import_partnership_regions(full)
    cut = tmp_path / "swv-kort.csv"
    cut.write_text("PC4;gemeente;PO SWV\n3501;W;PO9901\n")
    with pytest.raises(CommandError) as exc:
        call_command("import_partnership_regions", str(cut))
    lines = str(exc.value).splitlines()
    assert lines[0] == "swv-kort.csv: het bestand is geweigerd, er is niets ingelezen."
    assert lines[1].startswith("  Dit bestand zou ") and "afgewezen" not in str(exc.value)
    with pytest.raises(CommandError) as bad:
        call_command("import_schools", str(SAMPLES / "schoolvestigingen-kapot.csv"))
    assert "\n  regel 3: " in str(bad.value) and "afgewezen" not in str(bad.value)
