"""Link schools to the areas that the postcode and partnership tables know."""

from __future__ import annotations

from collections.abc import Sequence

from schoolzorg.lib.postcodes import normalise_postcode
from schoolzorg.organisations.importers.base import in_chunks, update_objects
from schoolzorg.organisations.models import PartnershipArea, PostcodeArea, School, Sector


def assign_school_areas(school_ids: Sequence[int] | None = None) -> int:
    """Set each school's district (PC6 entry first, then PC4) and, for primary schools, its PO
    partnership from its PC4. Only fills or corrects where a mapping exists; returns the number
    of schools changed."""
    fields = ("pk", "postcode", "sector", "district_id", "partnership_id")
    if school_ids is None:
        schools = list(School.objects.only(*fields))
    else:
        schools = [
            s
            for chunk in in_chunks(school_ids)
            for s in School.objects.filter(pk__in=chunk).only(*fields)
        ]
    if not schools:
        return 0
    postcodes = {s.pk: normalise_postcode(s.postcode) for s in schools}
    wanted = {pc for pc in postcodes.values() if pc} | {pc[:4] for pc in postcodes.values() if pc}
    areas: dict[str, int | None] = {}
    for chunk in in_chunks(sorted(wanted)):
        for code, own_district, hood_district in PostcodeArea.objects.filter(
            postcode__in=chunk
        ).values_list("postcode", "district_id", "neighbourhood__district_id"):
            areas[code] = own_district or hood_district
    partnerships: dict[str, int] = {}
    for chunk in in_chunks(sorted({pc[:4] for pc in wanted})):
        partnerships.update(
            PartnershipArea.objects.filter(
                pc4__in=chunk, partnership__sector=Sector.PRIMARY
            ).values_list("pc4", "partnership_id")
        )
    changed: list[School] = []
    partnership_id: int | None
    for school in schools:
        pc = postcodes[school.pk]
        if not pc:
            continue
        district_id = areas.get(pc) or areas.get(pc[:4])
        partnership_id = (
            partnerships.get(pc[:4]) if school.sector == Sector.PRIMARY else school.partnership_id
        )
        dirty = False
        if district_id and district_id != school.district_id:
            school.district_id = district_id
            dirty = True
        if partnership_id and partnership_id != school.partnership_id:
            school.partnership_id = partnership_id
            dirty = True
        if dirty:
            changed.append(school)
    if changed:
        update_objects(School, changed, ["district", "partnership"])
    return len(changed)
