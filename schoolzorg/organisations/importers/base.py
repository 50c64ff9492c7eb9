"""Shared parts of the importers: the report, refusal, readable names and bulk writes."""

from __future__ import annotations

import csv
import functools
import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection, models

from schoolzorg.lib.csvfiles import Column, CsvError, CsvFile, Problem, os_reason

REGISTRY_DIR = Path(settings.BASE_DIR) / "data" / "registries"
BATCH = 5000


class ImportRefused(Exception):
    """The file was refused as a whole; `problems` lists every bad line (or the first
    MAX_PROBLEMS of them, `omitted` counting the rest)."""

    def __init__(self, source: str, problems: Sequence[Problem], *, omitted: int = 0) -> None:
        self.source = source
        self.problems = sorted(problems, key=lambda p: p.line)
        self.omitted = omitted
        total = len(self.problems) + omitted
        super().__init__(
            f"{source}: niets ingelezen, {total} fout(en): "
            + "; ".join(str(p) for p in self.problems[:5])
        )


# The counts an import can report, as (attribute, word in the summary). Each import names the
# ones it can change: pupil counts only change a location's count, so their summary does not
# say "0 gesloten" as if this import could close a location.
NEW = ("inserted", "nieuw")
CHANGED = ("updated", "gewijzigd")
REOPENED = ("reopened", "heropend")
CLOSED = ("closed", "gesloten")
REMOVED = ("closed", "verwijderd")
SAME = ("unchanged", "ongewijzigd")


@dataclass
class ImportReport:
    source: str
    # What the counts count ("schoolvestigingen"), and which counts this import has.
    things: str = ""
    counts: tuple[tuple[str, str], ...] = (NEW, CHANGED, CLOSED, SAME)
    inserted: int = 0
    updated: int = 0
    reopened: int = 0
    closed: int = 0
    unchanged: int = 0
    rejected: list[Problem] = field(default_factory=list)
    skipped: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def summary(self) -> str:
        """ "scholen.csv (schoolvestigingen): 4 nieuw, 0 gewijzigd, 0 heropend, 0 gesloten,
        0 ongewijzigd." then the rows passed over and the notes, each on a line of its own."""
        counts = [f"{getattr(self, name)} {word}" for name, word in self.counts]
        if self.rejected:
            counts.append(f"{len(self.rejected)} regels afgewezen")
        if self.skipped:
            counts.append(f"{len(self.skipped)} overgeslagen")
        what = f" ({self.things})" if self.things else ""
        lines = [f"{self.source}{what}: " + ", ".join(counts) + "."]
        if self.rejected:
            lines.append("  Afgewezen regels:")
            lines += [f"    {p}" for p in self.rejected]
        if self.skipped:
            lines.append("  Overgeslagen:")
            lines += [f"    {p}" for p in self.skipped[:50]]
        if len(self.skipped) > 50:
            lines.append(f"    en nog {len(self.skipped) - 50} andere")
        lines += [f"  {note}" for note in self.notes]
        return "\n".join(lines)


def load_table(
    path: str | Path, *, columns: Iterable[str | Column] = (), delimiter: str | None = None
) -> CsvFile:
    """Open a registry file as a stream of rows (see `CsvFile`); unreadable input, a missing
    column or a file without data rows become ImportRefused (with line numbers)."""
    source = Path(path).name
    try:
        return CsvFile(Path(path), columns=columns, delimiter=delimiter)
    except CsvError as exc:
        raise ImportRefused(source, exc.problems) from exc
    except OSError as exc:
        raise ImportRefused(
            source, [Problem(0, f"bestand niet te openen: {os_reason(exc)}")]
        ) from exc


def refuse_on_problems(path: str | Path, table: CsvFile) -> None:
    """Refuse the file, naming every bad line, when reading or checking its rows found any."""
    if table.problem_count:
        raise ImportRefused(Path(path).name, table.problems, omitted=table.omitted)


class FirstLines:
    """Where each key of a file was first seen, so a key that comes twice is refused with both
    lines (`VESTIGINGSCODE 05NQ00 staat ook op regel 12`) instead of the last row winning."""

    def __init__(self, column: str) -> None:
        self.column = column
        self._lines: dict[str, int] = {}

    def again(self, key: str) -> str | None:
        """Why a row with `key` is refused, when an earlier (good) row had it; else None."""
        first = self._lines.get(key)
        return None if first is None else f"{self.column} {key} staat ook op regel {first}"

    def add(self, key: str, line: int) -> None:
        """Remember a good row's key (the first line wins)."""
        self._lines.setdefault(key, line)


# Removing more than this share of what earlier imports stored means the file is cut off or an
# extract, not a new edition: refused unless asked for. Removing MAX_REMOVED_FEW or fewer is
# never refused: in a tiny table (a school location of a dozen pupils) one family moving away
# is more than a tenth, and a guard that asks for the override at every import teaches people
# to always give it. The floor is small on purpose: a floor of 10 let a cut-off export end 10
# of a village school's 50 pupils without a question. A cut-off file seldom loses only a row
# or two (a line cut halfway is refused by the reader), and the next full file enrols them
# again. No absolute cap on top: a national registry's new edition rightly closes hundreds.
MAX_REMOVED_SHARE = 0.10
MAX_REMOVED_FEW = 2


def refuse_mass_removal(
    source: str,
    *,
    removing: int,
    stored: int,
    things: str,
    verb: str,
    full_file: str,
    on_purpose: str,
) -> None:
    """Refuse a file that would remove (close, unlink) more than a tenth of what is stored
    (and more than MAX_REMOVED_FEW).

    A file cut off halfway or a regional extract looks just like a registry in which much
    vanished; the command has an option (`on_purpose` names it) to do it anyway. Call it
    inside the import's transaction, before or after the writes: the refusal undoes them.
    """
    if removing > MAX_REMOVED_FEW and removing > MAX_REMOVED_SHARE * stored:
        raise ImportRefused(
            source,
            [
                Problem(
                    0,
                    f"Dit bestand zou {removing} van de {stored} {things} {verb}, omdat ze er "
                    f"niet in staan. Is het bestand afgebroken of een uittreksel? Lees dan "
                    f"{full_file} in. Of {on_purpose}.",
                )
            ],
        )


# --- Names ------------------------------------------------------------------------------------

_UPPER_WORDS = {
    "ZH",
    "NH",
    "LB",
    "NB",
    "GLD",
    "OV",
    "UT",
    "GR",
    "FR",
    "DR",
    "ZL",
    "CA",
    "II",
    "III",
}
_LOWER_WORDS = {
    "aan",
    "de",
    "den",
    "der",
    "en",
    "in",
    "op",
    "het",
    "bij",
    "van",
    "gem",
    "te",
    "ter",
}


def normalise_name(name: str) -> str:
    """`'s-Gravenhage`, `S GRAVENHAGE` and `s Gravenhage` all give `S GRAVENHAGE`."""
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().upper()
    text = re.sub(r"['’`]", "", text)
    text = re.sub(r"[-(),.]", " ", text)
    return re.sub(r"\s+", " ", text).strip()


def readable_place(name: str) -> str:
    """DUO capitals to a readable name: `HOOGVLIET ROTTERDAM` → `Hoogvliet Rotterdam`.

    `'S-GRAVENHAGE` → `'s-Gravenhage`, `2E EXLOERMOND` → `2e Exloermond`, `ROZENBURG ZH` →
    `Rozenburg ZH`; words like `aan`, `de` stay lower case inside a name.
    """
    text = name.strip()
    if not text or not text.isupper():
        return text
    words = []
    for i, word in enumerate(text.split()):
        if word in _UPPER_WORDS and i > 0:
            words.append(word)
            continue
        lower = word.lower()
        if i > 0 and lower in _LOWER_WORDS:
            words.append(lower)
            continue
        if lower.startswith(("'s-", "'t-")):
            words.append(lower[:3] + "-".join(p.capitalize() for p in lower[3:].split("-")))
            continue
        if lower in {"'s", "'t"}:
            words.append(lower)
            continue
        words.append("-".join(p[:1].upper() + p[1:] for p in lower.split("-")))
    return " ".join(words)


@functools.cache
def _municipality_registry() -> dict[str, tuple[str, str]]:
    """(DUO's spelling, readable name) by four-digit number, from `gemeenten-2024.csv`."""
    path = REGISTRY_DIR / "gemeenten-2024.csv"
    if not path.exists():  # pragma: no cover - the file ships with the code
        return {}
    with path.open(encoding="utf-8", newline="") as fh:
        return {
            r["gemeentenummer"]: (r["duo_naam"], r["naam"])
            for r in csv.DictReader(fh, delimiter=";")
        }


def municipality_names() -> dict[str, str]:
    """Readable municipality names by four-digit number, from `gemeenten-2024.csv`."""
    return {number: names[1] for number, names in _municipality_registry().items()}


def municipality_name(number: str, duo_name: str = "") -> str:
    """The best readable name for a municipality number, DUO's spelling as the fallback.

    The shipped list's name wins while DUO spells the municipality as that list does; a name
    DUO gives that the list does not know (a municipality renamed after 2024, or a number the
    list lacks) is DUO's, made readable.
    """
    known = _municipality_registry().get(number)
    duo = normalise_name(duo_name)
    if known and (not duo or duo in (normalise_name(known[0]), normalise_name(known[1]))):
        return known[1]
    if duo:
        return readable_place(duo_name)
    return f"Gemeente {number}"


# --- Bulk reads and writes ------------------------------------------------------------------------


def in_chunks[T](keys: Iterable[T], size: int = BATCH) -> Iterator[list[T]]:
    """Keys in lists small enough for one `IN (...)`.

    SQLite refuses a query with more parameters than its limit ("too many SQL variables",
    32,766 by default, lower where it was built or set so) and PostgreSQL caps them at 65,535:
    a lookup of every row of a large file is made chunk by chunk. A chunk holds at most `size`
    keys and at most half the database's limit, leaving room for the query's other parameters.
    """
    limit = connection.features.max_query_params
    if limit:
        size = max(1, min(size, limit // 2))
    batch: list[T] = []
    for key in keys:
        batch.append(key)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def is_postgres() -> bool:
    return connection.vendor == "postgresql"


def allocate_ids(model: type[models.Model], count: int) -> list[int]:
    """Reserve `count` primary keys for rows we insert with explicit ids (no per-row round trip)."""
    if count <= 0:
        return []
    table = model._meta.db_table
    pk = model._meta.pk.column
    with connection.cursor() as cursor:
        if is_postgres():
            # Table and column names come from the model, never from input.
            highest = f"(SELECT COALESCE(MAX({pk}), 0) + 1 FROM {table})"  # noqa: S608
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence(%s, %s), "
                f"GREATEST(nextval(pg_get_serial_sequence(%s, %s)), {highest}) + %s - 1)",
                [table, pk, table, pk, count],
            )
            last = int(cursor.fetchone()[0])
            return list(range(last - count + 1, last + 1))
        cursor.execute(f"SELECT COALESCE(MAX({pk}), 0) FROM {table}")  # noqa: S608
        first = int(cursor.fetchone()[0]) + 1
        return list(range(first, first + count))


def insert_rows(table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    """Insert plain value tuples: COPY on PostgreSQL, executemany in batches elsewhere."""
    n = 0
    with connection.cursor() as cursor:
        if is_postgres():
            cols = ", ".join(f'"{c}"' for c in columns)
            with cursor.cursor.copy(f'COPY "{table}" ({cols}) FROM STDIN') as copy:
                for row in rows:
                    copy.write_row(row)
                    n += 1
            return n
        sql = (
            f'INSERT INTO "{table}" ({", ".join(chr(34) + c + chr(34) for c in columns)}) '  # noqa: S608
            f"VALUES ({', '.join(['%s'] * len(columns))})"
        )
        batch: list[Sequence[Any]] = []
        for row in rows:
            batch.append(row)
            if len(batch) >= BATCH:
                cursor.executemany(sql, batch)
                n += len(batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)
            n += len(batch)
    return n


def insert_objects(model: type[models.Model], objs: Sequence[models.Model]) -> int:
    """Insert the model's own table part of unsaved instances that already carry their pk.

    For multi-table inheritance, call it for the parent model first, then the child: both read
    their fields from the same child instances.
    """
    fields = [f for f in model._meta.local_concrete_fields]
    columns = [str(f.column) for f in fields]

    def values(obj: models.Model) -> list[Any]:
        out = []
        for f in fields:
            value = f.pre_save(obj, True)
            out.append(value if is_postgres() else f.get_db_prep_save(value, connection))
        return out

    return insert_rows(model._meta.db_table, columns, (values(o) for o in objs))


def create_organisations(model: type[models.Model], objs: Sequence[models.Model]) -> None:
    """Bulk-create organisations of a kind (multi-table inheritance): ids first, then both tables."""
    from schoolzorg.organisations.models import Organisation

    ids = allocate_ids(Organisation, len(objs))
    for obj, pk in zip(objs, ids, strict=True):
        obj.pk = pk
        obj.id = pk  # type: ignore[attr-defined]
        obj.organisation_ptr_id = pk  # type: ignore[attr-defined]
        obj._state.adding = False
    insert_objects(Organisation, objs)
    insert_objects(model, objs)


def run_import(stdout: Any, call: Any, *args: Any, **kwargs: Any) -> ImportReport:
    """Run an importer for a management command: print the summary, or every bad line."""
    from django.core.management.base import CommandError

    try:
        report: ImportReport = call(*args, **kwargs)
    except ImportRefused as exc:
        # Each reason on a line of its own under the file's name, as the calendar commands do:
        # a line's reason starts "regel 12:", one about the whole file is a sentence of its own.
        lines = [f"{exc.source}: het bestand is geweigerd, er is niets ingelezen."]
        lines += [f"  {p}" for p in exc.problems]
        if exc.omitted:
            lines.append(f"  en nog {exc.omitted} regels met fouten")
        raise CommandError("\n".join(lines)) from exc
    stdout.write(report.summary())
    return report


def update_objects(
    model: type[models.Model], objs: Sequence[models.Model], names: list[str]
) -> int:
    """Write the named fields of saved instances with one prepared UPDATE per table (executemany).

    Much faster than `bulk_update`'s CASE expressions for thousands of rows; parent-table fields
    of multi-table inheritance are written to the parent's table.
    """
    if not objs:
        return 0
    per_table: dict[str, list[Any]] = {}
    for name in names:
        f = model._meta.get_field(name)
        per_table.setdefault(f.model._meta.db_table, []).append(f)
    with connection.cursor() as cursor:
        for table, fields in per_table.items():
            owner = fields[0].model
            pk_column = owner._meta.pk.column
            sets = ", ".join(f'"{f.column}" = %s' for f in fields)
            sql = f'UPDATE "{table}" SET {sets} WHERE "{pk_column}" = %s'  # noqa: S608
            params = [
                [f.get_db_prep_save(getattr(o, f.attname), connection) for f in fields] + [o.pk]
                for o in objs
            ]
            for start in range(0, len(params), BATCH):
                cursor.executemany(sql, params[start : start + BATCH])
    return len(objs)
