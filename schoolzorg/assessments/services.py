"""Every write about instruments and assessments: one transaction each, with a read-log row.

The judgement is the professional's: `complete_assessment` records what they chose and wrote, and
checks only that every required row has an answer and that each judgement has a rationale.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from schoolzorg.assessments import definitions, policies
from schoolzorg.assessments.models import (
    SENSITIVE_CODES,
    Assessment,
    AssessmentStatus,
    InstrumentCode,
    InstrumentDefinition,
)
from schoolzorg.audit.models import Action
from schoolzorg.audit.services import record_access
from schoolzorg.consent.models import Purpose
from schoolzorg.lib.crypto import rotate_text
from schoolzorg.pupils.access import access_basis, active_memberships


class AssessmentError(ValueError):
    """A write that cannot be done, with a Dutch message for the user."""

    def __init__(self, message: str, errors: Mapping[str, str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.errors: dict[str, str] = dict(errors or {})


class NotAllowed(AssessmentError):
    pass


class InvalidAnswers(AssessmentError):
    pass


class IncompleteAssessment(AssessmentError):
    """Required rows or judgements are missing; `missing` lists the rows by label."""

    def __init__(
        self, message: str, missing: list[dict[str, str]], errors: Mapping[str, str] | None = None
    ) -> None:
        super().__init__(message, errors)
        self.missing = missing


class StaleAssessment(AssessmentError):
    pass


# --- Definitions -----------------------------------------------------------------------------


def load_definition(
    data: dict[str, Any],
    *,
    organisation: Any = None,
    by: Any = None,
) -> tuple[InstrumentDefinition, bool]:
    """Validate and store one version; return it and whether it is new.

    Loading the same version again with the same content changes nothing; the same version number
    with other content is refused: a changed instrument is a new version, so assessments made
    with the old one keep meaning what they meant.
    """
    data = definitions.validate(data)
    digest = definitions.content_hash(data)
    with transaction.atomic():
        existing = (
            InstrumentDefinition.objects.select_for_update()
            .filter(
                code=data["code"],
                version=data["version"],
                organisation=organisation,
            )
            .first()
        )
        if existing is not None:
            if existing.content_hash == digest:
                return existing, False
            raise definitions.DefinitionError(
                [
                    definitions.Problem(
                        "version",
                        f"Versie {data['version']} bestaat al met een andere inhoud. "
                        "Geef de nieuwe inhoud een nieuw versienummer.",
                    )
                ]
            )
        created = InstrumentDefinition.objects.create(
            code=data["code"],
            version=data["version"],
            title=data["title"],
            source_label=data["source_label"],
            definition=data,
            is_licensed=bool(data.get("is_licensed", organisation is not None)),
            organisation=organisation,
            content_hash=digest,
            loaded_by=by,
        )
    return created, True


def load_definition_file(
    path: Path | str, *, organisation: Any = None, by: Any = None
) -> tuple[InstrumentDefinition, bool]:
    return load_definition(definitions.read_file(Path(path)), organisation=organisation, by=by)


def load_shipped_definitions() -> list[tuple[InstrumentDefinition, bool]]:
    """Load every definition in data/instruments/ that is not loaded yet (idempotent)."""
    return [load_definition_file(path) for path in definitions.shipped_files()]


# --- Assessments -----------------------------------------------------------------------------


def _basis(user: Any, pupil: Any) -> Any:
    found = access_basis(user, pupil)
    return found[0] if found else None


def _log(assessment: Assessment, *, by: Any, action: str, detail: str) -> None:
    record_access(
        None,
        action=action,
        pupil_id=assessment.pupil_id,
        basis=_basis(by, assessment.pupil),
        obj=assessment,
        detail=detail,
        user=by,
    )


def start_assessment(
    pupil: Any, code: str, *, by: Any, definition: InstrumentDefinition | None = None
) -> Assessment:
    """Start a draft with the version that applies now (the user's organisation's own, if any)."""
    if code not in InstrumentCode.values:
        raise AssessmentError("Dit instrument bestaat niet.")
    if not policies.can_start(by, pupil, code):
        raise NotAllowed("U mag dit instrument voor deze leerling niet invullen.")
    if definition is None:
        organisation_ids = {m.organisation_id for m in active_memberships(by)}
        if pupil.current_school_id:
            organisation_ids.add(pupil.current_school_id)
        definition = InstrumentDefinition.objects.current(code, organisation_ids)
    if definition is None or definition.code != code:
        raise AssessmentError("Er is nog geen versie van dit instrument geladen.")
    with transaction.atomic():
        assessment = Assessment.objects.create(
            pupil=pupil,
            definition=definition,
            is_child_safety=code in SENSITIVE_CODES,
            created_by=by,
        )
        _log(assessment, by=by, action=Action.CREATE, detail=f"{definition.title} gestart")
    return assessment


def save_answers(
    assessment: Assessment,
    answers: dict[str, Any],
    *,
    by: Any,
    expected_revision: int | None = None,
) -> Assessment:
    """Store the draft's answers (all of them, replacing the previous ones).

    Nothing is stored when an answer does not fit; the error names the row. With
    `expected_revision`, a draft changed elsewhere in the meantime is refused, not overwritten.
    """
    if not policies.can_edit(by, assessment):
        raise NotAllowed("Dit instrument kan niet meer worden gewijzigd.")
    cleaned, errors = definitions.clean_answers(assessment.definition.definition, answers)
    if errors:
        raise InvalidAnswers("Niet alle antwoorden konden worden opgeslagen.", errors)
    probe = Assessment(answers_json="")
    probe.answers = cleaned
    with transaction.atomic():
        qs = Assessment.objects.filter(pk=assessment.pk, status=AssessmentStatus.DRAFT)
        if expected_revision is not None:
            qs = qs.filter(revision=expected_revision)
        updated = qs.update(
            answers_json=probe.answers_json, revision=F("revision") + 1, updated_at=timezone.now()
        )
        if not updated:
            raise StaleAssessment(
                "Dit concept is intussen ergens anders gewijzigd of afgerond. "
                "Laad de pagina opnieuw; uw invoer staat hieronder nog."
            )
        _log(assessment, by=by, action=Action.UPDATE, detail="antwoorden opgeslagen")
    assessment.refresh_from_db()
    return assessment


# What a basis for the reporting code's "report without consent" must be for (meldrecht).
REPORT = Purpose.REPORT_TO_VEILIG_THUIS


def complete_assessment(
    assessment: Assessment,
    *,
    judgement: str | dict[str, str],
    rationale: str | dict[str, str],
    by: Any,
    legal_basis: Any = None,
) -> Assessment:
    """Record the professional's judgement and rationale and close the draft.

    Refused, with the list of missing rows, while required rows are unanswered. For several
    judgements (current and future safety) pass mappings by judgement key. A reporting-code
    decision to report without consent needs a legal basis of kind `reporting_right`.
    """
    if not policies.can_edit(by, assessment):
        raise NotAllowed("Dit instrument kan niet meer worden gewijzigd.")
    definition = assessment.definition.definition
    missing = definitions.missing_required(definition, assessment.answers)
    recorded, errors = definitions.clean_judgements(definition, judgement, rationale)
    for item in recorded:
        spec = definitions.choice_spec(definition, item["key"], item["choice"])
        needed = spec.get("requires_legal_basis") if spec else None
        if needed and (
            legal_basis is None
            or legal_basis.kind != needed
            or legal_basis.pupil_id != assessment.pupil_id
            or not legal_basis.grounds(REPORT)
        ):
            errors[item["key"]] = (
                "Melden zonder toestemming kan alleen met een vastgelegde grondslag "
                "'meldrecht' voor deze leerling, met als doel 'Melden bij Veilig Thuis'."
            )
    if missing or errors:
        lines = [f"{m['section']}: {m['label']}" for m in missing]
        message = (
            "Nog niet ingevuld: " + "; ".join(lines) + "."
            if missing
            else "Het oordeel is nog niet compleet."
        )
        raise IncompleteAssessment(message, missing, errors)
    needs_basis = any(
        (definitions.choice_spec(definition, r["key"], r["choice"]) or {}).get(
            "requires_legal_basis"
        )
        for r in recorded
    )
    now = timezone.now()
    with transaction.atomic():
        probe = Assessment()
        probe.judgements = recorded
        summary = "\n".join(
            f"{r['label']}: {r['choice_label']}" if len(recorded) > 1 else r["choice_label"]
            for r in recorded
        )
        reasons = "\n\n".join(
            f"{r['label']}: {r['rationale']}" if len(recorded) > 1 else r["rationale"]
            for r in recorded
        )
        updated = Assessment.objects.filter(pk=assessment.pk, status=AssessmentStatus.DRAFT).update(
            status=AssessmentStatus.COMPLETED,
            judgement=summary,
            rationale=reasons,
            judgements_json=probe.judgements_json,
            legal_basis=legal_basis if needs_basis else None,
            completed_by=by,
            completed_at=now,
            revision=F("revision") + 1,
            updated_at=now,
        )
        if not updated:
            raise StaleAssessment("Dit instrument is intussen al afgerond.")
        _log(assessment, by=by, action=Action.UPDATE, detail="afgerond")
    assessment.refresh_from_db()
    return assessment


def review_assessment(assessment: Assessment, *, reviewer: Any, by: Any) -> Assessment:
    """Record that a named colleague, not the author, reviewed the completed assessment."""
    if reviewer is None or reviewer.pk in (assessment.completed_by_id, assessment.created_by_id):
        raise NotAllowed("Een collega die het instrument niet zelf invulde, bespreekt het.")
    if not policies.can_review(reviewer, assessment):
        raise NotAllowed("Deze collega kan dit instrument niet beoordelen.")
    now = timezone.now()
    with transaction.atomic():
        updated = Assessment.objects.filter(
            pk=assessment.pk, status=AssessmentStatus.COMPLETED
        ).update(
            status=AssessmentStatus.REVIEWED,
            reviewed_by=reviewer,
            reviewed_at=now,
            revision=F("revision") + 1,
            updated_at=now,
        )
        if not updated:
            raise StaleAssessment("Dit instrument is intussen al besproken.")
        _log(assessment, by=by, action=Action.UPDATE, detail=f"besproken met {reviewer}")
    assessment.refresh_from_db()
    return assessment


ENCRYPTED_COLUMNS = ("answers_json", "judgement", "rationale", "judgements_json")


def rotate_encryption(batch_size: int = 500) -> int:
    """Re-encrypt every assessment's encrypted columns with the newest key; return rows done.

    Works on the stored tokens directly, so no plain text passes through model code.
    """
    table = connection.ops.quote_name(Assessment._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(c) for c in ENCRYPTED_COLUMNS)
    done = 0
    last = 0
    while True:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                f"SELECT id, {columns} FROM {table} WHERE id > %s ORDER BY id LIMIT %s",  # noqa: S608
                [last, batch_size],
            )
            rows = cursor.fetchall()
            for row in rows:
                values = [rotate_text(v) if v else v for v in row[1:]]
                sets = ", ".join(f"{connection.ops.quote_name(c)} = %s" for c in ENCRYPTED_COLUMNS)
                cursor.execute(
                    f"UPDATE {table} SET {sets} WHERE id = %s",  # noqa: S608
                    [*values, row[0]],
                )
        if not rows:
            return done
        done += len(rows)
        last = rows[-1][0]
