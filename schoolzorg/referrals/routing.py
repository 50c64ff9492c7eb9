"""Find the neighbourhood team where the pupil lives: home postcode → district → team.

The reason is stored on the referral and its timeline, which everyone who sees the referral's
progress reads, the team after the ground for sharing ended and the service desk included. It
names the district and how it was found, never the full postcode: that is part of the home
address, the pupil's file (tester W1). At most the four digits of a postcode area.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from schoolzorg.organisations.models import NeighbourhoodTeam


@dataclass(frozen=True)
class Route:
    team: NeighbourhoodTeam | None
    reason: str
    warning: str = ""

    @property
    def needs_manual_choice(self) -> bool:
        return self.team is None


# How the district was found from a full postcode, in the reason; the postcode itself stays out.
FROM_POSTCODE = " (volgens de postcode van het woonadres)"
UNKNOWN_POSTCODE = (
    "De postcode van het woonadres staat niet in de postcodetabel. Kies zelf het wijkteam."
)


def _postcode_note(pupil: Any) -> str:
    if not pupil.home_postcode:
        return ""
    if pupil.home_precision == "pc4":
        return f" (afgeleid uit postcodegebied {pupil.home_postcode[:4]})"
    return FROM_POSTCODE


def route_for(pupil: Any, school: Any) -> Route:
    """The team for the pupil's home district, with the reason in words, or why none was found."""
    warning = outside = ""
    home_municipality = pupil.home_municipality
    if home_municipality is not None and home_municipality.pk != school.municipality_id:
        outside = (
            f"Let op: deze leerling woont in de gemeente {home_municipality.name}, niet in de "
            "gemeente van de school."
        )
        warning = f"{outside} De toeleiding gaat naar een wijkteam in {home_municipality.name}."
    district = pupil.home_district
    if district is not None:
        teams = list(NeighbourhoodTeam.objects.filter(districts=district).order_by("name")[:2])
        if len(teams) == 1:
            return Route(
                teams[0],
                f"Woonwijk {district.name}{_postcode_note(pupil)} → {teams[0].name}",
                warning,
            )
        if len(teams) > 1:
            return Route(
                None,
                f"Woonwijk {district.name}{_postcode_note(pupil)} valt onder meer dan één "
                "wijkteam. Kies zelf het wijkteam.",
                warning,
            )
    if home_municipality is not None:
        teams = list(
            NeighbourhoodTeam.objects.filter(municipality=home_municipality).order_by("name")[:2]
        )
        if len(teams) == 1 and district is None and warning:
            return Route(
                teams[0],
                f"Gemeente {home_municipality.name}{_postcode_note(pupil)} → {teams[0].name}",
                warning,
            )
        if not teams:
            return Route(
                None,
                f"Er is geen wijkteam bekend in de gemeente {home_municipality.name}. "
                "Kies zelf het wijkteam en leg uit waarom.",
                outside,  # no promise of a team there: none is known
            )
        return Route(
            None,
            f"De woonwijk in {home_municipality.name} is niet bekend{_postcode_note(pupil)}. "
            "Kies zelf het wijkteam.",
            warning,
        )
    if pupil.home_postcode:
        reason = UNKNOWN_POSTCODE
    else:
        reason = "Het woonadres van de leerling is niet bekend. Kies zelf het wijkteam."
    return Route(None, reason, warning)
