"""The municipality's service desk: referrals that reached escalation level 4, and nothing else."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from html import escape
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from schoolzorg.audit.models import AccessLogEntry
from schoolzorg.calendars import workingdays
from schoolzorg.referrals import services
from schoolzorg.referrals.models import EscalationReason, Referral
from schoolzorg.referrals.tests.factories import (
    World,
    another_pupil,
    draft,
    make_world,
    submitted,
)
from schoolzorg.referrals.workflow import Urgency

pytestmark = pytest.mark.django_db

Clients = Callable[[Any], Client]


def _escalate(world: World, referral: Referral, times: int) -> Referral:
    """The school escalates by hand, one rung per click."""
    for _ in range(times):
        referral = Referral.objects.get(pk=referral.pk)
        services.escalate_referral(
            referral, by=world.smw, reason=EscalationReason.NO_RESPONSE, note="Geen reactie"
        )
    return Referral.objects.get(pk=referral.pk)


@pytest.fixture
def world() -> World:
    return make_world()


def test_the_desk_sees_a_level_4_referral_in_menu_my_work_and_list(
    world: World, client_for: Clients
) -> None:
    referral = _escalate(world, submitted(world), 4)
    client = client_for(world.desk_user)
    home = client.get(reverse("home")).content.decode()
    assert "Escalaties bij het servicepunt" in home
    assert f'href="/toeleidingen/{referral.pk}/">Toeleiding {referral.pk}</a>' in home
    assert "ontvangst bevestigen, nog op tijd" in home
    # The home page names no child, so it logs no read.
    assert world.pupil.last_name not in home
    assert 'href="/toeleidingen/">Toeleidingen <span class="badge">1<' in home
    assert 'href="/scholen/"' not in home  # no school to show: no menu item to an empty list
    assert 'href="/scholen/"' in client_for(world.coordinator).get(reverse("home")).content.decode()
    listing = client.get(reverse("referrals:inbox"))
    assert listing.status_code == 200
    body = listing.content.decode()
    assert "Escalaties bij het servicepunt" in body
    # Escaped as the page writes it: a generated name may hold an apostrophe ("van 't Hout").
    assert escape(f"{world.pupil.first_name} {world.pupil.last_name}") in body
    assert "Ontvangst bevestigen" in body
    assert client.get(reverse("referrals:detail", args=[referral.pk])).status_code == 200


def test_a_level_3_referral_stays_invisible_to_the_desk(world: World, client_for: Clients) -> None:
    referral = _escalate(world, submitted(world), 3)
    assert referral.escalations.order_by("-level").first().level == 3  # type: ignore[union-attr]
    client = client_for(world.desk_user)
    home = client.get(reverse("home")).content.decode()
    assert "Geen toeleiding bereikte niveau 4." in home
    assert f"Toeleiding {referral.pk}" not in home
    assert '<span class="badge">' not in home
    body = client.get(reverse("referrals:inbox")).content.decode()
    assert world.pupil.last_name not in body
    assert "Er loopt geen toeleiding met een escalatie naar niveau 4." in body
    assert client.get(reverse("referrals:detail", args=[referral.pk])).status_code == 404
    assert not AccessLogEntry.objects.filter(user_id=world.desk_user.pk).exists()


def test_another_municipalitys_desk_sees_nothing(world: World, client_for: Clients) -> None:
    referral = _escalate(world, submitted(world), 4)
    elsewhere = make_world()
    client = client_for(elsewhere.desk_user)
    listing = client.get(reverse("referrals:inbox"))
    assert listing.status_code == 200 and listing.context["open_rows"] == []
    assert world.pupil.last_name not in listing.content.decode()
    assert client.get(reverse("referrals:detail", args=[referral.pk])).status_code == 404


def test_the_list_shows_exactly_what_visible_to_allows(world: World, client_for: Clients) -> None:
    # One referral per child: a team gets no second one for a child while one is under way.
    top = [_escalate(world, submitted(world, pupil=another_pupil(world)), 4) for _ in range(2)]
    _escalate(world, submitted(world, pupil=another_pupil(world)), 2)
    submitted(world)
    response = client_for(world.desk_user).get(reverse("referrals:inbox"))
    shown = {row.pk for row, _ in response.context["open_rows"] + response.context["done_rows"]}
    assert shown == {r.pk for r in top}
    assert shown == set(Referral.objects.visible_to(world.desk_user).values_list("pk", flat=True))


def test_open_ones_come_first_with_the_step_and_how_late(world: World, client_for: Clients) -> None:
    today = timezone.localdate()
    late = _escalate(world, submitted(world, today=today - dt.timedelta(days=40)), 4)
    stopped = _escalate(world, submitted(world, pupil=another_pupil(world)), 4)
    services.withdraw_referral(stopped, by=world.smw, reason="Ouders willen het niet meer")
    due = late.acknowledge_due_on
    assert due is not None and due < today
    expected = workingdays.school_days_between(
        due, today, region=world.school.effective_holiday_region, school_id=world.school.pk
    )
    assert expected > 0
    client = client_for(world.desk_user)
    response = client.get(reverse("referrals:inbox"))
    assert [row.pk for row, _ in response.context["open_rows"]] == [late.pk]
    assert [row.pk for row, _ in response.context["done_rows"]] == [stopped.pk]
    body = response.content.decode()
    assert body.index("<h2>Lopend</h2>") < body.index("<h2>Afgerond of gestopt</h2>")
    assert f"{expected} schooldag" in body and "Ingetrokken" in body
    home = client.get(reverse("home")).content.decode()
    assert home.index(f"Toeleiding {late.pk}<") < home.index(f"Toeleiding {stopped.pk}<")
    assert f"{expected} schooldag" in home and "1 lopende toeleiding bereikte niveau 4" in home


def test_an_urgent_referral_is_late_in_calendar_days_as_its_deadlines_count(
    world: World, client_for: Clients
) -> None:
    today = timezone.localdate()
    referral = draft(world)
    services.save_draft(referral, {"urgency": Urgency.URGENT}, by=world.smw)
    services.submit_referral(referral, by=world.smw, today=today - dt.timedelta(days=20))
    referral = _escalate(world, referral, 4)
    due = referral.acknowledge_due_on
    assert due is not None
    late = (today - due).days
    body = client_for(world.desk_user).get(reverse("referrals:inbox")).content.decode()
    assert f"{late} dagen</strong>" in body
    assert late != workingdays.school_days_between(
        due, today, region=world.school.effective_holiday_region, school_id=world.school.pk
    )


def test_the_list_logs_one_read_per_pupil_as_the_desk(world: World, client_for: Clients) -> None:
    referral = _escalate(world, submitted(world), 4)
    client_for(world.desk_user).get(reverse("referrals:inbox"))
    entry = AccessLogEntry.objects.get(user_id=world.desk_user.pk)
    assert entry.pupil_id == world.pupil.pk
    assert (entry.basis, entry.basis_ref) == ("escalation", str(referral.pk))
    assert entry.role == "service_desk_coordinator"


def test_the_list_and_home_read_a_fixed_number_of_queries(
    world: World, client_for: Clients, django_assert_max_num_queries: Any
) -> None:
    cache.clear()
    _escalate(world, submitted(world), 4)
    client = client_for(world.desk_user)
    client.get(reverse("referrals:inbox"))  # warm the session and the calendar
    counts = {}
    for name in ("home", "referrals:inbox"):
        with django_assert_max_num_queries(25) as one:
            assert client.get(reverse(name)).status_code == 200
        counts[name] = len(one.captured_queries)
    for _ in range(5):
        _escalate(world, submitted(world, pupil=another_pupil(world)), 4)
    # Warm again first: escalating took time, and a session older than SESSION_TOUCH_SECONDS
    # is written once on the next request (seen under load on PostgreSQL).
    client.get(reverse("referrals:inbox"))
    for name in ("home", "referrals:inbox"):
        with django_assert_max_num_queries(counts[name]):
            assert b"Toeleiding" in client.get(reverse(name)).content


def test_a_team_member_still_gets_the_team_inbox(world: World, client_for: Clients) -> None:
    submitted(world)
    response = client_for(world.worker).get(reverse("referrals:inbox"))
    assert response.status_code == 200
    assert "Toeleidingen voor het wijkteam" in response.content.decode()


def test_the_desk_sees_where_a_referral_is_stuck_not_what_the_family_shared(
    world: World, client_for: Clients
) -> None:
    referral = _escalate(world, submitted(world), 4)
    page = client_for(world.desk_user).get(reverse("referrals:detail", args=[referral.pk]))
    body = page.content.decode()
    assert page.status_code == 200
    assert "Termijnen" in body and "Escalaties" in body
    assert referral.help_question and referral.help_question not in body
    assert "niet wat het gezin heeft verteld" in body
    school_side = client_for(world.smw).get(reverse("referrals:detail", args=[referral.pk]))
    assert referral.help_question in school_side.content.decode()


def test_the_desk_reads_that_a_referral_was_sent_back_not_why(
    world: World, client_for: Clients
) -> None:
    from schoolzorg.referrals import services

    referral = _escalate(world, submitted(world), 4)
    services.return_incomplete(referral, by=world.worker, reasons="Thuissituatie ontbreekt")
    url = reverse("referrals:detail", args=[referral.pk])
    body = client_for(world.desk_user).get(url).content.decode()
    assert "Teruggestuurd als onvolledig" in body and "Thuissituatie ontbreekt" not in body
    school = client_for(world.smw).get(url).content.decode()
    assert "Teruggestuurd als onvolledig: Thuissituatie ontbreekt" in school


NOTE = "Vader drinkt sinds zijn ontslag; moeder durft niet naar huis."


@pytest.mark.parametrize("reader", ["desk", "partnership_contact", "team_without_consent"])
def test_the_schools_escalation_note_is_read_only_by_those_who_see_the_document(
    world: World, client_for: Clients, reader: str
) -> None:
    """Tester P2: what the school writes when it escalates is about the family as often as the
    team; whoever does not see the document reads the rung and the reason, in the table and on
    the timeline, not the note."""
    from django.utils import timezone

    from schoolzorg.accounts.roles import Role
    from schoolzorg.consent.models import Consent
    from schoolzorg.organisations.tests.factories import PartnershipFactory
    from schoolzorg.referrals.tests.factories import person

    referral = _escalate(world, submitted(world), 3)
    services.escalate_referral(
        referral, by=world.smw, reason=EscalationReason.DISAGREEMENT, note=NOTE
    )
    url = reverse("referrals:detail", args=[referral.pk])
    team = client_for(world.contact).get(url).content.decode()
    assert team.count(escape(NOTE)) == 2  # the table and the timeline, while under way
    if reader == "desk":
        user = world.desk_user
    elif reader == "partnership_contact":
        user = person(PartnershipFactory(), Role.PARTNERSHIP_CONTACT, school=world.school)
    else:
        Consent.objects.filter(recipient=world.team).update(withdrawn_on=timezone.localdate())
        user = world.contact
    body = client_for(user).get(url).content.decode()
    assert "4. Gemeente en Servicepunt SMW" in body and "Verschil van inzicht" in body
    assert "Geëscaleerd door de school" in body
    assert "drinkt" not in body
    school = client_for(world.smw).get(url).content.decode()
    assert school.count(escape(NOTE)) == 2


def test_the_escalation_form_says_who_reads_the_note(world: World, client_for: Clients) -> None:
    url = reverse("referrals:detail", args=[submitted(world).pk])
    body = client_for(world.smw).get(url).content.decode()
    assert "Deze toelichting lezen alleen de school en het wijkteam" in body


def test_the_desk_reads_the_sweeps_note_on_the_deadline(world: World, client_for: Clients) -> None:
    referral = submitted(world)
    assert referral.acknowledge_due_on is not None
    services.run_escalations(referral.acknowledge_due_on + dt.timedelta(days=30))
    url = reverse("referrals:detail", args=[referral.pk])
    body = client_for(world.desk_user).get(url).content.decode()
    assert "Geen reactie: De termijn liep tot en met" in body


def test_the_desk_list_comes_a_page_at_a_time(
    world: World, client_for: Clients, monkeypatch: pytest.MonkeyPatch
) -> None:
    from schoolzorg.lib import paging

    monkeypatch.setattr(paging, "PAGE_SIZE", 2)
    _escalate(world, submitted(world), 4)
    for _ in range(2):
        _escalate(world, submitted(world, pupil=another_pupil(world)), 4)
    client = client_for(world.desk_user)
    first = client.get(reverse("referrals:inbox")).content.decode()
    second = client.get(reverse("referrals:inbox") + "?pagina=2").content.decode()
    assert first.count('<a href="/toeleidingen/') == 2 and 'rel="next"' in first
    assert second.count('<a href="/toeleidingen/') == 1 and 'rel="prev"' in second
    assert AccessLogEntry.objects.filter(user_id=world.desk_user.pk).count() == 3
