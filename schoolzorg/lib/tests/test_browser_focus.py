"""In Chromium: links, fields and buttons show one focus style, a yellow ring with a dark ring
around it, and a focused button keeps its own colours (it must not look disabled)."""

from __future__ import annotations

from typing import Any

import pytest

from schoolzorg.accounts.roles import Role
from schoolzorg.organisations.tests.factories import SchoolFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

YELLOW = "rgb(255, 221, 0)"
DARK = "rgb(11, 12, 12)"

# What the page shows of an element: its colours, and its focus ring.
LOOK = """el => {
  const s = getComputedStyle(el);
  return {
    focusVisible: el.matches(':focus-visible'),
    background: s.backgroundColor, color: s.color, border: s.borderTopColor,
    outline: `${s.outlineStyle} ${s.outlineWidth} ${s.outlineColor}`,
    offset: s.outlineOffset, shadow: s.boxShadow,
  };
}"""


def _luminance(rgb: str) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(part) for part in rgb.removeprefix("rgb(").rstrip(")").split(", ")[:3])
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def _contrast(one: str, other: str) -> float:
    a, b = sorted((_luminance(one), _luminance(other)), reverse=True)
    return (a + 0.05) / (b + 0.05)


def _focused(page: Any, selector: str) -> dict[str, str]:
    element = page.locator(selector).first
    before = element.evaluate(LOOK)
    page.keyboard.press("Escape")  # a key, not a click: the browser shows the focus ring
    element.focus()
    after = element.evaluate(LOOK)
    assert after["focusVisible"], selector
    for colour in ("background", "color", "border"):
        assert after[colour] == before[colour], (selector, colour, before, after)
    return after


def test_links_fields_and_buttons_share_one_clearly_visible_focus_ring(page, member, browser_login):
    browser_login(page, member(Role.SUPPORT_COORDINATOR, SchoolFactory()))
    page.goto(page.base_url + "/leerlingen/")
    looks = {
        "menu link": _focused(page, ".site-nav__link"),
        "field": _focused(page, "main input[name=q], main input[type=text]"),
        "button": _focused(page, "main button[type=submit]"),
        # The NL Design System button in the header, which used to turn white when focused.
        "header button": _focused(page, ".site-header__user .utrecht-button"),
    }
    for name, look in looks.items():
        assert look["outline"] == f"solid 3px {DARK}", name
        assert look["offset"] == "3px", name
        assert look["shadow"] == f"{YELLOW} 0px 0px 0px 3px", name
    # The dark ring stands out on the white page, the yellow one on the dark-blue header and
    # buttons, and the two from each other (WCAG 1.4.11: at least 3:1).
    page_background = "rgb(255, 255, 255)"
    header = page.locator(".site-header").evaluate("el => getComputedStyle(el).backgroundColor")
    assert _contrast(DARK, page_background) >= 3
    assert _contrast(YELLOW, header) >= 3
    assert _contrast(YELLOW, looks["button"]["background"]) >= 3
    assert _contrast(YELLOW, DARK) >= 3
