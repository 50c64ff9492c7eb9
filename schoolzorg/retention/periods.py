"""Retention periods: which kind of file an organisation keeps, its default period and bounds.

Pure rules without queries; `RetentionPeriod` (models) stores an organisation's own choice.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace


class Kind:
    SCHOOL = "school"
    YOUTH_CARE = "youth_care"
    PUPIL = "pupil"


@dataclass(frozen=True)
class Rule:
    kind: str
    default_years: int
    min_years: int
    max_years: int
    starts: str  # what the period counts from, in words
    too_short: str
    too_long: str


SCHOOL_RULE = Rule(
    Kind.SCHOOL,
    default_years=2,
    min_years=1,
    max_years=10,
    starts="nadat de leerling van school ging",
    too_short="Een schooldossier wordt minstens 1 jaar bewaard nadat de leerling van school ging.",
    too_long="Een schooldossier wordt hoogstens 10 jaar bewaard. Langer bewaren kan niet.",
)
YOUTH_CARE_RULE = Rule(
    Kind.YOUTH_CARE,
    default_years=20,
    min_years=20,
    max_years=30,
    starts="nadat de hulp eindigde",
    too_short=(
        "Een jeugdhulpdossier wordt minstens 20 jaar bewaard (Jeugdwet, artikel 7.3.8). "
        "Eerder vernietigen kan alleen op verzoek."
    ),
    too_long="Een jeugdhulpdossier wordt hoogstens 30 jaar bewaard.",
)
# The social-work provider's file is a youth-care file too, with the same bounds; its period
# counts from the last contact registered (`files.read_file`), not from a referral's end.
SOCIAL_WORK_RULE = replace(
    YOUTH_CARE_RULE, starts="na het laatste contact met de schoolmaatschappelijk werker"
)

# Which file an organisation keeps about a pupil, by its kind. Other kinds (a municipality, a
# partnership, the JGZ here) keep no file of their own in Schoolzorg.
RULE_BY_ORGANISATION_KIND: dict[str, Rule] = {
    "school": SCHOOL_RULE,
    "neighbourhood_team": YOUTH_CARE_RULE,
    "social_work_provider": SOCIAL_WORK_RULE,
}


def rule_for(organisation_kind: str) -> Rule | None:
    return RULE_BY_ORGANISATION_KIND.get(organisation_kind)


def add_years(day: dt.date, years: int) -> dt.date:
    """The same date `years` later; 29 February becomes 1 March in a common year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return dt.date(day.year + years, 3, 1)


def years_label(years: int) -> str:
    return f"{years} jaar"
