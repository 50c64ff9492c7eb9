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

The warm handover is a conversation about the child with the team, so it needs a ground of its
own: a consent "Warme overdracht" (or a legal basis for it) for the team or no organisation,
in force on the day of the conversation, given by whoever must agree at the pupil's age then
(`Consent.objects.in_force`). Planning the handover asks it (`handover_basis_missing`), and so
does the referral page, which tells the school and the team when it is missing. While an
acknowledged referral has none, the step "plan the warm handover" waits on the school: the
school hears of it, the escalation sweep reminds the school instead of escalating the team, and
the team's deadlines move on by the days it waited (`services.end_handover_consent_wait`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.formats import date_format

from schoolzorg.consent.models import Consent, LegalBasis, Purpose
from schoolzorg.consent.rules import PUPIL_TOO_AGE, birthday, required_parties

PURPOSE = Purpose.SHARE_WITH_NEIGHBOURHOOD_TEAM
HANDOVER_PURPOSE = Purpose.WARM_HANDOVER


def _consents(
    pupil: Any, team: Any, day: dt.date | None, purpose: str = PURPOSE
) -> QuerySet[Consent]:
    """Complete consents for the purpose with the team in force on the day (none named: every
    team).

    `pupil` and `team` are ids or `OuterRef`s to a referral's columns.
    """
    return (
        Consent.objects.in_force(day)
        .filter(pupil=pupil, purpose=purpose)
        .filter(Q(recipient__isnull=True) | Q(recipient=team))
    )


def _bases(
    pupil: Any, team: Any, day: dt.date | None, purpose: str = PURPOSE
) -> QuerySet[LegalBasis]:
    """Legal bases for the purpose with the team in force on the day (none named: every team),
    of a kind that can ground it: never meldrecht, which grounds only the report to Veilig
    Thuis (`consent.models.BASIS_PURPOSES`)."""
    return (
        LegalBasis.objects.in_force(day)
        .grounding(purpose)
        .filter(pupil=pupil)
        .filter(Q(recipient__isnull=True) | Q(recipient=team))
    )


def share_basis_q(day: dt.date | None = None) -> Q:
    """Referrals whose pupil may be shared with their team on the day (today when None)."""
    pupil, team = OuterRef("pupil_id"), OuterRef("team_id")
    return Q(Exists(_consents(pupil, team, day))) | Q(Exists(_bases(pupil, team, day)))


def handover_basis_q(day: dt.date | None = None) -> Q:
    """Referrals with a consent or legal basis for the warm handover with their team in force on
    the day (today when None): `has_handover_basis` in SQL, for the escalation sweep."""
    pupil, team = OuterRef("pupil_id"), OuterRef("team_id")
    return Q(Exists(_consents(pupil, team, day, HANDOVER_PURPOSE))) | Q(
        Exists(_bases(pupil, team, day, HANDOVER_PURPOSE))
    )


def has_share_basis(referral: Any, day: dt.date | None = None) -> bool:
    """A consent or legal basis to share with the referral's team is in force on the day."""
    if referral.team_id is None:
        return False
    return (
        _consents(referral.pupil_id, referral.team_id, day).exists()
        or _bases(referral.pupil_id, referral.team_id, day).exists()
    )


def has_handover_basis(referral: Any, day: dt.date | None = None) -> bool:
    """A consent or legal basis for the warm handover with the referral's team is in force on
    the day (the day of the conversation)."""
    if referral.team_id is None:
        return False
    pupil, team = referral.pupil_id, referral.team_id
    return (
        _consents(pupil, team, day, HANDOVER_PURPOSE).exists()
        or _bases(pupil, team, day, HANDOVER_PURPOSE).exists()
    )


def consent_scope(pupil: Any, team: Any, day: dt.date | None = None) -> str:
    """What the consent to share with the team in force on the day says may be shared (its
    "welke gegevens"; the newest consent's), for a new draft's "wat mag het wijkteam weten";
    "" when there is none or it says nothing."""
    if team is None:
        return ""
    found = (
        _consents(pupil.pk, team.pk, day)
        .exclude(data_scope="")
        .order_by("-given_on", "-pk")
        .values_list("data_scope", flat=True)
        .first()
    )
    return found or ""


def who_must_agree(pupil: Any, day: dt.date) -> str:
    """Who must agree on the day, by the pupil's age (`consent.rules`), in plain Dutch."""
    parties = required_parties(pupil, day)
    name = pupil.first_name
    if not parties.guardians_required:
        return f"{name} zelf ({name} is dan {parties.age})"
    if parties.pupil:
        return f"{name} én de ouders met gezag ({name} is dan {parties.age})"
    return "de ouders met gezag"


def handover_basis_missing(referral: Any, day: dt.date) -> str:
    """Why a warm handover on `day` has no ground, and how to record one ("" when it has).

    Said to the team that plans it; the school records consents, so the text says who does
    what, with the purpose as the consent form names it.
    """
    if has_handover_basis(referral, day):
        return ""
    team = referral.team.name if referral.team else "het wijkteam"
    name = referral.pupil.first_name
    return (
        f"Er is geen toestemming voor de warme overdracht met {team} die geldt op {_long(day)}. "
        f"De warme overdracht is een gesprek over {name} met het wijkteam; daarvoor is "
        f"toestemming nodig van {who_must_agree(referral.pupil, day)}. De school legt die "
        f"vast: de intern begeleider of de schoolmaatschappelijk werker kiest bij {name} "
        f"‘Toestemming vastleggen’ met het doel ‘{HANDOVER_PURPOSE.label}’. Daarna kunt u de "
        "warme overdracht plannen."
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
    consents = (
        Consent.objects.filter(pupil_id=referral.pupil_id, purpose=PURPOSE, is_complete=True)
        .filter(Q(recipient__isnull=True) | Q(recipient_id=referral.team_id))
        .select_related("pupil")
    )
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
        elif consent.given_on <= day and consent.needs_pupil_on(day):
            # Given by the parents alone before the pupil turned 12: from that birthday the
            # pupil must agree too (tester T14: the texts gave no reason, and the wrong remedy).
            turned = max(consent.given_on, birthday(consent.pupil.date_of_birth, PUPIL_TOO_AGE))
            ends.append(
                (
                    turned,
                    f"Sinds {_long(turned)} is de leerling {PUPIL_TOO_AGE} jaar. Dan moet ook de "
                    f"leerling zelf instemmen met delen met {team}: vul de toestemming aan.",
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
