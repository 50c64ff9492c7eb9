"""An action's due day follows who is at turn (R4): the school or its social worker on a day the
school is open, the neighbourhood team on a working day, the family on any day. One rule
(`services.closed_due_day`) for the plan's action form and a care meeting's decision."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import pytest

from schoolzorg.calendars import workingdays
from schoolzorg.plans import services
from schoolzorg.plans.models import Action, Domain

pytestmark = pytest.mark.django_db

CHRISTMAS = dt.date(2026, 12, 25)  # Eerste kerstdag, in the Kerstvakantie of region midden
IN_THE_HOLIDAY = dt.date(2026, 12, 22)  # a Tuesday in the Kerstvakantie
FIRST_SCHOOL_DAY = "maandag 4 januari 2027"


@pytest.fixture
def part(team: Any) -> Any:
    from schoolzorg.calendars.tests.factories import PublicHolidayFactory, SchoolHolidayFactory

    SchoolHolidayFactory(
        name="Kerstvakantie", start_on=dt.date(2026, 12, 19), end_on=dt.date(2027, 1, 3)
    )
    PublicHolidayFactory(date=dt.date(2026, 12, 25), name="Eerste kerstdag")
    PublicHolidayFactory(date=dt.date(2026, 12, 26), name="Tweede kerstdag")
    region = team.school.effective_holiday_region
    assert "Kerstvakantie" in workingdays.closed_because(IN_THE_HOLIDAY, region=region)
    return services.start_plan(team.pupil, by=team.ib)


@pytest.mark.parametrize("domain", [Domain.SCHOOL, Domain.SCHOOL_SOCIAL_WORK])
def test_an_action_of_the_school_side_is_not_due_on_a_closed_school_day(
    team: Any, part: Any, domain: str
) -> None:
    with pytest.raises(services.PlanFieldError) as exc:
        services.add_action(
            part, description="Gesprek", domain=domain, owner=team.ib, due_on=CHRISTMAS, by=team.ib
        )
    assert exc.value.field == "due_on"
    message = str(exc.value)
    assert message.startswith("Op vrijdag 25 december 2026 is de school dicht (")
    assert "Eerste kerstdag" in message and "Kerstvakantie" in message
    assert f"Kies een schooldag. De eerste schooldag daarna is {FIRST_SCHOOL_DAY}." in message
    assert not Action.objects.exists()


def test_the_neighbourhood_team_works_in_the_school_holiday_not_on_christmas_day(
    team: Any, part: Any
) -> None:
    common = {"description": "Huisbezoek", "domain": Domain.NEIGHBOURHOOD_TEAM, "by": team.ib}
    services.add_action(part, owner="Wijkteam Oost", due_on=IN_THE_HOLIDAY, **common)
    with pytest.raises(services.PlanFieldError) as exc:
        services.add_action(part, owner="Wijkteam Oost", due_on=CHRISTMAS, **common)
    assert str(exc.value) == (
        "Op vrijdag 25 december 2026 is het geen werkdag (Eerste kerstdag). Kies een werkdag. "
        "De eerste werkdag daarna is maandag 28 december 2026."
    )


@pytest.mark.parametrize("domain", [Domain.FAMILY, Domain.NETWORK])
def test_the_family_may_have_an_action_due_on_any_day(team: Any, part: Any, domain: str) -> None:
    action = services.add_action(
        part, description="Oma brengt", domain=domain, owner="oma", due_on=CHRISTMAS, by=team.ib
    )
    assert action.due_on == CHRISTMAS


def test_other_is_free_by_name_and_a_working_day_for_a_person_from_the_team(
    team: Any, part: Any
) -> None:
    common = {"description": "Huisarts", "domain": Domain.OTHER, "by": team.ib}
    services.add_action(part, owner="huisarts", due_on=dt.date(2026, 12, 26), **common)
    with pytest.raises(services.PlanFieldError, match="is het geen werkdag"):
        services.add_action(part, owner=team.smw, due_on=dt.date(2026, 12, 26), **common)


def test_the_plan_page_refuses_it_at_the_field_and_keeps_the_input(
    team: Any, part: Any, client_for: Any
) -> None:
    a = f"action-{part.pk}-"
    data = {
        a + "form_token": str(uuid.uuid4()),
        a + "description": "Dagritmekaart maken",
        a + "domain": Domain.SCHOOL,
        a + "owner": team.ib.pk,
        a + "due_on": CHRISTMAS.isoformat(),
    }
    response = client_for(team.ib).post(f"/plannen/deel/{part.pk}/actie/", data)
    assert response.status_code == 400
    body = response.content.decode()
    field = f"id_{a}due_on"
    assert f'id="{field}_error"' in body
    assert "Op vrijdag 25 december 2026 is de school dicht" in body
    assert f"De eerste schooldag daarna is {FIRST_SCHOOL_DAY}." in body
    assert "Dagritmekaart maken" in body
    assert "School of schoolmaatschappelijk werk aan zet: een dag waarop de school open is" in body
    assert not Action.objects.exists()


def test_first_due_day_moves_a_closed_day_to_the_next_allowed_one(team: Any, part: Any) -> None:
    school = team.school
    assert services.first_due_day(
        school, domain=Domain.SCHOOL, by_person=True, on=CHRISTMAS
    ) == dt.date(2027, 1, 4)
    assert services.first_due_day(
        school, domain=Domain.NEIGHBOURHOOD_TEAM, by_person=True, on=CHRISTMAS
    ) == dt.date(2026, 12, 28)
    assert (
        services.first_due_day(school, domain=Domain.FAMILY, by_person=False, on=CHRISTMAS)
        == CHRISTMAS
    )
