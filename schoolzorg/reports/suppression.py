"""Small-cell suppression and rounding: counts of 1 to 4 are shown as "<5", never as the
number, and every other count is rounded to a multiple of five.

A breakdown that is shown next to its total also hides a second cell when only one is hidden
(complementary suppression), so no hidden count can be worked out by subtraction. Which cells
add up to a known total decides how: a row of months (`counts`); a table whose rows and columns
both add up (`matrix`: school x month); a table of different measures side by side, whose
columns add up to the municipality's figures and whose rows add up to nothing (`columns`: the
schools' table). Where a second cell is hidden, every hidden cell of that breakdown (the row,
the matrix, the column) gets the mark "×" (`COMPLEMENTARY`), small or not: "<5" on the second
cell would be false, and a "<5" beside a "×" would say which of the two is the small one (with
a known total of 6, that one is 1). "<5" stays where only small cells are hidden. The page and
the CSV explain the marks (`LEGEND`).
Rounding guards what suppression alone cannot: the same count in two tables (a school's total
for the period and the months of the municipality), and two versions of a table a few minutes
apart (the roll-ups are refreshed every ten minutes): one new referral no longer shows as "13"
becoming "14", and the sum of hidden cells read off another table is known only to within the
rounding. What remains: someone who watches every refresh sees the moment a count crosses a
rounding boundary. Shares are shown only over a denominator of at least 10, rounded to five
percentage points (an exact percentage over a small denominator would give the count away).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

THRESHOLD = 5
MIN_DENOMINATOR = 10
HIDDEN = "<5"
COMPLEMENTARY = "×"  # hidden with another one, so that no small count can be worked out
NOT_SHOWN = "–"  # a share or lead time over too few
LEGEND = [
    (HIDDEN, "1 tot en met 4"),
    (
        COMPLEMENTARY,
        "verborgen: een klein aantal, of een aantal dat mee verborgen is zodat een klein "
        "aantal niet uit het totaal te berekenen is",
    ),
    (
        NOT_SHOWN,
        "te weinig om te tonen: een percentage bij minder dan 10, of als een deel 1 tot en met 4 "
        "is; een doorlooptijd bij minder dan 5 toeleidingen",
    ),
]
BASE = 5  # counts are shown rounded to a multiple of this
SHARE_BASE = 5  # percentage points


@dataclass(frozen=True)
class Cell:
    value: float | None  # None when hidden
    text: str

    @property
    def hidden(self) -> bool:
        return self.value is None


def is_small(n: int) -> bool:
    return 0 < n < THRESHOLD


def rounded(n: int, base: int = BASE) -> int:
    """`n` to the nearest multiple of `base`, halves up (12 → 10, 13 → 15)."""
    return (n + base // 2) // base * base


def count(n: int) -> Cell:
    if is_small(n):
        return Cell(None, HIDDEN)
    shown = rounded(n)
    return Cell(shown, f"{shown:,}".replace(",", "."))


def _shown(n: int, *, hidden: bool, paired: bool) -> Cell:
    """A count, or its mark when hidden: "<5", or "×" for every hidden cell of a table where a
    cell of 5 or more was hidden too (`paired`)."""
    if not hidden:
        return count(n)
    return Cell(None, COMPLEMENTARY if paired else HIDDEN)


def counts(values: Sequence[int], *, with_total: bool = True) -> list[Cell]:
    """Suppress a breakdown; with a total shown, never leave exactly one hidden cell."""
    hidden = {i for i, n in enumerate(values) if is_small(n)}
    if with_total and len(hidden) == 1:
        others = [(n, i) for i, n in enumerate(values) if i not in hidden and n > 0]
        if others:
            hidden.add(min(others)[1])
    paired = any(not is_small(values[i]) for i in hidden)
    return [_shown(n, hidden=i in hidden, paired=paired) for i, n in enumerate(values)]


def share(numerator: int, denominator: int) -> Cell:
    """A percentage, hidden over fewer than 10 or when the rest (or the part) is 1 to 4."""
    if denominator < MIN_DENOMINATOR or is_small(numerator) or is_small(denominator - numerator):
        return Cell(None, NOT_SHOWN)
    pct = rounded(round(100 * numerator / denominator), SHARE_BASE)
    return Cell(pct, f"{pct}%")


def days(value: float | None, n: int) -> Cell:
    """A lead time in days, shown only when it summarises at least 5 referrals."""
    if value is None or n < THRESHOLD:
        return Cell(None, NOT_SHOWN)
    return Cell(value, f"{value:.1f}".replace(".", ","))


def columns(rows: Sequence[Sequence[int]]) -> list[list[Cell]]:
    """Suppress a table of different measures side by side: each column is a breakdown of its
    own known total (`counts`), and a row adds up to nothing.

    The schools' table: a school's pupils, help requests and open cases have no sum, so a small
    cell hides a second one in its column (whose total is the municipality's figure), never one
    of another measure in its row. The marks are per column, like `counts` per breakdown: "×"
    in one column says nothing about which hidden cell of another is small.
    """
    width = max((len(r) for r in rows), default=0)
    if any(len(r) != width for r in rows):
        raise ValueError("every row needs a value for every column")
    by_column = [counts([r[j] for r in rows]) for j in range(width)]
    return [[by_column[j][i] for j in range(width)] for i in range(len(rows))]


def matrix(rows: Sequence[Sequence[int]]) -> list[list[Cell]]:
    """Suppress a table whose row and column totals can be known: hide small cells, then keep
    hiding the smallest other cell of any row or column that has exactly one hidden cell."""
    values = [list(r) for r in rows]
    hidden = {(i, j) for i, r in enumerate(values) for j, n in enumerate(r) if is_small(n)}

    def lines() -> list[list[tuple[int, int]]]:
        width = max((len(r) for r in values), default=0)
        by_row = [[(i, j) for j in range(len(r))] for i, r in enumerate(values)]
        by_col = [[(i, j) for i, r in enumerate(values) if j < len(r)] for j in range(width)]
        return by_row + by_col

    changed = True
    while changed:
        changed = False
        for line in lines():
            inside = [p for p in line if p in hidden]
            if len(inside) != 1:
                continue
            others = [(values[i][j], (i, j)) for i, j in line if (i, j) not in hidden]
            others = [o for o in others if o[0] > 0]
            if others:
                hidden.add(min(others)[1])
                changed = True
    paired = any(not is_small(values[i][j]) for i, j in hidden)
    return [
        [_shown(n, hidden=(i, j) in hidden, paired=paired) for j, n in enumerate(r)]
        for i, r in enumerate(values)
    ]
