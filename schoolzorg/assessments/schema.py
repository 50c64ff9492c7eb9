"""The shape every instrument definition file must have (JSON Schema, draft 2020-12).

A definition is sections of rows ("items"), then the judgements the professional records. Row
types:

- `scale`: one statement chosen from `options` (the severity assessment's rows);
- `check`: a checkbox with an optional note (signals, risk and protective factors);
- `yesno`: yes or no with an optional note (the decision-framework questions);
- `step`: a date, who, and a note (the reporting-code steps);
- `text`: free text.

A judgement has `choices` the professional picks from (or none: written in words) and always a
written rationale. Nothing in a definition computes a judgement: there are no weights or scores.
"""

from __future__ import annotations

from typing import Any

KEY = {"type": "string", "pattern": "^[a-z][a-z0-9_]{0,59}$"}
TEXT = {"type": "string", "minLength": 1, "maxLength": 2000}

OPTION = {
    "type": "object",
    "required": ["value", "label"],
    "additionalProperties": False,
    "properties": {
        "value": KEY,
        "label": TEXT,
        "help": TEXT,
    },
}

ITEM = {
    "type": "object",
    "required": ["key", "type", "label"],
    "additionalProperties": False,
    "properties": {
        "key": KEY,
        "type": {"enum": ["scale", "check", "yesno", "step", "text"]},
        "label": TEXT,
        "help": TEXT,
        "required": {"type": "boolean"},
        "note": {"type": "boolean", "description": "Offer an optional note with the answer."},
        "options": {"type": "array", "minItems": 2, "items": OPTION},
    },
    "allOf": [
        {
            "if": {"properties": {"type": {"const": "scale"}}},
            "then": {"required": ["options"]},
            "else": {"not": {"required": ["options"]}},
        }
    ],
}

SECTION = {
    "type": "object",
    "required": ["key", "title", "items"],
    "additionalProperties": False,
    "properties": {
        "key": KEY,
        "title": TEXT,
        "intro": TEXT,
        "items": {"type": "array", "minItems": 1, "items": ITEM},
    },
}

CHOICE = {
    "type": "object",
    "required": ["value", "label"],
    "additionalProperties": False,
    "properties": {
        "value": KEY,
        "label": TEXT,
        "help": TEXT,
        # The choice may only be recorded with a legal basis of this kind (e.g. meldrecht).
        "requires_legal_basis": {"enum": ["reporting_right"]},
    },
}

JUDGEMENT = {
    "type": "object",
    "required": ["key", "label"],
    "additionalProperties": False,
    "properties": {
        "key": KEY,
        "label": TEXT,
        "help": TEXT,
        "choices": {"type": "array", "minItems": 2, "items": CHOICE},
        "rationale_label": TEXT,
    },
}

DEFINITION_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://schoolzorg.example/schemas/instrument-definition.json",
    "title": "Schoolzorg instrument definition",
    "type": "object",
    "required": ["code", "version", "title", "source_label", "sections", "judgements"],
    "additionalProperties": False,
    "properties": {
        "code": {"enum": ["severity", "child_safety", "reporting_code"]},
        "version": {"type": "string", "pattern": "^[0-9A-Za-z][0-9A-Za-z._-]{0,39}$"},
        "title": {"type": "string", "minLength": 1, "maxLength": 200},
        "source_label": {"type": "string", "minLength": 1, "maxLength": 300},
        "is_licensed": {"type": "boolean"},
        "intro": TEXT,
        "sections": {"type": "array", "minItems": 1, "items": SECTION},
        "judgements": {"type": "array", "minItems": 1, "items": JUDGEMENT},
        "review": {
            "type": "object",
            "additionalProperties": False,
            "properties": {"required": {"type": "boolean"}, "help": TEXT},
        },
    },
}
