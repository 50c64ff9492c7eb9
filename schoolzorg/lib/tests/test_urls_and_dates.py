from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from django.urls import NoReverseMatch, reverse, set_script_prefix
from django.utils import translation
from django.utils.formats import date_format

from schoolzorg.lib import dates
from schoolzorg.lib.urls import url_for

NAMES = ["cases:detail", "referrals:detail", "meetings:minutes", "meetings:decide", "plans:detail"]


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("pk", [1, 7, 918_273_645, 10**17])
def test_url_for_gives_what_reverse_gives(name: str, pk: int) -> None:
    assert url_for(name)(pk) == reverse(name, args=[pk])


def test_url_for_follows_the_script_prefix() -> None:
    try:
        set_script_prefix("/zorg/")
        assert url_for("cases:detail")(5) == reverse("cases:detail", args=[5])
        assert url_for("cases:detail")(5).startswith("/zorg/")
    finally:
        set_script_prefix("/")
    assert url_for("cases:detail")(5) == reverse("cases:detail", args=[5])


def test_url_for_refuses_patterns_without_one_id() -> None:
    with pytest.raises(NoReverseMatch):
        url_for("cases:list")
    with pytest.raises(NoReverseMatch):
        url_for("no-such-page")


def test_dates_match_djangos_formatter_in_dutch() -> None:
    with translation.override("nl"):
        day = dt.date(2026, 1, 1)
        while day.year == 2026:
            assert dates.numeric(day) == date_format(day, "j-n-Y")
            assert dates.weekday_short(day) == date_format(day, "D j b Y")
            day += dt.timedelta(days=1)


def test_date_and_time_match_the_template_filter_in_local_time() -> None:
    from django.template import Context, Template

    template = Template('{{ at|date:"j-n-Y H:i" }}')
    moment = dt.datetime(2026, 3, 29, 0, 30, tzinfo=dt.UTC)  # the night summer time starts
    for hours in range(0, 24 * 3, 5):
        at = moment + dt.timedelta(hours=hours, minutes=hours)
        assert dates.numeric_time(at) == template.render(Context({"at": at}))
    assert dates.numeric_time(moment) == "29-3-2026 01:30"


def test_every_id_in_a_path_uses_the_id_converter() -> None:
    """`<int:pk>` would take an id too long for the database and answer 500; `<id:pk>` 404.
    (Our own views; the admin pages of django-otp's devices use `int`, for staff only.)"""
    from django.urls import URLPattern, URLResolver, get_resolver
    from django.urls.converters import IntConverter

    def walk(patterns: list[Any], prefix: str = "") -> Iterator[tuple[str, Any]]:
        for p in patterns:
            if isinstance(p, URLResolver):
                yield from walk(p.url_patterns, prefix + str(p.pattern))
            elif isinstance(p, URLPattern):
                yield prefix + str(p.pattern), p

    plain_int = [
        route
        for route, pattern in walk(get_resolver().url_patterns)
        if pattern.callback.__module__.startswith("schoolzorg.")
        and any(type(c) is IntConverter for c in pattern.pattern.converters.values())
    ]
    assert plain_int == []


def test_dates_are_written_one_way_without_leading_zeros() -> None:
    """Pages, timelines and messages write 3-12-2026 (`dates.numeric`, `date:"j-n-Y"`), never
    03-12-2026 next to it: one format, as a reader expects (tester finding)."""
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    padded = re.compile(r"%d-%m-%Y|\bd-m-Y\b")
    found = [
        f"{path.relative_to(root)}:{n}"
        for path in sorted(root.rglob("*"))
        if path.suffix in {".py", ".html", ".txt"} and "tests" not in path.parts
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if padded.search(line)
    ]
    assert not found, found
