"""Reading the CSV files Dutch registries publish: pure Python, no models.

DUO, CBS and the ministries publish `;`- or `,`-separated files in UTF-8 (with or without BOM) or in
Windows-1252. Codes must stay text (`0599`, `BU0363AA01`), a single space means an empty cell, and
every problem is reported with the line it was found on, so a person can fix the file.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

# Bytes that Windows-1252 leaves undefined: a file holding them is not Windows-1252 either.
_CP1252_UNDEFINED = {0x81, 0x8D, 0x8F, 0x90, 0x9D}


@dataclass(frozen=True)
class Problem:
    """One bad line: where and why, in plain Dutch."""

    line: int
    reason: str

    def __str__(self) -> str:
        return f"regel {self.line}: {self.reason}" if self.line else self.reason


class CsvError(Exception):
    """The file cannot be read as a table; `problems` lists every bad line."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = list(problems)
        super().__init__("; ".join(str(p) for p in self.problems[:10]))


@dataclass(frozen=True)
class Row:
    """One data row: `line` is the (1-based) line where the record starts; values keyed by column."""

    line: int
    values: dict[str, str]

    def __getitem__(self, column: str) -> str:
        return self.values[column]

    def get(self, column: str, default: str = "") -> str:
        return self.values.get(column, default)


@dataclass
class Table:
    header: list[str]
    rows: list[Row]
    encoding: str
    delimiter: str
    problems: list[Problem] = field(default_factory=list)

    def __iter__(self) -> Iterator[Row]:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)


def decode(data: bytes) -> tuple[str, str]:
    """Return (text, encoding): UTF-8 (BOM removed) when valid, else Windows-1252.

    Raises CsvError naming the lines that are neither (NUL bytes, e.g. UTF-16, or bytes that
    Windows-1252 leaves undefined).
    """
    if b"\x00" in data:
        line = data[: data.index(b"\x00")].count(b"\n") + 1
        raise CsvError(
            [Problem(line, "het bestand bevat NUL-tekens; sla het op als UTF-8 (geen UTF-16)")]
        )
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        pass
    problems = [
        Problem(n, "tekens die geen UTF-8 en geen Windows-1252 zijn")
        for n, raw in enumerate(data.split(b"\n"), start=1)
        if any(b in _CP1252_UNDEFINED for b in raw)
    ]
    if problems:
        raise CsvError(problems)
    return data.decode("cp1252"), "cp1252"


def sniff_delimiter(header_line: str) -> str:
    """`;` or `,`, whichever splits the header into more columns (`;` on a tie)."""
    return "," if header_line.count(",") > header_line.count(";") else ";"


def clean(value: str) -> str:
    """A cell as text: surrounding whitespace removed, so a lone space becomes empty."""
    return value.strip()


def read_csv(
    source: str | Path | bytes,
    *,
    delimiter: str | None = None,
    required: Iterable[str] = (),
) -> Table:
    """Read a whole CSV file into rows with line numbers.

    Every row must have as many fields as the header; rows with too few or too many are reported
    (each with its line number) and left out of `rows`, in `problems`. Missing `required` columns
    and undecodable bytes raise CsvError at once. Values are stripped text; nothing is converted.
    """
    data = source if isinstance(source, bytes) else Path(source).read_bytes()
    text, encoding = decode(data)
    if not text.strip():
        raise CsvError([Problem(1, "het bestand is leeg")])
    first_line = text.lstrip("\ufeff").split("\n", 1)[0]
    sep = delimiter or sniff_delimiter(first_line)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sep, quotechar='"', strict=True)
    header: list[str] = []
    rows: list[Row] = []
    problems: list[Problem] = []
    last_line = 0
    try:
        for record in reader:
            start = last_line + 1
            last_line = reader.line_num
            if not header:
                header = [clean(h) for h in record]
                missing = [c for c in required if c not in header]
                if missing:
                    found = ", ".join(h for h in header if h) or "geen"
                    raise CsvError(
                        [
                            Problem(
                                1,
                                f"kolom(men) ontbreken: {', '.join(missing)} "
                                f"(gevonden: {found}; scheidingsteken '{sep}')",
                            )
                        ]
                    )
                continue
            if not record or (len(record) == 1 and not record[0].strip()):
                continue  # blank line
            if len(record) != len(header):
                kind = "te weinig" if len(record) < len(header) else "te veel"
                problems.append(
                    Problem(
                        start,
                        f"{kind} velden ({len(record)} in plaats van {len(header)}); "
                        "is de regel afgebroken of staat er een scheidingsteken in een waarde?",
                    )
                )
                continue
            rows.append(Row(start, {h: clean(v) for h, v in zip(header, record, strict=True)}))
    except csv.Error as exc:
        problems.append(Problem(last_line + 1, f"onleesbare regel ({exc})"))
    return Table(header=header, rows=rows, encoding=encoding, delimiter=sep, problems=problems)
