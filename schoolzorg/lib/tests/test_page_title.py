"""The browser tab's title names the page first, then the product, with a dash between."""

from __future__ import annotations

import re

import pytest
from django.template import Context, Template


def _title(html: str) -> str:
    found = re.search(r"<title>(.*?)</title>", html, re.S)
    assert found is not None
    return found.group(1)


@pytest.mark.django_db
def test_pages_have_their_name_a_dash_and_the_product(client) -> None:
    assert _title(client.get("/inloggen/").content.decode()) == "Inloggen – Schoolzorg"
    assert _title(client.get("/bestaat-niet/").content.decode()) == "Niet gevonden – Schoolzorg"


def test_a_page_without_a_name_is_just_the_product_and_names_are_escaped() -> None:
    base = "{% filter page_title %}{% block title %}{{ name }}{% endblock %}{% endfilter %}"
    assert Template(base).render(Context({"name": ""})) == "Schoolzorg"
    assert Template(base).render(Context({"name": "  "})) == "Schoolzorg"
    assert Template(base).render(Context({"name": "Tom & <Jerry>"})) == (
        "Tom &amp; &lt;Jerry&gt; – Schoolzorg"
    )


@pytest.mark.django_db
def test_a_page_that_came_back_after_a_form_says_fout_first(member, client_for) -> None:
    """WCAG 2.4.2: a form sent with mistakes (400) reads as a different page from the empty form."""
    from schoolzorg.accounts.roles import Role
    from schoolzorg.organisations.tests.factories import SchoolFactory

    client = client_for(member(Role.SUPPORT_COORDINATOR, SchoolFactory()))
    shown = client.get("/leerlingen/")
    refused = client.get("/leerlingen/", {"q": "\u200b"})  # hidden characters only
    assert (shown.status_code, refused.status_code) == (200, 400)
    assert _title(shown.content.decode()) == "Leerling zoeken – Schoolzorg"
    assert _title(refused.content.decode()) == "Fout: Leerling zoeken – Schoolzorg"


@pytest.mark.parametrize(
    ("status", "content_type", "body", "title"),
    [
        (400, "text/html; charset=utf-8", "<title>Casus 4</title>", "Fout: Casus 4"),
        (409, "text/html; charset=utf-8", "<title>Plan</title>", "Fout: Plan"),
        (200, "text/html; charset=utf-8", "<title>Casus 4</title>", "Casus 4"),
        (404, "text/html; charset=utf-8", "<title>Niet gevonden</title>", "Niet gevonden"),
        (400, "application/problem+json", '"<title>x</title>"', "x"),
    ],
)
def test_only_an_html_page_answered_400_or_409_gets_fout(status, content_type, body, title):
    from django.http import HttpResponse
    from django.test import RequestFactory

    from schoolzorg.lib.errors import ErrorInTitle

    def view(request: object) -> HttpResponse:
        return HttpResponse(body, status=status, content_type=content_type)

    response = ErrorInTitle(view)(RequestFactory().get("/"))
    assert _title(response.content.decode()) == title
    # A part of a page (htmx) has no title and stays as it was.
    part = ErrorInTitle(lambda r: HttpResponse("<p>Fout</p>", status=400))(
        RequestFactory().get("/")
    )
    assert part.content == b"<p>Fout</p>"
