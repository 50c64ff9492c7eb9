"""The ground for sharing a referral with its team: a consent or a legal basis in force today.

Sharing the pupil's data with the neighbourhood team needs a complete consent "Delen met het
wijkteam" (or a legal basis for that purpose, of a kind that can ground it: never meldrecht)
that names the team or no organisation, in force on the day. Sending checks it, and so does every read afterwards: when the ground ends
(withdrawn, expired) the referral no longer opens the pupil's file or the document for the team
(`access._file_referrals_q`, `policies.sees_content`); the team keeps the referral's progress,
as the service desk has it (ADR 0401, "Ground for sharing").

One definition of the rule: `has_share_basis` asks it for one referral, `share_basis_q` puts it
in SQL over `Referral` (the access rules, the sweep); both are built from `_consents` and
`_bases`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.formats import date_format

from schoolzorg.consent.models import Consent, LegalBasis, Purpose

PURPOSE = Purpose.SHARE_WITH_NEIGHBOURHOOD_TEAM


def _consents(pupil: Any, team: Any, day: dt.date | None) -> QuerySet[Consent]:
    """Complete consents to share with the team in force on the day (none named: every team).

    `pupil` and `team` are ids or `OuterRef`s to a referral's columns.
    """
    return (
        Consent.objects.in_force(day)
        .filter(pupil=pupil, purpose=PURPOSE)
        .filter(Q(recipient__isnull=True) | Q(recipient=team))
    )


def _bases(pupil: Any, team: Any, day: dt.date | None) -> QuerySet[LegalBasis]:
    """Legal bases to share with the team in force on the day (none named: every team), of a
    kind that can ground it: never meldrecht, which grounds only the report to Veilig Thuis
    (`consent.models.BASIS_PURPOSES`)."""
    return (
        LegalBasis.objects.in_force(day)
        .grounding(PURPOSE)
        .filter(pupil=pupil)
        .filter(Q(recipient__isnull=True) | Q(recipient=team))
    )


def share_basis_q(day: dt.date | None = None) -> Q:
    """Referrals whose pupil may be shared with their team on the day (today when None)."""
    pupil, team = OuterRef("pupil_id"), OuterRef("team_id")
    return Q(Exists(_consents(pupil, team, day))) | Q(Exists(_bases(pupil, team, day)))


def has_share_basis(referral: Any, day: dt.date | None = None) -> bool:
    """A consent or legal basis to share with the referral's team is in force on the day."""
    if referral.team_id is None:
        return False
    return (
        _consents(referral.pupil_id, referral.team_id, day).exists()
        or _bases(referral.pupil_id, referral.team_id, day).exists()
    )


@dataclass(frozen=True)
class ShareEnd:
    """The ground for sharing ended: the first day without one (`on`, None when no record says
    it) and why, as a plain-Dutch sentence."""

    on: dt.date | None
    reason: str


def _long(day: dt.date) -> str:
    return date_format(day, "j F Y")


def share_basis_end(referral: Any, day: dt.date) -> ShareEnd | None:
    """Why and since when the referral may no longer be shared with its team; None while it may.

    The end is the latest one among the records that covered the team: a consent withdrawn on a
    day (no longer in force that day), a consent or legal basis valid up to a day (in force that
    day, not the next).
    """
    if referral.team_id is None or has_share_basis(referral, day):
        return None
    team = referral.team.name if referral.team else "het wijkteam"
    ends: list[tuple[dt.date, str]] = []
    consents = Consent.objects.filter(
        pupil_id=referral.pupil_id, purpose=PURPOSE, is_complete=True
    ).filter(Q(recipient__isnull=True) | Q(recipient_id=referral.team_id))
    for consent in consents:
        withdrawn = consent.withdrawn_on
        until = consent.valid_until
        if withdrawn is not None and (until is None or withdrawn <= until):
            if withdrawn <= day:
                ends.append(
                    (
                        withdrawn,
                        f"De toestemming om gegevens te delen met {team} is ingetrokken op "
                        f"{_long(withdrawn)}.",
                    )
                )
        elif until is not None and until < day:
            ends.append(
                (
                    until + dt.timedelta(days=1),
                    f"De toestemming om gegevens te delen met {team} was geldig tot en met "
                    f"{_long(until)}.",
                )
            )
    bases = (
        LegalBasis.objects.grounding(PURPOSE)
        .filter(pupil_id=referral.pupil_id, valid_until__lt=day)
        .filter(Q(recipient__isnull=True) | Q(recipient_id=referral.team_id))
    )
    for basis in bases:
        if (until := basis.valid_until) is not None:
            ends.append(
                (
                    until + dt.timedelta(days=1),
                    f"De grondslag ‘{basis.get_kind_display()}’ om gegevens te delen met {team} "
                    f"gold tot en met {_long(until)}.",
                )
            )
    if not ends:
        return ShareEnd(
            None, f"Er is geen geldige toestemming of grondslag om gegevens te delen met {team}."
        )
    on, reason = max(ends, key=lambda end: end[0])
    return ShareEnd(on, reason)
