"""PDFs from HTML (WeasyPrint, PDF/UA-1) whose tables stay on the page without cutting words.

The PDFs go to parents (the plan, the minutes of their child's item, who looked at the file),
so a date split over two lines ("5-12-202" / "6") or a word cut in the middle
("Jeugdverpleegkun" / "dige") is misread. The tables are laid out by their content
(`templates/includes/pdf_tables.html`): a column is at least as wide as its longest word, a date
or a number never wraps, and the rest of the page goes to the columns with the most text.

Only when the longest words of a table's columns are together wider than the page (a name of a
hundred letters without a space) would the table run off it. Then the document is laid out
again with the cells that hold those words allowed to break them anywhere: the fewest cells
that make the table fit, so every column is on the page, every letter is printed and the
other words stay whole. A few passes at most, so text typed to be awkward cannot keep the
server busy: after them, every cell of a table still too wide may break its words.
"""

from __future__ import annotations

from typing import Any

PDF_VARIANT = "pdf/ua-1"

# A cell whose long words may break anywhere (set by `_let_words_break`).
_LONG_WORDS = "data-pdf-long-words"
_LONG_WORDS_CSS = f"[{_LONG_WORDS}] {{ overflow-wrap: anywhere !important; }}"
# Layouts after the first, at most; the last lets every cell of a table still too wide break.
_PASSES = 3
# Rounding in the layout (CSS pixels): a table this much wider than the page still fits on it.
_TOLERANCE = 0.01


def html_to_pdf(html: str, *, base_url: str | None = None) -> bytes:
    """Render the HTML as a tagged PDF (PDF/UA-1) with every table within the page."""
    from weasyprint import CSS, HTML

    source = HTML(string=html, base_url=base_url)
    document = source.render(pdf_variant=PDF_VARIANT)
    for attempt in range(_PASSES):
        too_wide = _tables_too_wide(document)
        if not too_wide:
            break
        for table, overflow in too_wide:
            _let_words_break(table, overflow, every_cell=attempt == _PASSES - 1)
        document = source.render(stylesheets=[CSS(string=_LONG_WORDS_CSS)], pdf_variant=PDF_VARIANT)
    pdf: bytes = document.write_pdf(pdf_variant=PDF_VARIANT)
    return pdf


def _tables_too_wide(document: Any) -> list[tuple[Any, float]]:
    """Each table that reaches past the right margin of its page, with how far (a table over
    several pages once)."""
    from weasyprint.formatting_structure import boxes

    found = []
    seen: set[int] = set()
    for page in document.pages:
        page_box = page._page_box
        right_edge = page_box.content_box_x() + page_box.width
        for table in page_box.descendants():
            if isinstance(table, boxes.TableBox) and id(table.element) not in seen:
                seen.add(id(table.element))
                overflow = table.position_x + table.margin_width() - right_edge
                if overflow > _TOLERANCE:
                    found.append((table, overflow))
    return found


def _let_words_break(table: Any, overflow: float, *, every_cell: bool) -> None:
    """Mark the cells whose words may break: the fewest that narrow the table enough.

    A table runs off the page only when every column is as narrow as its longest word. Letting
    the cells with a column's longest word break narrows the column to the next longest word
    (or to its heading, or a date, which never break). Step by step, the column that wins the
    most room per cell marked goes first, until the table would fit; the next layout shows
    whether it does, as the widths here are estimated from the lines of this one.
    """
    from weasyprint.formatting_structure import boxes

    # Per column, each cell's longest word, widest first, with the cell if it may break.
    columns: dict[int, list[tuple[float, Any]]] = {}
    for cell in table.descendants():
        if (
            isinstance(cell, boxes.TableCellBox)
            and cell.colspan == 1
            and cell.element.get(_LONG_WORDS) is None
        ):
            may_break = (
                cell.element_tag == "td"  # a heading is ours: short words, read first
                and cell.style["white_space"] not in ("nowrap", "pre")  # a date
            )
            columns.setdefault(cell.grid_x, []).append(
                (_longest_word(cell), cell.element if may_break else None)
            )
    for cells in columns.values():
        cells.sort(key=lambda found: -found[0])
    if every_cell:
        for cells in columns.values():
            for _, element in cells:
                if element is not None:
                    element.set(_LONG_WORDS, "")
        return
    kept = dict.fromkeys(columns, 0)  # per column, how many of its widest cells are marked
    while overflow > _TOLERANCE:
        best: tuple[float, int, int, float] | None = None
        for column, cells in columns.items():
            start = end = kept[column]
            if start == len(cells) or cells[start][1] is None:
                continue  # nothing left to break, or its widest is a heading or a date
            widest = cells[start][0]
            while end < len(cells) and cells[end][0] >= widest - _TOLERANCE:
                if cells[end][1] is None:
                    break
                end += 1
            if end < len(cells) and cells[end][0] >= widest - _TOLERANCE:
                continue  # a heading or a date as wide keeps the column as wide
            gain = widest - (cells[end][0] if end < len(cells) else 0.0)
            if best is None or gain / (end - start) > best[0]:
                best = (gain / (end - start), column, end, gain)
        if best is None:
            return
        _, column, end, gain = best
        for _, element in columns[column][kept[column] : end]:
            element.set(_LONG_WORDS, "")
        kept[column] = end
        overflow -= gain


def _longest_word(cell: Any) -> float:
    """About how wide the cell's longest word is: each line's width shared out over its
    letters (a line can hold several words)."""
    from weasyprint.formatting_structure import boxes

    longest = 0.0
    for text in cell.descendants():
        if isinstance(text, boxes.TextBox) and text.text.strip():
            per_letter = text.width / len(text.text)
            longest = max(longest, per_letter * max(len(word) for word in text.text.split()))
    return longest
