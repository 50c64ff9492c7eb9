"""Read-log entries as table lines, ready to print.

The pupil page shows the last ten, the log pages fifty a page; Django's template engine spent
about a tenth of a millisecond per entry on the date, the labels and the lookups, Python a
hundredth (docs/benchmarks.md).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from schoolzorg.audit.models import AccessLogEntry
from schoolzorg.audit.templatetags.audit_tags import basis_label, role_label
from schoolzorg.lib import dates


@dataclass(frozen=True, slots=True)
class LogLine:
    at: str
    user: str
    role: str
    organisation: str
    pupil: str
    action: str
    basis: str
    detail: str


def log_lines(entries: Iterable[AccessLogEntry]) -> list[LogLine]:
    return [
        LogLine(
            at=dates.numeric_time(e.at),
            user=e.user_label,
            role=role_label(e.role),
            organisation=e.organisation_label,
            pupil=str(e.pupil_id) if e.pupil_id else "–",
            action=str(e.get_action_display()),
            basis=basis_label(e.basis),
            detail=e.detail,
        )
        for e in entries
    ]
