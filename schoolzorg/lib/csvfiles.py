"""Reading the CSV files Dutch registries publish: pure Python, no models.

DUO, CBS and the ministries publish `;`- or `,`-separated files in UTF-8 (with or without BOM) or in
Windows-1252, and people re-save them in Excel (Windows-1252 or UTF-8 with BOM, CRLF or, on a
Mac, CR alone, sometimes tab-separated UTF-16 "Unicode text", sometimes with Excel's `sep=;`
first line, which is skipped and names the separator). Codes must stay text (`0599`, `BU0363AA01`), a single space
means an empty cell, and every problem is reported with the line it was found on, so a person can
fix the file.

`CsvFile` reads a file as a stream: the whole file is checked once for its kind and encoding
(chunk by chunk), then rows are read one at a time, so a file of millions of addresses never sits
in memory. Column names are matched loosely (`column_key`): case, spaces around the name, and `_`,
`-` or a space between words do not matter, so `BEVOEGD_GEZAG_NUMMER`, `Bevoegd gezag nummer`
and `BEVOEGD GEZAG NUMMER` are one column; an importer may name other years' names as aliases. A
header that names one column twice (so compared) is refused: which of the two to read would be
a guess.
"""

from __future__ import annotations

import codecs
import csv
import errno
import io
import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

# Bytes that Windows-1252 leaves undefined: a file holding them is not Windows-1252 either.
_CP1252_UNDEFINED = frozenset({0x81, 0x8D, 0x8F, 0x90, 0x9D})
_CP1252_UNDEFINED_RE = re.compile(b"[\x81\x8d\x8f\x90\x9d]")
CHUNK = 1 << 20
MAX_LINE = 1 << 20  # one line of more than 1 MB is no registry table
MAX_PROBLEMS = 500  # bad lines kept with their reason; the rest are only counted
DELIMITERS = (";", ",", "\t", "|")

# csv's default limit on one field is 128 kB; keep a generous but finite one.
csv.field_size_limit(MAX_LINE)

Source = str | Path | bytes


@dataclass(frozen=True)
class Problem:
    """One bad line: where and why, in plain Dutch."""

    line: int
    reason: str

    def __str__(self) -> str:
        return f"regel {self.line}: {self.reason}" if self.line else self.reason


# What the operating system says when a file cannot be opened, in words for the user.
_OS_REASONS = {
    errno.ENOENT: "het bestand bestaat niet; controleer de naam en de map",
    errno.EISDIR: "dit is een map, geen bestand",
    errno.ENOTDIR: "een deel van het pad is geen map",
    errno.EACCES: "u hebt geen rechten om dit bestand te lezen",
    errno.EPERM: "u hebt geen rechten om dit bestand te lezen",
    errno.ENAMETOOLONG: "de naam van het bestand is te lang",
    errno.ELOOP: "het pad verwijst naar zichzelf",
}


def os_reason(exc: OSError) -> str:
    """Why a file cannot be opened, in Dutch (not the operating system's English message)."""
    found = _OS_REASONS.get(exc.errno or 0)
    if found is not None:
        return found
    return f"het bestand kan niet worden gelezen (systeemfout {exc.errno or 'onbekend'})"


class CsvError(Exception):
    """The file cannot be read as a table; `problems` lists every bad line."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = list(problems)
        super().__init__("; ".join(str(p) for p in self.problems[:10]))


@dataclass(frozen=True)
class Column:
    """A column an importer reads: its name, other years' names for it, and whether it must be there."""

    name: str
    aliases: tuple[str, ...] = ()
    required: bool = True


def column_key(name: str) -> str:
    """A column name as compared: `  Bevoegd_Gezag-Nummer ` and `BEVOEGD GEZAG NUMMER` are equal.

    Accents, case, BOMs and surrounding quotes or spaces do not count; `_`, `-`, `.` and spaces
    between words all count as one space, and so does the step from letters to a year or number
    (`Buurt2024` → `buurt 2024`, `PC6` → `pc 6`).
    """
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    text = re.sub(r"(?<=[a-z])(?=[0-9])", " ", text)
    return re.sub(r"[^a-z0-9<>]+", " ", text).strip()


def _matches(key: str, alias: str, *, numbered: bool) -> bool:
    """`alias` is the column, or (numbered) the column with a number after it (`codering 3`)."""
    if key == alias:
        return True
    return numbered and key.startswith(alias + " ") and key[len(alias) + 1 :].isdigit()


@dataclass(frozen=True)
class Row:
    """One data row: `line` is the (1-based) line where the record starts; values keyed by column.

    Values are keyed by the file's own column names and also by the name the importer asked for
    (`Column.name`), whichever alias the file used.
    """

    line: int
    values: dict[str, str]

    def __getitem__(self, column: str) -> str:
        return self.values[column]

    def get(self, column: str, default: str = "") -> str:
        return self.values.get(column, default)


# --- What kind of file is it? --------------------------------------------------------------------

_MAGIC: list[tuple[bytes, str]] = [
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "dit is een oud Excel-bestand (.xls), geen CSV-bestand"),
    (
        b"\x1f\x8b",
        "dit is een met gzip ingepakt bestand (.gz), geen CSV-bestand; pak het eerst uit",
    ),
    (b"%PDF", "dit is een PDF, geen CSV-bestand"),
    (b"\x89PNG", "dit is een afbeelding (PNG), geen CSV-bestand"),
    (b"\xff\xd8\xff", "dit is een afbeelding (JPEG), geen CSV-bestand"),
    (b"7z\xbc\xaf", "dit is een 7-Zip-archief, geen CSV-bestand; pak het eerst uit"),
    (b"Rar!", "dit is een RAR-archief, geen CSV-bestand; pak het eerst uit"),
]
SAVE_AS_CSV = (
    "open het in Excel of LibreOffice en kies Opslaan als > CSV UTF-8 (gescheiden door "
    "puntkomma of komma)"
)


def _binary_kind(head: bytes) -> str | None:
    """Why the first bytes show this is no CSV text, or None when they might be."""
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        if b"xl/" in head or b"[Content_Types].xml" in head:
            return f"dit is een Excel-werkmap (.xlsx), geen CSV-bestand; {SAVE_AS_CSV}"
        if b"opendocument.spreadsheet" in head:
            return f"dit is een OpenDocument-rekenblad (.ods), geen CSV-bestand; {SAVE_AS_CSV}"
        return (
            "dit is een zip-bestand, geen CSV-bestand; pak het eerst uit en lees het CSV-bestand in"
        )
    for magic, reason in _MAGIC:
        if head.startswith(magic):
            return f"{reason}; {SAVE_AS_CSV}" if "Excel" in reason else reason
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")[:200].lower()
    if text.startswith((b"<!doctype html", b"<html", b"<head", b"<body")):
        return (
            "dit is een webpagina (HTML), geen CSV-bestand; download het bestand zelf "
            "(niet de pagina waarop het staat)"
        )
    if text.startswith(b"<?xml"):
        return "dit is een XML-bestand, geen CSV-bestand"
    if text.startswith((b"{", b"[{", b"[\n", b"[\r", b"[ ")):
        return "dit is een JSON-bestand, geen CSV-bestand"
    return None


@dataclass
class _Scan:
    """What one pass over the bytes found: encoding, lines, and lines that are no text."""

    encoding: str = "utf-8"
    lines: int = 0
    content_lines: int = 0  # lines holding more than separators, quotes and spaces (up to 3)
    utf8_text: bool = False  # some non-ASCII text that is valid UTF-8
    not_utf8: list[int] = field(default_factory=list)
    not_utf8_count: int = 0
    undefined: list[int] = field(default_factory=list)
    undefined_count: int = 0


_BLANK = b" \t\r\n;,|\"'\x00"
# A line ends in CRLF (Windows), LF (Unix) or CR alone (old Mac, still written by Excel for Mac's
# "CSV (Macintosh)"); the csv reader takes all three, so the check counts all three.
_LINE_END = re.compile(rb"\r\n|\r|\n")
_TEXT_LINE_END = re.compile(r"\r\n|\r|\n")


def _line_ends(data: bytes | str) -> int:
    """How many lines end in `data`: CRLF counted once."""
    if isinstance(data, bytes):
        return data.count(b"\n") + data.count(b"\r") - data.count(b"\r\n")
    return data.count("\n") + data.count("\r") - data.count("\r\n")


def _last_line_end(data: bytes) -> int:
    """Where the last whole line of `data` ends (0: none). A CR as the last byte is left for the
    next chunk, where an LF may follow it (one CRLF, not two line ends)."""
    return max(data.rfind(b"\n"), data.rfind(b"\r", 0, len(data) - 1)) + 1


def _open_binary(source: Source) -> IO[bytes]:
    return io.BytesIO(source) if isinstance(source, bytes) else Path(source).open("rb")


def _scan(source: Source) -> _Scan:
    """Check the whole file chunk by chunk (bounded memory); raise CsvError when it is no text."""
    scan = _Scan()
    with _open_binary(source) as fh:
        head = fh.read(CHUNK)
        if not head.strip(b" \t\r\n\x00\xef\xbb\xbf\xff\xfe"):
            raise CsvError([Problem(1, "het bestand is leeg")])
        if reason := _binary_kind(head):
            raise CsvError([Problem(0, reason)])
        if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            scan.encoding = "utf-16"
            _scan_utf16(fh, head, scan)
            return scan
        if head.startswith(codecs.BOM_UTF8):
            scan.encoding = "utf-8-sig"
        carry = b""
        chunk = head
        while chunk:
            data = carry + chunk
            cut = _last_line_end(data)
            if cut == 0:
                if len(data) > MAX_LINE:
                    raise CsvError(
                        [
                            Problem(
                                scan.lines + 1,
                                "deze regel is langer dan 1 MB; is dit wel een CSV-bestand?",
                            )
                        ]
                    )
                carry = data
            else:
                _scan_lines(data[:cut], scan)
                carry = data[cut:]
            chunk = fh.read(CHUNK)
        if carry:
            _scan_lines(carry, scan)
    if scan.not_utf8_count and scan.utf8_text:
        raise CsvError(
            [
                Problem(
                    n,
                    "deze regel is geen UTF-8, de rest van het bestand wel; sla het "
                    "bestand opnieuw op als UTF-8",
                )
                for n in scan.not_utf8
            ]
            + _more(scan.not_utf8_count - len(scan.not_utf8))
        )
    if scan.not_utf8_count:
        if scan.undefined_count:
            raise CsvError(
                [
                    Problem(n, "tekens die geen UTF-8 en geen Windows-1252 zijn")
                    for n in scan.undefined
                ]
                + _more(scan.undefined_count - len(scan.undefined))
            )
        scan.encoding = "cp1252"
    return scan


def _more(count: int) -> list[Problem]:
    return [Problem(0, f"... en nog {count} regels met dezelfde fout")] if count > 0 else []


def _scan_lines(data: bytes, scan: _Scan) -> None:
    """Scan whole lines (`data` ends at a line end, or at the end of the file)."""
    first = scan.lines + 1
    if b"\x00" in data:
        line = first + _line_ends(data[: data.index(b"\x00")])
        raise CsvError(
            [
                Problem(
                    line,
                    "het bestand bevat NUL-tekens en is dus geen CSV-tekstbestand (misschien "
                    "UTF-16 zonder BOM, of een ander soort bestand); sla het op als CSV UTF-8",
                )
            ]
        )
    if scan.content_lines < 3:  # a `sep=` line, the header and a data row
        for raw in _LINE_END.split(data):
            if raw.strip(_BLANK):
                scan.content_lines += 1
                if scan.content_lines >= 3:
                    break
    try:
        data.decode("utf-8")
        if not data.isascii():
            scan.utf8_text = True
    except UnicodeDecodeError:
        for n, raw in enumerate(_LINE_END.split(data), start=first):
            try:
                raw.decode("utf-8")
                if not raw.isascii():
                    scan.utf8_text = True
                continue
            except UnicodeDecodeError:
                pass
            scan.not_utf8_count += 1
            if len(scan.not_utf8) < MAX_PROBLEMS:
                scan.not_utf8.append(n)
            if _CP1252_UNDEFINED_RE.search(raw):
                scan.undefined_count += 1
                if len(scan.undefined) < MAX_PROBLEMS:
                    scan.undefined.append(n)
    scan.lines += _line_ends(data)


UTF16_BROKEN = "onleesbare UTF-16-tekst; sla het bestand opnieuw op als CSV UTF-8"
UTF16_TRUNCATED = "onleesbare UTF-16-tekst; is het bestand afgebroken?"


def _scan_utf16(fh: IO[bytes], head: bytes, scan: _Scan) -> None:
    """Decode the whole file once; a bad or cut-off character is refused with its line.

    The last call is `final`: a file cut in the middle of a character (an odd number of bytes)
    is refused here, not when its rows are read.
    """
    decoder = codecs.getincrementaldecoder("utf-16")()
    chunk = head
    ended_in_cr = False  # a CR last in a text is counted with the next: it may be a CRLF
    while True:
        final = not chunk
        state = decoder.getstate()
        try:
            text = decoder.decode(chunk, final=final)
        except UnicodeDecodeError as exc:
            decoder.setstate(state)  # decode again up to the bad character, to count its line
            good = decoder.decode(chunk[: max(exc.start - len(state[0]), 0)])
            line = scan.lines + _line_ends(good) + 1
            raise CsvError([Problem(line, UTF16_TRUNCATED if final else UTF16_BROKEN)]) from exc
        if ended_in_cr and not text.startswith("\n") and (text or final):
            scan.lines += 1  # the CR that ended the last text was a line end of its own
        if text:
            ended_in_cr = text.endswith("\r")
            scan.lines += _line_ends(text[:-1] if ended_in_cr else text)
        if scan.content_lines < 3:
            scan.content_lines += sum(
                1 for line in _TEXT_LINE_END.split(text) if line.strip(" \t\r;,|\"'")
            )
        if final:
            return
        chunk = fh.read(CHUNK)


# Excel writes (and reads) `sep=;` as the first line of a CSV file to name its separator.
_SEP_HINT = re.compile(r"^\ufeff?sep=([;,\t|])[ \t]*\r?\n?$", re.IGNORECASE)


def sniff_delimiter(header_line: str) -> str:
    """The separator that splits the header into most columns, outside quotes (`;` on a tie)."""
    counts = dict.fromkeys(DELIMITERS, 0)
    quoted = False
    for char in header_line:
        if char == '"':
            quoted = not quoted
        elif not quoted and char in counts:
            counts[char] += 1
    best = max(DELIMITERS, key=lambda d: (counts[d], -DELIMITERS.index(d)))
    return best if counts[best] else ";"


def clean(value: str) -> str:
    """A cell as text: surrounding whitespace removed, so a lone space becomes empty."""
    return value.strip()


def decode(data: bytes) -> tuple[str, str]:
    """Return (text, encoding) of a small file: UTF-8 (BOM removed), UTF-16 with BOM, or
    Windows-1252. Raises CsvError naming the lines that are neither."""
    scan = _scan(data)
    return data.decode(scan.encoding), "utf-8" if scan.encoding == "utf-8-sig" else scan.encoding


class CsvFile:
    """A registry CSV file, read row by row.

    Opening checks the whole file (kind, encoding, not empty, not only a header) and reads the
    header; it raises CsvError when the file cannot be read as a table or a required column is
    missing. Iterating yields the good rows; rows with too few or too many fields (and lines the
    csv parser cannot read) go to `problems` with their line number. An importer adds its own
    row problems with `reject`, so that one capped list names them all: the first
    `MAX_PROBLEMS` are kept, `problem_count` counts every one.
    """

    def __init__(
        self,
        source: Source,
        *,
        columns: Iterable[str | Column] = (),
        delimiter: str | None = None,
    ) -> None:
        self.source = source
        scan = _scan(source)
        self.encoding = "utf-8" if scan.encoding == "utf-8-sig" else scan.encoding
        self._text_encoding = scan.encoding
        self.problems: list[Problem] = []
        self.problem_count = 0
        self.rows_read = 0
        if scan.content_lines == 0:
            raise CsvError([Problem(1, "het bestand is leeg")])
        self.header: list[str] = []
        self.header_line = 0
        self.delimiter = delimiter or ";"
        self._hint_line = 0  # the line of Excel's `sep=;` hint, skipped when reading
        self._read_header(delimiter)
        if not any(self.header):
            raise CsvError([Problem(1, "het bestand is leeg")])
        if repeated := _repeated_columns(self.header):
            raise CsvError([Problem(self.header_line, reason) for reason in repeated])
        self.columns: dict[str, str] = {}
        missing: list[str] = []
        for spec in columns:
            col = spec if isinstance(spec, Column) else Column(spec)
            found = self.find(col.name, *col.aliases)
            if found is not None:
                self.columns[col.name] = found
            elif col.required:
                missing.append(col.name)
        if missing:
            found_names = ", ".join(h for h in self.header if h) or "geen"
            raise CsvError(
                [
                    Problem(
                        self.header_line,
                        f"kolom(men) ontbreken: {', '.join(missing)} "
                        f"(gevonden: {found_names}; scheidingsteken "
                        f"'{_delimiter_name(self.delimiter)}')",
                    )
                ]
            )
        if scan.content_lines < 2 + (1 if self._hint_line else 0):
            raise CsvError(
                [
                    Problem(
                        self.header_line + 1,
                        "het bestand heeft alleen een kopregel, geen gegevens",
                    )
                ]
            )
        self._extra = {name: actual for name, actual in self.columns.items() if name != actual}

    # -- reading -------------------------------------------------------------------------------

    def _text(self) -> IO[str]:
        binary = _open_binary(self.source)
        return io.TextIOWrapper(binary, encoding=self._text_encoding, newline="")

    def _read_header(self, delimiter: str | None) -> None:
        with self._text() as text:
            number, first = next(
                ((n, line) for n, line in enumerate(text, 1) if line.strip(" \t\r\n;,|\"'")),
                (0, ""),
            )
            if hint := _SEP_HINT.match(first):
                # Excel's `sep=;` first line names the separator; the header comes after it.
                self._hint_line = number
                first = hint.group(1)
            self.delimiter = delimiter or sniff_delimiter(first)
        for record, start, _ in self._records(header=True):
            self.header = [clean(h.replace("\ufeff", "")) for h in record]
            self.header_line = start
            return

    def _records(self, *, header: bool = False) -> Iterator[tuple[list[str], int, int]]:
        """(fields, first line, last line) of every non-blank record, the header included.

        A line the csv parser cannot read becomes a problem and reading goes on after it.
        """
        with self._text() as text:
            reader = csv.reader(text, delimiter=self.delimiter, quotechar='"', strict=True)
            last = 0
            while True:
                try:
                    record = next(reader)
                except StopIteration:
                    return
                except csv.Error as exc:
                    self.reject(last + 1, f"onleesbare regel ({_csv_reason(exc)})")
                    last = reader.line_num
                    continue
                except UnicodeDecodeError:
                    # The check on opening read the whole file; only a file changed since can
                    # get here. Refuse it rather than read on past a break.
                    self.reject(
                        last + 1,
                        "onleesbare tekst; is het bestand afgebroken of intussen veranderd?",
                    )
                    return
                start, last = last + 1, reader.line_num
                if not "".join(record).strip() or start == self._hint_line:
                    continue  # a blank line, one of separators only, or the `sep=` hint
                yield record, start, last
                if header:
                    return

    def __iter__(self) -> Iterator[Row]:
        header = self.header
        width = max((i + 1 for i, h in enumerate(header) if h), default=0)
        named = [(i, h) for i, h in enumerate(header) if h]
        extra = self._extra
        size = len(header)
        simple = len(named) == size and len(set(header)) == size  # every column named once
        first = True
        for record, start, _ in self._records():
            if first:  # the header itself
                first = False
                continue
            self.rows_read += 1
            if len(record) != len(header) and not _only_empty_beyond(record, width):
                kind = "te weinig" if len(record) < width else "te veel"
                self.reject(
                    start,
                    f"{kind} velden ({len(record)} in plaats van {len(header)}); "
                    "is de regel afgebroken of staat er een scheidingsteken in een waarde?",
                )
                continue
            if simple and len(record) == size:
                values = dict(zip(header, map(str.strip, record), strict=True))
            else:
                values = {h: clean(record[i]) if i < len(record) else "" for i, h in named}
            for name, actual in extra.items():
                values[name] = values[actual]
            yield Row(start, values)

    # -- columns and problems ----------------------------------------------------------------

    def find(self, *names: str, exact: bool = True, numbered: bool = True) -> str | None:
        """The file's name of the first of `names` it has (compared by `column_key`).

        An exact match wins; then a match with a number after the name (`Codering_3`,
        `Buurt2019`) for the names in order. `exact` or `numbered` False leaves that kind out.
        """
        keys = [(column_key(h), h) for h in self.header if h]
        wanted = [column_key(n) for n in names]
        for with_number in [kind for kind, on in ((False, exact), (True, numbered)) if on]:
            for alias in wanted:
                for key, actual in keys:
                    if _matches(key, alias, numbered=with_number):
                        return actual
        return None

    def has(self, name: str) -> bool:
        """Whether the column asked for as `name` is in the file."""
        return name in self.columns

    @property
    def unused_columns(self) -> list[str]:
        """The file's named columns that no `Column` asked for, in the file's order.

        Only meaningful for an importer that reads every column through `columns`: one that
        looks columns up later with `find` reads some of these too.
        """
        used = set(self.columns.values())
        return [h for h in self.header if h and h not in used]

    def reject(self, line: int, reason: str) -> None:
        """Note a bad line; the first MAX_PROBLEMS are kept, all are counted."""
        self.problem_count += 1
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(Problem(line, reason))

    @property
    def omitted(self) -> int:
        """Bad lines counted but not kept in `problems`."""
        return self.problem_count - len(self.problems)


def _repeated_columns(header: list[str]) -> list[str]:
    """Why the header cannot be read: a column named twice, also in two spellings that compare
    equal (`Name` and `NAME`); which of them would be read is a guess."""
    spellings: dict[str, list[str]] = {}
    for name in header:
        if name:
            spellings.setdefault(column_key(name), []).append(name)
    reasons = []
    for names in spellings.values():
        if len(names) < 2:
            continue
        times = "twee keer" if len(names) == 2 else f"{len(names)} keer"
        written = sorted(set(names), key=names.index)
        listed = ", ".join(written[:-1]) + f" en {written[-1]}"
        how = f" (als {listed})" if len(written) > 1 else ""
        reasons.append(f"kolom {names[0]} staat {times} in de kopregel{how}")
    return reasons


def _only_empty_beyond(record: list[str], width: int) -> bool:
    """A record that has every named column and only empty fields after them (Excel's `;;;`)."""
    return len(record) >= width and not any(v.strip() for v in record[width:])


def _delimiter_name(delimiter: str) -> str:
    return {"\t": "tab"}.get(delimiter, delimiter)


def _csv_reason(exc: csv.Error) -> str:
    text = str(exc)
    if "unexpected end of data" in text:
        return "een veld tussen aanhalingstekens wordt niet gesloten; is het bestand afgebroken?"
    if "field larger than field limit" in text:
        return "een veld is langer dan 1 MB; staat er ergens een losse aanhalingsteken?"
    if "expected" in text and "after" in text:
        return "na een aanhalingsteken dat een veld sluit komt geen scheidingsteken"
    return text


# --- The whole table at once (small files, tests) ---------------------------------------------------


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


def read_csv(
    source: Source,
    *,
    delimiter: str | None = None,
    required: Iterable[str] = (),
) -> Table:
    """Read a whole (small) CSV file into rows with line numbers; see `CsvFile`."""
    table = CsvFile(source, columns=list(required), delimiter=delimiter)
    rows = list(table)
    return Table(
        header=table.header,
        rows=rows,
        encoding=table.encoding,
        delimiter=table.delimiter,
        problems=table.problems + _more(table.omitted),
    )
