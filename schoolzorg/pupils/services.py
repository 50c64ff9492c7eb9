"""Every write to pupils: register, enrol, move. History is closed and opened, never rewritten."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from schoolzorg.lib.postcodes import normalise_postcode
from schoolzorg.organisations.models import PostcodeArea, School
from schoolzorg.pupils.models import Enrolment, Pupil, Residence


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


@transaction.atomic
def move_pupil(pupil: Pupil, postcode: str, *, house_number: str = "", on: dt.date) -> Residence:
    """Record a new home address from a day and re-resolve the home district."""
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
    return residence
