"""The CSV reader: encodings, separators, quoting, empty cells, line numbers."""

from __future__ import annotations

from pathlib import Path

import pytest

from schoolzorg.lib.csvfiles import CsvError, CsvFile, read_csv


def test_utf8_with_bom_semicolons_and_single_space_as_empty() -> None:
    table = read_csv("\ufeffcode;naam;leeg\n0599;Rotterdam; \n".encode())
    assert table.encoding == "utf-8"
    assert table.delimiter == ";"
    assert table.header == ["code", "naam", "leeg"]
    [row] = table.rows
    assert row.line == 2
    assert row.values == {"code": "0599", "naam": "Rotterdam", "leeg": ""}


def test_windows_1252_is_decoded() -> None:
    table = read_csv("naam;plaats\nCafé;Súdwest\n".encode("cp1252"))
    assert table.encoding == "cp1252"
    assert table.rows[0]["naam"] == "Café"


def test_comma_separated_with_quoted_comma_keeps_codes_as_text() -> None:
    table = read_csv(b'Identifier,Title\nBU0363AA01,"Burgwallen, oost"\nBU00340000,Stad\n')
    assert table.delimiter == ","
    assert [r["Identifier"] for r in table] == ["BU0363AA01", "BU00340000"]
    assert table.rows[0]["Title"] == "Burgwallen, oost"


def test_declared_delimiter_wins() -> None:
    table = read_csv(b"a,b;c\n1,2;3\n", delimiter=";")
    assert table.header == ["a,b", "c"]


def test_rows_with_too_few_or_too_many_fields_are_reported_with_their_line() -> None:
    table = read_csv(b"a;b;c\n1;2;3\n1;2\n\n1;2;3;4\n")
    assert [r.line for r in table.rows] == [2]
    assert [(p.line, p.reason.split(" ")[1]) for p in table.problems] == [
        (3, "weinig"),
        (5, "veel"),
    ]


def test_line_numbers_count_physical_lines_inside_quotes() -> None:
    table = read_csv(b'a;b\n1;"twee\nregels"\n3;4\n')
    assert [r.line for r in table.rows] == [2, 4]


def test_missing_required_column_is_refused_on_line_1() -> None:
    with pytest.raises(CsvError) as exc:
        read_csv(b"a;b\n1;2\n", required=["a", "c"])
    assert exc.value.problems[0].line == 1
    assert "c" in exc.value.problems[0].reason


def test_bytes_that_are_neither_utf8_nor_windows_1252_are_refused_per_line() -> None:
    with pytest.raises(CsvError) as exc:
        read_csv(b"a;b\n1;2\n3;\x81\x9d\n")
    assert [p.line for p in exc.value.problems] == [3]


def test_utf16_with_bom_is_read_and_without_bom_refused() -> None:
    # Excel's "Unicode text": UTF-16 with a BOM, tab-separated.
    table = read_csv("a\tb\r\n1\t2\r\n".encode("utf-16"))
    assert (table.encoding, table.delimiter, table.rows[0].values) == (
        "utf-16",
        "\t",
        {"a": "1", "b": "2"},
    )
    with pytest.raises(CsvError, match="NUL"):
        read_csv("a;b\n1;2\n".encode("utf-16-le"))


@pytest.mark.parametrize("cut", [1, 3])
def test_utf16_cut_in_the_middle_of_a_character_is_refused_in_dutch(cut: int) -> None:
    data = "a\tb\r\n1\t2\r\n".encode("utf-16")[:-cut]  # an odd number of bytes
    with pytest.raises(CsvError) as exc:
        read_csv(data)
    assert [str(p) for p in exc.value.problems] == [
        "regel 2: onleesbare UTF-16-tekst; is het bestand afgebroken?"
    ]


def test_utf16_with_a_character_that_does_not_exist_names_its_line_in_dutch() -> None:
    lone_surrogate = b"\x00\xdc"
    data = "\ufeffa\tb\r\n1\t2\r\n3\t".encode("utf-16-le") + lone_surrogate + b"\r\x00\n\x00"
    with pytest.raises(CsvError) as exc:
        read_csv(data)
    assert [str(p) for p in exc.value.problems] == [
        "regel 3: onleesbare UTF-16-tekst; sla het bestand opnieuw op als CSV UTF-8"
    ]


def test_a_file_cut_off_after_it_was_checked_becomes_a_bad_line(tmp_path: Path) -> None:
    path = tmp_path / "tabel.csv"
    path.write_bytes("a\tb\r\n1\t2\r\n3\t4\r\n".encode("utf-16"))
    table = CsvFile(path)
    path.write_bytes("a\tb\r\n1\t2\r\n3\t4\r\n".encode("utf-16")[:-1])
    assert [r.values for r in table] == [{"a": "1", "b": "2"}]
    assert [p.line for p in table.problems] == [3]
    assert "afgebroken" in table.problems[0].reason


@pytest.mark.parametrize(
    ("header", "reason"),
    [
        ("Id;StartDate;EndDate;Name;Groups;Name", "kolom Name staat twee keer in de kopregel"),
        (
            "Id;StartDate;EndDate;Name;Groups;NAME",
            "kolom Name staat twee keer in de kopregel (als Name en NAME)",
        ),
        (
            "Bevoegd gezag nummer;x;BEVOEGD_GEZAG_NUMMER;bevoegd-gezag-nummer",
            "kolom Bevoegd gezag nummer staat 3 keer in de kopregel (als Bevoegd gezag nummer, "
            "BEVOEGD_GEZAG_NUMMER en bevoegd-gezag-nummer)",
        ),
    ],
)
def test_a_column_named_twice_in_the_header_is_refused(header: str, reason: str) -> None:
    fields = len(header.split(";"))
    with pytest.raises(CsvError) as exc:
        read_csv(f"{header}\n{';'.join(['1'] * fields)}\n".encode())
    assert [str(p) for p in exc.value.problems] == [f"regel 1: {reason}"]


def test_empty_file_is_refused() -> None:
    with pytest.raises(CsvError):
        read_csv(b"")


@pytest.mark.parametrize(
    ("hint", "data", "expected"),
    [
        (
            "sep=;",
            "code;naam,kort\n0599;Rotterdam,Zuid\n",
            {"code": "0599", "naam,kort": "Rotterdam,Zuid"},
        ),
        (
            "SEP=,",
            "code,naam;kort\n0599,Rotterdam;Zuid\n",
            {"code": "0599", "naam;kort": "Rotterdam;Zuid"},
        ),
        ("\ufeffsep=;\r", "code;naam\r\n0599;Rotterdam\r\n", {"code": "0599", "naam": "Rotterdam"}),
    ],
)
def test_excels_separator_hint_is_skipped_and_its_separator_used(
    hint: str, data: str, expected: dict[str, str]
) -> None:
    table = read_csv(f"{hint}\n{data}".encode())
    assert table.delimiter == hint.strip("\ufeff\r")[-1]
    [row] = table.rows
    assert row.values == expected
    assert row.line == 3  # line numbers still count the hint's line
    assert table.problems == []


def test_a_separator_hint_and_a_header_only_is_a_file_without_data() -> None:
    with pytest.raises(CsvError) as exc:
        read_csv(b"sep=;\ncode;naam\n")
    assert "alleen een kopregel" in str(exc.value)


# --- Line endings: CRLF, LF and CR alone (Excel for Mac's "CSV (Macintosh)") ----------------


def test_a_file_with_mac_line_endings_is_read_with_its_line_numbers() -> None:
    table = read_csv("naam;plaats\rCafé;Súdwest\r\r1;2;3\r".encode("cp1252"))
    assert table.encoding == "cp1252"
    assert [(r.line, r["naam"]) for r in table.rows] == [(2, "Café")]
    assert [p.line for p in table.problems] == [4]


def test_a_mac_file_header_only_is_still_a_file_without_data() -> None:
    with pytest.raises(CsvError, match="alleen een kopregel"):
        read_csv(b"a;b\r\r")


def test_a_mac_file_larger_than_a_chunk_is_read_line_by_line() -> None:
    from schoolzorg.lib.csvfiles import CHUNK

    rows = CHUNK // 10  # more than one chunk, each line far below the 1 MB limit
    data = b"nr;tekst\r" + b"".join(b"%d;regel tekst\r" % n for n in range(rows))
    assert len(data) > CHUNK
    assert sum(1 for _ in CsvFile(data)) == rows


@pytest.mark.parametrize("end", [b"\r", b"\r\n"])
def test_a_bad_line_after_a_chunk_is_named_with_its_line(end: bytes) -> None:
    from schoolzorg.lib.csvfiles import CHUNK

    head = b"a;b" + end + "é;1".encode() + end  # UTF-8 text: lines 1 and 2
    filler = b"x;" + b"y" * 100 + end
    count = (CHUNK - len(head)) // len(filler) - 1
    first = head + filler * count
    # One line that ends with the first chunk: its CR last in the chunk, an LF (if any) next.
    pad = b"p;" + b"q" * (CHUNK - len(first) - 3) + b"\r"
    assert len(first + pad) == CHUNK
    rest = end[1:] + filler * 5 + b"\xe9;2" + end  # a Windows-1252 line in a UTF-8 file
    with pytest.raises(CsvError) as exc:
        read_csv(first + pad + rest)
    assert [p.line for p in exc.value.problems] == [2 + count + 1 + 5 + 1]


def test_utf16_with_mac_line_endings_is_read() -> None:
    table = read_csv("a\tb\r1\t2\r3\t4\r".encode("utf-16"))
    assert [r.line for r in table.rows] == [2, 3]
    with pytest.raises(CsvError, match="alleen een kopregel"):
        read_csv("a\tb\r\r".encode("utf-16"))
