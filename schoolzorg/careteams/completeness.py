"""Is a care team complete? Every role filled, and the neighbourhood team worker present enough.

Pure functions over already-fetched rows, so the team page and the team list need no extra
queries per team.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from schoolzorg.careteams.models import (
    DEFAULT_NEIGHBOURHOOD_TEAM_HOURS,
    REQUIRED_ROLES,
    CareTeam,
    CareTeamMember,
    PresenceNorm,
    TeamRole,
)


@dataclass(frozen=True)
class Completeness:
    warnings: tuple[str, ...]
    neighbourhood_team_hours: Decimal
    norm_hours: Decimal

    @property
    def is_complete(self) -> bool:
        return not self.warnings


def norm_hours_for(team: CareTeam) -> Decimal:
    """The municipality's norm for the neighbourhood team worker, else the Rotterdam 4 hours."""
    municipality_id = team.school.municipality_id
    if municipality_id is None:
        return DEFAULT_NEIGHBOURHOOD_TEAM_HOURS
    norm = PresenceNorm.objects.filter(municipality_id=municipality_id).first()
    return norm.neighbourhood_team_hours if norm else DEFAULT_NEIGHBOURHOOD_TEAM_HOURS


def assess(members: Iterable[CareTeamMember], *, norm_hours: Decimal) -> Completeness:
    """Warn for each missing role and for a neighbourhood team worker below the norm."""
    current = list(members)
    roles = {m.role for m in current}
    warnings = [
        f"Er is geen {TeamRole(role).label.lower()} in het team."
        for role in REQUIRED_ROLES
        if role not in roles
    ]
    nt_hours = sum(
        (m.hours_per_week for m in current if m.role == TeamRole.NEIGHBOURHOOD_TEAM_WORKER),
        Decimal("0"),
    )
    if TeamRole.NEIGHBOURHOOD_TEAM_WORKER in roles and nt_hours < norm_hours:
        warnings.append(
            f"De wijkteammedewerker is {_hours(nt_hours)} per week op school; "
            f"de afspraak is minstens {_hours(norm_hours)}."
        )
    return Completeness(tuple(warnings), nt_hours, norm_hours)


def _hours(value: Decimal) -> str:
    text = f"{value.normalize():f}".replace(".", ",")
    return f"{text} uur"
