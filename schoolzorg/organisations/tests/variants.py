"""Other real shapes of a registry file, made from a real example by transformation.

What people and other publication years do to the same table: another encoding (Windows-1252,
UTF-8 with BOM, Excel's "Unicode text" in UTF-16), another separator, CRLF, every field quoted,
columns in another order, extra columns holding separators and line breaks, header names in
other case with spaces around them, blank and separator-only lines at the end, and Excel's
re-save (leading zeros gone, Dutch dates, Windows-1252, CRLF, no final newline).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from collections.abc import Callable, Sequence

Records = list[list[str]]

_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


def parse(text: str, delimiter: str = ";") -> Records:
    """The records of a text (the header first)."""
    return [r for r in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter) if r]


def write(
    records: Sequence[Sequence[str]],
    *,
    delimiter: str = ";",
    newline: str = "\n",
    quoting: int = csv.QUOTE_MINIMAL,
    final_newline: bool = True,
) -> str:
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=delimiter, lineterminator=newline, quoting=quoting)
    writer.writerows(records)
    text = out.getvalue()
    return text if final_newline else text.removesuffix(newline)


def subset(text: str, keep: Callable[[int, str], bool]) -> str:
    """The header and the physical lines `keep(index, line)` accepts (records on one line)."""
    lines = text.splitlines()
    return (
        "\n".join([lines[0], *(line for i, line in enumerate(lines[1:]) if keep(i, line))]) + "\n"
    )


def rename(text: str, names: dict[str, str], delimiter: str = ";") -> str:
    records = parse(text, delimiter)
    records[0] = [names.get(h, h) for h in records[0]]
    return write(records, delimiter=delimiter)


def drop_columns(text: str, names: Sequence[str], delimiter: str = ";") -> str:
    records = parse(text, delimiter)
    keep = [i for i, h in enumerate(records[0]) if h not in names]
    return write([[r[i] for i in keep] for r in records], delimiter=delimiter)


def excel_resave(records: Records) -> Records:
    """What Excel does to cells it thinks are numbers or dates: `0599` → `599`, ISO → d-m-yyyy."""

    def cell(value: str) -> str:
        if value.isdigit():
            return value.lstrip("0") or "0"
        if m := _ISO_DATE.match(value):
            day = dt.date(int(m[1]), int(m[2]), int(m[3]))
            return f"{day.day}-{day.month}-{day.year}"
        return value

    return [records[0], *([cell(v) for v in r] for r in records[1:])]


def variants(text: str, delimiter: str = ";") -> dict[str, bytes]:
    """Every shape of the same table that an importer must read as the same data."""
    records = parse(text, delimiter)
    header, rows = records[0], records[1:]
    order = list(reversed(range(len(header))))
    extra_value = 'met ; puntkomma, komma en "aanhalingstekens"\nop twee regels'
    return {
        "utf8": write(records).encode(),
        "utf8-bom": ("\ufeff" + write(records)).encode(),
        "cp1252": write(records).encode("cp1252"),
        "crlf": write(records, newline="\r\n").encode(),
        "comma": write(records, delimiter=",").encode(),
        "tab": write(records, delimiter="\t").encode(),
        "excel-unicode-text": ("\ufeff" + write(records, delimiter="\t", newline="\r\n")).encode(
            "utf-16-le"
        ),
        "all-quoted": write(records, quoting=csv.QUOTE_ALL).encode(),
        "columns-reversed": write([[r[i] for i in order] for r in records]).encode(),
        "extra-columns": write(
            [
                ["OPMERKING", *header, "Nog een kolom"],
                *(["x", *r, extra_value] for r in rows),
            ]
        ).encode(),
        "header-case-and-spaces": write([[f"  {h.lower()} " for h in header], *rows]).encode(),
        "trailing-empty-lines": (
            write(records) + "\n\n" + ";" * (len(header) - 1) + "\n  \n"
        ).encode(),
        "trailing-separators": write([[*r, ""] for r in records]).encode(),
        "no-final-newline": write(records, final_newline=False).encode(),
        "excel-resave": write(excel_resave(records), newline="\r\n", final_newline=False).encode(
            "cp1252"
        ),
    }


def xlsx_bytes(text: str, delimiter: str = ";") -> bytes:
    """The same table as an Excel workbook (what people upload instead of the CSV)."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for record in parse(text, delimiter):
        sheet.append(record)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def zip_bytes(name: str, data: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(name, data)
    return out.getvalue()
