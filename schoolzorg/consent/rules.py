"""Who must agree to sharing a pupil's data, by the pupil's age on the day (pure functions).

Dutch youth-care practice: under 12 the parents with parental authority (all of them) decide;
from 12 up to 16 both the pupil and those parents; from 16 the pupil alone. A child born on
29 February turns a year older on 1 March in a non-leap year.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

CHILD_ALONE_AGE = 16
PUPIL_TOO_AGE = 12


def age_on(born: dt.date, day: dt.date) -> int:
    """Age in whole years on a day (29 February birthdays count from 1 March in other years)."""
    had_birthday = (day.month, day.day) >= (born.month, born.day)
    return day.year - born.year - (0 if had_birthday else 1)


def birthday(born: dt.date, years: int) -> dt.date:
    """The day someone born on `born` turns `years` (`age_on`'s rule: 1 March for 29 February
    in another year)."""
    try:
        return born.replace(year=born.year + years)
    except ValueError:
        return dt.date(born.year + years, 3, 1)


def born_by(day: dt.date, years: int) -> dt.date:
    """The last date of birth of a child who is `years` or older on the day (for SQL).

    `age_on(born, day) >= years` exactly when `born <= born_by(day, years)`: the same day
    `years` earlier, and 28 February where that year has no 29 February.
    """
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def pupil_must_agree(born: dt.date, day: dt.date) -> bool:
    """Whether the pupil's own agreement is needed on the day (from 12)."""
    return age_on(born, day) >= PUPIL_TOO_AGE


@dataclass(frozen=True)
class RequiredParties:
    """Who must agree: the pupil and/or these guardians (ids of guardians with authority)."""

    age: int
    pupil: bool
    guardian_ids: frozenset[int]
    guardians_required: bool

    def missing(
        self,
        *,
        pupil_agreed: bool,
        guardian_ids: Iterable[int],
        names: dict[int, str] | None = None,
    ) -> list[str]:
        """Plain-Dutch list of parties who have not yet agreed (empty: complete)."""
        names = names or {}
        out: list[str] = []
        if self.pupil and not pupil_agreed:
            out.append("de leerling")
        if self.guardians_required:
            if not self.guardian_ids:
                out.append("een ouder met gezag (er is geen ouder met gezag vastgelegd)")
            for gid in sorted(self.guardian_ids - set(guardian_ids)):
                out.append(names.get(gid, f"ouder met gezag nr. {gid}"))
        return out

    def is_complete(self, *, pupil_agreed: bool, guardian_ids: Iterable[int]) -> bool:
        return not self.missing(pupil_agreed=pupil_agreed, guardian_ids=guardian_ids)

    def describe(self) -> str:
        if not self.guardians_required:
            return f"De leerling is {self.age} jaar: alleen de leerling zelf beslist."
        if self.pupil:
            return (
                f"De leerling is {self.age} jaar: de leerling én alle ouders met gezag "
                "moeten toestemming geven."
            )
        return f"De leerling is {self.age} jaar: alle ouders met gezag moeten toestemming geven."


def parties_for(
    born: dt.date, on: dt.date, authority_guardian_ids: Iterable[int]
) -> RequiredParties:
    """The parties that must agree for a child born on `born`, on the day `on`."""
    age = age_on(born, on)
    ids = frozenset(authority_guardian_ids)
    if age >= CHILD_ALONE_AGE:
        return RequiredParties(age, pupil=True, guardian_ids=frozenset(), guardians_required=False)
    if age >= PUPIL_TOO_AGE:
        return RequiredParties(age, pupil=True, guardian_ids=ids, guardians_required=True)
    return RequiredParties(age, pupil=False, guardian_ids=ids, guardians_required=True)


def required_parties(pupil: object, on: dt.date) -> RequiredParties:
    """`parties_for` a pupil, reading the guardians who hold authority over them."""
    links = pupil.guardian_links.filter(has_authority=True)  # type: ignore[attr-defined]
    return parties_for(
        pupil.date_of_birth,  # type: ignore[attr-defined]
        on,
        links.values_list("guardian_id", flat=True),
    )
