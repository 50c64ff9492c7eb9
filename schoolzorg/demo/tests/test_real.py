"""Seeds on real places: Rotterdam's real schools, fictional people, idempotent runs."""

from __future__ import annotations

import random
from io import StringIO

import pytest

from schoolzorg.demo import real
from schoolzorg.demo.tests.test_demo_seed import assert_parents_have_fitting_and_different_names
from schoolzorg.organisations.models import NeighbourhoodTeam, PostcodeArea, School
from schoolzorg.pupils.models import Enrolment, Pupil, Residence

pytestmark = pytest.mark.django_db


def test_city_seed_builds_rotterdam_on_real_schools_and_a_rerun_changes_nothing() -> None:
    out = StringIO()
    real.seed("city", seed=7, stdout=out, size=0.01)

    rotterdam_schools = School.objects.filter(municipality__cbs_code="GM0599")
    assert rotterdam_schools.count() == 168
    petrus = rotterdam_schools.get(location_code="11VO00")
    assert petrus.name == "Petrus Datheenschool"  # the real DUO name
    assert petrus.district is not None and petrus.partnership is not None
    assert not rotterdam_schools.filter(name="Bergse Veld School").exists()  # special education
    names = set(rotterdam_schools.values_list("name", flat=True))
    assert len(names) > 100
    teams = NeighbourhoodTeam.objects.filter(municipality__cbs_code="GM0599")
    assert teams.count() == 43
    assert len(set(teams.values_list("area_name", flat=True))) == 14
    assert all(t.name.startswith("Wijkteam ") for t in teams)
    # Every Rotterdam district is covered by at least one team.
    covered = set(teams.values_list("districts__code", flat=True))
    assert len(covered) == 21

    pupils = Pupil.objects.all()
    assert 300 < pupils.count() < 1000  # 1% of about 60,000
    pupil = pupils.select_related("current_school").first()
    assert pupil is not None
    school = pupil.current_school
    assert school is not None and school.municipality is not None
    assert school.municipality.cbs_code == "GM0599"
    assert school.source_hash  # a real DUO school
    assert Enrolment.objects.count() == pupils.count()
    assert Residence.objects.count() == pupils.count()
    assert pupils.filter(home_district__isnull=False).exists()
    # Some live across the municipal border, as DUO's per-postcode figures say.
    assert pupils.exclude(home_municipality__cbs_code="GM0599").exists()
    assert pupils.filter(home_precision="pc4").count() == pupils.count()
    assert PostcodeArea.objects.filter(source=real.APPROXIMATION).exists()
    assert "Rotterdam: 168 scholen, 43 wijkteams" in out.getvalue()

    before = (Pupil.objects.count(), NeighbourhoodTeam.objects.count(), School.objects.count())
    again = StringIO()
    real.seed("city", seed=7, stdout=again, size=0.01)
    assert "staan er al" in again.getvalue()
    assert (Pupil.objects.count(), NeighbourhoodTeam.objects.count(), School.objects.count()) == (
        before
    )


def test_the_city_gives_no_pupil_two_parents_of_one_name_and_names_fit_the_relation() -> None:
    real.seed("city", seed=7, stdout=StringIO(), size=0.01)
    assert_parents_have_fitting_and_different_names()


def test_home_distribution_is_deterministic_and_skips_placeholder_postcodes() -> None:
    path = real.PER_POSTCODE["GM0599"]
    plan = real.per_school_distribution(path, random.Random(1))
    assert plan == real.per_school_distribution(path, random.Random(1))
    assert len(plan) == 167  # every Rotterdam primary location in DUO's per-postcode file
    # Placeholder PC4s (10 België, 30 ander land, 40 onbekend) never become homes.
    assert not {pc for rows in plan.values() for pc, _, _ in rows} & {"10", "30", "40"}
    total = sum(n for rows in plan.values() for _, _, n in rows)
    assert 55_000 < total < 65_000  # about 60,000 pupils, "<5" counted as 1..4


@pytest.mark.django_db
def test_synthetic_secondary_schools_are_labelled_and_added_once():
    import random

    from schoolzorg.demo.real import add_synthetic_secondary_schools
    from schoolzorg.organisations.models import School, Sector
    from schoolzorg.organisations.tests.factories import SchoolFactory

    SchoolFactory()
    assert add_synthetic_secondary_schools(random.Random(1), count=5) == 5
    assert add_synthetic_secondary_schools(random.Random(1), count=5) == 5
    secondary = School.objects.filter(sector=Sector.SECONDARY)
    assert secondary.count() == 5
    assert all(s.name.startswith("Synthetisch") for s in secondary)
