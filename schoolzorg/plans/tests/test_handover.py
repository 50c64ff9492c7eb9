"""After a child changes school, the new school hands the plan's coordinator role and the open
actions of people who can no longer open the plan to someone who can (tester Z, finding 5)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from conftest import weekday
from schoolzorg.accounts.models import Notification
from schoolzorg.accounts.roles import Role
from schoolzorg.organisations.tests.factories import SchoolFactory
from schoolzorg.plans import services
from schoolzorg.plans.models import Action, IntegralPlan
from schoolzorg.pupils.services import enrol_pupil

pytestmark = pytest.mark.django_db


@pytest.fixture
def moved(team, member):
    """Sam's plan, coordinated by the old school's IB who also owns an open action in it; then
    Sam goes to De Notenkraker."""
    part = services.start_plan(team.pupil, by=team.ib)
    action = services.add_action(
        part,
        description="Gesprek met ouders over slaapritme",
        domain="school",
        owner=team.ib,
        due_on=weekday(timezone.localdate() + dt.timedelta(days=7)),
        by=team.ib,
    )
    new_school = SchoolFactory(name="De Notenkraker")
    new_ib = member(Role.SUPPORT_COORDINATOR, new_school)
    colleague = member(Role.SUPPORT_COORDINATOR, new_school)
    enrol_pupil(team.pupil, new_school, on=timezone.localdate())
    return part.plan, action, new_ib, colleague


def _owner_form(action, owner, expected):
    p = f"uitvoerder-{action.pk}-"
    return {p + "expected": "" if expected is None else expected.pk, p + "owner": owner.pk}


def test_the_plan_page_says_who_can_no_longer_open_it(team, moved, client_for):
    plan, action, new_ib, _colleague = moved
    assert client_for(team.ib).get(f"/plannen/{plan.pk}/").status_code == 404

    page = client_for(new_ib).get(f"/plannen/{plan.pk}/").content.decode()

    assert f"{team.ib} kan dit plan niet meer openen; kies een nieuwe regisseur." in page
    assert "kan de gegevens van Sam niet meer openen" in page
    assert f'action="/plannen/{plan.pk}/regisseur/"' in page
    assert f'action="/plannen/actie/{action.pk}/uitvoerder/"' in page


def test_nothing_is_said_while_everyone_named_can_open_the_plan(team, client_for):
    part = services.start_plan(team.pupil, by=team.ib)
    services.add_action(
        part,
        description="Dagritmekaart",
        domain="school",
        owner=team.smw,
        due_on=weekday(timezone.localdate() + dt.timedelta(days=7)),
        by=team.ib,
    )
    page = client_for(team.ib).get(f"/plannen/{part.plan_id}/").content.decode()
    assert "niet meer openen" not in page


def test_the_new_school_names_a_new_coordinator_who_is_told(team, moved, client_for):
    plan, _action, new_ib, colleague = moved
    client = client_for(new_ib)
    version = plan.version

    response = client.post(
        f"/plannen/{plan.pk}/regisseur/", {"expected": team.ib.pk, "coordinator": colleague.pk}
    )

    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.coordinator == colleague and plan.version == version + 1
    latest = plan.versions.first()
    assert latest.summary == f"Regisseur gewijzigd: {colleague}"
    assert latest.snapshot["coordinator"] == str(colleague)
    [note] = Notification.objects.filter(user=colleague)
    assert note.url == f"/plannen/{plan.pk}/" and "regisseur" in note.text
    assert "Sam" not in note.text
    page = client.get(f"/plannen/{plan.pk}/").content.decode()
    assert "kan dit plan niet meer openen" not in page
    compare = client.get(f"/plannen/{plan.pk}/versies/?a={version}&b={version + 1}")
    assert str(colleague) in compare.content.decode()
    # The same form sent again changes nothing: no second version or message.
    again = client.post(
        f"/plannen/{plan.pk}/regisseur/", {"expected": team.ib.pk, "coordinator": colleague.pk}
    )
    assert again.status_code == 302
    plan.refresh_from_db()
    assert plan.version == version + 1
    assert Notification.objects.filter(user=colleague).count() == 1


def test_someone_who_cannot_open_the_plan_is_refused_as_coordinator(team, moved, client_for):
    plan, _action, new_ib, _colleague = moved
    response = client_for(new_ib).post(
        f"/plannen/{plan.pk}/regisseur/", {"expected": team.ib.pk, "coordinator": team.ib.pk}
    )
    assert response.status_code == 400
    assert response.context["coordinator_form"].errors["coordinator"] == [
        "Deze persoon kan geen regisseur zijn: alleen wie de gegevens van een kind in dit plan "
        "mag zien. Kies iemand uit de lijst."
    ]
    assert IntegralPlan.objects.get(pk=plan.pk).coordinator == team.ib


def test_a_coordinator_chosen_meanwhile_is_not_overwritten_silently(team, moved, client_for):
    plan, _action, new_ib, colleague = moved
    services.name_plan_coordinator(plan, coordinator=colleague, by=colleague, expected=team.ib.pk)
    response = client_for(new_ib).post(
        f"/plannen/{plan.pk}/regisseur/", {"expected": team.ib.pk, "coordinator": new_ib.pk}
    )
    assert response.status_code == 409
    assert f"Nu is {colleague} de regisseur." in response.content.decode()
    assert IntegralPlan.objects.get(pk=plan.pk).coordinator == colleague
    # Sending the kept choice again is a deliberate choice.
    form = response.context["coordinator_form"]
    assert form.data["expected"] == str(colleague.pk)


def test_the_new_school_gives_an_open_action_to_another_professional(team, moved, client_for):
    plan, action, new_ib, colleague = moved
    client = client_for(new_ib)

    response = client.post(
        f"/plannen/actie/{action.pk}/uitvoerder/", _owner_form(action, colleague, team.ib)
    )

    assert response.status_code == 302
    action.refresh_from_db()
    assert action.owner == colleague and action.status == "planned"
    latest = IntegralPlan.objects.get(pk=plan.pk).versions.first()
    assert latest.summary == f"Actie voor Sam naar {colleague}"
    assert latest.snapshot["parts"][0]["actions"][0]["owner"] == str(colleague)
    [note] = Notification.objects.filter(user=colleague)
    assert note.url == f"/plannen/{plan.pk}/"
    page = client.get(f"/plannen/{plan.pk}/").content.decode()
    assert "kan de gegevens van Sam niet meer openen" not in page
    # The new owner finds it under "Mijn werk".
    home = client_for(colleague).get("/").content.decode()
    assert "Gesprek met ouders over slaapritme" in home


def test_an_action_owner_outside_the_list_is_refused(team, moved, client_for):
    _plan, action, new_ib, _colleague = moved
    response = client_for(new_ib).post(
        f"/plannen/actie/{action.pk}/uitvoerder/", _owner_form(action, team.ib, team.ib)
    )
    assert response.status_code == 400
    assert "Deze persoon kan geen eigenaar zijn" in response.content.decode()
    assert Action.objects.get(pk=action.pk).owner == team.ib


def test_a_done_action_keeps_its_owner(team, moved, client_for):
    _plan, action, new_ib, colleague = moved
    Action.objects.filter(pk=action.pk).update(status="done")
    response = client_for(new_ib).post(
        f"/plannen/actie/{action.pk}/uitvoerder/",
        _owner_form(action, colleague, team.ib),
        follow=True,
    )
    assert "Deze actie is niet meer open" in response.content.decode()
    assert Action.objects.get(pk=action.pk).owner == team.ib


def test_outsiders_cannot_change_coordinator_or_owner(team, moved, client_for):
    plan, action, _new_ib, colleague = moved
    for user in (team.outsider, team.ib):
        client = client_for(user)
        assert (
            client.post(
                f"/plannen/{plan.pk}/regisseur/",
                {"expected": team.ib.pk, "coordinator": colleague.pk},
            ).status_code
            == 404
        )
        assert (
            client.post(
                f"/plannen/actie/{action.pk}/uitvoerder/", _owner_form(action, colleague, team.ib)
            ).status_code
            == 404
        )
    assert IntegralPlan.objects.get(pk=plan.pk).coordinator == team.ib
