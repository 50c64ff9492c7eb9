"""Access follows relationships and ends on the very next request; child safety is narrower."""

from __future__ import annotations

import datetime as dt
import uuid
from urllib.parse import urlsplit

import pytest
import time_machine
from django.utils import timezone

from schoolzorg.accounts.models import Membership
from schoolzorg.accounts.views import REAUTH_KEY
from schoolzorg.audit.matrix import build_world, signed_in_client
from schoolzorg.audit.models import AccessLogEntry, BreakGlassGrant
from schoolzorg.pupils import access
from schoolzorg.pupils.models import Pupil

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():  # type: ignore[no-untyped-def]
    return build_world()


def _break_glass_form(world) -> dict[str, str]:  # type: ignore[no-untyped-def]
    pupil = world.pupil
    return {
        "first_name": pupil.first_name.upper(),
        "last_name": pupil.last_name,
        "date_of_birth": pupil.date_of_birth.isoformat(),
        "reason": "Leerling meldt zich in crisis, IB-er van de school is niet bereikbaar.",
    }


def test_care_team_member_loses_access_when_membership_ends(world) -> None:
    client = signed_in_client(world.users["team_worker"])
    assert client.get(f"/leerlingen/{world.pupil.pk}/").status_code == 200
    Membership.objects.filter(user=world.users["team_worker"]).update(
        valid_until=timezone.localdate() - dt.timedelta(days=1)
    )
    assert client.get(f"/leerlingen/{world.pupil.pk}/").status_code == 404


def test_care_team_sees_only_pupils_with_consent_in_lists_too(world) -> None:
    visible = set(Pupil.objects.visible_to(world.users["nurse"]))
    assert visible == {world.pupil}
    assert set(Pupil.objects.visible_to(world.users["coordinator"])) == {
        world.pupil,
        world.pupil_without_consent,
    }
    for actor in ("analyst", "functional_admin", "privacy_officer", "other_team_worker"):
        assert not Pupil.objects.visible_to(world.users[actor]).exists(), actor


def test_pupils_reached_through_several_relationships_are_each_visible_once(world) -> None:
    """School staff who also work in a neighbourhood team, coordinate a case at another school
    (with consent) and hold a grant for a third pupil see the union: in the pupil list (each
    pupil once) and inside other apps' filters."""
    from schoolzorg.accounts.models import Membership
    from schoolzorg.accounts.roles import Role
    from schoolzorg.cases.models import Case
    from schoolzorg.cases.tests.factories import CaseFactory
    from schoolzorg.consent.models import Consent, Purpose
    from schoolzorg.pupils.tests.factories import PupilFactory

    coordinator = world.users["coordinator"]
    # The consent covers the coordinator as a neighbourhood-team worker: a school's own people
    # count only at their own school (`consent.relationships.named_cover_q`).
    Membership.objects.create(
        user=coordinator,
        organisation=world.team,
        role=Role.NEIGHBOURHOOD_TEAM_WORKER,
        valid_from=dt.date(2020, 1, 1),
    )
    case_elsewhere = CaseFactory(
        pupil=PupilFactory(current_school=world.other_school),
        coordinator=coordinator,
        raised_by=world.users["outsider"],
    )
    # Coordinating a case at another school opens the file only with consent (or a legal basis).
    Consent.objects.create(
        pupil=case_elsewhere.pupil,
        purpose=Purpose.DISCUSS_IN_CARE_TEAM,
        is_complete=True,
        given_on=dt.date(2020, 1, 1),
        recorded_by=world.users["outsider"],
    )
    granted = PupilFactory(current_school=world.other_school)
    now = timezone.now()
    BreakGlassGrant.objects.create(
        user=coordinator,
        pupil_id=granted.pk,
        pupil_label="x",
        role="support_coordinator",
        organisation_id=world.school.pk,
        organisation_label=world.school.name,
        reason="Acute zorg, IB-er van de andere school is niet bereikbaar.",
        granted_at=now - dt.timedelta(minutes=5),
        expires_at=now + dt.timedelta(minutes=55),
    )
    PupilFactory(current_school=world.other_school)  # reached through nothing

    expected = {world.pupil, world.pupil_without_consent, case_elsewhere.pupil, granted}
    visible = list(Pupil.objects.visible_to(coordinator))
    assert len(visible) == len(expected) and set(visible) == expected
    assert Pupil.objects.visible_to(coordinator).count() == len(expected)
    assert set(Case.objects.visible_to(coordinator)) == {case_elsewhere}
    # The other school's coordinator: all of that school's pupils, the grant's and the case's too.
    at_other_school = set(Pupil.objects.filter(current_school=world.other_school))
    assert len(at_other_school) == 3
    assert set(Pupil.objects.visible_to(world.users["outsider"])) == at_other_school


def test_break_the_glass_requires_a_recent_reauthentication(world) -> None:
    client = signed_in_client(world.users["outsider"])
    session = client.session
    session[REAUTH_KEY] = 0
    session.save()
    response = client.get("/logboek/noodtoegang/")
    assert response.status_code == 302
    assert urlsplit(response["Location"]).path == "/inloggen/bevestigen/"
    assert "next=%2Flogboek%2Fnoodtoegang%2F" in response["Location"]
    assert client.post("/logboek/noodtoegang/", _break_glass_form(world)).status_code == 302
    assert not BreakGlassGrant.objects.exists()


def test_break_the_glass_refuses_an_unknown_pupil_and_a_short_reason(world) -> None:
    client = signed_in_client(world.users["outsider"])
    data = _break_glass_form(world) | {"date_of_birth": "2001-01-01"}
    assert "geen leerling" in client.post("/logboek/noodtoegang/", data).content.decode()
    data = _break_glass_form(world) | {"reason": "even kijken"}
    assert "20 tekens" in client.post("/logboek/noodtoegang/", data).content.decode()
    assert not BreakGlassGrant.objects.exists()


def test_analyst_and_teacher_cannot_break_the_glass(world) -> None:
    for actor in ("analyst", "teacher_own_group", "functional_admin", "privacy_officer"):
        client = signed_in_client(world.users[actor])
        assert client.get("/logboek/noodtoegang/").status_code == 404, actor


def test_break_the_glass_opens_the_file_for_sixty_minutes_then_closes_it(world) -> None:
    start = timezone.now()
    with time_machine.travel(start, tick=False) as traveller:
        client = signed_in_client(world.users["outsider"])
        url = f"/leerlingen/{world.pupil.pk}/"
        assert client.get(url).status_code == 404
        response = client.post("/logboek/noodtoegang/", _break_glass_form(world))
        assert response.status_code == 302 and response["Location"] == url
        grant = BreakGlassGrant.objects.get()
        assert grant.reviewed_at is None  # flagged for the privacy officer
        page = client.get(url)
        assert page.status_code == 200 and "via noodtoegang" in page.content.decode()
        assert (
            "(op grond van: noodtoegang). Dat u deze pagina bekijkt, staat in het logboek."
            in page.content.decode()
        )
        entry = AccessLogEntry.objects.filter(pupil_id=world.pupil.pk, action="view").latest("id")
        assert (entry.basis, entry.basis_ref) == ("break_the_glass", str(grant.pk))
        traveller.shift(dt.timedelta(minutes=25))
        assert client.get(url).status_code == 200
        traveller.shift(dt.timedelta(minutes=25))
        assert client.get(url).status_code == 200
        traveller.shift(dt.timedelta(minutes=9))
        assert client.get(url).status_code == 200
        traveller.shift(dt.timedelta(minutes=2))  # 61 minutes after the grant
        assert client.get(url).status_code == 404


def test_privacy_officer_reviews_each_grant_once(world) -> None:
    client = signed_in_client(world.users["outsider"])
    client.post("/logboek/noodtoegang/", _break_glass_form(world))
    grant = BreakGlassGrant.objects.get()
    officer = signed_in_client(world.users["privacy_officer"])
    page = officer.get("/logboek/noodtoegang/beoordelen/").content.decode()
    assert "IB-er van de school is niet bereikbaar" in page
    url = f"/logboek/noodtoegang/{grant.pk}/beoordelen/"
    officer.post(url, {"verdict": "unjustified", "note": ""})
    grant.refresh_from_db()
    assert grant.reviewed_at is None
    officer.post(url, {"verdict": "justified", "note": "Crisis, terecht."})
    grant.refresh_from_db()
    assert (
        grant.review_verdict == "justified" and grant.reviewed_by == world.users["privacy_officer"]
    )
    response = officer.post(url, {"verdict": "unjustified", "note": "toch niet"}, follow=True)
    assert "al beoordeeld" in response.content.decode()


def test_a_review_with_a_mistake_comes_back_with_the_note_and_the_verdict(world) -> None:
    client = signed_in_client(world.users["outsider"])
    client.post("/logboek/noodtoegang/", _break_glass_form(world))
    grant = BreakGlassGrant.objects.get()
    officer = signed_in_client(world.users["privacy_officer"])
    url = f"/logboek/noodtoegang/{grant.pk}/beoordelen/"
    # No verdict chosen: the typed note stays in its field.
    response = officer.post(url, {"note": "Ik heb de IB-er gebeld; <zij> wist ervan."})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Kies of de noodtoegang terecht was." in page
    assert "Ik heb de IB-er gebeld; &lt;zij&gt; wist ervan.</textarea>" in page
    assert f'aria-describedby="v-{grant.pk}_error"' in page
    assert 'class="message message--error error-summary" role="alert"' in page
    # "Niet terecht" without a note: the choice stays made.
    response = officer.post(url, {"verdict": "unjustified", "note": "  "})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Licht toe waarom de noodtoegang niet terecht was." in page
    assert f'id="v-{grant.pk}-u" checked' in page
    assert f'aria-describedby="n-{grant.pk}_error"' in page
    grant.refresh_from_db()
    assert grant.reviewed_at is None


def test_a_review_note_longer_than_a_sign_off_note_is_refused_with_a_message(world) -> None:
    client = signed_in_client(world.users["outsider"])
    client.post("/logboek/noodtoegang/", _break_glass_form(world))
    grant = BreakGlassGrant.objects.get()
    officer = signed_in_client(world.users["privacy_officer"])
    page = officer.get("/logboek/noodtoegang/beoordelen/").content.decode()
    assert 'maxlength="4000"' in page
    url = f"/logboek/noodtoegang/{grant.pk}/beoordelen/"
    response = officer.post(url, {"verdict": "justified", "note": "x" * 4001}, follow=True)
    assert "De toelichting is te lang" in response.content.decode()
    grant.refresh_from_db()
    assert grant.reviewed_at is None
    officer.post(url, {"verdict": "justified", "note": "x" * 4000})
    grant.refresh_from_db()
    assert len(grant.review_note) == 4000


def test_child_safety_is_narrower_than_the_file(world) -> None:
    pupil = world.pupil
    allowed = {
        actor for actor in world.users if access.can_see_child_safety(world.users[actor], pupil)
    }
    assert allowed == {"coordinator", "social_worker"}


def test_a_registered_rule_can_open_child_safety_for_a_receiving_team(world) -> None:
    pupil = world.pupil
    access.register_child_safety(
        "test_receiving_team", lambda user, p: user == world.users["team_worker"]
    )
    try:
        assert access.can_see_child_safety(world.users["team_worker"], pupil)
        # Without a full file the rule does not help.
        assert not access.can_see_child_safety(
            world.users["team_worker"], world.pupil_without_consent
        )
    finally:
        access._CHILD_SAFETY_RULES.pop("test_receiving_team")


def _token(page) -> str:  # type: ignore[no-untyped-def]
    return page.content.decode().split('name="form_token" value="')[1].split('"')[0]


def test_the_break_the_glass_form_sent_twice_opens_one_grant(world) -> None:
    """A double click or a resend carries the same token: one grant, one review, one log entry."""
    client = signed_in_client(world.users["outsider"])
    data = _break_glass_form(world) | {"form_token": _token(client.get("/logboek/noodtoegang/"))}
    first = client.post("/logboek/noodtoegang/", data)
    again = client.post("/logboek/noodtoegang/", data, follow=True)
    assert first.status_code == 302 and again.status_code == 200
    assert again.redirect_chain[0][0] == f"/leerlingen/{world.pupil.pk}/"
    assert "Er is geen tweede noodtoegang geopend." in again.content.decode()
    grant = BreakGlassGrant.objects.get()
    assert AccessLogEntry.objects.filter(basis_ref=str(grant.pk), action="create").count() == 1
    officer = signed_in_client(world.users["privacy_officer"])
    assert len(officer.get("/logboek/noodtoegang/beoordelen/").context["grants"]) == 1


def test_a_new_request_while_a_grant_is_open_finds_that_grant(world) -> None:
    """Another form (a second tab) for the same pupil while the grant is open: no second grant;
    after the hour a new request opens a new one."""
    start = timezone.now()
    with time_machine.travel(start, tick=False) as traveller:
        client = signed_in_client(world.users["outsider"])
        for _ in range(2):
            token = _token(client.get("/logboek/noodtoegang/"))
            response = client.post(
                "/logboek/noodtoegang/", _break_glass_form(world) | {"form_token": token}
            )
            assert response.status_code == 302
        assert BreakGlassGrant.objects.count() == 1
        traveller.shift(dt.timedelta(minutes=61))
        client = signed_in_client(world.users["outsider"])  # a fresh re-authentication
        token = _token(client.get("/logboek/noodtoegang/"))
        client.post("/logboek/noodtoegang/", _break_glass_form(world) | {"form_token": token})
        assert BreakGlassGrant.objects.count() == 2
        # The first form sent again after its grant ended: a new form is needed, not a 404.
        response = client.post(
            "/logboek/noodtoegang/", _break_glass_form(world) | {"form_token": token}
        )
        assert response.status_code == 302
        traveller.shift(dt.timedelta(minutes=61))
        client = signed_in_client(world.users["outsider"])
        response = client.post(
            "/logboek/noodtoegang/", _break_glass_form(world) | {"form_token": token}
        )
        assert response.status_code == 400
        assert "Dit formulier is al eens verstuurd." in response.content.decode()
        assert BreakGlassGrant.objects.count() == 2


def test_a_break_the_glass_token_of_another_user_is_refused(world) -> None:
    from schoolzorg.audit import services
    from schoolzorg.audit.policies import break_glass_membership

    token = uuid.uuid4()
    for actor in ("outsider", "team_worker"):
        user = world.users[actor]
        kwargs = {
            "pupil_id": world.pupil_without_consent.pk,
            "pupil_label": "x",
            "reason": "Leerling in crisis, de vaste hulpverlener is niet bereikbaar.",
            "membership": break_glass_membership(user),
            "form_token": token,
        }
        if actor == "outsider":
            assert services.grant_break_glass(user, **kwargs)[1] is True
        else:
            with pytest.raises(services.AuditError, match="al eens verstuurd"):
                services.grant_break_glass(user, **kwargs)
    assert BreakGlassGrant.objects.count() == 1
