"""The real files shipped in `data/registries/` import with the counts their README states."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.db.models import Count

from schoolzorg.organisations.importers.areas import import_areas
from schoolzorg.organisations.importers.base import REGISTRY_DIR, ImportRefused
from schoolzorg.organisations.importers.partnerships import import_partnership_regions
from schoolzorg.organisations.importers.postcodes import import_postcodes
from schoolzorg.organisations.importers.pupil_counts import import_pupil_counts
from schoolzorg.organisations.importers.schools import import_schools
from schoolzorg.organisations.models import (
    District,
    Municipality,
    Neighbourhood,
    Partnership,
    PartnershipArea,
    PostcodeArea,
    School,
)

pytestmark = pytest.mark.django_db

DUO = REGISTRY_DIR / "duo"
SCHOOLS = DUO / "02-alle-schoolvestigingen-basisonderwijs.csv"
COUNTS = DUO / "06-historisch-overzicht-aantal-leerlingen-per-schoolvestiging.csv"
SWV = REGISTRY_DIR / "swv" / "swv-regio-indeling-pc4-2015.csv"


def test_registry_files_ship_with_the_code() -> None:
    assert Path(__file__).resolve().parents[3] / "data" / "registries" == REGISTRY_DIR
    assert SCHOOLS.exists() and COUNTS.exists() and SWV.exists()


def test_duo_schools_file_imports_6122_locations_168_in_rotterdam_and_again_changes_nothing() -> (
    None
):
    report = import_schools(SCHOOLS)
    assert report.inserted == 6122
    assert report.rejected == []
    assert School.objects.count() == 6122
    assert Municipality.objects.count() == 342
    rotterdam = Municipality.objects.get(cbs_code="GM0599")
    assert rotterdam.name == "Rotterdam"
    assert rotterdam.holiday_region == "midden"
    assert School.objects.filter(municipality=rotterdam).count() == 168
    assert Municipality.objects.get(cbs_code="GM0518").name == "'s-Gravenhage"
    assert Municipality.objects.get(cbs_code="GM1948").name == "Meierijstad"
    veghel = School.objects.select_related("municipality").get(location_code="32LW00")
    assert veghel.municipality is not None and veghel.municipality.cbs_code == "GM1948"
    regions = dict(School.objects.values_list("holiday_region").annotate(n=Count("pk")).order_by())
    assert regions == {"noord": 2368, "midden": 2174, "zuid": 1580}

    again = import_schools(SCHOOLS)
    assert (again.inserted, again.updated, again.closed, again.unchanged) == (0, 0, 0, 6122)


def test_pupil_counts_file_sets_latest_year_with_small_counts() -> None:
    import_schools(SCHOOLS)
    report = import_pupil_counts(COUNTS)
    assert report.updated == 6092  # the 30 missing locations are new schools
    assert (
        not School.objects.filter(pupil_count_year__isnull=False)
        .exclude(pupil_count_year=2025)
        .exists()
    )
    assert School.objects.filter(is_small_count=True, pupil_count__isnull=True).exists()
    assert import_pupil_counts(COUNTS).updated == 0


def test_pupil_counts_file_with_a_location_twice_is_refused_with_both_lines(
    tmp_path: Path,
) -> None:
    lines = COUNTS.read_text(encoding="utf-8").splitlines(keepends=True)
    first = next(i for i, line in enumerate(lines) if ";05NQ00;" in line)
    again = ";".join([*lines[first].rstrip("\n").split(";")[:-1], "999"]) + "\n"
    twice = tmp_path / "06-twee-keer.csv"
    twice.write_text("".join([*lines, again]), encoding="utf-8")
    import_schools(SCHOOLS)
    with pytest.raises(ImportRefused) as exc:
        import_pupil_counts(twice)
    assert [str(p) for p in exc.value.problems] == [
        f"regel {len(lines) + 1}: VESTIGINGSCODE 05NQ00 staat ook op regel {first + 1}"
    ]
    assert not School.objects.filter(pupil_count__isnull=False).exists()


def test_cbs_buurten_give_14574_neighbourhoods_and_rotterdams_21_named_districts() -> None:
    report = import_areas()
    assert report.inserted == 14574
    assert Neighbourhood.objects.count() == 14574
    assert Municipality.objects.count() == 342
    rotterdam = District.objects.filter(municipality__cbs_code="GM0599")
    assert rotterdam.count() == 21
    assert Neighbourhood.objects.filter(district__municipality__cbs_code="GM0599").count() == 91
    assert District.objects.get(code="WK059903").name == "Delfshaven"
    assert Neighbourhood.objects.filter(code__startswith="BU0363").count() == 517
    assert import_areas().unchanged == 14574


def test_swv_table_gives_4046_pc4_rows_and_links_primary_schools() -> None:
    import_schools(SCHOOLS)
    report = import_partnership_regions(SWV)
    assert len({(p.line) for p in report.skipped}) == 3  # Europoort, PC4 3197-3199
    assert PartnershipArea.objects.values("pc4").distinct().count() == 4043
    assert Partnership.objects.filter(code__startswith="PO").count() == 76
    assert Partnership.objects.filter(code__startswith="VO").count() == 74
    rotterdam = School.objects.filter(municipality__cbs_code="GM0599")
    assert rotterdam.filter(partnership__code="PO2806").count() > 150
    # Only the 6 schools whose PC4 was created after 2015 have no partnership.
    assert School.objects.filter(partnership__isnull=True).count() == 6


def test_a_cut_off_swv_table_is_refused_before_it_removes_links(tmp_path: Path) -> None:
    """`head -2000` of the table would unlink 445 postcodes from their partnership."""
    import_partnership_regions(SWV)
    before = set(PartnershipArea.objects.values_list("pc4", "partnership_id"))
    cut = tmp_path / "swv-kort.csv"
    cut.write_text("".join(SWV.read_text(encoding="utf-8").splitlines(keepends=True)[:2000]))
    with pytest.raises(ImportRefused) as exc:
        import_partnership_regions(cut)
    assert "zou 445 van de" in str(exc.value) and "verwijderen" in str(exc.value)
    assert "--verwijder-ontbrekende" in str(exc.value)
    assert set(PartnershipArea.objects.values_list("pc4", "partnership_id")) == before
    assert import_partnership_regions(cut, remove_many=True).closed == 445


def test_pc4_fallbacks_from_duo_and_swv_map_to_municipalities() -> None:
    import_schools(SCHOOLS)
    duo = import_postcodes(DUO / "leerlingen-po-per-postcode-leerling-2024-rotterdam.csv")
    assert duo.rejected == []
    assert {p.reason.split()[1] for p in duo.skipped} <= {"10", "30", "40"}
    area = PostcodeArea.objects.resolve("3061AB")
    assert area is not None and area.municipality.cbs_code == "GM0599"
    assert area.source.startswith("duo:")
    swv = import_postcodes(SWV)
    assert PostcodeArea.objects.get(postcode="3061").source.startswith("duo:")  # DUO 2024 wins
    assert PostcodeArea.objects.get(postcode="1011").municipality.cbs_code == "GM0363"
    # 2015 names of merged municipalities map to their successor.
    assert PostcodeArea.objects.get(postcode="1401").municipality.name == "Gooise Meren"
    unknown = {p.reason.split("'")[1] for p in swv.skipped}
    assert unknown == {"Haaren", "Littenseradiel"}  # split up, not mapped to one successor
