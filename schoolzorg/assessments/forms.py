"""Input shape: the generated form's POST data to answers, and rows for the templates.

Field names per row key `k`: `k` (choice, checkbox or text), `k__note`, and for steps
`k__date`, `k__who`. Judgements: `j__<key>` and `j__<key>__rationale`.
"""

from __future__ import annotations

from typing import Any

from django.http import QueryDict


def answers_from_post(definition: dict[str, Any], post: QueryDict) -> dict[str, Any]:
    """The answers as typed; `definitions.clean_answers` decides what fits."""
    answers: dict[str, Any] = {}
    for section in definition["sections"]:
        for item in section["items"]:
            key = item["key"]
            given: dict[str, Any] = {"note": post.get(f"{key}__note", "")}
            if item["type"] == "step":
                given["date"] = post.get(f"{key}__date", "")
                given["who"] = post.get(f"{key}__who", "")
            else:
                given["value"] = post.get(key, "")
            answers[key] = given
    return answers


def form_rows(
    definition: dict[str, Any], answers: dict[str, Any], errors: dict[str, str] | None = None
) -> list[dict[str, Any]]:
    """Sections with their rows and the current (or just typed) answer, for the fill page."""
    errors = errors or {}
    out = []
    for section in definition["sections"]:
        rows = []
        for item in section["items"]:
            answer = answers.get(item["key"]) or {}
            rows.append(
                {
                    **item,
                    "value": answer.get("value", ""),
                    "is_checked": answer.get("value") in (True, "on", "true", "1"),
                    "note_text": answer.get("note", ""),
                    "date": answer.get("date", ""),
                    "who": answer.get("who", ""),
                    "error": errors.get(item["key"], ""),
                    "options": item.get("options", []),
                    "shows_note": bool(item.get("note")) or item["type"] == "step",
                }
            )
        out.append({**section, "rows": rows})
    return out


def judgements_from_post(
    definition: dict[str, Any], post: QueryDict
) -> tuple[dict[str, str], dict[str, str]]:
    judgement = {j["key"]: post.get(f"j__{j['key']}", "") for j in definition["judgements"]}
    rationale = {
        j["key"]: post.get(f"j__{j['key']}__rationale", "") for j in definition["judgements"]
    }
    return judgement, rationale


def judgement_rows(
    definition: dict[str, Any],
    judgement: dict[str, str],
    rationale: dict[str, str],
    errors: dict[str, str] | None = None,
) -> list[dict[str, Any]]:
    errors = errors or {}
    return [
        {
            **spec,
            "choices": spec.get("choices", []),
            "value": judgement.get(spec["key"], ""),
            "rationale": rationale.get(spec["key"], ""),
            "error": errors.get(spec["key"], ""),
            "needs_legal_basis": any(
                c.get("requires_legal_basis") for c in spec.get("choices", [])
            ),
        }
        for spec in definition["judgements"]
    ]
