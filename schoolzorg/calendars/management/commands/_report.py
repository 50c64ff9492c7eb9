"""Printing an import's outcome the same way for every calendar command."""

from __future__ import annotations

from typing import Any

from schoolzorg.calendars.models import ImportBatch


def report(stdout: Any, batch: ImportBatch) -> None:
    stdout.write(
        f"{batch.get_kind_display()}: {batch.created} nieuw, {batch.updated} gewijzigd, "
        f"{batch.unchanged} ongewijzigd, {batch.flagged} te controleren."
    )
    for finding in batch.findings.all():
        where = f"regel {finding.line}: " if finding.line else ""
        stdout.write(f"  [{finding.get_severity_display()}] {where}{finding.message}")
