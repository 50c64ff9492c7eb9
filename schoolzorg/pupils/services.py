"""Every write to pupils: register, enrol, move. History is closed and opened, never rewritten."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from schoolzorg.audit.models import Action
from schoolzorg.audit.services import Basis, record_access
from schoolzorg.lib.dates import numeric
from schoolzorg.lib.postcodes import display_postcode, normalise_postcode
from schoolzorg.organisations.models import PostcodeArea, School
from schoolzorg.pupils.models import Enrolment, Pupil, Residence

# Apps above pupils act when a pupil moves (a referral is routed to the team of the home
# district): a hook registered in their `ready()` runs inside the move's transaction, after the
# new address and home area are stored, with who recorded the move (None for a loader). It
# returns sentences for the person who recorded it ("" or none when it has nothing to say).
MoveHook = Callable[[Pupil, Residence, Any], list[str]]
_MOVE_HOOKS: list[MoveHook] = []
# What the home address decides for an app above, in a sentence for the move page ("Een
# toeleiding gaat naar Wijkteam Oost"); "" when it has nothing to say.
HomeNote = Callable[[Pupil], str]
_HOME_NOTES: list[HomeNote] = []


def on_moved(hook: MoveHook) -> None:
    """Register a hook that runs with every move (once, however often registered)."""
    if hook not in _MOVE_HOOKS:
        _MOVE_HOOKS.append(hook)


def on_home_note(note: HomeNote) -> None:
    """Register what the home address decides, said on the move page (once)."""
    if note not in _HOME_NOTES:
        _HOME_NOTES.append(note)


def home_notes(pupil: Pupil) -> list[str]:
    """What the pupil's current home address decides, one sentence per app that says so."""
    return [text for note in _HOME_NOTES if (text := note(pupil))]


def resolve_home(pupil: Pupil, postcode: str) -> None:
    """Set the pupil's home area fields from the most precise known postcode entry."""
    pc = normalise_postcode(postcode)
    apply_home_area(pupil, pc, PostcodeArea.objects.resolve(pc) if pc else None)


def apply_home_area(pupil: Pupil, postcode: str, area: PostcodeArea | None) -> None:
    """Copy a resolved area onto the pupil's home fields (bulk loaders resolve each code once)."""
    pupil.home_postcode = postcode
    if area is None:
        pupil.home_neighbourhood = pupil.home_district = pupil.home_municipality = None
        pupil.home_precision = ""
        return
    pupil.home_neighbourhood = area.neighbourhood
    pupil.home_district = area.district or (
        area.neighbourhood.district if area.neighbourhood else None
    )
    pupil.home_municipality = area.municipality
    pupil.home_precision = "pc6" if area.is_pc6 else "pc4"


@transaction.atomic
def enrol_pupil(pupil: Pupil, school: School, *, group: str = "", on: dt.date) -> Enrolment:
    """Enrol at a school from a day; an open enrolment elsewhere ends the day before."""
    for current in pupil.enrolments.filter(ended_on__isnull=True).select_for_update():
        current.ended_on = max(current.started_on, on - dt.timedelta(days=1))
        current.save(update_fields=["ended_on"])
    enrolment = Enrolment.objects.create(pupil=pupil, school=school, group=group, started_on=on)
    pupil.current_school = school
    pupil.current_group = group
    pupil.save(update_fields=["current_school", "current_group"])
    return enrolment


def move_pupil(
    pupil: Pupil, postcode: str, *, house_number: str = "", on: dt.date, by: Any = None
) -> Residence:
    """Record a new home address from a day and re-resolve the home district; the apps above
    act on it (`on_moved`) in the same transaction."""
    return _move(pupil, postcode, house_number=house_number, on=on, by=by).residence


@dataclass(frozen=True)
class Moved:
    """A move recorded: the new residence, and what the apps above did (`on_moved`), in
    sentences for the person who recorded it."""

    residence: Residence
    told: list[str]


@transaction.atomic
def _move(pupil: Pupil, postcode: str, *, house_number: str, on: dt.date, by: Any) -> Moved:
    for current in pupil.residences.filter(moved_out_on__isnull=True).select_for_update():
        current.moved_out_on = max(current.moved_in_on, on)
        current.save(update_fields=["moved_out_on"])
    residence = Residence.objects.create(
        pupil=pupil,
        postcode=normalise_postcode(postcode) or postcode[:6],
        house_number=house_number,
        moved_in_on=on,
    )
    resolve_home(pupil, postcode)
    pupil.save(
        update_fields=[
            "home_postcode",
            "home_neighbourhood",
            "home_district",
            "home_municipality",
            "home_precision",
        ]
    )
    told: list[str] = []
    for hook in _MOVE_HOOKS:
        told += [text for text in hook(pupil, residence, by) if text]
    return Moved(residence, told)


class MoveError(ValueError):
    """A move that cannot be recorded; `errors` pairs each plain-Dutch message with its field."""

    def __init__(self, errors: list[tuple[str, str]]) -> None:
        super().__init__(" ".join(message for _, message in errors))
        self.errors = errors


class StaleMove(MoveError):
    """The pupil's current address changed since the form was drawn (someone else recorded a
    move meanwhile, or the user did in another tab)."""


class AlreadyMoved(MoveError):
    """The same move, sent again (a double click, the back button): nothing to do."""


def _same_address(residence: Residence, postcode: str, house_number: str) -> bool:
    return (residence.postcode, residence.house_number.strip().upper()) == (
        postcode,
        house_number.strip().upper(),
    )


def record_move(
    pupil: Pupil,
    *,
    postcode: str,
    house_number: str,
    on: dt.date,
    by: Any,
    basis: Basis | None,
    expected: int,
    today: dt.date | None = None,
) -> Moved:
    """A move recorded by a person (the form "Verhuizing vastleggen"), checked against the
    address history, then `move_pupil`; the change history records both rows (auditlog) and
    the read log an update.

    `expected` is the current residence the form showed (0: none). The pupil's row is locked
    first, so two moves sent at once are compared one after the other: a form drawn before
    another move raises `StaleMove`; the same move sent again `AlreadyMoved`.
    """
    from django.utils import timezone

    day = today or timezone.localdate()
    pc = normalise_postcode(postcode)
    with transaction.atomic():
        Pupil.objects.select_for_update().filter(pk=pupil.pk).values_list("pk").first()
        current = pupil.residences.filter(moved_out_on__isnull=True).first()
        if (current.pk if current else 0) != expected:
            if current is not None and (
                _same_address(current, pc, house_number) and current.moved_in_on == on
            ):
                raise AlreadyMoved([("", "Dit was al vastgelegd.")])
            now = (
                f"het adres is nu {current.described()}"
                if current is not None
                else "er is nu geen adres vastgelegd"
            )
            raise StaleMove(
                [
                    (
                        "",
                        "Niet opgeslagen: het woonadres is aangepast nadat u de pagina opende, "
                        f"door iemand anders of in een ander tabblad; {now}. Kijk de "
                        "gegevens na en leg de verhuizing zo nodig opnieuw vast.",
                    )
                ]
            )
        problems: list[tuple[str, str]] = []
        if on > day:
            problems.append(("moved_on", MOVE_IN_FUTURE))
        elif current is not None and on < current.moved_in_on:
            problems.append(
                (
                    "moved_on",
                    "Deze datum ligt vóór de dag waarop de leerling op het huidige adres kwam "
                    f"wonen ({numeric(current.moved_in_on)}). Kies die dag of een latere.",
                )
            )
        elif on < pupil.date_of_birth:
            problems.append(("moved_on", "Deze datum ligt vóór de geboortedatum van de leerling."))
        if current is not None and _same_address(current, pc, house_number):
            problems.append(
                (
                    "postcode",
                    f"De leerling woont al op dit adres ({display_postcode(pc)}"
                    + (f" {house_number.strip()}" if house_number.strip() else "")
                    + "). Vul het nieuwe adres in.",
                )
            )
        if problems:
            raise MoveError(problems)
        moved = _move(pupil, pc, house_number=house_number.strip(), on=on, by=by)
        record_access(
            None,
            action=Action.UPDATE,
            pupil_id=pupil.pk,
            basis=basis,
            obj=moved.residence,
            detail="verhuizing vastgelegd",
            user=by,
        )
    return moved


MOVE_IN_FUTURE = (
    "Deze datum ligt in de toekomst. Leg een verhuizing vast op of na de verhuisdag: vanaf de "
    "dag die u invult, telt het nieuwe adres voor de wijk en het wijkteam."
)
