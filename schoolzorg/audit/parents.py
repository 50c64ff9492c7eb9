"""The overview for a pupil's parents: who looked at the file, one line per person and role.

Parents have no account (ADR 0201). The support coordinator prints this overview for them when
they ask who looked (AVG art. 15; NEN 7513): every read-log entry of the pupil, counted per
person in the role and organisation they read in, with the first and last time, and why they
could: the basis of each read in words for parents (`PARENT_REASONS`), so a parent can tell a
read under their own consent (which they can withdraw) from one by the school's own staff.

Break-the-glass is told as what it was: how many times someone opened emergency access (one
grant, the read-log entry that opened it) and how often the file was read under it, not every
read as one more emergency.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, F, Max, Min, Q
from django.template.loader import render_to_string
from django.utils import timezone

from schoolzorg.audit.models import AccessLogEntry, BreakGlassGrant
from schoolzorg.audit.templatetags.audit_tags import basis_label
from schoolzorg.lib.pdf import html_to_pdf

# Why someone could look, said to the parents (the read log's basis kinds).
PARENT_REASONS = {
    "membership": "werkt op de school",
    "school_staff": "werkt op de school",
    "school_file": "intern begeleider van een vorige school van uw kind, die het dossier bewaart",
    "own_group": "leerkracht van de groep",
    "care_team_consent": "er is toestemming om uw kind in het zorgteam te bespreken",
    "break_the_glass": "noodtoegang",
    "privacy_oversight": "controle door de privacyfunctionaris",
    "consent_ledger": "om een toestemming vast te leggen of te bekijken",
    "case": "betrokken bij de zorg voor uw kind op school",
    "referral": "uw kind is aangemeld bij het wijkteam",
    "escalation": "de aanmelding bij het wijkteam liep vertraging op; het servicepunt kijkt mee",
    "destruction_request": "om te beslissen over uw verzoek om het dossier te vernietigen",
    "plan": "heeft een taak in het plan voor uw kind",
}


def parent_reason(basis: str) -> str:
    return PARENT_REASONS.get(basis) or basis_label(basis)


@dataclass
class Reader:
    user_id: int | None
    name: str
    role: str
    organisation: str
    times: int
    first: dt.datetime
    last: dt.datetime
    emergencies: int  # how many times they opened break-the-glass (grants)
    emergency_reads: int  # of `times`, how many reads under those grants
    reasons: list[str]  # why they could look, the most frequent first


# Paragraphs higher apps add for the parents (title, text), e.g. retention: how long the file is
# kept and how to ask for early destruction. Registered in their AppConfig.ready() (ADR 0002).
ParentsNote = Callable[[Any], tuple[str, str] | None]
_NOTES: list[ParentsNote] = []


def register_note(note: ParentsNote) -> None:
    if note not in _NOTES:
        _NOTES.append(note)


BREAK_THE_GLASS = "break_the_glass"
# The entry `grant_break_glass` writes when it opens the file: an emergency access, not a read.
_OPENS_GRANT = Q(object_type=BreakGlassGrant._meta.label)


def readers(pupil_id: int) -> list[Reader]:
    """Everyone who read the pupil's data, the most recent reader first."""
    rows = (
        AccessLogEntry.objects.filter(pupil_id=pupil_id)
        .values(
            "user_id", "role", "basis", name=F("user_label"), organisation=F("organisation_label")
        )
        .annotate(
            times=Count("id"),
            first=Min("at"),
            last=Max("at"),
            # Every entry under a grant names it (`basis_ref`), the one that opened it too.
            grants=Count("basis_ref", distinct=True, filter=Q(basis=BREAK_THE_GLASS)),
            opened=Count("id", filter=Q(basis=BREAK_THE_GLASS) & _OPENS_GRANT),
        )
        .order_by("-times", "basis")
    )
    found: dict[tuple[Any, ...], Reader] = {}
    for row in rows:
        key = (row["user_id"], row["name"], row["role"], row["organisation"])
        reader = found.get(key)
        if reader is None:
            reader = found[key] = Reader(*key, 0, row["first"], row["last"], 0, 0, [])
        reader.times += row["times"]
        reader.first, reader.last = min(reader.first, row["first"]), max(reader.last, row["last"])
        if row["basis"] == BREAK_THE_GLASS:
            reader.emergencies += row["grants"]
            reader.emergency_reads += row["times"] - row["opened"]
        if (reason := parent_reason(row["basis"])) not in reader.reasons:
            reader.reasons.append(reason)
    return sorted(found.values(), key=lambda r: (-r.last.timestamp(), r.name))


def overview_html(pupil: Any, *, printed_by: Any) -> str:
    found = readers(pupil.pk)
    return render_to_string(
        "audit/parents_pdf.html",
        {
            "pupil": pupil,
            "readers": found,
            "since": min((r.first for r in found), default=None),
            "total": sum(r.times for r in found),
            # A person who read in two roles is two rows and one person.
            "people": len({r.user_id for r in found}),
            "emergencies": sum(r.emergencies for r in found),
            "emergency_reads": sum(r.emergency_reads for r in found),
            "printed_at": timezone.now(),
            "printed_by": printed_by,
            "notes": [text for note in _NOTES if (text := note(pupil)) is not None],
        },
    )


def render_pdf(pupil: Any, *, printed_by: Any) -> bytes:
    return html_to_pdf(overview_html(pupil, printed_by=printed_by))
