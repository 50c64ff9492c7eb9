"""Registry importers on other real shapes of the same files, and on files they must refuse.

Every accepted variant is made from a real example in `data/registries/` (see `variants.py`) and
must give exactly the data the original gives: importing the original afterwards inserts,
updates and closes nothing. Refused files raise ImportRefused with a Dutch reason (the command
exits with a CommandError, never a traceback) and leave an earlier import as it was.
"""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from schoolzorg.lib.csvfiles import CsvError, read_csv
from schoolzorg.organisations.importers.areas import DEFAULT_DISTRICT_NAMES, import_areas
from schoolzorg.organisations.importers.base import REGISTRY_DIR, ImportRefused, ImportReport
from schoolzorg.organisations.importers.partnerships import import_partnership_regions
from schoolzorg.organisations.importers.postcodes import import_postcodes
from schoolzorg.organisations.importers.pupil_counts import import_pupil_counts
from schoolzorg.organisations.importers.schools import ensure_municipalities, import_schools
from schoolzorg.organisations.models import (
    District,
    Municipality,
    Neighbourhood,
    Partnership,
    PartnershipArea,
    PostcodeArea,
    School,
)
from schoolzorg.organisations.tests.variants import (
    drop_columns,
    parse,
    rename,
    subset,
    variants,
    write,
    xlsx_bytes,
    zip_bytes,
)

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[3]
DUO = REGISTRY_DIR / "duo"


def _read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


# --- Real examples, cut to a size a test can import quickly -------------------------------------

_SCHOOLS_ALL = _read(DUO / "02-alle-schoolvestigingen-basisonderwijs.csv")
# The first 150 locations (Drenthe, Flevoland: names with ’, ö, ï) and the three whose name
# holds doubled quotes.
SCHOOLS = subset(_SCHOOLS_ALL, lambda i, line: i < 150 or '"' in line)
SCHOOL_CODES = {r[3] for r in parse(SCHOOLS)[1:]}
COUNTS = subset(
    _read(DUO / "06-historisch-overzicht-aantal-leerlingen-per-schoolvestiging.csv"),
    lambda i, line: i < 10 or line.split(";")[1] in SCHOOL_CODES,
)
BUURTEN = subset(
    _read(REGISTRY_DIR / "cbs" / "buurten-2024-namen.csv"),
    lambda i, line: line.startswith("BU0599") or '"' in line,
)
ROTTERDAM_BUURTEN = [r[0] for r in parse(BUURTEN, ",")[1:] if r[0].startswith("BU0599")]
SWV = subset(
    _read(REGISTRY_DIR / "swv" / "swv-regio-indeling-pc4-2015.csv"),
    lambda i, line: i < 40 or line.startswith(("30", "31")),
)
DUO_PC4 = _read(DUO / "leerlingen-po-per-postcode-leerling-2024-rijswijk.csv")


def _cbs_postcode_file() -> str:
    """CBS "buurt, wijk en gemeente voor postcode-huisnummer": one row per address.

    The buurt codes are Rotterdam's real 2024 codes; the postcodes are made up (the real file is
    far too large to ship). Postcode 3000AB has addresses in two buurten: the majority wins.
    """
    rows = [["PC6", "Huisnummer", "Buurt2024", "Wijk2024", "Gemeente2024"]]
    for i, code in enumerate(ROTTERDAM_BUURTEN):
        digits = code[2:]
        for number in (1, 3, 5):
            rows.append([f"{3000 + i}AB", str(number), digits, digits[:6], digits[:4]])
    other = ROTTERDAM_BUURTEN[1][2:]
    rows.append(["3000AB", "7", other, other[:6], other[:4]])
    return write(rows)


CBS_PC6 = _cbs_postcode_file()


# --- One case per importer ---------------------------------------------------------------------


def _schools_state() -> object:
    return sorted(
        School.objects.values_list(
            "location_code",
            "brin",
            "name",
            "board__number",
            "municipality__cbs_code",
            "street",
            "house_number",
            "postcode",
            "city",
            "denomination",
            "phone",
            "website",
            "holiday_region",
            "closed_on",
            "pupil_count",
            "pupil_count_year",
            "is_small_count",
        )
    )


def _areas_state() -> object:
    return (
        sorted(Municipality.objects.values_list("cbs_code", "name")),
        sorted(District.objects.values_list("code", "name", "municipality__cbs_code")),
        sorted(Neighbourhood.objects.values_list("code", "name", "district__code")),
    )


def _postcodes_state() -> object:
    return sorted(
        PostcodeArea.objects.values_list(
            "postcode", "neighbourhood__code", "district__code", "municipality__cbs_code"
        )
    )


def _partnerships_state() -> object:
    return (
        sorted(Partnership.objects.values_list("code", "name", "sector")),
        sorted(PartnershipArea.objects.values_list("pc4", "partnership__code")),
    )


def _all_municipalities() -> None:
    with (REGISTRY_DIR / "gemeenten-2024.csv").open(encoding="utf-8") as fh:
        numbers = {r["gemeentenummer"]: "" for r in csv.DictReader(fh, delimiter=";")}
    ensure_municipalities(numbers, {})


def _prepare_counts() -> None:
    import_schools(_file("02.csv", SCHOOLS.encode()))


def _prepare_cbs_postcodes() -> None:
    import_areas(_file("buurten.csv", BUURTEN.encode()), district_names=DEFAULT_DISTRICT_NAMES)


def _nothing() -> None:
    pass


_TMP: list[Path] = []


def _file(name: str, data: bytes) -> Path:
    path = _TMP[0] / name
    path.write_bytes(data)
    return path


@pytest.fixture(autouse=True)
def _tmp(tmp_path: Path) -> None:
    _TMP[:] = [tmp_path]


@dataclass(frozen=True)
class Case:
    name: str
    text: str
    delimiter: str
    run: Callable[[Path], ImportReport]
    prepare: Callable[[], None]
    state: Callable[[], object]
    key_column: str  # a column the importer cannot do without
    command: str
    bad_field: int  # this field on line 4 gets a value the importer must reject

    def bad_file(self) -> str:
        records = parse(self.text, self.delimiter)
        records[3][self.bad_field] = "?!"
        return write(records, delimiter=self.delimiter)


def _areas(path: Path) -> ImportReport:
    return import_areas(path, district_names=DEFAULT_DISTRICT_NAMES)


CASES = {
    c.name: c
    for c in [
        Case(
            "schools",
            SCHOOLS,
            ";",
            import_schools,
            _nothing,
            _schools_state,
            "VESTIGINGSCODE",
            "import_schools",
            3,
        ),
        Case(
            "pupil-counts",
            COUNTS,
            ";",
            import_pupil_counts,
            _prepare_counts,
            _schools_state,
            "VESTIGINGSCODE",
            "import_pupil_counts",
            -1,
        ),
        Case(
            "areas",
            BUURTEN,
            ",",
            _areas,
            _nothing,
            _areas_state,
            "Identifier",
            "import_areas",
            0,
        ),
        Case(
            "postcodes-cbs",
            CBS_PC6,
            ";",
            import_postcodes,
            _prepare_cbs_postcodes,
            _postcodes_state,
            "PC6",
            "import_postcodes",
            0,
        ),
        Case(
            "postcodes-duo",
            DUO_PC4,
            ";",
            import_postcodes,
            _all_municipalities,
            _postcodes_state,
            "POSTCODE_LEERLING",
            "import_postcodes",
            3,
        ),
        Case(
            "partnerships",
            SWV,
            ";",
            import_partnership_regions,
            _nothing,
            _partnerships_state,
            "PO SWV",
            "import_partnership_regions",
            2,
        ),
    ]
}
VARIANT_NAMES = list(variants(SCHOOLS))


def _imports_as_the_original(case: Case, data: bytes) -> ImportReport:
    """Import `data`, then the original: the original must find nothing to change."""
    case.prepare()
    report = case.run(_file("variant.csv", data))
    assert report.inserted + report.updated > 0
    after_variant = case.state()
    again = case.run(_file("original.csv", case.text.encode()))
    assert (again.inserted, again.updated, again.closed) == (0, 0, 0), again.summary()
    assert case.state() == after_variant
    return report


@pytest.mark.parametrize("variant", VARIANT_NAMES)
@pytest.mark.parametrize("case", list(CASES))
def test_variant_gives_the_same_data_as_the_original(case: str, variant: str) -> None:
    c = CASES[case]
    _imports_as_the_original(c, variants(c.text, c.delimiter)[variant])


# --- Columns renamed the way other years and other publications name them ----------------------


def test_schools_older_duo_column_names() -> None:
    """Before 2020 DUO wrote `BRIN NUMMER` and `VESTIGINGSNUMMER`, elsewhere with underscores."""
    old = rename(
        SCHOOLS,
        {
            "INSTELLINGSCODE": "BRIN NUMMER",
            "VESTIGINGSCODE": "VESTIGINGSNUMMER",
            "BEVOEGD GEZAG NUMMER": "BEVOEGD_GEZAG_NUMMER",
            "HUISNUMMER-TOEVOEGING": "HUISNUMMER_TOEVOEGING",
        },
    )
    report = _imports_as_the_original(CASES["schools"], old.encode())
    assert report.inserted == len(SCHOOL_CODES)


def test_schools_location_number_as_two_digits_next_to_the_brin() -> None:
    records = parse(SCHOOLS)
    records[0][3] = "VESTIGINGSNUMMER"
    for r in records[1:]:
        r[3] = r[3][4:]
    _imports_as_the_original(CASES["schools"], write(records).encode())
    assert School.objects.filter(location_code="04NA00").exists()


def test_schools_file_without_holiday_region_phone_and_website_keeps_what_is_known() -> None:
    import_schools(_file("02.csv", SCHOOLS.encode()))
    before = dict(School.objects.values_list("location_code", "holiday_region"))
    phones = dict(School.objects.values_list("location_code", "phone"))
    smaller = drop_columns(SCHOOLS, ["VAKANTIEREGIO", "TELEFOONNUMMER", "INTERNETADRES"])
    report = import_schools(_file("ouder.csv", smaller.encode()))
    assert report.closed == 0
    assert dict(School.objects.values_list("location_code", "holiday_region")) == before
    assert dict(School.objects.values_list("location_code", "phone")) == phones


def test_schools_excel_keeps_phone_numbers_and_municipality_numbers() -> None:
    """Excel drops leading zeros: `0599512734` → `599512734`, `0106` → `106`."""
    data = variants(SCHOOLS)["excel-resave"]
    assert b";599512734;" in data
    import_schools(_file("excel.csv", data))
    school = School.objects.get(location_code="05OC00")
    assert school.phone == "0599512734"
    assert school.name == "Dalton Kindcentrum ’t Kompas"
    assert b";106;" in data
    assert Municipality.objects.get(cbs_code="GM0106").name == "Assen"


def test_pupil_counts_older_column_names_and_an_earlier_year() -> None:
    _prepare_counts()
    old = drop_columns(COUNTS, ["LEERLINGEN_2025"])
    old = rename(
        old,
        {
            "INSTELLINGSCODE": "BRIN_NUMMER",
            "VESTIGINGSCODE": "VESTIGINGSNUMMER",
            "GEMEENTECODE_VESTIGING": "GEMEENTENUMMER",
            "LEERLINGEN_2024": "LEERLINGEN 2024",
        },
    )
    report = import_pupil_counts(_file("2024.csv", old.encode()))
    assert "telling van 2024" in report.summary()
    assert (
        not School.objects.exclude(pupil_count_year=2024)
        .exclude(pupil_count_year__isnull=True)
        .exists()
    )
    assert School.objects.filter(pupil_count_year=2024).count() == report.updated > 100


def test_an_older_pupil_counts_file_leaves_newer_counts_alone() -> None:
    _prepare_counts()
    import_pupil_counts(_file("2025.csv", COUNTS.encode()))
    before = _schools_state()
    counted = School.objects.filter(pupil_count_year=2025).count()
    old = drop_columns(COUNTS, ["LEERLINGEN_2025"])
    report = import_pupil_counts(_file("2024.csv", old.encode()))
    assert (report.updated, report.unchanged) == (0, 0)
    assert (
        f"overgeslagen: nieuwere telling bij {counted} vestigingen; zij hebben al een telling "
        "van 2025, die blijft staan"
    ) in report.summary()
    assert _schools_state() == before
    # A location without a count yet takes the older one.
    school = School.objects.filter(pupil_count_year=2025).first()
    assert school is not None
    School.objects.filter(pk=school.pk).update(pupil_count=None, pupil_count_year=None)
    assert import_pupil_counts(_file("2024.csv", old.encode())).updated == 1
    assert School.objects.get(pk=school.pk).pupil_count_year == 2024


def test_pupil_counts_with_a_two_digit_location_number() -> None:
    records = parse(COUNTS)
    records[0][1] = "VESTIGINGSNUMMER"
    for r in records[1:]:
        r[1] = r[1][4:]
    _imports_as_the_original(CASES["pupil-counts"], write(records).encode())


def _areas_table(header: list[str], rows: list[list[str]]) -> bytes:
    return write([header, *rows]).encode()


def _buurten() -> list[tuple[str, str]]:
    return [(r[0], r[1]) for r in parse(BUURTEN, ",")[1:]]


WIJK_NAMES = dict(
    (r[0], r[2]) for r in parse(_read(DEFAULT_DISTRICT_NAMES))[1:]
)  # statcode → statnaam


def test_areas_from_the_wijk_en_buurtkaart_2023_and_later() -> None:
    header = ["buurtcode", "buurtnaam", "wijkcode", "gemeentecode", "gemeentenaam", "water"]
    rows = [[c, n, "WK" + c[2:8], "GM" + c[2:6], "Rotterdam", "NEE"] for c, n in _buurten()]
    _imports_as_the_original(CASES["areas"], _areas_table(header, rows))


def test_areas_from_the_wijk_en_buurtkaart_until_2022() -> None:
    header = ["BU_CODE", "BU_NAAM", "WK_CODE", "GM_CODE", "GM_NAAM", "IND_WBI", "AANT_INW"]
    rows = [
        [c, n, "WK" + c[2:8], "GM" + c[2:6], "Rotterdam", "1", "-99999999"] for c, n in _buurten()
    ]
    _imports_as_the_original(CASES["areas"], _areas_table(header, rows))


def test_areas_from_kerncijfers_with_municipality_and_district_rows() -> None:
    """`kwb-2022.csv`: gemeente, wijk and buurt rows in one table; the wijk rows name the wijken."""
    header = ["gwb_code_10", "gwb_code_8", "regio", "gm_naam", "recs", "ind_wbi", "a_inw"]
    rows = [["NL00", "0", "Nederland", "Nederland", "Land", ".", "17811291"]]
    rows.append(["GM0599", "599", "Rotterdam", "Rotterdam", "Gemeente", ".", "664311"])
    for code, name in sorted(WIJK_NAMES.items()):
        rows.append([code, code[2:], name, "Rotterdam", "Wijk", "1", "1000"])
    rows += [[c, c[2:], n, "Rotterdam", "Buurt", "1", "100"] for c, n in _buurten()]
    report = import_areas(_file("kwb.csv", _areas_table(header, rows)), district_names=None)
    assert report.inserted == len(_buurten())
    assert District.objects.get(code="WK059903").name == "Delfshaven"
    assert all(
        not d.name.startswith("Wijk WK") for d in District.objects.filter(code__startswith="WK0599")
    )


def test_areas_from_a_statline_download_with_padded_values() -> None:
    """CBS StatLine CSV: quoted, values padded with spaces, numbered column names."""
    header = ["ID", "WijkenEnBuurten", "Gemeentenaam_1", "SoortRegio_2", "Codering_3"]
    rows = [
        [str(i), f"{n:<40}", f"{'Rotterdam':<30}", f"{'Buurt':<10}", f"{c:<10}"]
        for i, (c, n) in enumerate(_buurten())
    ]
    data = write([header, *rows], quoting=csv.QUOTE_ALL).encode()
    _imports_as_the_original(CASES["areas"], data)


@pytest.mark.parametrize(
    "header", [["WK_CODE", "WK_NAAM"], ["wijkcode", "wijknaam"], ["statcode", "statnaam"]]
)
def test_district_names_in_other_column_names(header: list[str]) -> None:
    names = _file("wijken.csv", write([header, *map(list, WIJK_NAMES.items())]).encode())
    import_areas(_file("buurten.csv", BUURTEN.encode()), district_names=names)
    assert District.objects.get(code="WK059903").name == "Delfshaven"


@pytest.mark.parametrize(
    "names",
    [
        ("PC6", "Huisnummer", "Buurt2019", "Wijk2019", "Gemeente2019"),
        ("pc6", "huisnummer", "buurtcode2022", "wijkcode2022", "gemeentecode2022"),
        ("Postcode", "Huisnummer", "BU_CODE", "WK_CODE", "GM_CODE"),
    ],
)
def test_cbs_postcode_file_of_another_year(names: tuple[str, ...]) -> None:
    records = parse(CBS_PC6)
    records[0] = list(names)
    _imports_as_the_original(CASES["postcodes-cbs"], write(records).encode())


AMSTERDAM_BUURTEN = subset(
    _read(REGISTRY_DIR / "cbs" / "buurten-2024-namen.csv"),
    lambda i, line: line.startswith("BU0363AA"),
)


@pytest.mark.parametrize("column", ["Buurt2024", "Wijk2024"])
def test_cbs_postcode_file_with_amsterdam_codes_without_prefix(column: str) -> None:
    """Amsterdam's wijk and buurt parts hold letters (`0363AA01`): the shape says what they are."""
    import_areas(_file("buurten.csv", AMSTERDAM_BUURTEN.encode()), district_names=None)
    records = [
        ["PC6", "Huisnummer", "Buurt2024", "Wijk2024", "Gemeente2024"],
        ["1011AB", "1", "0363AA01", "0363AA", "0363"],
        ["1013AA", "5", "0363AA02", "0363AA", "0363"],
    ]
    if column == "Wijk2024":  # a file by wijk: no buurt column
        records = [r[:2] + r[3:] for r in records]
    report = import_postcodes(_file("pc6.csv", write(records).encode()))
    assert report.inserted == 2
    area = PostcodeArea.objects.select_related("neighbourhood", "district").get(postcode="1011AB")
    assert area.district is not None and area.district.code == "WK0363AA"
    if column == "Buurt2024":
        assert area.neighbourhood is not None and area.neighbourhood.code == "BU0363AA01"


def test_partnerships_with_other_column_names_and_codes_written_with_punctuation() -> None:
    """`PO 28-06` is how the code is written in letters and some lists; `PO_SWV` in others."""
    records = parse(SWV)
    records[0] = ["Postcode", "Gemeente", "PO_SWV", "VO_SWV"]
    for r in records[1:]:
        for i in (2, 3):
            if r[i][:2] in ("PO", "VO"):
                r[i] = f"{r[i][:2]} {r[i][2:4]}-{r[i][4:]}"
    _imports_as_the_original(CASES["partnerships"], write(records).encode())


def test_import_postcodes_recognises_the_swv_table_in_another_case() -> None:
    _all_municipalities()
    records = parse(SWV)
    records[0] = ["pc4", "Gemeente", "po swv", "vo swv"]
    report = import_postcodes(_file("swv.csv", write(records).encode()))
    assert report.inserted > 30
    assert PostcodeArea.objects.get(postcode="3011").source.startswith("swv:")


# --- Files that must be refused ----------------------------------------------------------------


def _header_only(c: Case) -> bytes:
    return (c.text.splitlines()[0] + "\n").encode()


def _truncated_mid_row(c: Case) -> bytes:
    """Cut off inside the first field of a line two thirds down: that row is short of fields.

    (A cut inside the last field of the last line cannot be told from a shorter value.)
    """
    lines = c.text.splitlines(keepends=True)
    at = len(lines) * 2 // 3
    return "".join(lines[:at]).encode() + lines[at][:3].encode()


REFUSALS: dict[str, tuple[Callable[[Case], bytes], str]] = {
    "empty": (lambda c: b"", "leeg"),
    "only-line-breaks": (lambda c: b"\r\n\r\n  \n", "leeg"),
    "header-only": (_header_only, "kopregel"),
    "header-and-separators-only": (
        lambda c: _header_only(c) + (c.delimiter * 5 + "\r\n").encode() * 3,
        "kopregel",
    ),
    "xlsx": (lambda c: xlsx_bytes(c.text, c.delimiter), "Excel"),
    "old-xls": (lambda c: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "Excel"),
    "zip": (lambda c: zip_bytes("bestand.csv", c.text.encode()), "zip"),
    "gzip": (lambda c: b"\x1f\x8b\x08\x00" + b"\x00" * 40, "gzip"),
    "pdf": (lambda c: b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n", "PDF"),
    "html": (
        lambda c: b"<!DOCTYPE html>\n<html><body>Niet gevonden</body></html>\n",
        "HTML",
    ),
    "utf-16-without-bom": (lambda c: c.text.encode("utf-16-le"), "NUL"),
    "utf-16-cut-mid-character": (
        lambda c: c.text.encode("utf-16")[:-1],
        "onleesbare UTF-16-tekst; is het bestand afgebroken?",
    ),
    "missing-column": (
        lambda c: drop_columns(c.text, [c.key_column], c.delimiter).encode(),
        "ontbreken",
    ),
    "truncated-mid-row": (_truncated_mid_row, "regel"),
    "bad-value-in-a-row": (lambda c: c.bad_file().encode(), "regel 4"),
    "mixed-encodings": (
        lambda c: c.text.encode() + "Caf\xe9;".encode("cp1252") + b"\n",
        "regel",
    ),
}


@pytest.mark.parametrize("kind", list(REFUSALS))
@pytest.mark.parametrize("case", list(CASES))
def test_refused_with_a_dutch_reason_and_nothing_lost(case: str, kind: str) -> None:
    c = CASES[case]
    make, fragment = REFUSALS[kind]
    c.prepare()
    c.run(_file("original.csv", c.text.encode()))
    before = c.state()
    with pytest.raises(ImportRefused) as exc:
        c.run(_file("kapot.csv", make(c)))
    message = str(exc.value)
    assert fragment in message, message
    assert "Traceback" not in message
    if kind == "missing-column":
        assert c.key_column in message
    assert c.state() == before


@pytest.mark.parametrize(
    ("case", "key"),
    [("schools", "VESTIGINGSCODE"), ("pupil-counts", "VESTIGINGSCODE"), ("partnerships", "PC4")],
)
def test_a_key_on_two_rows_is_refused_with_both_lines(case: str, key: str) -> None:
    """One shared check (`FirstLines`): the last of two rows does not silently win."""
    c = CASES[case]
    c.prepare()
    before = c.state()
    records = parse(c.text, c.delimiter)
    field = records[0].index(key)
    records.append(list(records[5]))
    with pytest.raises(ImportRefused) as exc:
        c.run(_file("dubbel.csv", write(records, delimiter=c.delimiter).encode()))
    assert [str(p) for p in exc.value.problems] == [
        f"regel {len(records)}: {key} {records[5][field]} staat ook op regel 6"
    ]
    assert c.state() == before


def test_truncated_inside_a_quoted_field_is_refused_at_that_line() -> None:
    lines = SCHOOLS.splitlines()
    quoted = next(i for i, line in enumerate(lines) if '"' in line)
    cut = "\n".join(lines[:quoted]) + "\n" + lines[quoted][: lines[quoted].index('"') + 12]
    with pytest.raises(ImportRefused) as exc:
        import_schools(_file("kapot.csv", cut.encode()))
    assert exc.value.problems[-1].line == quoted + 1
    assert not School.objects.exists()


@pytest.mark.parametrize("case", list(CASES))
def test_command_exits_non_zero_with_the_reason_and_no_traceback(case: str) -> None:
    c = CASES[case]
    c.prepare()
    out = io.StringIO()
    call_command(c.command, str(_file("goed.csv", c.text.encode())), stdout=out)
    assert " ongewijzigd" in out.getvalue().splitlines()[0]  # the summary line
    with pytest.raises(CommandError) as exc:
        call_command(c.command, str(_file("werkmap.xlsx", xlsx_bytes(c.text, c.delimiter))))
    assert "niets ingelezen" in str(exc.value)
    assert "Excel" in str(exc.value)


def test_schoolzorg_cli_exit_code_and_message(tmp_path: Path) -> None:
    book = tmp_path / "scholen.xlsx"
    book.write_bytes(xlsx_bytes(SCHOOLS))
    env = {
        **os.environ,
        "SCHOOLZORG_DEBUG": "1",
        "SCHOOLZORG_DATA_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }
    env.pop("DATABASE_URL", None)
    done = subprocess.run(  # noqa: S603 - our own interpreter and module
        [sys.executable, "-m", "schoolzorg.cli", "import-schools", str(book)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode != 0
    assert done.stderr.startswith("Fout: scholen.xlsx: het bestand is geweigerd")
    assert "Excel" in done.stderr
    assert "Traceback" not in done.stderr and "CommandError" not in done.stderr


def test_schoolzorg_cli_without_a_secret_key_says_what_to_do_in_dutch() -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SCHOOLZORG_")}
    env["DJANGO_SETTINGS_MODULE"] = "config.settings"
    done = subprocess.run(
        [sys.executable, "-m", "schoolzorg.cli", "demo-logins"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 2
    assert done.stderr.startswith("Fout: SCHOOLZORG_SECRET_KEY ontbreekt.")
    assert "SCHOOLZORG_DEMO=1" in done.stderr and "Traceback" not in done.stderr


# --- Closing many schools at once ---------------------------------------------------------------


def test_a_file_with_far_fewer_schools_is_refused_before_closing_them() -> None:
    """A cut-off or regional file would close every location missing from it."""
    import_schools(_file("02.csv", SCHOOLS.encode()))
    short = subset(SCHOOLS, lambda i, line: i < 40)
    with pytest.raises(ImportRefused) as exc:
        import_schools(_file("kort.csv", short.encode()))
    assert "sluiten" in str(exc.value)
    assert not School.objects.filter(closed_on__isnull=False).exists()
    report = import_schools(_file("kort.csv", short.encode()), close_many=True)
    assert report.closed == len(SCHOOL_CODES) - 40


def test_a_file_of_other_schools_cannot_close_the_real_ones_by_its_own_size() -> None:
    """The tenth is of the locations open before the file: the ones a large wrong file adds do
    not count, or it could close every real school."""
    import_schools(_file("02.csv", SCHOOLS.encode()))
    import csv

    rows = parse(SCHOOLS)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(rows[0])
    seen: set[str] = set()
    for copy in range(50, 62):  # twelve times as many locations, none of them known
        for row in rows[1:]:
            code = f"{row[3][:4]}{copy}"  # another location of the same school
            if code not in seen:
                seen.add(code)
                writer.writerow([*row[:3], code, *row[4:]])
    other = out.getvalue()
    with pytest.raises(ImportRefused) as exc:
        import_schools(_file("ander.csv", other.encode()))
    assert f"van de {len(SCHOOL_CODES)} open vestigingen" in str(exc.value)
    assert not School.objects.filter(closed_on__isnull=False).exists()


def test_command_can_close_many_schools_when_asked() -> None:
    import_schools(_file("02.csv", SCHOOLS.encode()))
    short = _file("kort.csv", subset(SCHOOLS, lambda i, line: i < 40).encode())
    with pytest.raises(CommandError, match="sluiten"):
        call_command("import_schools", str(short))
    call_command("import_schools", str(short), "--sluit-ontbrekende", stdout=io.StringIO())
    assert School.objects.filter(closed_on__isnull=False).count() == len(SCHOOL_CODES) - 40


def test_partnerships_command_removes_many_links_only_when_asked() -> None:
    import_partnership_regions(_file("swv.csv", SWV.encode()))
    before = PartnershipArea.objects.count()
    records = parse(subset(SWV, lambda i, line: i < 20))[1:]
    short = _file("kort.csv", subset(SWV, lambda i, line: i < 20).encode())
    with pytest.raises(CommandError, match="verwijderen"):
        call_command("import_partnership_regions", str(short))
    assert PartnershipArea.objects.count() == before
    call_command(
        "import_partnership_regions", str(short), "--verwijder-ontbrekende", stdout=io.StringIO()
    )
    named = {code for r in records for code in r[2:]}
    left = PartnershipArea.objects.filter(partnership__code__in=named)
    assert {(a.pc4, a.partnership.code) for a in left.select_related("partnership")} == {
        (r[0], code) for r in records for code in r[2:]
    }


# --- Large files: read as a stream ----------------------------------------------------------------


def _big_postcode_file(path: Path, rows: int) -> None:
    code = ROTTERDAM_BUURTEN[0][2:]
    with path.open("w", encoding="utf-8", newline="") as fh:
        fh.write("PC6;Huisnummer;Buurt2024;Wijk2024;Gemeente2024\r\n")
        for i in range(rows):
            fh.write(f"{3000 + i % 50}AB;{i};{code};{code[:6]};{code[:4]}\r\n")


def test_a_large_file_is_read_as_a_stream(tmp_path: Path) -> None:
    """100,000 addresses (3 MB): memory stays far below what a list of the rows would take."""
    _prepare_cbs_postcodes()
    big = tmp_path / "pc6hnr.csv"
    _big_postcode_file(big, 100_000)
    tracemalloc.start()
    try:
        report = import_postcodes(big)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert report.inserted == 50
    assert peak < 8 * 1024 * 1024, f"peak {peak / 1e6:.1f} MB"


def test_the_reader_streams_and_counts_every_bad_line_without_keeping_them_all(
    tmp_path: Path,
) -> None:
    from schoolzorg.lib.csvfiles import CsvFile

    big = tmp_path / "kapot.csv"
    with big.open("w", encoding="utf-8") as fh:
        fh.write("a;b;c\n")
        for i in range(50_000):
            fh.write(f"{i};te weinig\n")
    table = CsvFile(big)
    tracemalloc.start()
    try:
        assert sum(1 for _ in table) == 0
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert len(table.problems) < 1000 < table.problem_count == 50_000
    assert peak < 4 * 1024 * 1024


def test_read_csv_still_gives_a_list_and_refuses_header_only() -> None:
    table = read_csv(b"a;b\n1;2\n")
    assert [r.values for r in table.rows] == [{"a": "1", "b": "2"}]
    with pytest.raises(CsvError, match="kopregel"):
        read_csv(b"a;b\n")
