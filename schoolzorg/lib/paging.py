"""Long lists a page at a time (``?pagina=N``), without counting the whole list.

A list page reads one row more than it shows: that row only tells whether a next page exists,
so no ``COUNT(*)`` over everything the user may see is needed, and the query count stays fixed.
The extra row is not shown and therefore not logged as read::

    page = paging.requested(request)
    rows, page = paging.cut(qs[page.window], page)

The page number is part of the SQL (``OFFSET``), so a prepared read takes it as a shape
argument; `LAST_PAGE` bounds how many shapes and how deep an offset a typed address can ask for.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace

from django.http import HttpRequest

PAGE_SIZE = 50
LAST_PAGE = 100


@dataclass(frozen=True, slots=True)
class Page:
    """One page of a list; the names follow Django's `Page`, so one pager template fits both."""

    number: int = 1
    size: int = PAGE_SIZE
    has_next: bool = False
    shown: int = 0

    @property
    def window(self) -> slice:
        """The rows to read: this page's and one more."""
        start = (self.number - 1) * self.size
        return slice(start, start + self.size + 1)

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_other_pages(self) -> bool:
        return self.has_previous or self.has_next

    @property
    def previous_page_number(self) -> int:
        return self.number - 1

    @property
    def next_page_number(self) -> int:
        return self.number + 1

    @property
    def start_index(self) -> int:
        """The place of the first row shown, counted from 1 (0 on an empty page)."""
        return (self.number - 1) * self.size + 1 if self.shown else 0

    @property
    def end_index(self) -> int:
        return (self.number - 1) * self.size + self.shown

    @property
    def past_the_end(self) -> bool:
        """A page after the last one (an old bookmark, rows that left the list meanwhile)."""
        return self.number > 1 and not self.shown


def requested(request: HttpRequest, size: int | None = None) -> Page:
    """The page asked for in ``?pagina=``; anything that is not a page number is page 1."""
    size = size or PAGE_SIZE
    raw = request.GET.get("pagina", "")
    number = int(raw) if raw.isascii() and raw.isdigit() and len(raw) < 6 else 1
    return Page(number=min(max(number, 1), LAST_PAGE), size=size)


def cut[T](read: Iterable[T], page: Page) -> tuple[list[T], Page]:
    """The rows to show of those read through `Page.window` (a QuerySet is evaluated here), and
    the page filled in."""
    rows = list(read)
    shown = rows[: page.size]
    return shown, replace(page, has_next=len(rows) > page.size, shown=len(shown))
