"""Rules every page template keeps, checked on the template files themselves."""

from __future__ import annotations

import re
from pathlib import Path

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
FORM_TAG = re.compile(r"<form\b(?:[^>{]|\{[{%#].*?[}%#]\})*>", re.DOTALL)


def test_every_form_leaves_checking_to_the_server() -> None:
    """Every form carries `novalidate`: an empty or wrong field gets the Dutch error summary
    and an error text tied to the field, kept on the page, as everywhere else. Without it the
    browser shows its own bubble for a `required` field for a few seconds, in the browser's
    language ("Please fill out this field."), and sends nothing (tester finding). The admin's
    own search form is Django's."""
    missing = [
        f"{path.relative_to(TEMPLATES)}: {tag[:80]}"
        for path in sorted(TEMPLATES.rglob("*.html"))
        if "admin" not in path.relative_to(TEMPLATES).parts
        for tag in FORM_TAG.findall(path.read_text(encoding="utf-8"))
        if "novalidate" not in tag
    ]
    assert not missing, missing
    assert FORM_TAG.findall('<form method="post" action="{% url \'x\' a.pk %}" novalidate>') == [
        '<form method="post" action="{% url \'x\' a.pk %}" novalidate>'
    ]
