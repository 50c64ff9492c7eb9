from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from schoolzorg.reports import suppression


def test_small_counts_are_hidden_and_others_rounded_to_five() -> None:
    assert [suppression.count(n).text for n in (0, 1, 4, 5, 7, 8, 12, 13, 1234)] == [
        "0",
        "<5",
        "<5",
        "5",
        "5",
        "10",
        "10",
        "15",
        "1.235",
    ]
    assert suppression.count(13).value == 15  # charts draw the shown value


def test_one_more_referral_does_not_show_between_two_refreshes() -> None:
    # 13 and 14 look the same; so do a month's 8 and 9 read off two tables.
    assert suppression.count(13).text == suppression.count(14).text == "15"
    assert suppression.count(8).text == suppression.count(9).text


def test_a_share_is_rounded_to_five_points() -> None:
    # 7 of 12 is 58%: exact, it would give away both counts (rounded "10" and "60%").
    assert suppression.share(7, 12).text == "60%"
    assert suppression.share(10, 16).text == "60%"


def test_one_hidden_cell_next_to_a_total_takes_another_with_it() -> None:
    cells = suppression.counts([3, 40, 12])
    # The 12 is hidden too. It is not small, so "<5" would be false; and a "<5" beside it would
    # say which of the two is the small one. Both get the same mark.
    assert [c.text for c in cells] == ["×", "40", "×"]
    assert cells[0].hidden and cells[2].hidden
    # With only small cells hidden, "<5" is true and gives nothing away.
    assert [c.text for c in suppression.counts([3, 40, 2])] == ["<5", "40", "<5"]


def test_share_needs_a_denominator_of_ten_and_no_small_remainder() -> None:
    assert suppression.share(5, 9).hidden
    assert suppression.share(8, 10).hidden  # 2 without consent would show
    assert suppression.share(5, 10).text == "50%"
    assert suppression.share(9, 14).text == "65%"
    assert suppression.share(0, 20).text == "0%"


@settings(deadline=None)
@given(st.lists(st.lists(st.integers(0, 30), min_size=3, max_size=3), min_size=1, max_size=6))
def test_matrix_never_leaves_a_lonely_hidden_cell(rows: list[list[int]]) -> None:
    cells = suppression.matrix(rows)
    hidden = [(rows[i][j], c) for i, row in enumerate(cells) for j, c in enumerate(row) if c.hidden]
    # One mark for every hidden cell: "<5" only where all hidden cells are small (true), else
    # "×" for all (never a false "<5", never a mark that tells the small cell from its partner).
    marks = {c.text for _, c in hidden}
    assert len(marks) <= 1
    if hidden:
        all_small = all(suppression.is_small(n) for n, _ in hidden)
        assert marks == ({"<5"} if all_small else {"×"})
    lines = [list(r) for r in cells] + [list(c) for c in zip(*cells, strict=True)]
    values = [list(r) for r in rows] + [list(c) for c in zip(*rows, strict=True)]
    for line, nums in zip(lines, values, strict=True):
        hidden = [c for c in line if c.hidden]
        positive_visible = [n for c, n in zip(line, nums, strict=True) if not c.hidden and n > 0]
        assert len(hidden) != 1 or not positive_visible


def test_schools_table_hides_within_a_column_not_across_a_row() -> None:
    # Pupils, meetings held, open cases: three measures whose sum means nothing. Each school held
    # 2 meetings and has 8 pupils with an open case (the tester's Waterstede). The small 2s are
    # hidden among themselves; the 8s have nothing to do with them and stay.
    rows = [[50, 2, 8], [60, 2, 8], [55, 2, 8]]
    cells = suppression.columns(rows)
    assert [[c.text for c in row] for row in cells] == [
        ["50", "<5", "10"],
        ["60", "<5", "10"],
        ["55", "<5", "10"],
    ]
    # A lone small count in a column takes the smallest other one of that column with it, both
    # marked "×"; the other columns keep "<5" and their numbers.
    cells = suppression.columns([[50, 3, 8], [60, 20, 0], [55, 30, 9]])
    assert [[c.text for c in row] for row in cells] == [
        ["50", "×", "10"],
        ["60", "×", "0"],
        ["55", "30", "10"],
    ]


@settings(deadline=None)
@given(
    st.integers(1, 8).flatmap(
        lambda width: st.lists(
            st.lists(st.integers(0, 30), min_size=width, max_size=width), min_size=1, max_size=8
        )
    )
)
def test_columns_leave_no_count_to_work_out_from_a_column_total(rows: list[list[int]]) -> None:
    """Every column adds up to a known total (the municipality's figure for that measure): the
    hidden cells of a column are never one among visible positive counts, so no subtraction
    gives a hidden count; and a column's cells depend on that column alone."""
    cells = suppression.columns(rows)
    assert [len(r) for r in cells] == [len(r) for r in rows]
    for j in range(len(rows[0])):
        column = [r[j] for r in rows]
        shown = [row[j] for row in cells]
        assert shown == suppression.counts(column)
        hidden = [c for c in shown if c.hidden]
        positive_visible = [n for c, n in zip(shown, column, strict=True) if not c.hidden and n]
        assert len(hidden) != 1 or not positive_visible
        # One mark per column: "<5" only where every hidden cell of it is small.
        if hidden:
            all_small = all(
                suppression.is_small(n) for n, c in zip(column, shown, strict=True) if c.hidden
            )
            assert {c.text for c in hidden} == ({"<5"} if all_small else {"×"})
