"""`{% filter page_title %}…{% endfilter %}`: the browser tab's title, "Inloggen – Schoolzorg".

The base template wraps the page's `title` block in it, so a page gives only its own name and
a page without one is just "Schoolzorg". A page that came back after a form was sent (400,
409) gets "Fout: " before all that (`lib.errors.ErrorInTitle`). Loaded for every template (`builtins` in
config/settings.py).
"""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

SITE_NAME = "Schoolzorg"


@register.filter(is_safe=True)
def page_title(value: str) -> SafeString:
    """The page's own name (already escaped by the template) followed by the site's name."""
    name = " ".join(str(value).split())
    return mark_safe(f"{name} – {SITE_NAME}" if name else SITE_NAME)  # noqa: S308
