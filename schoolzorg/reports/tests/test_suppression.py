from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from schoolzorg.reports import suppression


def test_small_counts_are_hidden() -> None:
    assert [suppression.count(n).text for n in (0, 1, 4, 5, 1234)] == [
        "0",
        "<5",
        "<5",
        "5",
        "1.234",
    ]


def test_one_hidden_cell_next_to_a_total_takes_another_with_it() -> None:
    cells = suppression.counts([3, 40, 12])
    assert [c.text for c in cells] == ["<5", "40", "<5"]


def test_share_needs_a_denominator_of_ten_and_no_small_remainder() -> None:
    assert suppression.share(5, 9).hidden
    assert suppression.share(8, 10).hidden  # 2 without consent would show
    assert suppression.share(5, 10).text == "50%"
    assert suppression.share(0, 20).text == "0%"


@settings(deadline=None)
@given(st.lists(st.lists(st.integers(0, 30), min_size=3, max_size=3), min_size=1, max_size=6))
def test_matrix_never_leaves_a_lonely_hidden_cell(rows: list[list[int]]) -> None:
    cells = suppression.matrix(rows)
    for i, row in enumerate(cells):
        for j, cell in enumerate(row):
            if suppression.is_small(rows[i][j]):
                assert cell.hidden
    lines = [list(r) for r in cells] + [list(c) for c in zip(*cells, strict=True)]
    values = [list(r) for r in rows] + [list(c) for c in zip(*rows, strict=True)]
    for line, nums in zip(lines, values, strict=True):
        hidden = [c for c in line if c.hidden]
        positive_visible = [n for c, n in zip(line, nums, strict=True) if not c.hidden and n > 0]
        assert len(hidden) != 1 or not positive_visible
