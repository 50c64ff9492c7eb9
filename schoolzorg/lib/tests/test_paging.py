"""Lists a page at a time: the page asked for, the rows shown and the links between pages."""

from __future__ import annotations

import pytest
from django.core.paginator import Paginator
from django.template.loader import render_to_string
from django.test import RequestFactory

from schoolzorg.lib import paging


@pytest.mark.parametrize(
    "asked,number",
    [
        ("", 1),
        ("1", 1),
        ("3", 3),
        ("0", 1),
        ("-2", 1),
        ("abc", 1),
        ("٣", 1),
        ("2.0", 1),
        ("9" * 40, 1),
        (str(paging.LAST_PAGE + 1), paging.LAST_PAGE),
    ],
)
def test_the_page_asked_for(asked: str, number: int) -> None:
    request = RequestFactory().get("/", {"pagina": asked})
    assert paging.requested(request, size=10).number == number


def test_a_page_reads_one_row_more_than_it_shows() -> None:
    page = paging.Page(number=3, size=10)
    assert page.window == slice(20, 31)
    rows, filled = paging.cut(list(range(20, 31)), page)
    assert rows == list(range(20, 30))
    assert filled.has_next and filled.has_previous
    assert (filled.start_index, filled.end_index) == (21, 30)
    rows, last = paging.cut([20, 21], page)
    assert rows == [20, 21] and not last.has_next and (last.start_index, last.end_index) == (21, 22)
    assert paging.cut([], page)[1].past_the_end
    assert not paging.cut([], paging.Page(number=1))[1].past_the_end


def _pager(page: object, query: dict[str, str]) -> str:
    request = RequestFactory().get("/lijst/", query)
    return render_to_string("includes/pager.html", {"page": page, "label": "casussen"}, request)


def test_the_pager_keeps_the_filters_and_says_where_you_are() -> None:
    _, page = paging.cut(list(range(11)), paging.Page(number=2, size=5))
    html = _pager(page, {"status": "all", "pagina": "2"})
    assert 'href="?status=all&amp;pagina=1" rel="prev"' in html
    assert 'href="?status=all&amp;pagina=3" rel="next"' in html
    assert "Pagina 2: casussen 6 tot en met 10" in html
    assert 'aria-label="Pagina\'s met casussen"' in html
    _, alone = paging.cut([1], paging.Page(number=1, size=5))
    assert _pager(alone, {}).strip() == ""
    _, beyond = paging.cut([], paging.Page(number=4, size=5))
    assert 'href="?status=all">Naar de eerste pagina' in _pager(
        beyond, {"status": "all", "pagina": "4"}
    )


def test_the_pager_also_shows_a_django_page_with_its_total() -> None:
    html = _pager(Paginator(range(12), 5).get_page(2), {"pagina": "2"})
    assert "Pagina 2 van 3" in html and 'rel="prev"' in html and 'rel="next"' in html
