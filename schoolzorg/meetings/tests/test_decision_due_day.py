"""A decision becomes an action in the plan, so its due day keeps to the plan's rule (R4,
`plans.services.closed_due_day`): the school side not on a day the school is closed, refused
at the field with the first school day named; the family on any day."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from schoolzorg.meetings.models import Decision
from schoolzorg.meetings.services import FieldRefused, add_decision, add_general_item
from schoolzorg.meetings.tests.test_meeting import _decision_data, _item, _today
from schoolzorg.plans.models import Action

pytestmark = pytest.mark.django_db

CHRISTMAS = dt.date(2026, 12, 25)


@pytest.fixture
def christmas() -> None:
    from schoolzorg.calendars.tests.factories import PublicHolidayFactory, SchoolHolidayFactory

    SchoolHolidayFactory(
        name="Kerstvakantie", start_on=dt.date(2026, 12, 19), end_on=dt.date(2027, 1, 3)
    )
    PublicHolidayFactory(date=CHRISTMAS, name="Eerste kerstdag")


@pytest.mark.parametrize("htmx", [False, True])
def test_a_decision_for_the_school_due_on_christmas_day_is_refused_at_the_field(
    setting: Any, client_for: Any, christmas: None, htmx: bool
) -> None:
    _today(setting.meeting)
    item = _item(setting)
    data = _decision_data(item, setting)
    data[f"d{item.pk}-domain"] = "school"
    data[f"d{item.pk}-due_on"] = CHRISTMAS.isoformat()
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    response = client_for(setting.ib).post(f"/overleggen/punt/{item.pk}/besluit/", data, **headers)
    assert response.status_code == (200 if htmx else 400)
    body = response.content.decode()
    message = (
        "Op vrijdag 25 december 2026 is de school dicht (Eerste kerstdag, Kerstvakantie). "
        "Kies een schooldag. De eerste schooldag daarna is maandag 4 januari 2027."
    )
    field = f"id_d{item.pk}-due_on"
    assert f'id="{field}_error"><span class="visually-hidden">Fout: </span>{message}</p>' in body
    assert f'value="{CHRISTMAS.isoformat()}"' in body
    assert "Gesprek met moeder over ochtendritme" in body
    assert not Decision.objects.exists() and not Action.objects.exists()


def test_a_decision_for_the_family_may_be_due_in_the_holiday(setting: Any, christmas: None) -> None:
    _today(setting.meeting)
    item = _item(setting)
    decision, _new = add_decision(
        item,
        text="Moeder belt de huisarts",
        domain="family",
        owner="moeder",
        due_on=CHRISTMAS,
        by=setting.ib,
        form_token=__import__("uuid").uuid4(),
    )
    assert decision.plan_action is not None and decision.plan_action.due_on == CHRISTMAS


def test_a_general_item_keeps_to_the_meetings_school(setting: Any, christmas: None) -> None:
    _today(setting.meeting)
    item = add_general_item(setting.meeting, question="Werkwijze", by=setting.ib)
    with pytest.raises(FieldRefused) as exc:
        add_decision(
            item,
            text="Nieuwe werkwijze uitleggen",
            domain="school",
            owner=setting.ib,
            due_on=dt.date(2026, 12, 22),
            by=setting.ib,
            form_token=__import__("uuid").uuid4(),
        )
    assert exc.value.field == "due_on"
    assert "is de school dicht (Kerstvakantie)" in exc.value.message
