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
