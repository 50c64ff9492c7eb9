"""Printing an import's outcome, and a refused file, the same way for every calendar command."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from schoolzorg.calendars.importing import ImportRefused
from schoolzorg.calendars.models import ImportBatch
from schoolzorg.lib.csvfiles import os_reason


def report(stdout: Any, batch: ImportBatch) -> None:
    stdout.write(
        f"{batch.get_kind_display()}: {batch.created} nieuw, {batch.updated} gewijzigd, "
        f"{batch.unchanged} ongewijzigd, {batch.flagged} te controleren."
    )
    for finding in batch.findings.all():
        where = f"regel {finding.line}: " if finding.line else ""
        stdout.write(f"  [{finding.get_severity_display()}] {where}{finding.message}")


def read(path: str) -> bytes:
    """The file's bytes; a file that cannot be opened is refused in Dutch, by name."""
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        raise ImportRefused([f"het bestand kan niet worden gelezen: {os_reason(exc)}"]) from exc


def refusal(path: str, exc: ImportRefused) -> str:
    """Why a file was refused: its name, then every problem on a line of its own."""
    return "\n".join(
        [f"{Path(path).name}: het bestand is geweigerd.", *(f"  {p}" for p in exc.problems)]
    )
