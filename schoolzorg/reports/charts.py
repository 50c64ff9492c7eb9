"""Bar charts as server-side SVG. Every chart on a page sits next to a table with the same data.

Hidden (suppressed) cells get no bar, only their mark ("<5", or "×" for a cell hidden with a
small one), so the picture reveals nothing that the table does not.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from schoolzorg.reports.suppression import Cell

WIDTH, HEIGHT = 640, 220
PAD_LEFT, PAD_BOTTOM, PAD_TOP = 40, 36, 16


def bar_chart(
    title: str, labels: Sequence[str], cells: Sequence[Cell], *, ident: str
) -> SafeString:
    """An accessible SVG bar chart (`role="img"`, title and description)."""
    top = max([c.value or 0 for c in cells] + [1])
    n = max(len(cells), 1)
    slot = (WIDTH - PAD_LEFT) / n
    bar = slot * 0.7
    plot = HEIGHT - PAD_BOTTOM - PAD_TOP
    parts = [
        f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-labelledby="{ident}-t {ident}-d" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{ident}-t">{escape(title)}</title>',
        f'<desc id="{ident}-d">Dezelfde cijfers staan in de tabel onder de grafiek.</desc>',
        f'<line x1="{PAD_LEFT}" y1="{HEIGHT - PAD_BOTTOM}" x2="{WIDTH}" '
        f'y2="{HEIGHT - PAD_BOTTOM}" stroke="#555" stroke-width="1"/>',
        f'<text x="{PAD_LEFT - 6}" y="{PAD_TOP + 4}" text-anchor="end" font-size="11" '
        f'fill="#333">{int(top)}</text>',
    ]
    for i, (label, cell) in enumerate(zip(labels, cells, strict=True)):
        x = PAD_LEFT + i * slot + (slot - bar) / 2
        cx = x + bar / 2
        h = 0.0 if cell.value is None else plot * float(cell.value) / top
        y = HEIGHT - PAD_BOTTOM - h
        if h:
            parts.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar:.1f}" height="{h:.1f}" fill="#1d5fa6"/>'
            )
        parts.append(
            f'<text x="{cx:.1f}" y="{y - 3:.1f}" text-anchor="middle" font-size="11" '
            f'fill="#222">{escape(cell.text)}</text>'
        )
        # "jan 2026" on two lines: a month's slot is too narrow for both on one.
        lines = "".join(
            f'<tspan x="{cx:.1f}" dy="{0 if n == 0 else 13}">{escape(word)}</tspan>'
            for n, word in enumerate(label.rsplit(" ", 1))
        )
        parts.append(
            f'<text x="{cx:.1f}" y="{HEIGHT - PAD_BOTTOM + 14}" text-anchor="middle" '
            f'font-size="11" fill="#333">{lines}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped
