"""A form renderer that writes Django's plain widgets in Python, the rest through templates.

Django renders every widget, and every `<option>` of a select, through its own template and an
include of `attrs.html`. A care meeting's agenda with ten decision forms renders some seventy
widgets and several hundred options that way, which was most of that page's CPU. This renderer
produces the same HTML for Django's input, textarea, select and option templates directly (a
test compares it with Django's own output for every widget type it handles) and passes every
other template, and every template a project would override, to Django as usual.

Configured as `FORM_RENDERER` in config/settings.py.
"""

from __future__ import annotations

import html
from typing import Any

from django.forms.renderers import DjangoTemplates
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.timezone import template_localtime  # type: ignore[attr-defined]

_WIDGETS = "django/forms/widgets/"
# Templates that are exactly `{% include "django/forms/widgets/input.html" %}` in Django.
INPUT_TEMPLATES = frozenset(
    _WIDGETS + name
    for name in (
        "input.html",
        "text.html",
        "date.html",
        "datetime.html",
        "time.html",
        "hidden.html",
        "email.html",
        "number.html",
        "password.html",
        "search.html",
        "tel.html",
        "url.html",
        "checkbox.html",
    )
)
SELECT_TEMPLATE = _WIDGETS + "select.html"
OPTION_TEMPLATE = _WIDGETS + "select_option.html"
TEXTAREA_TEMPLATE = _WIDGETS + "textarea.html"


def _text(value: Any) -> str:
    """`{{ value }}` in a template with autoescaping on."""
    if type(value) is str:  # the common case, as Django's own `escape` does it
        return html.escape(value)
    return str(conditional_escape(str(localize(template_localtime(value)))))


def _raw(value: Any) -> str:
    """`{{ value|stringformat:'s' }}`: no localisation, escaped unless already safe."""
    if type(value) is str:
        return html.escape(value)
    return str(conditional_escape(value if hasattr(value, "__html__") else str(value)))


def _attrs(attrs: dict[str, Any]) -> str:
    """Django's `attrs.html`: False leaves the attribute out, True writes its bare name."""
    parts = []
    for name, value in attrs.items():
        if value is False:
            continue
        if value is True:
            parts.append(f" {_text(name)}")
        else:
            parts.append(f' {_text(name)}="{_raw(value)}"')
    return "".join(parts)


def _input(widget: dict[str, Any]) -> str:
    value = widget["value"]
    html = f'<input type="{_text(widget["type"])}" name="{_text(widget["name"])}"'
    if value is not None:
        html += f' value="{_raw(value)}"'
    return html + _attrs(widget["attrs"]) + ">"


def _option(option: dict[str, Any]) -> str:
    """`select_option.html`, included: its final newline stays in the select."""
    return (
        f'<option value="{_raw(option["value"])}"{_attrs(option["attrs"])}>'
        f"{_text(option['label'])}</option>\n"
    )


class FastRenderer(DjangoTemplates):
    def render(self, template_name: str, context: dict[str, Any], request: Any = None) -> str:
        widget = context.get("widget")
        if widget is not None:
            html = self._render_widget(template_name, widget)
            if html is not None:
                return html
        return super().render(template_name, context, request)

    def _render_widget(self, template_name: str, widget: dict[str, Any]) -> str | None:
        if template_name in INPUT_TEMPLATES:
            return _input(widget)
        if template_name == TEXTAREA_TEMPLATE:
            value = _text(widget["value"]) if widget["value"] else ""
            return f'<textarea name="{_text(widget["name"])}"{_attrs(widget["attrs"])}>\n{value}</textarea>'
        if template_name == SELECT_TEMPLATE:
            parts = [f'<select name="{_text(widget["name"])}"{_attrs(widget["attrs"])}>']
            for group_name, options, _index in widget["optgroups"]:
                if group_name:
                    parts.append(f'\n  <optgroup label="{_text(group_name)}">')
                for option in options:
                    if option["template_name"] != OPTION_TEMPLATE:
                        return None  # a custom option template: let Django render all of it
                    parts.append("\n  " + _option(option))
                if group_name:
                    parts.append("\n  </optgroup>")
            parts.append("\n</select>")
            return "".join(parts)
        return None
