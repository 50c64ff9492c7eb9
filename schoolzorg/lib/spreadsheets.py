"""Files for spreadsheet programs: CSV as Dutch Excel opens it, and no text that runs as a formula.

Names in an export come from people (an organisation's name, a school's): a name starting with
`=`, `+`, `-`, `@`, a tab or a carriage return would run in Excel or LibreOffice as a formula
(OWASP "CSV injection"). `cell` puts an apostrophe before such text, which the spreadsheet
shows as plain text; numbers stay numbers. In a workbook, text is stored as text (`xlsx`).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def cell(value: Any) -> Any:
    """The value as a spreadsheet must show it: text that could start a formula gets an apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def csv_text(header: Sequence[Any], rows: Iterable[Sequence[Any]]) -> str:
    """A CSV that Dutch Excel opens as columns without an import wizard: a BOM (UTF-8, so names
    with accents and dashes survive), semicolons, and a decimal comma."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, delimiter=";")
    for row in (header, *rows):
        writer.writerow(
            [str(v).replace(".", ",") if isinstance(v, float) else cell(v) for v in row]
        )
    return out.getvalue()


def xlsx(
    title: str, header: Sequence[Any], rows: Iterable[Sequence[Any]], widths: Sequence[int] = ()
) -> bytes:
    """A workbook of one sheet, the header bold and frozen; every text cell stored as text."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    sheet = book.active
    sheet.title = title
    sheet.append(list(header))
    for c in sheet[1]:
        c.font = Font(bold=True)
    for row in rows:
        sheet.append(list(row))
        for c in sheet[sheet.max_row]:
            if c.data_type == "f":  # openpyxl reads any text starting with "=" as a formula
                c.data_type = "s"
    sheet.freeze_panes = "A2"
    for number, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(number)].width = width
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
