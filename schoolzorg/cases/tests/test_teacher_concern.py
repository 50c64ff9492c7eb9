"""A teacher reports a concern from the basic pupil page."""

from __future__ import annotations

import pytest

from schoolzorg.accounts.roles import Role
from schoolzorg.cases.tests.factories import CaseFactory

pytestmark = pytest.mark.django_db


def test_teacher_finds_zorg_melden_on_the_basic_pupil_page(team, client_for):
    team.pupil.current_group = "6"
    team.pupil.save()
    CaseFactory(pupil=team.pupil, raised_by=team.ib, description="Geheime casus van de IB-er")
    response = client_for(team.teacher).get(f"/leerlingen/{team.pupil.pk}/")
    page = response.content.decode()
    assert response.context["full"] is False
    assert f'href="/casussen/melden/{team.pupil.pk}/"' in page
    assert "Zorg melden" in page
    # No full-file section: not the guardians, not the IB-er's case, not who looked.
    for hidden in ("Moeder Jansen", "Ouders en verzorgers", "Wie keek", "Integraal plan"):
        assert hidden not in page
    assert "Geen casussen." in page


def test_no_zorg_melden_for_a_teacher_of_another_group(team, client_for, member):
    team.pupil.current_group = "6"
    team.pupil.save()
    other = member(Role.TEACHER, team.school, group="7")
    assert client_for(other).get(f"/leerlingen/{team.pupil.pk}/").status_code == 404
