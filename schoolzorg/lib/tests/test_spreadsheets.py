from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook

from schoolzorg.lib import spreadsheets


@pytest.mark.parametrize(
    "text", ['=HYPERLINK("http://evil.example","x")', "+31 6", "-1+1", "@SUM(A1)", "\t=1", "\r=1"]
)
def test_text_that_could_start_a_formula_gets_an_apostrophe(text: str) -> None:
    assert spreadsheets.cell(text) == "'" + text


@pytest.mark.parametrize("value", ["De Regenboog", "‘s-Gravenzande", "<5", "", 12, -3, 2.5, None])
def test_other_values_pass_unchanged(value: object) -> None:
    assert spreadsheets.cell(value) == value


def test_the_csv_has_a_bom_semicolons_a_decimal_comma_and_no_formula() -> None:
    text = spreadsheets.csv_text(["naam", "uren"], [["=1+1", 2.5], ["Zoë – school", 3]])
    assert text.startswith("\ufeffnaam;uren\r\n")
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff")), delimiter=";"))
    assert rows[1:] == [["'=1+1", "2,5"], ["Zoë – school", "3"]]


def test_the_workbook_keeps_text_as_text_and_numbers_as_numbers() -> None:
    body = spreadsheets.xlsx(
        "Blad", ["naam", "aantal"], [['=HYPERLINK("http://x","y")', 7]], (20, 8)
    )
    sheet = load_workbook(io.BytesIO(body)).active
    name, number = sheet.cell(2, 1), sheet.cell(2, 2)
    assert (name.value, name.data_type) == ('=HYPERLINK("http://x","y")', "s")
    assert (number.value, number.data_type) == (7, "n")
    assert sheet.title == "Blad" and sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["A"].width == 20
