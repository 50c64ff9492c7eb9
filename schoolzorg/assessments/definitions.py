"""Reading and checking instrument definitions, and checking answers against them.

No database here: the loader in `services.py` stores what this module accepts.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from jsonschema import Draft202012Validator

from schoolzorg.assessments.schema import DEFINITION_SCHEMA
from schoolzorg.lib.csvfiles import os_reason
from schoolzorg.lib.dates import numeric

SHIPPED_DIR = Path(__file__).resolve().parents[2] / "data" / "instruments"
NOTE_MAX = 5000
SHORT_MAX = 200


@dataclass(frozen=True)
class Problem:
    """One thing wrong in a definition, with where it is (`sections[1].items[0].options`)."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path or '(document)'}: {self.message}"


class DefinitionError(ValueError):
    """The definition does not fit the schema; nothing was loaded."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("; ".join(str(p) for p in problems))


def _path(parts: Any) -> str:
    out = ""
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def parse_text(text: str) -> Any:
    """YAML (or JSON, which is YAML) to plain data; a syntax error becomes a DefinitionError."""
    try:
        return yaml.safe_load(text)
    except RecursionError as exc:  # `[[[[...]]]]` deeper than the YAML reader goes
        raise DefinitionError(
            [Problem("(document)", "Geen geldige YAML: er staan te veel haakjes in elkaar.")]
        ) from exc
    except yaml.YAMLError as exc:
        # PyYAML's own text is English ("mapping values are not allowed here"): only where.
        mark = getattr(exc, "problem_mark", None)
        where = f": regel {mark.line + 1}, kolom {mark.column + 1}" if mark else ""
        raise DefinitionError(
            [Problem("(bestand)", f"Het bestand is geen geldige YAML{where}.")]
        ) from exc


# What a schema type is called in a message, and what a value found is.
_TYPE_NAMES = {
    "string": "een tekst",
    "object": "een groep velden (naam: waarde)",
    "array": "een lijst",
    "boolean": "ja of nee (true of false)",
    "integer": "een geheel getal",
    "number": "een getal",
    "null": "leeg",
}


def _kind_of(value: Any) -> str:
    if value is None:
        return "leeg"
    if isinstance(value, bool):
        return "ja of nee"
    if isinstance(value, int | float):
        return f"het getal {value}"
    if isinstance(value, str):
        return "een tekst"
    if isinstance(value, list):
        return "een lijst"
    if isinstance(value, dict):
        return "een groep velden"
    return "iets anders"


def _short(value: Any) -> str:
    text = str(value)
    return f"'{text[:60]}…'" if len(text) > 60 else f"'{text}'"


def dutch_message(error: Any) -> str:
    """A jsonschema error in plain Dutch, by the kind of rule it broke (never its English)."""
    kind, rule, value = error.validator, error.validator_value, error.instance
    if kind == "type":
        wanted = rule if isinstance(rule, list) else [rule]
        if not error.path and value is None:
            return "Het bestand is leeg; verwacht een groep velden (code, version, title, ...)."
        names = " of ".join(_TYPE_NAMES.get(str(t), str(t)) for t in wanted)
        return f"Moet {names} zijn, maar is {_kind_of(value)}."
    if kind == "required" and isinstance(value, dict):
        missing = [str(p) for p in rule if p not in value]
        return (
            f"Het veld {', '.join(missing)} ontbreekt."
            if len(missing) == 1
            else (f"De velden {', '.join(missing)} ontbreken.")
        )
    if kind == "additionalProperties" and isinstance(value, dict):
        known = set(error.schema.get("properties", {}))
        extra = sorted(str(k) for k in value if k not in known)
        return (
            f"Onbekend veld: {', '.join(extra)}. Controleer de spelling; toegestaan zijn: "
            f"{', '.join(sorted(known))}."
        )
    if kind == "enum":
        return (
            f"Moet een van deze waarden zijn: {', '.join(map(str, rule))} (niet {_short(value)})."
        )
    if kind == "const":
        return f"Moet {_short(rule)} zijn (niet {_short(value)})."
    if kind == "minLength":
        return "Mag niet leeg zijn." if rule == 1 else f"Moet minstens {rule} tekens hebben."
    if kind == "maxLength":
        return f"Mag hoogstens {rule} tekens hebben."
    if kind == "minItems":
        return f"Moet minstens {rule} onderdelen hebben."
    if kind == "maxItems":
        return f"Mag hoogstens {rule} onderdelen hebben."
    if kind == "pattern":
        if error.path and error.path[-1] == "version":
            how = "letters, cijfers, punt, - en _, beginnend met een letter of cijfer"
        else:
            how = "kleine letters, cijfers en _, beginnend met een letter"
        return f"{_short(value)} heeft niet de goede vorm: gebruik {how}."

    if kind == "not" and isinstance(value, dict) and "options" in value:
        return "Keuzes (options) horen alleen bij een vraag van het type scale."
    return "Past niet bij de opbouw die een instrument moet hebben."


def validate(data: Any) -> dict[str, Any]:
    """Return the definition when it is valid; raise DefinitionError listing every problem."""
    validator = Draft202012Validator(DEFINITION_SCHEMA)
    problems = [
        Problem(_path(error.absolute_path), dutch_message(error))
        for error in sorted(validator.iter_errors(data), key=lambda e: list(map(str, e.path)))
    ]
    if problems:
        # A missing field is one error each, and each names all that are missing: once.
        raise DefinitionError(list(dict.fromkeys(problems)))
    assert isinstance(data, dict)
    problems.extend(_check_keys(data))
    if data["code"] == "child_safety" and not data.get("review", {}).get("required"):
        problems.append(
            Problem("review.required", "Een veiligheidsinschatting wordt altijd besproken.")
        )
    if problems:
        raise DefinitionError(problems)
    return data


def _check_keys(data: dict[str, Any]) -> list[Problem]:
    problems: list[Problem] = []
    seen_sections: set[str] = set()
    seen_items: set[str] = set()
    for s, section in enumerate(data["sections"]):
        if section["key"] in seen_sections:
            problems.append(
                Problem(f"sections[{s}].key", f"'{section['key']}' komt twee keer voor.")
            )
        seen_sections.add(section["key"])
        for i, item in enumerate(section["items"]):
            if item["key"] in seen_items:
                problems.append(
                    Problem(
                        f"sections[{s}].items[{i}].key", f"'{item['key']}' komt twee keer voor."
                    )
                )
            seen_items.add(item["key"])
            values = [o["value"] for o in item.get("options", [])]
            if len(values) != len(set(values)):
                problems.append(
                    Problem(f"sections[{s}].items[{i}].options", "Twee keuzes met dezelfde waarde.")
                )
    seen_judgements: set[str] = set()
    for j, judgement in enumerate(data["judgements"]):
        if judgement["key"] in seen_judgements:
            problems.append(
                Problem(f"judgements[{j}].key", f"'{judgement['key']}' komt twee keer voor.")
            )
        seen_judgements.add(judgement["key"])
        values = [c["value"] for c in judgement.get("choices", [])]
        if len(values) != len(set(values)):
            problems.append(Problem(f"judgements[{j}].choices", "Twee keuzes met dezelfde waarde."))
    return problems


def read_file(path: Path) -> dict[str, Any]:
    """Read and validate one definition file."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise DefinitionError(
            [Problem("(bestand)", f"Kan {path} niet lezen: {os_reason(exc)}")]
        ) from exc
    except UnicodeDecodeError as exc:
        raise DefinitionError(
            [Problem("(bestand)", f"Kan {path} niet lezen: het is geen tekst in UTF-8")]
        ) from exc
    return validate(parse_text(text))


def content_hash(data: dict[str, Any]) -> str:
    return hashlib.sha256(
        json.dumps(data, sort_keys=True, ensure_ascii=False).encode("utf-8")
    ).hexdigest()


def shipped_files() -> list[Path]:
    return sorted(SHIPPED_DIR.glob("*.yaml"))


# --- Answers ---------------------------------------------------------------------------------


def _items(definition: dict[str, Any]) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    return [(section, item) for section in definition["sections"] for item in section["items"]]


def _text(value: Any, limit: int) -> str:
    return str(value or "").strip()[:limit] if not isinstance(value, (dict, list)) else ""


def clean_answers(
    definition: dict[str, Any], raw: dict[str, Any]
) -> tuple[dict[str, Any], dict[str, str]]:
    """Keep the answers that fit the definition; return them with a Dutch message per bad row.

    Unknown rows are ignored (a stale form after a new version); empty answers are left out.
    """
    cleaned: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for _section, item in _items(definition):
        key, kind = item["key"], item["type"]
        given = raw.get(key)
        if not isinstance(given, dict):
            continue
        note = _text(given.get("note"), NOTE_MAX)
        if len(str(given.get("note") or "")) > NOTE_MAX:
            errors[key] = f"De toelichting is te lang (ten hoogste {NOTE_MAX} tekens)."
            continue
        answer: dict[str, Any] = {}
        if kind == "scale":
            value = _text(given.get("value"), SHORT_MAX)
            allowed = {o["value"] for o in item["options"]}
            if value and value not in allowed:
                errors[key] = "Kies een van de uitspraken."
                continue
            if value:
                answer["value"] = value
        elif kind == "check":
            if given.get("value") in (True, "on", "true", "1", 1):
                answer["value"] = True
        elif kind == "yesno":
            value = _text(given.get("value"), 3)
            if value and value not in ("yes", "no"):
                errors[key] = "Kies ja of nee."
                continue
            if value:
                answer["value"] = value
        elif kind == "step":
            day = _text(given.get("date"), 10)
            if day:
                try:
                    parsed = dt.date.fromisoformat(day)
                except ValueError:
                    errors[key] = "Vul een geldige datum in (dag-maand-jaar)."
                    continue
                if parsed.year < 2000 or parsed > dt.date.today() + dt.timedelta(days=366):
                    errors[key] = "Deze datum ligt te ver van vandaag."
                    continue
                answer["date"] = parsed.isoformat()
            who = _text(given.get("who"), SHORT_MAX)
            if who:
                answer["who"] = who
        elif kind == "text":
            if len(str(given.get("value") or "")) > NOTE_MAX:
                errors[key] = f"De tekst is te lang (ten hoogste {NOTE_MAX} tekens)."
                continue
            value = _text(given.get("value"), NOTE_MAX)
            if value:
                answer["value"] = value
        if note and (item.get("note") or kind == "step"):
            answer["note"] = note
        if answer:
            cleaned[key] = answer
    return cleaned, errors


def is_answered(item: dict[str, Any], answer: dict[str, Any] | None) -> bool:
    if not answer:
        return False
    if item["type"] == "step":
        return bool(answer.get("date") and answer.get("who"))
    if item["type"] == "check":
        return True
    return bool(answer.get("value"))


def missing_required(definition: dict[str, Any], answers: dict[str, Any]) -> list[dict[str, str]]:
    """The required rows without an answer, in order: key, label and section title."""
    return [
        {"key": item["key"], "label": item["label"], "section": section["title"]}
        for section, item in _items(definition)
        if item.get("required") and not is_answered(item, answers.get(item["key"]))
    ]


def describe_answers(definition: dict[str, Any], answers: dict[str, Any]) -> list[dict[str, Any]]:
    """Every row with the answer in words, for reading the chosen statements side by side."""
    rows: list[dict[str, Any]] = []
    for section, item in _items(definition):
        answer = answers.get(item["key"]) or {}
        kind = item["type"]
        shown = ""
        if kind == "scale" and answer.get("value"):
            shown = next((o["label"] for o in item["options"] if o["value"] == answer["value"]), "")
        elif kind == "check":
            shown = "Ja" if answer.get("value") else ""
        elif kind == "yesno" and answer.get("value"):
            shown = "Ja" if answer["value"] == "yes" else "Nee"
        elif kind == "step":
            parts = []
            if answer.get("date"):
                parts.append(numeric(dt.date.fromisoformat(answer["date"])))
            if answer.get("who"):
                parts.append(answer["who"])
            shown = ", ".join(parts)
        elif kind == "text":
            shown = answer.get("value", "")
        rows.append(
            {
                "section": section["title"],
                "section_key": section["key"],
                "key": item["key"],
                "label": item["label"],
                "type": kind,
                "answer": shown,
                "value": answer.get("value"),
                "note": answer.get("note", ""),
                "is_answered": is_answered(item, answer or None),
                "required": bool(item.get("required")),
            }
        )
    return rows


def clean_judgements(
    definition: dict[str, Any],
    judgement: str | dict[str, str],
    rationale: str | dict[str, str],
) -> tuple[list[dict[str, str]], dict[str, str]]:
    """Match the professional's judgement(s) and rationale(s) to the definition.

    A definition with one judgement takes plain strings; with several, mappings by judgement key.
    Returns the recorded judgements and a Dutch message per judgement that is missing or wrong.
    """
    specs = definition["judgements"]
    if isinstance(judgement, str):
        judgement = {specs[0]["key"]: judgement} if len(specs) == 1 else {}
    if isinstance(rationale, str):
        rationale = {specs[0]["key"]: rationale} if len(specs) == 1 else {}
    recorded: list[dict[str, str]] = []
    errors: dict[str, str] = {}
    for spec in specs:
        key = spec["key"]
        choice = str(judgement.get(key) or "").strip()
        reason = str(rationale.get(key) or "").strip()
        choices = spec.get("choices")
        label = choice
        if not choice:
            errors[key] = f"Vul in: {spec['label'].lower()}."
        elif choices:
            found = next((c for c in choices if c["value"] == choice), None)
            if found is None:
                errors[key] = f"Kies een van de mogelijkheden bij '{spec['label']}'."
            else:
                label = found["label"]
        elif len(choice) > NOTE_MAX:
            errors[key] = f"Het oordeel is te lang (ten hoogste {NOTE_MAX} tekens)."
        if not reason and key not in errors:
            errors[key] = f"Schrijf een onderbouwing bij '{spec['label']}'."
        elif len(reason) > NOTE_MAX:
            errors[key] = f"De onderbouwing is te lang (ten hoogste {NOTE_MAX} tekens)."
        recorded.append(
            {
                "key": key,
                "label": spec["label"],
                "choice": choice,
                "choice_label": label,
                "rationale": reason,
            }
        )
    return recorded, errors


def choice_spec(definition: dict[str, Any], key: str, value: str) -> dict[str, Any] | None:
    for spec in definition["judgements"]:
        if spec["key"] == key:
            return next((c for c in spec.get("choices", []) if c["value"] == value), None)
    return None
