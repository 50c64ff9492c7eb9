"""Every write to pupils: register, enrol, move, leave, guardians. History is closed and opened,
never rewritten."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from schoolzorg.audit.models import Action
from schoolzorg.audit.services import Basis, record_access
from schoolzorg.lib.dates import numeric
from schoolzorg.lib.postcodes import display_postcode, normalise_postcode
from schoolzorg.lib.textsearch import fold
from schoolzorg.organisations.models import PostcodeArea, School
from schoolzorg.pupils.models import Enrolment, Family, Guardian, GuardianLink, Pupil, Residence

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
def enrol_pupil(
    pupil: Pupil, school: School, *, group: str = "", on: dt.date, pupil_number: str = ""
) -> Enrolment:
    """Enrol at a school from a day; an open enrolment elsewhere ends the day before.

    `pupil_number` is the school's own number for the pupil (its pupil administration's).
    """
    for current in pupil.enrolments.filter(ended_on__isnull=True).select_for_update():
        current.ended_on = max(current.started_on, on - dt.timedelta(days=1))
        current.save(update_fields=["ended_on"])
    enrolment = Enrolment.objects.create(
        pupil=pupil, school=school, group=group, started_on=on, pupil_number=pupil_number
    )
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


@transaction.atomic
def register_pupil(
    *, first_name: str, last_name: str, date_of_birth: dt.date, family: Family | None = None
) -> Pupil:
    """A new pupil, in `family` or in a new family named after the pupil's last name.

    Not yet enrolled and without an address: `enrol_pupil` and `move_pupil` add those.
    """
    if family is None:
        family = Family.objects.create(name=last_name)
    return Pupil.objects.create(
        first_name=first_name, last_name=last_name, date_of_birth=date_of_birth, family=family
    )


@transaction.atomic
def update_pupil(
    pupil: Pupil, *, first_name: str, last_name: str, date_of_birth: dt.date, group: str
) -> bool:
    """Correct the name, date of birth or group (the open enrolment's too); True if any changed.

    Only changed fields are written, so the change history shows what changed.
    """
    wanted = {
        "first_name": first_name,
        "last_name": last_name,
        "date_of_birth": date_of_birth,
        "current_group": group,
    }
    changed = [name for name, value in wanted.items() if getattr(pupil, name) != value]
    for name in changed:
        setattr(pupil, name, wanted[name])
    if changed:
        pupil.save(update_fields=changed)
    if "current_group" in changed:
        for enrolment in pupil.enrolments.filter(ended_on__isnull=True).select_for_update():
            enrolment.group = group
            enrolment.save(update_fields=["group"])
    return bool(changed)


@transaction.atomic
def leave_school(pupil: Pupil, school: School, *, on: dt.date) -> bool:
    """The pupil left `school`: its open enrolment there ends on `on` (not before it started).

    False when the pupil had no open enrolment at that school. The school's file about the
    pupil is kept for its retention period from this day on (`retention`).
    """
    ended = False
    for enrolment in pupil.enrolments.filter(
        school=school, ended_on__isnull=True
    ).select_for_update():
        enrolment.ended_on = max(enrolment.started_on, on)
        enrolment.save(update_fields=["ended_on"])
        ended = True
    if ended and pupil.current_school_id == school.pk:
        pupil.current_school = None
        pupil.current_group = ""
        pupil.save(update_fields=["current_school", "current_group"])
    return ended


def same_name(a: str, b: str) -> bool:
    """Two ways of writing one name: case, accents and spaces between words do not count."""
    return name_key(a) == name_key(b)


def name_key(name: str) -> str:
    return " ".join(fold(name).split())


@dataclass(frozen=True)
class GuardianDetails:
    """A parent or carer as the school's administration gives them.

    None (or an empty text for e-mail and phone) means "not given": the stored value stays.
    """

    full_name: str
    relation: str = ""
    has_authority: bool | None = None
    email: str = ""
    phone: str = ""


@dataclass
class GuardianChanges:
    linked: int = 0  # a guardian newly linked to the pupil (new, or already in the family)
    changed: int = 0  # a link or a guardian whose details changed
    unlinked: int = 0  # a link removed: the guardian was not given any more
    kept: int = 0  # a link not given but kept, because the caller may not unlink (`unlink`)

    def __bool__(self) -> bool:
        return bool(self.linked or self.changed or self.unlinked)


@transaction.atomic
def set_guardians(
    pupil: Pupil, given: Sequence[GuardianDetails], *, unlink: bool = True
) -> GuardianChanges:
    """Make the pupil's guardians the ones given, matched by name (`same_name`).

    A guardian already linked keeps its row; its relation, authority, e-mail and phone are
    updated where given. One not linked yet is looked for among the family's guardians (a
    brother's or sister's parent), else added to the family; a new link without a relation is
    "ouder" and, without a word on authority, with authority (the model's default). A linked
    guardian not given is unlinked (the guardian stays in the family). Nothing given changes
    nothing: a pupil never loses all guardians because a file left them out.

    `unlink` False keeps a linked guardian that is not given (counted as `kept`): for a file
    that has columns for fewer guardians than a pupil can have, whose silence about a second
    parent says nothing about that parent.
    """
    changes = GuardianChanges()
    if not given:
        return changes
    links = {
        name_key(link.guardian.full_name): link
        for link in pupil.guardian_links.select_related("guardian").select_for_update()
    }
    in_family = {name_key(g.full_name): g for g in Guardian.objects.filter(family=pupil.family)}
    for details in given:
        key = name_key(details.full_name)
        link = links.pop(key, None)
        if link is None:
            guardian = in_family.get(key)
            if guardian is None:
                guardian = Guardian.objects.create(
                    family=pupil.family,
                    full_name=details.full_name,
                    email=details.email,
                    phone=details.phone,
                )
                in_family[key] = guardian
            elif _update_guardian(guardian, details):
                changes.changed += 1
            GuardianLink.objects.create(
                pupil=pupil,
                guardian=guardian,
                relation=details.relation or "ouder",
                has_authority=True if details.has_authority is None else details.has_authority,
            )
            changes.linked += 1
            continue
        link_changed = []
        if details.relation and link.relation != details.relation:
            link.relation = details.relation
            link_changed.append("relation")
        if details.has_authority is not None and link.has_authority != details.has_authority:
            link.has_authority = details.has_authority
            link_changed.append("has_authority")
        if link_changed:
            link.save(update_fields=link_changed)
        if _update_guardian(link.guardian, details) or link_changed:
            changes.changed += 1
    for link in links.values():
        if not unlink:
            changes.kept += 1
            continue
        link.delete()
        changes.unlinked += 1
    return changes


def _update_guardian(guardian: Guardian, details: GuardianDetails) -> bool:
    """Store a given e-mail address or phone number that differs; True if one did."""
    changed = [
        name
        for name in ("email", "phone")
        if getattr(details, name) and getattr(guardian, name) != getattr(details, name)
    ]
    for name in changed:
        setattr(guardian, name, getattr(details, name))
    if changed:
        guardian.save(update_fields=changed)
    return bool(changed)


@transaction.atomic
def set_pupil_number(enrolment: Enrolment, pupil_number: str) -> None:
    """Give an enrolment the school's own number for the pupil (kept in the change history)."""
    if enrolment.pupil_number != pupil_number:
        enrolment.pupil_number = pupil_number
        enrolment.save(update_fields=["pupil_number"])
