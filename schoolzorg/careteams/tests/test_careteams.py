from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from schoolzorg.accounts.roles import Role
from schoolzorg.careteams import services
from schoolzorg.careteams.completeness import assess, norm_hours_for
from schoolzorg.careteams.models import (
    CareTeamChange,
    CareTeamMember,
    PresenceNorm,
    PresenceSlot,
    TeamRole,
)
from schoolzorg.careteams.tests.factories import CareTeamFactory, add_member
from schoolzorg.organisations.tests.factories import (
    NeighbourhoodTeamFactory,
    SchoolFactory,
    YouthHealthServiceFactory,
)

pytestmark = pytest.mark.django_db


def _full_team(member, hours_nt="4"):
    team = CareTeamFactory()
    school = team.school
    nt = NeighbourhoodTeamFactory(municipality=school.municipality)
    people = {
        TeamRole.SUPPORT_COORDINATOR: member(Role.SUPPORT_COORDINATOR, school),
        TeamRole.SCHOOL_SOCIAL_WORKER: member(Role.TEACHER, school),
        TeamRole.PARTNERSHIP_CONTACT: member(Role.TEACHER, school),
        TeamRole.NEIGHBOURHOOD_TEAM_WORKER: member(
            Role.NEIGHBOURHOOD_TEAM_WORKER, nt, school=school
        ),
        TeamRole.YOUTH_HEALTH_NURSE: member(
            Role.YOUTH_HEALTH_NURSE, YouthHealthServiceFactory(), school=school
        ),
    }
    for role, user in people.items():
        add_member(
            team, user, role, hours=hours_nt if role == TeamRole.NEIGHBOURHOOD_TEAM_WORKER else "8"
        )
    return team, people


def test_complete_team_has_no_warnings(member):
    team, _ = _full_team(member)
    result = assess(CareTeamMember.objects.current().filter(team=team), norm_hours=Decimal("4"))
    assert result.is_complete
    assert result.neighbourhood_team_hours == Decimal("4")


def test_missing_role_is_named_in_a_warning(member):
    team, _people = _full_team(member)
    CareTeamMember.objects.filter(team=team, role=TeamRole.YOUTH_HEALTH_NURSE).delete()
    result = assess(CareTeamMember.objects.current().filter(team=team), norm_hours=Decimal("4"))
    assert result.warnings == ("Er is geen jeugdverpleegkundige in het team.",)


def test_neighbourhood_team_worker_below_norm_warns(member):
    team, _ = _full_team(member, hours_nt="2.5")
    result = assess(CareTeamMember.objects.current().filter(team=team), norm_hours=Decimal("4"))
    assert not result.is_complete
    assert "2,5 uur per week" in result.warnings[0]
    assert "minstens 4 uur" in result.warnings[0]


def test_norm_is_configurable_per_municipality(member):
    team, _ = _full_team(member, hours_nt="4")
    assert norm_hours_for(team) == Decimal("4")
    PresenceNorm.objects.create(municipality=team.school.municipality, neighbourhood_team_hours=6)
    result = assess(team.members.current(), norm_hours=norm_hours_for(team))
    assert "minstens 6 uur" in result.warnings[0]


def test_ended_member_no_longer_counts_and_history_is_kept(member):
    team, people = _full_team(member)
    nurse = CareTeamMember.objects.get(team=team, role=TeamRole.YOUTH_HEALTH_NURSE)
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    services.end_member(nurse, left_on=yesterday, by=people[TeamRole.SUPPORT_COORDINATOR])
    result = assess(team.members.current(), norm_hours=Decimal("4"))
    assert result.warnings == ("Er is geen jeugdverpleegkundige in het team.",)
    assert CareTeamMember.objects.filter(team=team, role=TeamRole.YOUTH_HEALTH_NURSE).exists()
    assert CareTeamChange.objects.filter(team=team, kind="left").count() == 1


def test_change_hours_closes_old_row_and_opens_new_one(member):
    team, people = _full_team(member, hours_nt="2")
    worker = CareTeamMember.objects.get(team=team, role=TeamRole.NEIGHBOURHOOD_TEAM_WORKER)
    today = timezone.localdate()
    new = services.change_hours(
        worker, hours_per_week=Decimal("4"), on=today, by=people[TeamRole.SUPPORT_COORDINATOR]
    )
    worker.refresh_from_db()
    assert worker.left_on == today - dt.timedelta(days=1)
    assert new.hours_per_week == Decimal("4")
    assert assess(team.members.current(), norm_hours=Decimal("4")).is_complete


def test_the_change_log_writes_dates_as_the_tables_do(member):
    team, people = _full_team(member, hours_nt="2")
    ib = people[TeamRole.SUPPORT_COORDINATOR]
    worker = CareTeamMember.objects.get(team=team, role=TeamRole.NEIGHBOURHOOD_TEAM_WORKER)
    new = services.change_hours(worker, hours_per_week=Decimal("4"), on=dt.date(2026, 8, 15), by=ib)
    services.end_member(new, left_on=dt.date(2026, 9, 4), by=ib)
    texts = list(CareTeamChange.objects.filter(team=team).values_list("text", flat=True))
    assert any(t.endswith("vanaf 15-8-2026.") for t in texts), texts  # not 15-08-2026
    assert any(t.endswith("uit het team per 4-9-2026.") for t in texts), texts


def test_team_page_shows_warning_to_school_staff(member, client_for):
    team, people = _full_team(member, hours_nt="2")
    response = client_for(people[TeamRole.SUPPORT_COORDINATOR]).get(
        f"/zorgteams/school/{team.school_id}/"
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "de afspraak is minstens 4 uur" in body


def test_team_page_outsider_gets_404(member, client_for):
    team, _ = _full_team(member)
    outsider = member(Role.SUPPORT_COORDINATOR, SchoolFactory())
    client = client_for(outsider)
    assert client.get(f"/zorgteams/school/{team.school_id}/").status_code == 404
    member_pk = team.members.first().pk
    assert client.get(f"/zorgteams/leden/{member_pk}/uren/").status_code == 404
    assert (
        client.post(f"/zorgteams/leden/{member_pk}/einde/", {"left_on": "2030-01-01"}).status_code
        == 404
    )
    assert client.get(f"/zorgteams/school/{team.school_id}/leden/nieuw/").status_code == 404


def test_teacher_sees_team_but_cannot_manage(member, client_for):
    team, _ = _full_team(member)
    teacher = member(Role.TEACHER, team.school, group="3")
    client = client_for(teacher)
    assert client.get(f"/zorgteams/school/{team.school_id}/").status_code == 200
    assert client.get(f"/zorgteams/school/{team.school_id}/leden/nieuw/").status_code == 404


def test_coordinator_adds_member_and_walk_in_hours(member, client_for):
    team, people = _full_team(member)
    ib = people[TeamRole.SUPPORT_COORDINATOR]
    client = client_for(ib)
    worker = CareTeamMember.objects.get(team=team, role=TeamRole.NEIGHBOURHOOD_TEAM_WORKER)
    response = client.post(
        f"/zorgteams/leden/{worker.pk}/aanwezigheid/",
        {
            "weekday": 2,
            "starts_at": "08:30",
            "ends_at": "10:30",
            "place": "Ouderkamer",
            "is_walk_in": "on",
        },
    )
    assert response.status_code == 302
    page = client.get(f"/zorgteams/school/{team.school_id}/").content.decode()
    assert "Inloopspreekuur" in page and "Ouderkamer" in page


def test_date_fields_are_filled_in_with_a_value_the_date_picker_reads(member, client_for):
    # `<input type="date">` only takes ISO dates; "04-12-2026" left the field empty in the browser.
    team, people = _full_team(member)
    member(Role.SUPPORT_COORDINATOR, team.school)  # a second IB-er, not in the team yet
    client = client_for(people[TeamRole.SUPPORT_COORDINATOR])
    worker = CareTeamMember.objects.get(team=team, role=TeamRole.NEIGHBOURHOOD_TEAM_WORKER)
    today = timezone.localdate().isoformat()
    for url in (
        f"/zorgteams/leden/{worker.pk}/uren/",
        f"/zorgteams/school/{team.school_id}/leden/nieuw/",
    ):
        page = client.get(url).content.decode()
        assert 'type="date"' in page and f'value="{today}"' in page, url


def test_team_page_year_parameter_takes_junk_without_error(member, client_for):
    team, people = _full_team(member)
    client = client_for(people[TeamRole.SUPPORT_COORDINATOR])
    for junk in ("²", "9" * 30, "9" * 5000, "-1", "abc", "0"):
        response = client.get(f"/zorgteams/school/{team.school_id}/", {"jaar": junk})
        assert response.status_code == 200, junk


def test_team_page_refuses_an_unreasonable_year_and_shows_this_one(member, client_for):
    from schoolzorg.careteams.models import school_year_of

    team, people = _full_team(member)
    client = client_for(people[TeamRole.SUPPORT_COORDINATOR])
    this_year = school_year_of(timezone.localdate())
    for year in ("99999", "1999", str(this_year + 6)):
        response = client.get(f"/zorgteams/school/{team.school_id}/", {"jaar": year})
        page = response.content.decode()
        assert response.status_code == 200, year
        assert response.context["year"] == this_year, year
        assert "Dat schooljaar kan niet." in page, year
        assert "99999" not in page and "100000" not in page
    for year in ("2000", str(this_year + 5)):
        response = client.get(f"/zorgteams/school/{team.school_id}/", {"jaar": year})
        assert response.context["year"] == int(year)
        assert "Dat schooljaar kan niet." not in response.content.decode()


def test_slot_with_end_before_start_gets_dutch_message(member, client_for):
    team, people = _full_team(member)
    worker = CareTeamMember.objects.get(team=team, role=TeamRole.NEIGHBOURHOOD_TEAM_WORKER)
    response = client_for(people[TeamRole.SUPPORT_COORDINATOR]).post(
        f"/zorgteams/leden/{worker.pk}/aanwezigheid/",
        {"weekday": 2, "starts_at": "10:30", "ends_at": "08:30", "place": "Ouderkamer"},
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "De eindtijd moet na de begintijd liggen." in body
    assert "Ouderkamer" in body


def _slot(member_row):
    return PresenceSlot.objects.create(
        member=member_row,
        weekday=2,
        starts_at=dt.time(8, 30),
        ends_at=dt.time(10, 0),
        place="Ouderkamer",
    )


def test_removing_a_slot_twice_says_it_was_already_gone(member, client_for):
    team, people = _full_team(member)
    worker = CareTeamMember.objects.get(team=team, role=TeamRole.NEIGHBOURHOOD_TEAM_WORKER)
    slot = _slot(worker)
    client = client_for(people[TeamRole.SUPPORT_COORDINATOR])
    page = client.get(f"/zorgteams/school/{team.school_id}/").content.decode()
    assert f'name="team" value="{team.pk}"' in page
    url = f"/zorgteams/aanwezigheid/{slot.pk}/verwijderen/"
    first = client.post(url, {"team": team.pk})
    second = client.post(url, {"team": team.pk}, follow=True)
    assert first.status_code == 302 and not PresenceSlot.objects.exists()
    assert second.redirect_chain[-1][0] == f"/zorgteams/school/{team.school_id}/"
    assert "Deze vaste tijd stond al niet meer in de lijst." in second.content.decode()


def test_gone_slot_of_a_team_one_does_not_manage_stays_a_404(member, client_for):
    team, people = _full_team(member)
    other, _other_people = _full_team(member)
    other_worker = CareTeamMember.objects.get(team=other, role=TeamRole.NEIGHBOURHOOD_TEAM_WORKER)
    other_slot = _slot(other_worker)
    coordinator = people[TeamRole.SUPPORT_COORDINATOR]
    client = client_for(coordinator)
    # Another team's id in the form: a 404, as before, whether or not the slot exists.
    for pk in (other_slot.pk, other_slot.pk + 1000):
        url = f"/zorgteams/aanwezigheid/{pk}/verwijderen/"
        assert client.post(url, {"team": other.pk}).status_code == 404
        assert client.post(url, {"team": "x"}).status_code == 404
        assert client.post(url).status_code == 404
    # One's own team with another team's slot id: the same answer as for a slot that is gone.
    response = client.post(
        f"/zorgteams/aanwezigheid/{other_slot.pk}/verwijderen/", {"team": team.pk}
    )
    assert response.status_code == 302
    assert PresenceSlot.objects.filter(pk=other_slot.pk).exists()
    # A team member who may not manage the team gets a 404 too.
    nurse = client_for(people[TeamRole.YOUTH_HEALTH_NURSE])
    gone = f"/zorgteams/aanwezigheid/{other_slot.pk + 1000}/verwijderen/"
    assert nurse.post(gone, {"team": team.pk}).status_code == 404


@pytest.mark.parametrize("count", [1, 12])
def test_team_list_has_a_fixed_number_of_queries(
    member, client_for, django_assert_max_num_queries, count
):
    from schoolzorg.accounts.models import Membership

    user = member(Role.SUPPORT_COORDINATOR, SchoolFactory())
    for _ in range(count):
        team, _people = _full_team(member)
        Membership.objects.create(
            user=user,
            organisation=team.school,
            role=Role.SUPPORT_COORDINATOR,
            valid_from=dt.date(2020, 1, 1),
        )
    client = client_for(user)
    client.get("/zorgteams/")
    with django_assert_max_num_queries(15):
        assert client.get("/zorgteams/").status_code == 200


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31"])
def test_a_slip_of_the_year_is_refused_at_the_date_field(member, client_for, day):
    team, people = _full_team(member)
    ib = people[TeamRole.SUPPORT_COORDINATOR]
    client = client_for(ib)
    worker = CareTeamMember.objects.get(team=team, role=TeamRole.NEIGHBOURHOOD_TEAM_WORKER)
    before = CareTeamMember.objects.count()

    hours = client.post(f"/zorgteams/leden/{worker.pk}/uren/", {"hours_per_week": "6", "on": day})
    assert hours.status_code == 400
    assert "Deze datum ligt te ver" in hours.content.decode()

    ended = client.post(f"/zorgteams/leden/{worker.pk}/einde/", {"left_on": day})
    assert ended.status_code == 400
    assert "Deze datum ligt te ver" in ended.content.decode()

    newcomer = member(Role.TEACHER, team.school)
    membership = newcomer.memberships.get()
    added = client.post(
        f"/zorgteams/school/{team.school_id}/leden/nieuw/",
        {"membership": membership.pk, "hours_per_week": "2", "joined_on": day},
    )
    assert added.status_code == 400
    assert "Deze datum ligt te ver" in added.content.decode()
    assert CareTeamMember.objects.count() == before
    worker.refresh_from_db()
    assert worker.left_on is None


def test_the_add_page_offers_only_people_not_yet_in_the_team(member, client_for):
    team, people = _full_team(member)
    client = client_for(people[TeamRole.SUPPORT_COORDINATOR])
    url = f"/zorgteams/school/{team.school_id}/leden/nieuw/"
    full = client.get(url).content.decode()
    assert "Iedereen met een rol op deze school zit al in het team." in full
    assert "<form" not in full.split("<main", 1)[1].split("</main>", 1)[0]
    newcomer = member(Role.SUPPORT_COORDINATOR, team.school)
    page = client.get(url).content.decode()
    assert newcomer.full_name in page
    assert people[TeamRole.YOUTH_HEALTH_NURSE].full_name not in page


def test_a_member_whose_role_ended_is_shown_as_such_and_no_longer_counts(member, client_for):
    from schoolzorg.accounts.models import Membership

    team, people = _full_team(member)
    nurse = people[TeamRole.YOUTH_HEALTH_NURSE]
    Membership.objects.filter(user=nurse).update(
        valid_until=timezone.localdate() - dt.timedelta(days=1)
    )
    seat = CareTeamMember.objects.get(user=nurse)
    PresenceSlot.objects.create(
        member=seat,
        weekday=0,
        starts_at=dt.time(9, 0),
        ends_at=dt.time(10, 0),
        place="Spreekkamer Verpleging",
    )
    assert list(CareTeamMember.objects.in_force().filter(team=team).values_list("user", flat=True))
    assert not CareTeamMember.objects.in_force().filter(user=nurse).exists()

    page = client_for(people[TeamRole.SUPPORT_COORDINATOR]).get(
        f"/zorgteams/school/{team.school_id}/"
    )
    body = page.content.decode()
    assert page.status_code == 200
    assert f"<strong>Rol beëindigd.</strong> {nurse.full_name} heeft geen rol meer" in body
    assert "Spreekkamer Verpleging" not in body  # her fixed times no longer count either
    assert not page.context["completeness"].is_complete
    assert client_for(nurse).get(f"/zorgteams/school/{team.school_id}/").status_code == 404


def _token(page) -> str:
    return page.content.decode().split('name="form_token" value="')[1].split('"')[0]


def test_a_presence_slot_sent_twice_is_published_once(member, client_for):
    team, people = _full_team(member)
    worker = CareTeamMember.objects.get(team=team, role=TeamRole.NEIGHBOURHOOD_TEAM_WORKER)
    client = client_for(people[TeamRole.SUPPORT_COORDINATOR])
    url = f"/zorgteams/leden/{worker.pk}/aanwezigheid/"
    data = {
        "form_token": _token(client.get(url)),
        "weekday": 3,
        "starts_at": "08:30",
        "ends_at": "12:30",
        "place": "Kamer Ü-dubbel",
    }
    assert client.post(url, data).status_code == 302
    again = client.post(url, data, follow=True)
    assert again.redirect_chain[0][0] == f"/zorgteams/school/{team.school_id}/"
    assert "De vaste tijd is opgeslagen." in again.content.decode()
    assert PresenceSlot.objects.filter(member=worker).count() == 1
    assert CareTeamChange.objects.filter(team=team, kind="presence").count() == 1


@pytest.mark.parametrize(
    ("starts", "ends"), [("08:30", "12:30"), ("12:00", "13:00"), ("07:00", "09:00")]
)
def test_a_slot_overlapping_one_of_the_same_member_is_refused(member, client_for, starts, ends):
    team, people = _full_team(member)
    worker = CareTeamMember.objects.get(team=team, role=TeamRole.NEIGHBOURHOOD_TEAM_WORKER)
    services.add_presence_slot(
        worker,
        weekday=3,
        starts_at=dt.time(8, 30),
        ends_at=dt.time(12, 30),
        place="Ouderkamer",
        is_walk_in=False,
        by=people[TeamRole.SUPPORT_COORDINATOR],
    )
    client = client_for(people[TeamRole.SUPPORT_COORDINATOR])
    url = f"/zorgteams/leden/{worker.pk}/aanwezigheid/"
    data = {"weekday": 3, "starts_at": starts, "ends_at": ends, "place": "Kamer 2"}
    response = client.post(url, data | {"form_token": _token(client.get(url))})
    assert response.status_code == 400
    body = response.content.decode()
    assert (
        f"{worker.user} is op donderdag al op school van 08:30 tot 12:30 (Ouderkamer). "
        "Die tijd overlapt met deze." in body
    )
    assert "Kamer 2" in body  # the typed place stays
    assert PresenceSlot.objects.filter(member=worker).count() == 1
    # Right after it, or the same time on another day, is no overlap.
    for other in ({"starts_at": "12:30", "ends_at": "13:30"}, {"weekday": 4}):
        sent = data | other | {"form_token": _token(client.get(url))}
        assert client.post(url, sent).status_code == 302, other
    assert PresenceSlot.objects.filter(member=worker).count() == 3


def _hours_page(client, worker):
    return client.get(f"/zorgteams/leden/{worker.pk}/uren/")


def _hours(page, hours, on):
    shown = page.content.decode().split('name="expected_hours" value="')[1].split('"')[0]
    return {"expected_hours": shown, "hours_per_week": hours, "on": on}


def test_hours_changed_by_a_colleague_meanwhile_come_back_409_with_the_new_hours(
    member, client_for
):
    """Tab B drew the form before tab A changed the hours (which ends the row and opens a new
    one): B's save is not refused with "not in the team" but told what the hours are now, and
    sending it again applies B's own value."""
    team, people = _full_team(member)
    ib = people[TeamRole.SUPPORT_COORDINATOR]
    worker = CareTeamMember.objects.get(team=team, role=TeamRole.NEIGHBOURHOOD_TEAM_WORKER)
    today = timezone.localdate()
    worker_row = CareTeamMember.objects.filter(pk=worker.pk)
    worker_row.update(joined_on=today - dt.timedelta(days=30))
    tab_a, tab_b = client_for(ib), client_for(ib)
    form_b = _hours(_hours_page(tab_b, worker), "3.5", today.isoformat())
    form_a = _hours(_hours_page(tab_a, worker), "7", today.isoformat())
    assert tab_a.post(f"/zorgteams/leden/{worker.pk}/uren/", form_a).status_code == 302
    new = CareTeamMember.objects.get(team=team, role=worker.role, left_on__isnull=True)
    assert new.pk != worker.pk and new.hours_per_week == Decimal("7")

    response = tab_b.post(f"/zorgteams/leden/{worker.pk}/uren/", form_b)
    assert response.status_code == 409
    body = response.content.decode()
    assert "Dit lid is niet meer in het team." not in body
    assert (
        f"Een collega heeft de uren intussen aangepast: {worker.user} heeft nu 7 uur per week, "
        f"vanaf {today.day}-{today.month}-{today.year}." in body
    )
    assert "<title>Fout: " in body
    assert 'value="3.5"' in body  # what B typed stays
    assert f'action="/zorgteams/leden/{new.pk}/uren/"' in body
    # Sending it again is a deliberate choice: B's own hours are saved on the row as it is now.
    again = _hours(response, "3.5", today.isoformat())
    assert again["expected_hours"] == "7.0"
    assert tab_b.post(f"/zorgteams/leden/{new.pk}/uren/", again).status_code == 302
    assert CareTeamMember.objects.get(pk=new.pk).hours_per_week == Decimal("3.5")
    assert CareTeamMember.objects.current().filter(team=team, role=worker.role).count() == 1


def test_hours_corrected_in_place_by_a_colleague_are_not_overwritten_unseen(member, client_for):
    """A correction on the day the row starts changes the same row: the hidden hours the form
    showed tell that a colleague changed them."""
    team, people = _full_team(member)
    ib = people[TeamRole.SUPPORT_COORDINATOR]
    worker = CareTeamMember.objects.get(team=team, role=TeamRole.NEIGHBOURHOOD_TEAM_WORKER)
    worker.joined_on = timezone.localdate() - dt.timedelta(days=30)
    CareTeamMember.objects.filter(pk=worker.pk).update(joined_on=worker.joined_on)
    url = f"/zorgteams/leden/{worker.pk}/uren/"
    on = worker.joined_on.isoformat()
    tab_a, tab_b = client_for(ib), client_for(ib)
    form_b = _hours(_hours_page(tab_b, worker), "3", on)
    assert tab_a.post(url, _hours(_hours_page(tab_a, worker), "6", on)).status_code == 302
    response = tab_b.post(url, form_b)
    assert response.status_code == 409
    assert "heeft nu 6 uur per week" in response.content.decode()
    assert CareTeamMember.objects.get(pk=worker.pk).hours_per_week == Decimal("6")


def test_the_hours_form_sent_twice_says_it_was_done(member, client_for):
    """A double click or the back button: the hours are what the form asks, nothing changes."""
    team, people = _full_team(member)
    client = client_for(people[TeamRole.SUPPORT_COORDINATOR])
    worker = CareTeamMember.objects.get(team=team, role=TeamRole.NEIGHBOURHOOD_TEAM_WORKER)
    CareTeamMember.objects.filter(pk=worker.pk).update(
        joined_on=timezone.localdate() - dt.timedelta(days=30)
    )
    url = f"/zorgteams/leden/{worker.pk}/uren/"
    # A new row from today, then a correction of that row on the day it starts.
    for hours in ("7", "5"):
        data = _hours(_hours_page(client, worker), hours, timezone.localdate().isoformat())
        assert client.post(url, data).status_code == 302
        again = client.post(url, data, follow=True)
        assert "Dit was al gedaan." in again.content.decode()
        worker = CareTeamMember.objects.get(team=team, role=worker.role, left_on__isnull=True)
        url = f"/zorgteams/leden/{worker.pk}/uren/"
    assert CareTeamMember.objects.filter(team=team, role=worker.role).count() == 2
    assert worker.hours_per_week == Decimal("5")
    assert CareTeamChange.objects.filter(team=team, kind="hours").count() == 2


def test_hours_of_a_member_who_left_the_team_are_still_refused(member, client_for):
    team, people = _full_team(member)
    ib = people[TeamRole.SUPPORT_COORDINATOR]
    worker = CareTeamMember.objects.get(team=team, role=TeamRole.NEIGHBOURHOOD_TEAM_WORKER)
    client = client_for(ib)
    data = _hours(_hours_page(client, worker), "7", timezone.localdate().isoformat())
    services.end_member(worker, left_on=timezone.localdate(), by=ib)
    response = client.post(f"/zorgteams/leden/{worker.pk}/uren/", data)
    assert response.status_code == 400
    assert "Dit lid is niet meer in het team." in response.content.decode()


def test_removing_a_slot_asks_first(member, client_for):
    """Tester X13: one press removed a fixed time; now the first press opens a question (a
    <details>, without script) and only its button sends."""
    import re

    team, people = _full_team(member)
    worker = CareTeamMember.objects.get(team=team, role=TeamRole.NEIGHBOURHOOD_TEAM_WORKER)
    slot = _slot(worker)
    page = client_for(people[TeamRole.SUPPORT_COORDINATOR]).get(
        f"/zorgteams/school/{team.school_id}/"
    )
    html = page.content.decode()
    url = f"/zorgteams/aanwezigheid/{slot.pk}/verwijderen/"
    found = re.search(r'<details class="confirm-step">(.*?)</details>', html, re.S)
    assert found and f'action="{url}"' in found.group(1)
    assert "Ja, verwijder deze tijd" in found.group(1)
    assert html.count(f'action="{url}"') == 1
