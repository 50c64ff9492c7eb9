"""`{% field form.name %}`: one form field with label, help and error, linked for screen readers.

Django marks an invalid widget aria-invalid="true" and points its aria-describedby at
"<id>_helptext" and "<id>_error"; a group of radio buttons or checkboxes is a fieldset that
carries the aria-describedby instead. Options: `note` replaces "(niet verplicht)" after the label
("" for nothing; a form can also set `note` on the field itself, e.g. for two fields of which one
must be filled in), `empty` is said when a group has no choices, and `hidden_end` ends the label
with words only a screen reader says, for a field that comes back on one page (each its own
pupil's name)::

    {% field form.guardians note="" empty="Er is geen ouder met gezag vastgelegd." %}
    {% field form.question hidden_end="over de leerling die u kiest" %}

Written in Python rather than as an included template: the agenda of a care meeting renders some
seventy fields, and an `{% include %}` per field was a third of that page's CPU
(docs/benchmarks.md). Loaded for every template (`builtins` in config/settings.py).
"""

from __future__ import annotations

from typing import Any

from django import template
from django.forms import BoundField
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

NOT_REQUIRED = ' <span class="muted">(niet verplicht)</span>'
NO_CHOICES = "Er is niets om uit te kiezen."


def _e(value: Any) -> str:
    return str(conditional_escape(value))


def _note(field: BoundField, note: str | None) -> str:
    if note is None:  # a form may set its own on the field (`field.note`)
        note = getattr(field.field, "note", None)
    if note:
        return f' <span class="muted">{_e(note)}</span>'
    if note is None and not field.field.required:
        return NOT_REQUIRED
    return ""


def _choices(field: BoundField, empty: str | None) -> str:
    rows = [
        f'<div class="choice">{choice.tag()} '
        f'<label for="{_e(choice.id_for_label)}">{_e(choice.choice_label)}</label></div>'
        for choice in field
    ]
    return "\n  ".join(rows) if rows else f"<p>{_e(empty or NO_CHOICES)}</p>"


def render_field(
    field: BoundField, note: str | None = None, empty: str | None = None, hidden_end: str = ""
) -> str:
    if field.is_hidden:
        return str(field)
    said = f'<span class="visually-hidden"> {_e(hidden_end)}</span>' if hidden_end else ""
    invalid = " form-field--invalid" if field.errors else ""
    if field.use_fieldset:
        described = field.aria_describedby
        aria = f' aria-describedby="{_e(described)}"' if described else ""
        head = (
            f'<fieldset class="form-field{invalid}"{aria}>\n'
            f"  <legend>{_e(field.label)}{said}{_note(field, note)}</legend>\n"
            f"  {_choices(field, empty)}"
        )
        close = "</fieldset>"
    elif field.widget_type == "checkbox":
        label = f'<label for="{_e(field.id_for_label)}">{_e(field.label)}{said}</label>'
        # The box beside its label, as in a group of choices (`.choice`); help and error below.
        head = f'<div class="form-field{invalid}">\n  <div class="choice">{field} {label}</div>'
        close = "</div>"
    else:
        label = (
            f'<label for="{_e(field.id_for_label)}">{_e(field.label)}{said}{_note(field, note)}'
            "</label>"
        )
        head = f'<div class="form-field{invalid}">\n  {label}\n  {field}'
        close = "</div>"
    parts = [head]
    if field.help_text:
        parts.append(f'<p class="help" id="{_e(field.auto_id)}_helptext">{_e(field.help_text)}</p>')
    if field.errors:
        errors = "<br>".join(_e(error) for error in field.errors)
        hidden = '<span class="visually-hidden">Fout: </span>'
        parts.append(f'<p class="error" id="{_e(field.auto_id)}_error">{hidden}{errors}</p>')
    parts.append(close)
    return "\n  ".join(parts)


@register.simple_tag(name="field")
def field_tag(
    field: BoundField, note: str | None = None, empty: str | None = None, hidden_end: str = ""
) -> SafeString:
    return mark_safe(render_field(field, note, empty, hidden_end))  # noqa: S308 (every value is escaped)


def error_line_text(label: Any, error: Any) -> str:
    """A line of the error summary: the field's label, then its error, punctuated as Dutch.

    A label that is a question ("Wat ontbreekt er?") or ends in a colon takes no ": " after it
    ("?: " and "::" read as typing errors); a label with a colon inside ("Ernsttaxatie:
    conclusie") takes a dash, so the line does not have two colons.
    """
    name, text = str(label).strip(), str(error)
    if not name:
        return text
    if name[-1] in "?!.:":
        return f"{name} {text}"
    if ":" in name:
        return f"{name} – {text}"
    return f"{name}: {text}"


@register.filter(name="error_line")
def error_line(label: Any, error: Any) -> SafeString:
    """`{{ field.label|error_line:error }}`: `error_line_text`, escaped."""
    return mark_safe(_e(error_line_text(label, error)))  # noqa: S308 (escaped)
