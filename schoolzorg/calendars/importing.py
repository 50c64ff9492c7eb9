"""Reading the OpenHolidays API files (and Rijksoverheid's school-holiday JSON) and judging their
rows; no database writes here.

Format (`;`-separated, UTF-8 with or without BOM; also `,`, tab, Windows-1252 and the dates of
an Excel re-save, `21-12-2024`): a multilingual `Name` field
(`NL Kerstvakantie,DE Weihnachtsferien,EN Christmas Holidays`) of which the `NL ` part is taken,
`Groups` as a comma list of region codes in any order (`NO,MI,ZU`), ISO dates inclusive at both
ends, and an empty `EndDate` for one-day public holidays.

A file that cannot be read as such (missing column, wrong number of fields, a date that is no
date, no Dutch name, an Id on two rows, a `Country` other than `NL`) is refused as a whole, with
the line numbers. A row that reads well but looks wrong (too long, ends before it starts, runs into the next school year, unknown region) is
*flagged*, not refused: it is stored and waits for the administrator, who can only confirm or
correct it to dates that pass `review_problem`.
"""

from __future__ import annotations

import codecs
import datetime as dt
import json
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

from schoolzorg.calendars.models import school_year_of
from schoolzorg.lib.csvfiles import Column, CsvError, CsvFile

REGION_CODES = {"NO": "noord", "MI": "midden", "ZU": "zuid"}
SUMMER = "Zomervakantie"
USUAL_HOLIDAYS = ("Herfstvakantie", "Kerstvakantie", "Voorjaarsvakantie", "Meivakantie", SUMMER)
# Longer than three weeks is not a Dutch school holiday, except the summer.
MAX_DAYS = 21
MAX_SUMMER_DAYS = 51  # seven weeks and the weekends around them
# Longer than this no school holiday can be, whoever confirms it: counting deadlines through it
# would stop every school of the region (one rule for the importer, confirming and correcting).
MAX_POSSIBLE_DAYS = 63

SCHOOL_COLUMNS = ("Id", "StartDate", "EndDate", "Name", "Groups")
PUBLIC_COLUMNS = ("Id", "StartDate", "EndDate", "Name")
REGION_COLUMNS = ("Category", "Name", "Groups", "Parent", Column("ShortName", required=False))
# OpenHolidays names the country of each row; a file for another country is refused.
COUNTRY = Column("Country", required=False)


class ImportRefused(Exception):
    """The file is not usable; `problems` names each bad line."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("; ".join(problems[:10]))


@dataclass(frozen=True)
class SchoolRow:
    line: int
    source_id: str
    name: str
    start_on: dt.date
    end_on: dt.date
    groups: tuple[str, ...]


@dataclass(frozen=True)
class PublicRow:
    line: int
    source_id: str
    name: str
    date: dt.date


@dataclass(frozen=True)
class RegionRow:
    line: int
    name: str
    groups: tuple[str, ...]
    province: str
    from_province: bool = False  # the row's Groups was empty: the province's region is used


def read_rows(
    source: str | Path | bytes, required: Iterable[str | Column]
) -> list[tuple[int, dict[str, str]]]:
    """Rows as (line number, values); refuses the file on any structural problem.

    Reading is the shared registry reader's (`schoolzorg.lib.csvfiles`): UTF-8 with or without
    BOM, Windows-1252, `;`, `,` or tab, column names in any case; line numbers on every problem.
    Holiday files are small, so the rows are kept in a list.
    """
    try:
        table = CsvFile(source, columns=required)
    except CsvError as exc:
        raise ImportRefused([str(p) for p in exc.problems]) from exc
    rows = [(row.line, row.values) for row in table]
    if table.problem_count:
        more = [f"... en nog {table.omitted} regels met fouten"] if table.omitted else []
        raise ImportRefused([str(p) for p in table.problems] + more)
    return rows


def other_countries(rows: list[tuple[int, dict[str, str]]]) -> list[str]:
    """Why the file is not for the Netherlands: one problem per other country in `Country`."""
    first: dict[str, int] = {}
    for line, v in rows:
        country = v.get("Country", "").strip().upper()
        if country and country != "NL":
            first.setdefault(country, line)
    return [
        f"regel {line}: dit bestand is voor een ander land (Country {country}); lees alleen "
        "een bestand voor Nederland (NL) in"
        for country, line in first.items()
    ]


def dutch_part(value: str) -> str:
    """The `NL ` part of a multilingual field, or '' when there is none."""
    for part in value.split(","):
        part = part.strip()
        if part.startswith("NL "):
            return part[3:].strip()
    return ""


_DUTCH_DATE = re.compile(r"^([0-9]{1,2})[-/.]([0-9]{1,2})[-/.]([0-9]{4})$")
_ISO_WITH_TIME = re.compile(r"^([0-9]{4}-[0-9]{2}-[0-9]{2})[T ]00:00(:00(\.0+)?)?Z?$")


def parse_date(value: str) -> dt.date | None:
    """`2024-12-21`, and what Excel makes of it when the file is re-saved: `21-12-2024`,
    `21/12/2024` (day first, as in the Netherlands) or `2024-12-21 00:00:00`."""
    text = value.strip()
    if m := _ISO_WITH_TIME.match(text):
        text = m.group(1)
    if len(text) == 10 and text[4] == "-":
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            return None
    if m := _DUTCH_DATE.match(text):
        try:
            return dt.date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
        except ValueError:
            return None
    return None


def _date(value: str, line: int, column: str, problems: list[str]) -> dt.date | None:
    day = parse_date(value)
    if day is None:
        problems.append(f"regel {line}: {column} '{value}' is geen datum (JJJJ-MM-DD)")
    return day


def parse_school_file(source: str | Path | bytes) -> list[SchoolRow]:
    """Every school-holiday row of the file, or ImportRefused listing every bad line.

    The file is an OpenHolidays CSV, or the JSON that Rijksoverheid publishes per school year
    (`opendata.rijksoverheid.nl/v1/infotypes/schoolholidays/schoolyear/2025-2026?output=json`).
    """
    data = source if isinstance(source, bytes) else Path(source).read_bytes()
    if _is_json(data):
        return parse_rijksoverheid_json(data)
    table = read_rows(data, (*SCHOOL_COLUMNS, COUNTRY))
    if wrong := other_countries(table):
        raise ImportRefused(wrong)
    problems: list[str] = []
    parsed: list[SchoolRow] = []
    for line, v in table:
        name = dutch_part(v["Name"])
        if not name:
            problems.append(f"regel {line}: geen Nederlandse naam ('NL ...') in Name")
        if not v["Id"]:
            problems.append(f"regel {line}: Id ontbreekt")
        groups = tuple(g.strip().upper() for g in v["Groups"].split(",") if g.strip())
        if not groups:
            problems.append(f"regel {line}: Groups is leeg; noem NO, MI of ZU")
        start = _date(v["StartDate"], line, "StartDate", problems)
        end = _date(v["EndDate"], line, "EndDate", problems)
        if name and start and end and groups and v["Id"]:
            parsed.append(SchoolRow(line, v["Id"], name, start, end, groups))
    # An Id is one holiday: on two rows, which one counts would be a guess (different dates)
    # or it would be counted twice (the same row again). Refused either way, as the public
    # holidays refuse a date twice.
    first: dict[str, SchoolRow] = {}
    for row in parsed:
        earlier = first.setdefault(row.source_id, row)
        if earlier is row:
            continue
        same = (earlier.name, earlier.start_on, earlier.end_on, earlier.groups) == (
            row.name,
            row.start_on,
            row.end_on,
            row.groups,
        )
        how = "dezelfde regel staat twee keer in het bestand" if same else "met andere gegevens"
        problems.append(
            f"regel {row.line}: Id {row.source_id} staat ook op regel {earlier.line} ({how})"
        )
    if problems:
        raise ImportRefused(problems)
    return parsed


# How Rijksoverheid names the regions; "heel Nederland" is all three.
JSON_REGIONS = {
    "noord": ("NO",),
    "midden": ("MI",),
    "zuid": ("ZU",),
    "heel nederland": ("NO", "MI", "ZU"),
    "nederland": ("NO", "MI", "ZU"),
    "landelijk": ("NO", "MI", "ZU"),
}
_AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def _json_date(value: object) -> dt.date | None:
    """`2024-10-26T00:00:00.000Z`, or local midnight written in UTC (`2024-10-25T22:00:00.000Z`),
    both 26 October; a plain date is taken as it is."""
    text = str(value or "").strip()
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        return parse_date(text)
    if moment.tzinfo is not None:
        local = moment.astimezone(_AMSTERDAM)
        if local.time() == dt.time(0, 0):
            return local.date()
    return moment.date()


def _holiday_name(value: str) -> str:
    """`Herfstvakantie ` and `herfstvakantie` are the usual name; others as written."""
    text = " ".join(value.split())
    return next((h for h in USUAL_HOLIDAYS if h.lower() == text.lower()), text)


def _school_years(document: object) -> list[dict[str, object]]:
    """The school-year objects (those with `vacations`) of a document, a list or one year.

    Walked with a list of its own rather than by recursion, so lists nested very deep cannot
    exhaust Python's stack.
    """
    found: list[dict[str, object]] = []
    todo = [document]
    while todo:
        node = todo.pop()
        if isinstance(node, list):
            todo.extend(reversed(node))
        elif isinstance(node, dict):
            if "vacations" in node:
                found.append(node)
            elif "content" in node:
                todo.append(node["content"])
    return found


_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


def _is_json(data: bytes) -> bool:
    """Whether the text starts like JSON (`{` or `[`) after its BOM: UTF-8, or UTF-16 as a JSON
    file re-saved as "Unicode" is."""
    if data.startswith(_UTF16_BOMS):
        return data.decode("utf-16", errors="replace").lstrip(" \t\r\n")[:1] in ("{", "[")
    return data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] in (b"{", b"[")


RIJKSOVERHEID = "rijksoverheid:"  # the source ids of holidays from Rijksoverheid's JSON


def source_kind(source_id: str) -> str:
    """Which kind of file a holiday's source id comes from: Rijksoverheid's JSON or a CSV."""
    return "json" if source_id.startswith(RIJKSOVERHEID) else "csv"


def parse_rijksoverheid_json(data: bytes) -> list[SchoolRow]:
    """School holidays from Rijksoverheid's open-data JSON, one row per holiday and region.

    The document holds `content` → `schoolyear` and `vacations` → `type` and `regions` →
    `region`, `startdate`, `enddate` (both days off). A holiday is known by school year and name
    (`rijksoverheid:2024-2025:Herfstvakantie`), so loading the file again changes nothing.
    """
    utf16 = data.startswith(_UTF16_BOMS)
    try:
        document = json.loads(data.decode("utf-16" if utf16 else "utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise ImportRefused(
            [
                "het JSON-bestand is geen leesbare UTF-16-tekst; is het afgebroken?"
                if utf16
                else "het JSON-bestand is geen UTF-8"
            ]
        ) from exc
    except json.JSONDecodeError as exc:
        raise ImportRefused(
            [
                f"regel {exc.lineno}, teken {exc.colno}: geen geldige JSON; is het bestand "
                "afgebroken?"
            ]
        ) from exc
    except RecursionError as exc:  # `[[[[...]]]]` deeper than Python's reader goes
        raise ImportRefused(
            [
                "geen geldige JSON: er staan te veel haakjes in elkaar; is dit het bestand van "
                "Rijksoverheid?"
            ]
        ) from exc
    problems: list[str] = []
    parsed: list[SchoolRow] = []
    for content in _school_years(document):
        year = " ".join(str(content.get("schoolyear", "")).split())
        vacations = content.get("vacations")
        for vacation in vacations if isinstance(vacations, list) else []:
            if not isinstance(vacation, dict):
                continue
            name = _holiday_name(str(vacation.get("type", "")))
            regions = vacation.get("regions")
            for region in regions if isinstance(regions, list) else []:
                if not isinstance(region, dict):
                    continue
                where = " ".join(str(region.get("region", "")).split())
                label = f"{year} {name} {where}".strip()
                start = _json_date(region.get("startdate"))
                end = _json_date(region.get("enddate"))
                if not name or not year:
                    problems.append(f"{label}: schooljaar of soort vakantie ontbreekt")
                    continue
                if start is None or end is None:
                    problems.append(
                        f"{label}: startdate '{region.get('startdate')}' of enddate "
                        f"'{region.get('enddate')}' is geen datum"
                    )
                    continue
                groups = JSON_REGIONS.get(where.lower(), (where.upper()[:10] or "?",))
                parsed.append(
                    SchoolRow(0, f"{RIJKSOVERHEID}{year}:{name}", name, start, end, groups)
                )
    if problems:
        raise ImportRefused(problems)
    if not parsed:
        raise ImportRefused(
            [
                "het JSON-bestand heeft geen schoolvakanties (verwacht de Rijksoverheid-opmaak: "
                "content → vacations → regions met startdate en enddate)"
            ]
        )
    return parsed


def parse_public_file(source: str | Path | bytes) -> list[PublicRow]:
    """Every public-holiday row; a holiday of more than one day is refused."""
    table = read_rows(source, (*PUBLIC_COLUMNS, COUNTRY))
    if wrong := other_countries(table):
        raise ImportRefused(wrong)
    problems: list[str] = []
    parsed: list[PublicRow] = []
    for line, v in table:
        name = dutch_part(v["Name"])
        if not name:
            problems.append(f"regel {line}: geen Nederlandse naam ('NL ...') in Name")
        start = _date(v["StartDate"], line, "StartDate", problems)
        if v["EndDate"] and parse_date(v["EndDate"]) != start:
            problems.append(f"regel {line}: een feestdag duurt één dag; EndDate moet leeg zijn")
            continue
        if name and start:
            parsed.append(PublicRow(line, v["Id"], name, start))
    seen: dict[dt.date, int] = {}
    for row in parsed:
        if row.date in seen:
            problems.append(f"regel {row.line}: {row.date} staat ook op regel {seen[row.date]}")
        seen[row.date] = row.line
    if problems:
        raise ImportRefused(problems)
    return parsed


def parse_region_file(source: str | Path | bytes) -> list[RegionRow]:
    """The municipality rows (provinces left out) of the holiday-region file.

    A region code other than NO, MI or ZU refuses the file with its line: counted as
    "unchanged" it would hide a typo. A municipality whose `Groups` is empty gets its
    province's (`Parent`), as a publisher may give the region only on the province's row.
    """
    rows: list[RegionRow] = []
    problems: list[str] = []
    provinces: dict[str, tuple[str, ...]] = {}
    expected = ", ".join(list(REGION_CODES)[:-1]) + f" of {list(REGION_CODES)[-1]}"
    for line, v in read_rows(source, REGION_COLUMNS):
        groups = tuple(g.strip().upper() for g in v["Groups"].split(",") if g.strip())
        for code in groups:
            if code not in REGION_CODES:
                problems.append(
                    f"regel {line}: onbekende regio '{code[:10]}' (verwacht {expected})"
                )
        category = dutch_part(v["Category"])
        if category == "provincie":
            short = v.get("ShortName", "").strip().upper() or v.get("Code", "").upper()[3:]
            provinces[short] = groups
        if category != "gemeente":
            continue
        name = dutch_part(v["Name"])
        if not name:
            problems.append(f"regel {line}: geen Nederlandse naam ('NL ...') in Name")
            continue
        rows.append(RegionRow(line, name, groups, v["Parent"].upper()))
    if problems:
        raise ImportRefused(problems)
    return [
        RegionRow(r.line, r.name, provinces[r.province], r.province, from_province=True)
        if not r.groups and provinces.get(r.province)
        else r
        for r in rows
    ]


def impossible_dates(start_on: dt.date, end_on: dt.date) -> str | None:
    """Why these dates cannot be a school holiday at all (a sentence), or None."""
    if end_on < start_on:
        return "De laatste vrije dag ligt vóór de eerste."
    if (end_on - start_on).days + 1 > MAX_POSSIBLE_DAYS:
        return "Een vakantie van meer dan negen weken kan niet kloppen."
    return None


_SCHOOL_YEAR = re.compile(r"^([0-9]{4})/([0-9]{4})$")


def outside_school_year(
    name: str, school_year: str, start_on: dt.date, end_on: dt.date
) -> str | None:
    """Why these dates cannot be this holiday because they leave its school year, or None.

    A school year runs from 1 August to 31 July (`school_year_of`); a holiday of 2028/2029 cannot
    lie in December 2026. The summer holiday closes its school year: it starts in it and may end
    in the next. One rule for the importer, confirming and correcting.
    """
    found = _SCHOOL_YEAR.match(school_year)
    if found is None or int(found.group(2)) != int(found.group(1)) + 1:
        return None  # no school year to hold the dates against
    first = int(found.group(1))
    starts_in = school_year_of(start_on) == school_year
    if starts_in and (name == SUMMER or school_year_of(end_on) == school_year):
        return None
    within = f"van 1 augustus {first} tot en met 31 juli {first + 1}"
    if name == SUMMER:
        return (
            f"Deze zomervakantie hoort bij schooljaar {school_year}. De eerste vrije dag moet "
            f"in dat schooljaar liggen: {within}."
        )
    return f"Deze vakantie hoort bij schooljaar {school_year}. Kies data {within}."


def review_problem(name: str, school_year: str, start_on: dt.date, end_on: dt.date) -> str | None:
    """Why a holiday with these dates cannot be used, confirmed or corrected, or None."""
    return impossible_dates(start_on, end_on) or outside_school_year(
        name, school_year, start_on, end_on
    )


def row_concerns(name: str, start_on: dt.date, end_on: dt.date, code: str) -> list[str]:
    """Why a school-holiday row should not be used before a person looked at it."""
    reasons: list[str] = []
    if code not in REGION_CODES:
        reasons.append(f"onbekende regio '{code}' (verwacht NO, MI of ZU)")
    if end_on < start_on:
        reasons.append("de vakantie eindigt vóór ze begint")
    elif impossible_dates(start_on, end_on):
        days = (end_on - start_on).days + 1
        reasons.append(f"{name} duurt {days} dagen; meer dan negen weken kan niet kloppen")
    else:
        days = (end_on - start_on).days + 1
        if name != SUMMER and days > MAX_DAYS:
            reasons.append(f"{name} duurt {days} dagen; meer dan drie weken is ongewoon")
        if name == SUMMER and days > MAX_SUMMER_DAYS:
            reasons.append(f"de zomervakantie duurt {days} dagen; meer dan zeven weken is ongewoon")
        if outside_school_year(name, school_year_of(start_on), start_on, end_on):
            reasons.append(
                f"{name} loopt door na 31 juli, in het volgende schooljaar; alleen de "
                "zomervakantie kan dat"
            )
    return reasons


@dataclass(frozen=True)
class YearGap:
    school_year: str
    region: str
    missing: tuple[str, ...]
    at_edge: bool

    @property
    def message(self) -> str:
        names = ", ".join(m.lower() for m in self.missing)
        text = f"Schooljaar {self.school_year}, regio {self.region}: geen {names}."
        if self.at_edge:
            text += " Het bestand begint of eindigt in dit schooljaar; vul aan met het volgende bestand."
        return text


def missing_holidays(rows: Iterable[SchoolRow]) -> list[YearGap]:
    """School years in which a region lacks one of the usual holidays.

    The first and last school year of a file are often cut off by the file itself (the real file
    starts at Christmas 2019); those are reported for information, a gap in between as a warning.
    """
    present: dict[tuple[str, str], set[str]] = defaultdict(set)
    years: set[str] = set()
    for row in rows:
        year = school_year_of(row.start_on)
        years.add(year)
        for code in row.groups:
            if code in REGION_CODES:
                present[(year, REGION_CODES[code])].add(row.name)
    if not years:
        return []
    # A file of one school year (a new year's file) has no edge: every gap is a warning.
    edges = {min(years), max(years)} if len(years) > 1 else set()
    gaps: list[YearGap] = []
    for year in sorted(years):
        for region in REGION_CODES.values():
            missing = tuple(h for h in USUAL_HOLIDAYS if h not in present[(year, region)])
            if missing:
                gaps.append(YearGap(year, region, missing, year in edges))
    return gaps


# --- Municipality names ----------------------------------------------------------------------

# The holiday-region file writes some municipalities by another name than CBS and DUO.
NAME_ALIASES = {
    "dantumadeel": "dantumadiel",
    "de friese meren": "de fryske marren",
    "tietjerksteradeel": "tytsjerksteradiel",
    "den haag": "s gravenhage",
    "den haag s gravenhage": "s gravenhage",
    "nuenen c a": "nuenen gerwen en nederwetten",
    "nuenen ca": "nuenen gerwen en nederwetten",
}
# How CBS and DUO tell same-named municipalities apart: `Bergen (NH.)`, `BERGEN LB`.
PROVINCE_SUFFIXES = {
    "NH": ("nh",),
    "LI": ("l", "lb", "li"),
}


def normalise_name(name: str) -> str:
    """Lower case, no accents, no apostrophes or punctuation: `'s-Gravenhage` → `s gravenhage`."""
    text = unicodedata.normalize("NFKD", name)
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    text = text.replace("'", "").replace("’", "")
    text = re.sub(r"[^a-z0-9]+", " ", text).strip()
    return NAME_ALIASES.get(text, text)


def name_keys(row: RegionRow, ambiguous: bool) -> list[str]:
    """Normalised names under which a municipality of the file may be known here."""
    base = normalise_name(row.name)
    keys = [f"{base} {suffix}" for suffix in PROVINCE_SUFFIXES.get(row.province, ())]
    if "(" in row.name:
        # `Den Haag('s-Gravenhage)`: both the name and the one in brackets.
        outer, inner = row.name.split("(", 1)
        keys += [normalise_name(outer), normalise_name(inner.rstrip(")"))]
    if not ambiguous:
        keys.append(base)
    return keys
