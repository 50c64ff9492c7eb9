from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from html import unescape
from html.parser import HTMLParser
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from schoolzorg.audit.models import AccessLogEntry
from schoolzorg.pupils.tests.factories import PupilFactory
from schoolzorg.referrals import services
from schoolzorg.referrals.forms import REASON_MAX
from schoolzorg.referrals.models import Referral
from schoolzorg.referrals.tests.factories import (
    COMPLETE_DOCUMENT,
    World,
    draft,
    make_world,
    school_day_from,
    submitted,
)
from schoolzorg.referrals.workflow import State

pytestmark = pytest.mark.django_db

Clients = Callable[[Any], Client]


@pytest.fixture
def world() -> World:
    return make_world()


def _screen(referral: Referral) -> dict[str, str]:
    """The hidden fingerprints the edit page carries for the referral as it is stored now."""
    stored = Referral.objects.get(pk=referral.pk)
    return {
        f"base_{name}": services.fingerprint(getattr(stored, name))
        for name in services.DOCUMENT_FIELDS
    }


def test_outsider_gets_404_on_every_referral_page(
    world: World, client_for: Clients, member: Any
) -> None:
    from schoolzorg.accounts.roles import Role
    from schoolzorg.organisations.tests.factories import SchoolFactory

    referral = submitted(world)
    outsider = member(Role.SUPPORT_COORDINATOR, SchoolFactory())
    client = client_for(outsider)
    for name in ["detail", "edit"]:
        assert client.get(reverse(f"referrals:{name}", args=[referral.pk])).status_code == 404
    for name in ["autosave", "choose_team", "escalate"]:
        assert client.post(reverse(f"referrals:{name}", args=[referral.pk])).status_code == 404
    assert (
        client.post(reverse("referrals:move", args=[referral.pk, "acknowledge"])).status_code == 404
    )
    assert client.get(reverse("referrals:start", args=[world.pupil.pk])).status_code == 404
    assert client.get(reverse("referrals:inbox")).status_code == 404
    # Their own school's outgoing list exists, and does not show this referral.
    assert world.pupil.last_name not in client.get(reverse("referrals:outgoing")).content.decode()


def test_other_team_sees_nothing_of_a_referral_it_did_not_receive(
    world: World, client_for: Clients
) -> None:
    referral = submitted(world)
    services.acknowledge_referral(referral, by=world.worker)
    client = client_for(world.other_worker)
    assert client.get(reverse("referrals:detail", args=[referral.pk])).status_code == 404
    for view in ["nieuw", "alle", "te-laat", "mijn"]:
        page = client.get(reverse("referrals:inbox") + f"?weergave={view}")
        assert world.pupil.last_name not in page.content.decode()
    found = client.get(reverse("pupils:search"), {"q": world.pupil.last_name})
    assert world.pupil.first_name + " " + world.pupil.last_name not in found.content.decode()
    assert client.get(reverse("pupils:detail", args=[world.pupil.pk])).status_code == 404


def test_receiving_team_never_sees_a_draft(world: World, client_for: Clients) -> None:
    referral = draft(world)
    assert (
        client_for(world.worker).get(reverse("referrals:detail", args=[referral.pk])).status_code
        == 404
    )


def test_team_sees_the_pupil_file_only_from_acknowledged(world: World, client_for: Clients) -> None:
    referral = submitted(world)
    client = client_for(world.worker)
    pupil_url = reverse("pupils:detail", args=[world.pupil.pk])
    page = client.get(reverse("referrals:detail", args=[referral.pk]))
    assert page.status_code == 200
    # The page names the pupil but does not link to a file the team cannot open yet.
    assert world.pupil.last_name in page.content.decode()
    assert f'href="{pupil_url}"' not in page.content.decode()
    assert client.get(pupil_url).status_code == 404
    services.acknowledge_referral(referral, by=world.worker)
    assert client.get(pupil_url).status_code == 200
    page = client.get(reverse("referrals:detail", args=[referral.pk]))
    assert f'href="{pupil_url}"' in page.content.decode()
    # A colleague who is not named, not the contact person and not the leader: referral only.
    other = client_for(world.worker2)
    page = other.get(reverse("referrals:detail", args=[referral.pk]))
    assert page.status_code == 200 and f'href="{pupil_url}"' not in page.content.decode()
    assert other.get(pupil_url).status_code == 404


@pytest.mark.parametrize("end", ["withdraw", "decline"])
def test_the_team_no_longer_reads_the_document_once_the_referral_ended(
    world: World, client_for: Clients, end: str
) -> None:
    """Withdrawn (say, the parents want to find help themselves) or declined: the team keeps
    where the referral went and when, not what the family told; the school keeps its document."""
    referral = submitted(world)
    url = reverse("referrals:detail", args=[referral.pk])
    concerns = COMPLETE_DOCUMENT["concerns"]
    assert concerns in client_for(world.worker).get(url).content.decode()
    if end == "withdraw":
        services.withdraw_referral(referral, by=world.smw, reason="Ouders zoeken zelf hulp")
    else:
        services.decline_referral(referral, by=world.worker, advice="Huisarts")
    page = client_for(world.worker).get(url)
    body = page.content.decode()
    assert page.status_code == 200
    assert concerns not in body and "Huisarts</p>" not in body
    assert "U ziet dit document niet meer, want de toeleiding is" in body
    # The timeline says what happened, not the school's reason or the team's advice.
    assert "Ouders zoeken zelf hulp" not in body and "Huisarts" not in body
    assert ("Ingetrokken" if end == "withdraw" else "Afgewezen, geen passende hulp") in body
    school = client_for(world.smw).get(url).content.decode()
    assert concerns in school
    assert (
        "Ingetrokken: Ouders zoeken zelf hulp" if end == "withdraw" else "Advies: Huisarts"
    ) in (school)


def test_detail_read_is_logged(world: World, client_for: Clients) -> None:
    referral = submitted(world)
    client_for(world.worker).get(reverse("referrals:detail", args=[referral.pk]))
    entry = AccessLogEntry.objects.filter(user_id=world.worker.pk, object_id=str(referral.pk)).get()
    assert entry.pupil_id == world.pupil.pk and entry.basis == "referral"


def test_submit_form_lists_what_is_missing(world: World, client_for: Clients) -> None:
    referral = draft(world, complete=False)
    client = client_for(world.smw)
    response = client.post(
        reverse("referrals:edit", args=[referral.pk]),
        {
            **_screen(referral),
            "help_question": "Rust thuis",
            "seen_state": "draft",
            "action": "submit",
        },
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert "Niet verstuurd." in body and "Vul de zorgen in." in body
    referral.refresh_from_db()
    assert referral.state == State.DRAFT and referral.help_question == "Rust thuis"


def test_a_referral_sent_too_early_says_what_is_missing_at_each_field(
    world: World, client_for: Clients
) -> None:
    """Tester P3: as any form sent with mistakes, a summary whose lines lead to the fields,
    and at each field its own text, tied to it for a screen reader; the answer is a 400."""
    referral = draft(world, complete=False)
    response = client_for(world.smw).post(
        reverse("referrals:edit", args=[referral.pk]),
        {
            **_screen(referral),
            "help_question": "Rust thuis",
            "seen_state": "draft",
            "action": "submit",
        },
    )
    body = response.content.decode()
    assert response.status_code == 400
    summary = body[body.index('class="message message--error error-summary"') :]
    summary = summary[: summary.index("</div>")]
    assert 'role="alert"' in summary and "Niet verstuurd." in summary
    for field, message in [
        ("strengths", "Vul wat goed gaat (krachten) in."),
        ("severity_summary", "Vul de ernsttaxatie in of koppel een afgeronde ernsttaxatie."),
        ("urgency", "Vul de urgentie in."),
    ]:
        assert f'<a href="#id_{field}">' in summary
        assert re.search(
            rf'<(textarea|select) name="{field}"[^>]*aria-invalid="true"'
            rf'[^>]*aria-describedby="[^"]*id_{field}_error',
            body,
        ), field
        assert (
            f'<p class="error" id="id_{field}_error"><span class="visually-hidden">Fout: '
            f"</span>{escape(message)}</p>"
        ) in body
    assert 'name="help_question"' in body and "aria-invalid" not in re.search(
        r'<textarea name="help_question"[^>]*>', body
    ).group(0)  # type: ignore[union-attr]
    assert body.count('class="message message--error error-summary"') == 1


def test_edit_page_takes_a_junk_round_without_error(world: World, client_for: Clients) -> None:
    referral = draft(world, complete=False)
    client = client_for(world.smw)
    for junk in ("9" * 5000, "²", "-1", "abc"):
        response = client.post(
            reverse("referrals:edit", args=[referral.pk]),
            {
                **_screen(referral),
                "help_question": "Rust thuis",
                "seen_state": "draft",
                "seen_round": junk,
            },
        )
        assert response.status_code in {200, 302}, junk
    referral.refresh_from_db()
    assert referral.help_question == "Rust thuis"


def test_autosave_keeps_what_was_typed(world: World, client_for: Clients) -> None:
    referral = draft(world, complete=False)
    response = client_for(world.smw).post(
        reverse("referrals:autosave", args=[referral.pk]),
        {**_screen(referral), "concerns": "Slaapt slecht"},
    )
    assert "Concept opgeslagen" in response.content.decode()
    referral.refresh_from_db()
    assert referral.concerns == "Slaapt slecht"


def test_an_autosave_after_the_referral_was_sent_elsewhere_says_so(
    world: World, client_for: Clients
) -> None:
    referral = draft(world)
    client = client_for(world.smw)
    tab = _page_form(client.get(reverse("referrals:edit", args=[referral.pk])))
    services.submit_referral(referral, by=world.smw)  # from another tab
    tab["strengths"] = "Nog iets getypt"
    answer = client.post(reverse("referrals:autosave", args=[referral.pk]), tab)
    assert answer.status_code == 200  # htmx shows it in the status line
    assert "intussen verstuurd" in answer.content.decode()
    referral.refresh_from_db()
    assert referral.strengths != "Nog iets getypt"


def test_an_autosave_after_the_session_ended_gets_a_short_401_not_the_login_page(
    world: World,
) -> None:
    from django.test import Client

    referral = draft(world)
    url = reverse("referrals:autosave", args=[referral.pk])
    part = Client().post(url, {"concerns": "x"}, HTTP_HX_REQUEST="true")
    assert part.status_code == 401
    body = part.content.decode()
    assert "Uw sessie is verlopen" in body and 'href="/inloggen/"' in body
    assert "<h1" not in body and "<form" not in body
    assert Client().post(url, {"concerns": "x"}).status_code == 302  # a page: the login page


def test_school_creates_and_submits_through_the_pages(world: World, client_for: Clients) -> None:
    client = client_for(world.smw)
    start = client.get(reverse("referrals:start", args=[world.pupil.pk]))
    assert (
        "Woonwijk Oost (volgens de postcode van het woonadres) → Wijkteam Oost"
        in start.content.decode()
    )
    response = client.post(reverse("referrals:start", args=[world.pupil.pk]))
    referral = Referral.objects.get()
    assert response.url == reverse("referrals:edit", args=[referral.pk])
    data = {**_screen(referral), **COMPLETE_DOCUMENT}
    data.update(seen_state="draft", action="submit")
    response = client.post(reverse("referrals:edit", args=[referral.pk]), data)
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.state == State.SUBMITTED


def test_a_new_draft_shows_the_plans_strengths_and_concerns_to_edit(
    world: World, client_for: Clients
) -> None:
    """V8: "Concept maken" fills "Wat gaat goed" and "Zorgen" from the integral plan, as a
    suggestion in the fields the SMW edits, and says where it came from."""
    from schoolzorg.plans.models import IntegralPlan, PlanPart

    plan = IntegralPlan.objects.create(
        family=world.pupil.family,
        strengths="Oma helpt veel mee.",
        concerns="Schulden.",
        created_by=world.coordinator,
    )
    PlanPart.objects.create(plan=plan, pupil=world.pupil, concerns="Slaapt slecht.")
    client = client_for(world.smw)
    response = client.post(reverse("referrals:start", args=[world.pupil.pk]), follow=True)
    body = response.content.decode()
    fields = {
        name: unescape(text).strip()
        for name, text in re.findall(r'<textarea name="(\w+)"[^>]*>(.*?)</textarea>', body, re.S)
    }
    assert fields["strengths"] == "Het gezin (uit het integraal plan):\nOma helpt veel mee."
    assert fields["concerns"] == (
        "Het gezin (uit het integraal plan):\nSchulden.\n\n"
        f"{world.pupil.first_name} (uit het integraal plan):\nSlaapt slecht."
    )
    assert body.count("Ingevuld uit het integraal plan en de open casussen") == 2


def test_a_new_draft_takes_the_concern_from_the_open_case_and_helps_only_where_it_filled_in(
    world: World, client_for: Clients
) -> None:
    """Tester X3: without a plan, the fields said "Ingevuld uit het integraal plan" above empty
    boxes, and what the school wrote in the case had to be typed again."""
    from schoolzorg.cases.tests.factories import CaseFactory

    by = {"pupil": world.pupil, "raised_by": world.coordinator}
    case = CaseFactory(**by, description="Is vaak boos in de klas.")
    CaseFactory(**by, description="Oud.", status="closed", outcome="resolved")
    client = client_for(world.smw)
    body = client.post(reverse("referrals:start", args=[world.pupil.pk]), follow=True)
    html = unescape(body.content.decode())
    referral = Referral.objects.get(pupil=world.pupil)
    assert referral.strengths == ""
    assert f"(uit casus {case.pk}):\nIs vaak boos in de klas." in referral.concerns
    assert "Oud." not in referral.concerns
    assert html.count("Ingevuld uit het integraal plan en de open casussen") == 1
    assert "Wat gaat goed bij het kind en het gezin? Wat kunnen zij zelf?" in html


def test_a_new_draft_says_what_the_consent_lets_the_team_know(
    world: World, client_for: Clients
) -> None:
    """What the consent to share with the team says may be shared fills "wat mag het wijkteam
    weten" of a new draft: the newest consent in force for this team or every team, not one
    for another organisation."""
    from schoolzorg.consent.models import Consent
    from schoolzorg.referrals.tests.factories import give_consent

    Consent.objects.filter(pupil=world.pupil).update(data_scope="Het plan, geen cijfers.")
    other = give_consent(world, recipient=world.other_team, on=dt.date(2024, 1, 1))
    Consent.objects.filter(pk=other.pk).update(data_scope="Alles.")
    client = client_for(world.smw)
    body = client.post(reverse("referrals:start", args=[world.pupil.pk]), follow=True)
    referral = Referral.objects.get(pupil=world.pupil)
    assert referral.consent_scope == "Het plan, geen cijfers."
    assert "Het plan, geen cijfers.</textarea>" in body.content.decode()


def test_starting_a_referral_while_one_is_under_way_leads_to_that_one(
    world: World, client_for: Clients
) -> None:
    client = client_for(world.smw)
    start = reverse("referrals:start", args=[world.pupil.pk])
    client.post(start)
    first = Referral.objects.get()
    for response in (client.get(start, follow=True), client.post(start, follow=True)):
        assert response.redirect_chain == [(reverse("referrals:edit", args=[first.pk]), 302)]
        assert "loopt al een toeleiding naar Wijkteam Oost" in response.content.decode()
    assert Referral.objects.count() == 1
    # Sent and in the team's hands: the start page leads to the referral's page.
    services.save_draft(first, COMPLETE_DOCUMENT, by=world.smw)
    services.submit_referral(first, by=world.smw)
    response = client.post(start)
    assert response.url == reverse("referrals:detail", args=[first.pk])
    # Ended: a new referral can be started.
    first.refresh_from_db()
    services.withdraw_referral(first, by=world.smw, reason="Ouders willen het niet meer.")
    client.post(start)
    assert Referral.objects.count() == 2


def test_a_second_referral_to_the_same_team_is_not_sent(world: World, client_for: Clients) -> None:
    """Two drafts (two colleagues at the same moment): the team gets the child once."""
    first = draft(world)
    second = draft(world)
    services.submit_referral(first, by=world.smw)
    with pytest.raises(services.AlreadyAtTeam):
        services.submit_referral(second, by=world.smw)
    data = {**_screen(second), **COMPLETE_DOCUMENT, "seen_state": "draft", "action": "submit"}
    response = client_for(world.coordinator).post(reverse("referrals:edit", args=[second.pk]), data)
    assert response.status_code == 409
    body = response.content.decode()
    assert "Wijkteam Oost heeft voor deze leerling al een toeleiding die nog loopt" in body
    assert reverse("referrals:detail", args=[first.pk]) in body
    second.refresh_from_db()
    assert second.state == State.DRAFT
    inbox = Referral.objects.filter(team=world.team).exclude(state=State.DRAFT)
    assert list(inbox) == [first]


def test_stale_acknowledge_gives_a_clear_message(world: World, client_for: Clients) -> None:
    referral = submitted(world)
    services.acknowledge_referral(referral, by=world.worker)
    response = client_for(world.worker2).post(
        reverse("referrals:move", args=[referral.pk, "acknowledge"]),
        {
            "acknowledge-seen_state": "submitted",
            "acknowledge-seen_round": 1,
            "acknowledge-worker": world.worker2.pk,
        },
        follow=True,
    )
    assert "Iemand anders heeft deze toeleiding net gewijzigd" in response.content.decode()
    referral.refresh_from_db()
    assert referral.assignee == world.worker


def test_the_same_step_sent_again_by_the_same_user_says_it_was_done(
    world: World, client_for: Clients
) -> None:
    """The back button and the acknowledgement sent again: no "someone else" conflict."""
    referral = submitted(world)
    client = client_for(world.worker)
    url = reverse("referrals:move", args=[referral.pk, "acknowledge"])
    post = {
        "acknowledge-seen_state": "submitted",
        "acknowledge-seen_round": 1,
        "acknowledge-worker": world.worker.pk,
    }
    assert client.post(url, post).status_code == 302
    response = client.post(url, post, follow=True)
    assert response.redirect_chain == [(reverse("referrals:detail", args=[referral.pk]), 302)]
    body = response.content.decode()
    assert "Dit was al gedaan." in body
    assert "Iemand anders" not in body
    assert referral.events.filter(kind="acknowledge").count() == 1
    # A colleague of the team sending the same stale screen still gets the conflict.
    response = client_for(world.worker2).post(url, post)
    assert response.status_code == 409
    assert "Iemand anders heeft deze toeleiding net gewijzigd" in response.content.decode()


def test_a_step_sent_again_after_a_colleague_redid_it_is_still_a_conflict(
    world: World, client_for: Clients
) -> None:
    referral = submitted(world)
    services.acknowledge_referral(referral, by=world.worker)
    client = client_for(world.worker)
    url = reverse("referrals:move", args=[referral.pk, "plan_handover"])
    day = school_day_from(world, timezone.localdate() + dt.timedelta(days=3))
    post = {
        "plan_handover-seen_state": "acknowledged",
        "plan_handover-seen_round": 1,
        "plan_handover-on": day.isoformat(),
        "plan_handover-place": "School",
        "plan_handover-participants": "IB-er, wijkteam",
    }
    assert client.post(url, post).status_code == 302
    # A colleague moves the handover: the first screen sent again is no longer "done already".
    referral.refresh_from_db()
    services.plan_handover(
        referral,
        by=world.worker2,
        on=day,
        place="Buurthuis",
        participants="wijkteam",
        parents_invited=False,
    )
    response = client.post(url, post)
    assert response.status_code == 409
    referral.refresh_from_db()
    assert referral.handover_place == "Buurthuis"


def test_the_back_button_with_a_changed_plan_moves_the_handover(
    world: World, client_for: Clients
) -> None:
    """Planned for one day at school; back, another day at the Buurthuis, sent: moved, not
    "done already" with the new input dropped."""
    referral = submitted(world)
    services.acknowledge_referral(referral, by=world.worker)
    client = client_for(world.worker)
    url = reverse("referrals:move", args=[referral.pk, "plan_handover"])
    first = school_day_from(world, timezone.localdate() + dt.timedelta(days=3))
    later = school_day_from(world, first + dt.timedelta(days=1))
    post = {
        "plan_handover-seen_state": "acknowledged",
        "plan_handover-seen_round": 1,
        "plan_handover-on": first.isoformat(),
        "plan_handover-place": "School",
        "plan_handover-participants": "IB-er, wijkteam",
    }
    assert client.post(url, post).status_code == 302
    changed = {**post, "plan_handover-on": later.isoformat(), "plan_handover-place": "Buurthuis"}
    response = client.post(url, changed, follow=True)
    assert response.redirect_chain == [(reverse("referrals:detail", args=[referral.pk]), 302)]
    body = response.content.decode()
    assert "Dit was al gedaan." not in body
    assert "U had deze stap al gezet. Nu zijn de nieuwe gegevens opgeslagen." in body
    referral.refresh_from_db()
    assert (referral.state, referral.handover_on, referral.handover_place) == (
        State.HANDOVER_PLANNED,
        later,
        "Buurthuis",
    )
    assert referral.events.filter(kind="plan_handover", text__contains="verzet naar").exists()
    # The same input once more is "done already", and changes nothing.
    response = client.post(url, changed, follow=True)
    assert "Dit was al gedaan." in response.content.decode()
    assert referral.events.filter(kind="plan_handover").count() == 2


def test_a_step_of_ones_own_sent_again_with_other_input_is_a_conflict_that_says_so(
    world: World, client_for: Clients
) -> None:
    """A move that cannot follow itself (receipt confirmed again, naming another worker) is not
    made again, nor called "done already": 409, nothing changed, the page says why."""
    referral = submitted(world)
    services.acknowledge_referral(referral, by=world.worker)
    client = client_for(world.worker)
    url = reverse("referrals:move", args=[referral.pk, "acknowledge"])
    post = {
        "acknowledge-seen_state": "submitted",
        "acknowledge-seen_round": 1,
        "acknowledge-worker": world.worker2.pk,
    }
    response = client.post(url, post)
    assert response.status_code == 409
    body = response.content.decode()
    assert "Dit was al gedaan." not in body
    assert "U had deze stap al gezet, met andere gegevens dan u nu stuurde." in body
    referral.refresh_from_db()
    assert referral.assignee == world.worker


MONDAY = dt.date(2025, 3, 3)


def _plan_post(world: World, seen_state: str = "acknowledged") -> dict[str, Any]:
    """The "Warme overdracht plannen" form as a screen in `seen_state` sends it."""
    day = school_day_from(world, timezone.localdate() + dt.timedelta(days=3))
    return {
        "plan_handover-seen_state": seen_state,
        "plan_handover-seen_round": 1,
        "plan_handover-on": day.isoformat(),
        "plan_handover-place": "School",
        "plan_handover-participants": "IB-er, wijkteam",
    }


def _planned_and_held(referral: Referral, *, planner: Any, holder: Any) -> None:
    services.plan_handover(
        referral,
        by=planner,
        on=dt.date(2025, 3, 5),
        place="Buurthuis",
        participants="moeder, wijkteam",
        parents_invited=True,
        today=MONDAY,
    )
    services.hold_handover(
        referral, by=holder, held_on=dt.date(2025, 3, 5), today=dt.date(2025, 3, 5)
    )


def test_ones_own_old_step_sent_after_moving_on_is_not_called_someone_elses(
    world: World, client_for: Clients
) -> None:
    """The worker planned, held and confirmed first contact, then went back to the planning
    form and sent it: nobody else did anything, so the page does not say someone did."""
    referral = submitted(world)
    services.acknowledge_referral(referral, by=world.worker)
    _planned_and_held(referral, planner=world.worker, holder=world.worker)
    services.confirm_first_contact(
        referral, by=world.worker, on=dt.date(2025, 3, 6), today=dt.date(2025, 3, 6)
    )
    response = client_for(world.worker).post(
        reverse("referrals:move", args=[referral.pk, "plan_handover"]), _plan_post(world)
    )
    assert response.status_code == 409
    body = response.content.decode()
    assert "U had deze stap al gezet; de status is nu ‘Eerste contact bevestigd’." in body
    assert "Iemand anders" not in body
    referral.refresh_from_db()
    assert (referral.state, referral.handover_place) == (State.FIRST_CONTACT, "Buurthuis")
    assert referral.events.filter(kind="plan_handover").count() == 1


def test_an_old_screen_of_ones_own_says_the_user_moved_it_on(
    world: World, client_for: Clients
) -> None:
    """Receipt confirmed in one tab; in the other, still showing "Verstuurd", the worker sends
    it back as incomplete: refused, and the page says it was the user's own step."""
    referral = submitted(world)
    services.acknowledge_referral(referral, by=world.worker)
    response = client_for(world.worker).post(
        reverse("referrals:move", args=[referral.pk, "return_incomplete"]),
        {
            "return_incomplete-seen_state": "submitted",
            "return_incomplete-seen_round": 1,
            "return_incomplete-reasons": "De ernsttaxatie ontbreekt.",
        },
    )
    assert response.status_code == 409
    body = response.content.decode()
    assert "U heeft deze toeleiding intussen zelf gewijzigd; de status is nu ‘Ontvangen’" in body
    assert "Iemand anders" not in body
    assert "De ernsttaxatie ontbreekt." in body  # what was typed stays in the form
    referral.refresh_from_db()
    assert referral.state == State.ACKNOWLEDGED and referral.return_reasons == ""


def test_an_old_screen_is_someone_elses_conflict_when_a_colleague_moved_it_meanwhile(
    world: World, client_for: Clients
) -> None:
    """A colleague planned the handover, the worker held it; the worker's screen from before
    the planning is refused as a colleague's change, though the last step was the worker's."""
    referral = submitted(world)
    services.acknowledge_referral(referral, by=world.worker)
    _planned_and_held(referral, planner=world.worker2, holder=world.worker)
    response = client_for(world.worker).post(
        reverse("referrals:move", args=[referral.pk, "plan_handover"]), _plan_post(world)
    )
    assert response.status_code == 409
    assert "Iemand anders heeft deze toeleiding net gewijzigd" in response.content.decode()


@pytest.mark.parametrize(
    "name", ["plan_handover", "hold_handover", "confirm_first_contact", "accept", "close"]
)
def test_a_move_the_state_does_not_allow_gets_the_same_clear_409(
    world: World, client_for: Clients, name: str
) -> None:
    """Sent by hand (or from a page of another referral) while the referral is "Verstuurd":
    the move's form is not on the page, so a 400 with mistakes at its fields said nothing."""
    referral = submitted(world)
    response = client_for(world.worker).post(
        reverse("referrals:move", args=[referral.pk, name]),
        {f"{name}-seen_state": "submitted", f"{name}-seen_round": 1},
    )
    assert response.status_code == 409
    body = response.content.decode()
    assert "Dit kan niet meer: de toeleiding heeft de status ‘Verstuurd’." in body
    referral.refresh_from_db()
    assert referral.state == State.SUBMITTED
    assert not referral.events.filter(kind=name).exists()


def test_the_school_person_on_the_referral_is_named_by_the_role_they_have_there(
    world: World, client_for: Clients
) -> None:
    """An IB-er who wrote and sent the referral is not "Schoolmaatschappelijk werk"."""
    by_ib = services.create_referral(world.pupil, by=world.coordinator)
    services.save_draft(by_ib, COMPLETE_DOCUMENT, by=world.coordinator)
    services.submit_referral(by_ib, by=world.coordinator)
    page = client_for(world.worker).get(reverse("referrals:detail", args=[by_ib.pk]))
    body = page.content.decode()
    assert "<dt>Intern begeleider / zorgcoördinator</dt><dd>Ilse IB</dd>" in body
    assert "Schoolmaatschappelijk werk" not in body and "blijft betrokken" not in body
    services.withdraw_referral(by_ib, by=world.coordinator, reason="Gezin verhuist.")
    by_smw = submitted(world)
    body = client_for(world.worker).get(reverse("referrals:detail", args=[by_smw.pk]))
    assert (
        "<dt>Schoolmaatschappelijk werk</dt><dd>Sanne SMW (blijft betrokken tot het wijkteam "
        "contact heeft met het gezin)</dd>"
    ) in body.content.decode()


def test_the_partnership_contact_reads_why_they_see_the_referral_not_the_desks_words(
    world: World, client_for: Clients
) -> None:
    """A case role at the school (docs/permissions.md): they see where the referral is, and the
    page says so in words for them, not the service desk's."""
    from django.utils.html import escape

    from schoolzorg.accounts.roles import Role
    from schoolzorg.organisations.tests.factories import PartnershipFactory
    from schoolzorg.referrals.tests.factories import person

    contact = person(PartnershipFactory(), Role.PARTNERSHIP_CONTACT, school=world.school)
    referral = submitted(world)
    page = client_for(contact).get(reverse("referrals:detail", args=[referral.pk]))
    assert page.status_code == 200
    body = page.content.decode()
    assert (
        "U ziet deze toeleiding als schoolcontactpersoon van het samenwerkingsverband voor "
        f"{escape(world.school.name)}: hoe ver ze is en sinds wanneer."
    ) in body
    assert "servicepunt" not in body
    assert referral.help_question not in body


def test_bad_date_in_a_move_gets_a_dutch_message_not_a_500(
    world: World, client_for: Clients
) -> None:
    referral = submitted(world)
    services.acknowledge_referral(referral, by=world.worker)
    response = client_for(world.worker).post(
        reverse("referrals:move", args=[referral.pk, "plan_handover"]),
        {
            "plan_handover-seen_state": "acknowledged",
            "plan_handover-seen_round": 1,
            "plan_handover-on": "31-02-2025",
            "plan_handover-place": "School",
            "plan_handover-participants": "x",
        },
    )
    assert response.status_code == 400
    assert "geldige datum" in response.content.decode()


def test_school_cannot_make_a_team_move(world: World, client_for: Clients) -> None:
    referral = submitted(world)
    response = client_for(world.smw).post(
        reverse("referrals:move", args=[referral.pk, "acknowledge"]),
        {"acknowledge-seen_state": "submitted", "acknowledge-worker": world.worker.pk},
    )
    assert response.status_code == 404


def test_manual_escalation_from_the_page(world: World, client_for: Clients) -> None:
    referral = submitted(world)
    response = client_for(world.smw).post(
        reverse("referrals:escalate", args=[referral.pk]),
        {
            "escalate-seen_state": "submitted",
            "escalate-seen_round": 1,
            "escalate-seen_escalation_count": 0,
            "escalate-reason": "no_response",
            "escalate-note": "Geen reactie",
        },
        follow=True,
    )
    assert "Geëscaleerd" in response.content.decode()
    assert referral.escalations.get().level == 1


@pytest.mark.parametrize(
    ("sent", "missing"),
    [
        ({"escalate-reason": "no_response", "escalate-note": ""}, ["note"]),
        ({"escalate-reason": "", "escalate-note": "Geen reactie"}, ["reason"]),
        ({"escalate-reason": "no_response", "escalate-note": "x" * (REASON_MAX + 1)}, ["note"]),
    ],
)
def test_an_escalation_sent_incomplete_comes_back_with_its_errors_at_the_fields(
    world: World, client_for: Clients, sent: dict[str, str], missing: list[str]
) -> None:
    """Tester V3: as the other forms of the page, a 400 with the error summary linking each
    field, the message at the field (aria-invalid) and what was chosen or typed kept."""
    referral = submitted(world)
    response = client_for(world.smw).post(
        reverse("referrals:escalate", args=[referral.pk]),
        {
            "escalate-seen_state": "submitted",
            "escalate-seen_round": 1,
            "escalate-seen_escalation_count": 0,
            **sent,
        },
    )
    body = response.content.decode()
    assert response.status_code == 400
    summary = body[body.index('class="message message--error error-summary"') :]
    summary = summary[: summary.index("</div>")]
    for field in missing:
        assert f'href="#id_escalate-{field}"' in summary
        assert f'id="id_escalate-{field}_error"' in body
        assert re.search(rf'name="escalate-{field}"[^>]*aria-invalid="true"', body), field
    if sent["escalate-reason"]:
        assert '<option value="no_response" selected>' in body
    if sent["escalate-note"]:
        assert f"{sent['escalate-note']}</textarea>" in body
    assert not referral.escalations.exists()


def test_an_incomplete_escalation_of_an_ended_referral_says_why_it_cannot(
    world: World, client_for: Clients
) -> None:
    """The form is no longer on the page, so its field errors would show nowhere: the page as it
    is now (409) says that escalating cannot be done."""
    referral = submitted(world)
    services.withdraw_referral(referral, by=world.smw, reason="Gezin zoekt zelf hulp")
    response = client_for(world.smw).post(
        reverse("referrals:escalate", args=[referral.pk]),
        {
            "escalate-seen_state": "submitted",
            "escalate-seen_round": 1,
            "escalate-seen_escalation_count": 0,
            "escalate-reason": "no_response",
        },
    )
    assert response.status_code == 409
    assert services.NO_LONGER_RUNS in response.content.decode()
    assert "error-summary" not in response.content.decode()


def _worker_select(body: str, name: str) -> str:
    found = re.search(rf'<select name="{name}"[^>]*>.*?</select>', body, re.S)
    assert found is not None
    return found.group(0)


def test_acknowledging_marks_and_chooses_the_signed_in_worker(
    world: World, client_for: Clients
) -> None:
    """Tester V6: the worker usually takes the referral themselves; with two colleagues of one
    first name the wrong one was easily picked. Their own name is marked and chosen."""
    referral = submitted(world)
    url = reverse("referrals:detail", args=[referral.pk])
    select = _worker_select(
        client_for(world.worker).get(url).content.decode(), "acknowledge-worker"
    )
    assert f'<option value="{world.worker.pk}" selected>Wim Wijkteam (u)</option>' in select
    assert f'<option value="{world.worker2.pk}">Wendy Wijkteam</option>' in select
    # Sent unchanged, the worker is the one who acknowledged.
    response = client_for(world.worker).post(
        reverse("referrals:move", args=[referral.pk, "acknowledge"]),
        {
            "acknowledge-seen_state": "submitted",
            "acknowledge-seen_round": 1,
            "acknowledge-worker": world.worker.pk,
        },
    )
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.assignee == world.worker


def test_the_reassign_list_marks_the_leader_but_does_not_choose_them(
    world: World, client_for: Clients
) -> None:
    """Handing over is choosing a colleague: the leader's own name is marked, not chosen."""
    referral = submitted(world)
    services.acknowledge_referral(referral, by=world.worker)
    body = client_for(world.leader).get(reverse("referrals:detail", args=[referral.pk]))
    select = _worker_select(body.content.decode(), "reassign-worker")
    assert f'<option value="{world.leader.pk}">Tom Teamleider (u)</option>' in select
    assert " selected" not in select.replace('value="" selected', "")


def test_contacts_page_lists_the_contact_person_per_school(
    world: World, client_for: Clients
) -> None:
    body = client_for(world.smw).get(reverse("referrals:contacts")).content.decode()
    assert "Carla Contact" in body


def _many(world: World, n: int) -> None:
    for _ in range(n):
        world.pupil = PupilFactory(
            current_school=world.school,
            home_postcode="3503AB",
            home_district=world.district,
            home_municipality=world.town,
            home_precision="pc6",
        )
        from schoolzorg.referrals.tests.factories import give_consent

        give_consent(world)
        referral = submitted(world, today=dt.date(2025, 3, 3))
        services.acknowledge_referral(referral, by=world.worker)


@pytest.mark.parametrize("n", [1, 25])
def test_inbox_and_outgoing_have_a_fixed_query_count(
    world: World, client_for: Clients, django_assert_max_num_queries: Any, n: int
) -> None:
    _many(world, n)
    team_client = client_for(world.worker)
    school_client = client_for(world.smw)
    with django_assert_max_num_queries(22):
        page = team_client.get(reverse("referrals:inbox") + "?weergave=alle")
    assert page.content.decode().count("/toeleidingen/") >= n
    for view in ["", "?weergave=lopend", "?weergave=te-laat", "?weergave=concepten"]:
        with django_assert_max_num_queries(22):
            page = school_client.get(reverse("referrals:outgoing") + view)
        assert page.status_code == 200
    assert page.content.decode().count("/toeleidingen/") >= 1
    lopend = school_client.get(reverse("referrals:outgoing") + "?weergave=lopend")
    assert len(re.findall(r'<a href="/toeleidingen/\d+/">', lopend.content.decode())) == n


def _listed(body: str) -> list[str]:
    return re.findall(r'<a href="(/toeleidingen/\d+/)">', body)


@pytest.mark.parametrize("who,path", [("smw", "referrals:outgoing"), ("worker", "referrals:inbox")])
def test_a_long_list_comes_a_page_at_a_time_and_logs_only_what_it_shows(
    world: World, client_for: Clients, monkeypatch: pytest.MonkeyPatch, who: str, path: str
) -> None:
    from schoolzorg.lib import paging

    monkeypatch.setattr(paging, "PAGE_SIZE", 2)
    _many(world, 5)
    client = client_for(getattr(world, who))
    url = reverse(path) + ("?weergave=lopend" if who == "smw" else "?weergave=alle")
    seen: list[str] = []
    logged_before = AccessLogEntry.objects.count()
    first = client.get(url).content.decode()
    assert len(_listed(first)) == 2
    # Only the two pupils shown were read; the row that tells a next page exists was not shown.
    assert AccessLogEntry.objects.count() - logged_before == 2
    assert 'rel="next"' in first and 'rel="prev"' not in first
    for number in (1, 2, 3):
        body = unescape(client.get(f"{url}&pagina={number}").content.decode())
        seen += _listed(body)
        if number < 3:  # the view chosen stays chosen on the next page
            assert re.search(rf'href="\?weergave=\w+&pagina={number + 1}" rel="next"', body)
    assert "Pagina 3: toeleidingen 5 tot en met 5" in body
    assert re.search(r"<title>[^<]*, pagina 3 ", body)  # tabs with two pages tell them apart
    assert 'rel="next"' not in body and 'rel="prev"' in body
    assert len(seen) == len(set(seen)) == 5
    beyond = client.get(f"{url}&pagina=9").content.decode()
    assert _listed(beyond) == [] and "Op deze pagina staat niets meer" in beyond
    for junk in ("abc", "0", "-1", "1e3", "٣", "9" * 40):
        assert _listed(client.get(f"{url}&pagina={junk}").content.decode()) == _listed(first)


def test_safety_section_only_for_the_named_worker(world: World, client_for: Clients) -> None:
    referral = submitted(world)
    url = reverse("referrals:detail", args=[referral.pk])
    secret = COMPLETE_DOCUMENT["child_safety_summary"]
    assert secret not in client_for(world.worker).get(url).content.decode()
    services.acknowledge_referral(referral, by=world.worker)
    assert secret in client_for(world.worker).get(url).content.decode()
    assert secret not in client_for(world.worker2).get(url).content.decode()
    assert secret in client_for(world.smw).get(url).content.decode()


def test_a_team_number_beyond_any_id_gets_a_message_and_keeps_the_team(
    world: World, client_for: Clients
) -> None:
    referral = draft(world)
    team_before = referral.team_id
    response = client_for(world.smw).post(
        reverse("referrals:choose_team", args=[referral.pk]),
        {"team": "99999999999999999999", "reason": "Verhuisd", "seen_state": "draft"},
        follow=True,
    )
    assert response.status_code == 200
    assert "Kies een wijkteam uit de lijst." in response.content.decode()
    referral.refresh_from_db()
    assert referral.team_id == team_before


def test_list_rows_show_pupil_team_state_and_an_overdue_step(
    world: World, client_for: Clients
) -> None:
    referral = submitted(world)
    Referral.objects.filter(pk=referral.pk).update(acknowledge_due_on=dt.date(2020, 3, 2))
    for client, url in [
        (client_for(world.worker), reverse("referrals:inbox") + "?weergave=alle"),
        (client_for(world.smw), reverse("referrals:outgoing")),
    ]:
        html = client.get(url).content.decode()
        row = html[html.index(reverse("referrals:detail", args=[referral.pk])) :]
        row = row[: row.index("</tr>")]
        assert escape(f"{world.pupil.first_name} {world.pupil.last_name}") + "</a>" in row
        assert f"<td>{referral.team.name}</td>" in row and "<td>Verstuurd</td>" in row
        assert 'uiterlijk ma 2 mrt 2020 <strong class="overdue">te laat</strong>' in row
        assert "<td>–</td>" in row  # nobody has taken it yet


def _planned_handover(world: World) -> Referral:
    referral = submitted(world)
    services.acknowledge_referral(referral, by=world.worker)
    services.plan_handover(
        referral,
        by=world.worker,
        on=school_day_from(world, timezone.localdate()),
        place="School",
        participants="moeder, SMW",
        parents_invited=False,
    )
    return referral


def test_a_held_date_before_the_plan_gets_a_message_at_the_field(
    world: World, client_for: Clients
) -> None:
    referral = _planned_handover(world)
    response = client_for(world.worker).post(
        reverse("referrals:move", args=[referral.pk, "hold_handover"]),
        {
            "hold_handover-seen_state": "handover_planned",
            "hold_handover-seen_round": 1,
            "hold_handover-held_on": "1900-01-01",
        },
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert "De warme overdracht kan niet eerder gehouden zijn dan" in body
    # At the field, with what was typed kept, and in the summary linking to it.
    assert 'id="id_hold_handover-held_on_error"' in body
    assert 'value="1900-01-01"' in body and 'aria-invalid="true"' in body
    assert 'href="#id_hold_handover-held_on"' in body
    referral.refresh_from_db()
    assert referral.state == State.HANDOVER_PLANNED and referral.handover_held_on is None


def test_the_edit_page_leads_to_the_consent_form_and_back_when_consent_is_missing(
    client_for: Clients,
) -> None:
    """The tester's steps: the page asked to record the consent first, without a way there, and
    saving the consent led to the pupil's page instead of back to the referral."""
    from schoolzorg.referrals.tests.factories import give_consent

    world = make_world(consent=False)
    referral = draft(world)
    edit = reverse("referrals:edit", args=[referral.pk])
    client = client_for(world.smw)
    page = client.get(edit).content.decode()
    assert "Leg de toestemming van de ouders (en van de leerling vanaf 12 jaar) eerst vast." in page
    link = re.search(r'<a href="([^"]*)">Toestemming vastleggen</a>', page)
    assert link is not None
    consent_url = link.group(1).replace("&amp;", "&")
    # Tester X (stop 28): the form opens on the purpose the send lacks, not on the first one.
    assert consent_url == (
        f"/toestemming/leerling/{world.pupil.pk}/nieuw/?doel=share_with_neighbourhood_team"
        f"&next=%2Ftoeleidingen%2F{referral.pk}%2Fbewerken%2F"
    )
    form = client.get(consent_url)
    assert form.status_code == 200
    assert '<option value="share_with_neighbourhood_team" selected>' in form.content.decode()
    # With the consent there, the page asks for nothing more and links to nothing.
    give_consent(world, recipient=world.team)
    page = client.get(edit).content.decode()
    assert "Toestemming vastleggen" not in page


def test_a_returned_referral_says_its_deadlines_stand_still_until_it_is_sent_again(
    world: World, client_for: Clients
) -> None:
    referral = submitted(world, today=dt.date(2026, 12, 2))
    services.return_incomplete(referral, by=world.worker, reasons="Ernsttaxatie ontbreekt")
    detail = reverse("referrals:detail", args=[referral.pk])
    for user in [world.smw, world.worker]:
        body = re.sub(r"\s+", " ", client_for(user).get(detail).content.decode())
        assert "Daarom staan de termijnen van het wijkteam stil." in body
        assert "Dan worden de termijnen opnieuw berekend vanaf die dag." in body
        assert "uiterlijk" not in body and body.count(">staat stil</td>") == 4
    services.submit_referral(referral, by=world.smw, today=dt.date(2026, 12, 7))
    body = client_for(world.worker).get(detail).content.decode()
    assert "staan de termijnen van het wijkteam stil" not in body
    assert "uiterlijk wo 9 dec 2026" in body  # counted again from the day it was sent again


def test_holding_a_handover_on_a_saturday_is_refused_and_an_early_day_warned(
    world: World, client_for: Clients
) -> None:
    """The tester's steps: planned for Tuesday 15-12, recorded as held on Saturday 5-12."""
    from zoneinfo import ZoneInfo

    import time_machine

    sent_on = dt.date(2026, 12, 2)
    referral = submitted(world, today=sent_on)
    services.acknowledge_referral(referral, by=world.worker, today=sent_on)
    services.plan_handover(
        referral,
        by=world.worker,
        on=dt.date(2026, 12, 15),
        place="School",
        participants="moeder, SMW",
        parents_invited=False,
        today=sent_on,
    )
    url = reverse("referrals:move", args=[referral.pk, "hold_handover"])
    form = {"hold_handover-seen_state": "handover_planned", "hold_handover-seen_round": 1}
    amsterdam = ZoneInfo("Europe/Amsterdam")
    with time_machine.travel(dt.datetime(2026, 12, 5, 10, 0, tzinfo=amsterdam), tick=False):
        client = client_for(world.worker)  # signed in that day: the session is fresh
        page = client.get(reverse("referrals:detail", args=[referral.pk])).content.decode()
        # Planned for later: the field holds the last school day up to today (a Saturday would
        # be refused), and says when it was planned.
        assert 'name="hold_handover-held_on" value="2026-12-04"' in page
        assert "Gepland op dinsdag 15 december 2026." in page

        response = client.post(url, {**form, "hold_handover-held_on": "2026-12-05"})
        body = response.content.decode()
        assert response.status_code == 400
        assert "Op zaterdag 5 december 2026 is de school dicht (weekend)." in body
        assert "De laatste schooldag daarvoor is vrijdag 4 december 2026." in body
        assert 'id="id_hold_handover-held_on_error"' in body
        referral.refresh_from_db()
        assert referral.state == State.HANDOVER_PLANNED and referral.handover_held_on is None

        response = client.post(url, {**form, "hold_handover-held_on": "2026-12-04"}, follow=True)
        body = response.content.decode()
        assert "De toeleiding staat nu op ‘Warme overdracht gehouden’." in body
        assert "Ze was gepland op dinsdag 15 december 2026, dus eerder dan gepland." in body
    referral.refresh_from_db()
    assert referral.handover_held_on == dt.date(2026, 12, 4)


def test_the_held_field_holds_the_planned_day_once_it_has_come(
    world: World, client_for: Clients
) -> None:
    from zoneinfo import ZoneInfo

    import time_machine

    sent_on = dt.date(2026, 12, 2)
    referral = submitted(world, today=sent_on)
    services.acknowledge_referral(referral, by=world.worker, today=sent_on)
    services.plan_handover(
        referral,
        by=world.worker,
        on=dt.date(2026, 12, 4),
        place="School",
        participants="moeder, SMW",
        parents_invited=False,
        today=sent_on,
    )
    amsterdam = ZoneInfo("Europe/Amsterdam")
    with time_machine.travel(dt.datetime(2026, 12, 7, 10, 0, tzinfo=amsterdam), tick=False):
        page = client_for(world.worker).get(reverse("referrals:detail", args=[referral.pk]))
    assert 'name="hold_handover-held_on" value="2026-12-04"' in page.content.decode()


def test_the_held_field_starts_empty_when_no_day_up_to_today_can_be_chosen(
    world: World, client_for: Clients
) -> None:
    """Tester V5: planned on Saturday 5-12 for Tuesday 15-12. The field started on that
    Saturday, which saving refuses, and no earlier day can be chosen (not before the day it was
    planned): the field starts empty and says when the handover is planned."""
    from zoneinfo import ZoneInfo

    import time_machine

    sent_on, saturday = dt.date(2026, 12, 2), dt.date(2026, 12, 5)
    referral = submitted(world, today=sent_on)
    services.acknowledge_referral(referral, by=world.worker, today=sent_on)
    services.plan_handover(
        referral,
        by=world.worker,
        on=dt.date(2026, 12, 15),
        place="School",
        participants="moeder, SMW",
        parents_invited=False,
        today=saturday,
    )
    assert services.likely_hold_day(referral, saturday) is None
    amsterdam = ZoneInfo("Europe/Amsterdam")
    with time_machine.travel(dt.datetime(2026, 12, 5, 10, 0, tzinfo=amsterdam), tick=False):
        page = client_for(world.worker).get(reverse("referrals:detail", args=[referral.pk]))
    body = page.content.decode()
    field = re.search(r'<input type="date" name="hold_handover-held_on"[^>]*>', body)
    assert field is not None and "value=" not in field.group(0)
    assert "Gepland op dinsdag 15 december 2026." in body
    # The next school day it can be chosen again: the last school day up to that day.
    assert services.likely_hold_day(referral, dt.date(2026, 12, 7)) == dt.date(2026, 12, 7)


def test_the_first_contact_field_starts_on_today_which_is_accepted_on_a_saturday(
    world: World, client_for: Clients
) -> None:
    """Tester V5: "Datum eerste contact" starts on today. A first contact with the family keeps
    to no school days (a home visit on a Saturday is one), so today is the last day up to today
    the form accepts, and sending the field unchanged records it."""
    from zoneinfo import ZoneInfo

    import time_machine

    sent_on = dt.date(2026, 12, 2)
    referral = submitted(world, today=sent_on)
    services.acknowledge_referral(referral, by=world.worker, today=sent_on)
    services.plan_handover(
        referral,
        by=world.worker,
        on=dt.date(2026, 12, 4),
        place="School",
        participants="moeder, SMW",
        parents_invited=False,
        today=sent_on,
    )
    services.hold_handover(
        referral,
        by=world.worker,
        held_on=dt.date(2026, 12, 4),
        today=sent_on + dt.timedelta(days=2),
    )
    amsterdam = ZoneInfo("Europe/Amsterdam")
    with time_machine.travel(dt.datetime(2026, 12, 5, 10, 0, tzinfo=amsterdam), tick=False):
        client = client_for(world.worker)
        body = client.get(reverse("referrals:detail", args=[referral.pk])).content.decode()
        assert 'name="confirm_first_contact-on" value="2026-12-05"' in body
        response = client.post(
            reverse("referrals:move", args=[referral.pk, "confirm_first_contact"]),
            {
                "confirm_first_contact-seen_state": "handover_held",
                "confirm_first_contact-seen_round": 1,
                "confirm_first_contact-on": "2026-12-05",
            },
        )
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.first_contact_on == dt.date(2026, 12, 5)


def test_a_handover_planned_years_ahead_gets_a_message_at_the_field(
    world: World, client_for: Clients
) -> None:
    referral = submitted(world)
    services.acknowledge_referral(referral, by=world.worker)
    response = client_for(world.worker).post(
        reverse("referrals:move", args=[referral.pk, "plan_handover"]),
        {
            "plan_handover-seen_state": "acknowledged",
            "plan_handover-seen_round": 1,
            "plan_handover-on": "9999-12-31",
            "plan_handover-place": "School",
            "plan_handover-participants": "moeder",
        },
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert "Plan de warme overdracht binnen een jaar" in body
    assert 'id="id_plan_handover-on_error"' in body and 'value="School"' in body
    referral.refresh_from_db()
    assert referral.state == State.ACKNOWLEDGED and referral.handover_on is None


def test_a_decline_from_a_screen_of_the_previous_round_is_refused(
    world: World, client_for: Clients
) -> None:
    referral = submitted(world)
    services.return_incomplete(referral, by=world.worker, reasons="Ernsttaxatie ontbreekt")
    services.submit_referral(referral, by=world.smw)
    assert referral.state == State.SUBMITTED and referral.round == 2
    response = client_for(world.worker).post(
        reverse("referrals:move", args=[referral.pk, "decline"]),
        {
            "decline-seen_state": "submitted",
            "decline-seen_round": 1,
            "decline-advice": "Probeer de huisarts.",
        },
    )
    body = response.content.decode()
    assert response.status_code == 409
    assert "Iemand anders heeft deze toeleiding net gewijzigd" in body
    # What was typed is still in the form, now with the round on the screen.
    assert "Probeer de huisarts." in body
    assert 'name="decline-seen_round" value="2"' in body
    referral.refresh_from_db()
    assert referral.state == State.SUBMITTED and referral.decline_advice == ""


def test_three_escalation_posts_from_one_screen_climb_one_rung(
    world: World, client_for: Clients
) -> None:
    referral = submitted(world)
    client = client_for(world.smw)
    page = client.get(reverse("referrals:detail", args=[referral.pk])).content.decode()
    assert 'name="escalate-seen_escalation_count" value="0"' in page
    data = {
        "escalate-seen_state": "submitted",
        "escalate-seen_round": 1,
        "escalate-seen_escalation_count": 0,
        "escalate-reason": "no_response",
        "escalate-note": "Geen reactie",
    }
    url = reverse("referrals:escalate", args=[referral.pk])
    statuses = [client.post(url, data).status_code for _ in range(3)]
    assert statuses == [302, 409, 409]
    assert list(referral.escalations.values_list("level", flat=True)) == [1]
    stale = client.post(url, data)
    # The user's own clicks: not called someone else's.
    assert "U had deze toeleiding al geëscaleerd; het niveau is nu" in stale.content.decode()
    assert "Iemand anders" not in stale.content.decode()
    assert 'name="escalate-seen_escalation_count" value="1"' in stale.content.decode()


def test_the_deadline_table_shows_a_dutch_month_and_the_year(
    world: World, client_for: Clients
) -> None:
    referral = submitted(world, today=dt.date(2025, 12, 29))  # due Wed 31 December
    body = client_for(world.smw).get(reverse("referrals:detail", args=[referral.pk]))
    assert "uiterlijk wo 31 dec 2025" in body.content.decode()


def test_a_handover_at_christmas_is_refused_and_one_after_the_deadline_warned(
    world: World, client_for: Clients
) -> None:
    """The tester's steps: acknowledge, then plan the warm handover on 25 December."""
    from zoneinfo import ZoneInfo

    import time_machine

    from schoolzorg.calendars.tests.factories import PublicHolidayFactory, SchoolHolidayFactory

    SchoolHolidayFactory(
        name="Kerstvakantie", start_on=dt.date(2026, 12, 19), end_on=dt.date(2027, 1, 3)
    )
    PublicHolidayFactory(date=dt.date(2026, 12, 25), name="Eerste kerstdag")
    sent_on = dt.date(2026, 12, 2)
    referral = submitted(world, today=sent_on)
    services.acknowledge_referral(referral, by=world.worker, today=sent_on)
    client = client_for(world.worker)
    url = reverse("referrals:move", args=[referral.pk, "plan_handover"])
    form = {
        "plan_handover-seen_state": "acknowledged",
        "plan_handover-seen_round": 1,
        "plan_handover-place": "School",
        "plan_handover-participants": "moeder, SMW, wijkteam",
    }
    amsterdam = ZoneInfo("Europe/Amsterdam")
    with time_machine.travel(dt.datetime(2026, 12, 3, 10, 0, tzinfo=amsterdam), tick=False):
        page = client.get(reverse("referrals:detail", args=[referral.pk])).content.decode()
        # The form says the deadline before anyone picks a date.
        assert "moet uiterlijk woensdag 16 december 2026 gehouden worden (de termijn)" in page

        response = client.post(url, {**form, "plan_handover-on": "2026-12-25"})
        body = response.content.decode()
        assert response.status_code == 400
        assert (
            "Op vrijdag 25 december 2026 is de school dicht (Eerste kerstdag, Kerstvakantie). "
            "Kies een dag waarop de school open is. De eerste schooldag daarna is maandag "
            "4 januari 2027." in body
        )
        assert 'id="id_plan_handover-on_error"' in body and 'value="2026-12-25"' in body
        referral.refresh_from_db()
        assert referral.state == State.ACKNOWLEDGED and referral.handover_on is None

        response = client.post(url, {**form, "plan_handover-on": "2027-01-04"}, follow=True)
        body = response.content.decode()
        assert "De toeleiding staat nu op ‘Warme overdracht gepland’." in body
        assert "Let op: maandag 4 januari 2027 is na de termijn." in body
        assert "Dat is na de termijn (uiterlijk 16-12-2026)." in body  # on the timeline
    referral.refresh_from_db()
    assert referral.state == State.HANDOVER_PLANNED
    assert referral.handover_on == dt.date(2027, 1, 4)


# --- Two screens on one draft, through the pages --------------------------------------------------


class _EditForm(HTMLParser):
    """The values of the edit page's document form, as a browser would send them."""

    def __init__(self) -> None:
        super().__init__()
        self.values: dict[str, str] = {}
        self._in_form = False
        self._textarea: str | None = None
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form" and "hx-post" in a:
            self._in_form = True
        if not self._in_form:
            return
        if tag == "input" and a.get("type") not in {"submit", "checkbox"} and "name" in a:
            self.values[a["name"]] = a.get("value", "")
        elif tag == "textarea":
            self._textarea = a["name"]
            self.values[a["name"]] = ""
        elif tag == "select":
            self._select = a["name"]
            self.values.setdefault(a["name"], "")
        elif tag == "option" and self._select and "selected" in a:
            self.values[self._select] = a.get("value", "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._in_form = False
        elif tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None

    def handle_data(self, data: str) -> None:
        if self._textarea:
            self.values[self._textarea] += data


def _page_form(response: Any) -> dict[str, str]:
    parser = _EditForm()
    parser.feed(response.content.decode())
    values = parser.values
    values.pop("csrfmiddlewaretoken", None)
    # Django writes a newline after <textarea> that the browser drops.
    return {k: v[1:] if v.startswith("\n") else v for k, v in values.items()}


def _oob_bases(response: Any) -> dict[str, str]:
    """The fingerprints an autosave's answer puts in the form (out of band)."""
    found = re.findall(
        r'<input type="hidden" name="(base_\w+)" value="(\w+)" id="id_base_\w+" hx-swap-oob',
        response.content.decode(),
    )
    return dict(found)


def test_colleagues_autosaving_different_sections_keep_each_others_text(
    world: World, client_for: Clients
) -> None:
    """The tester's steps: the SMW and the IB-er have the same draft open and type in other
    sections; the later autosave sends the whole form."""
    referral = draft(world, complete=False)
    edit = reverse("referrals:edit", args=[referral.pk])
    autosave = reverse("referrals:autosave", args=[referral.pk])
    smw, ib = client_for(world.smw), client_for(world.coordinator)
    smw_form, ib_form = _page_form(smw.get(edit)), _page_form(ib.get(edit))

    smw_form["already_tried"] = "Drie gesprekken met moeder en kind."
    answer = smw.post(autosave, smw_form)
    assert "Concept opgeslagen om" in answer.content.decode()
    ib_form["proposed_handover"] = "Gesprek op school met moeder."
    answer = ib.post(autosave, ib_form)
    body = answer.content.decode()
    assert "Concept opgeslagen om" in body
    assert "Intussen is ook ‘Wat is al geprobeerd’ aangepast" in body
    assert "Drie gesprekken met moeder en kind." in body  # under that section, out of band

    referral.refresh_from_db()
    assert referral.already_tried == "Drie gesprekken met moeder en kind."
    assert referral.proposed_handover == "Gesprek op school met moeder."
    page = smw.get(reverse("referrals:detail", args=[referral.pk])).content.decode()
    assert "Drie gesprekken met moeder en kind." in page


def test_an_autosave_moves_the_screen_on_so_typing_on_is_no_conflict(
    world: World, client_for: Clients
) -> None:
    referral = draft(world, complete=False)
    client = client_for(world.smw)
    form = _page_form(client.get(reverse("referrals:edit", args=[referral.pk])))
    autosave = reverse("referrals:autosave", args=[referral.pk])
    form["concerns"] = "Slaapt slecht"
    answer = client.post(autosave, form)
    assert _oob_bases(answer) == {"base_concerns": services.fingerprint("Slaapt slecht")}
    form.update(_oob_bases(answer))
    form["concerns"] = "Slaapt slecht, eet weinig"
    assert "Concept opgeslagen om" in client.post(autosave, form).content.decode()
    referral.refresh_from_db()
    assert referral.concerns == "Slaapt slecht, eet weinig"


def test_one_user_in_two_tabs_does_not_undo_the_other_tab(
    world: World, client_for: Clients
) -> None:
    """The tester's second case: tab 1 saves a new hulpvraag, tab 2 then saves the zorgen."""
    referral = draft(world)
    client = client_for(world.smw)
    edit = reverse("referrals:edit", args=[referral.pk])
    tab1, tab2 = _page_form(client.get(edit)), _page_form(client.get(edit))

    tab1.update(help_question="Rust in huis en hulp bij het slapen.", action="save")
    assert client.post(edit, tab1).status_code == 302
    tab2.update(concerns="Kind komt vaak te laat.", action="save")
    response = client.post(edit, tab2, follow=True)
    body = response.content.decode()
    assert "Het concept is opgeslagen." in body
    assert "Intussen is ook ‘Hulpvraag in de woorden van het gezin’ aangepast" in body
    referral.refresh_from_db()
    assert referral.help_question == "Rust in huis en hulp bij het slapen."
    assert referral.concerns == "Kind komt vaak te laat."


def test_the_same_section_changed_in_two_tabs_shows_both_texts_and_saves_nothing_silently(
    world: World, client_for: Clients
) -> None:
    referral = draft(world)
    client = client_for(world.smw)
    edit = reverse("referrals:edit", args=[referral.pk])
    autosave = reverse("referrals:autosave", args=[referral.pk])
    tab1, tab2 = _page_form(client.get(edit)), _page_form(client.get(edit))
    tab1.update(concerns="Tekst van tab 1.", action="save")
    assert client.post(edit, tab1).status_code == 302

    # The autosave of tab 2 saves nothing over it, says so, and shows what is stored.
    tab2["concerns"] = "Tekst van tab 2."
    tab2["strengths"] = "Opa helpt mee."
    answer = client.post(autosave, tab2).content.decode()
    assert "Niet alles is opgeslagen" in answer and "‘Zorgen’ is aangepast" in answer
    assert 'id="current-concerns" class="current-text" hx-swap-oob="true"' in answer
    assert "Wat er nu staat:" in answer and "Tekst van tab 1." in answer
    assert "base_concerns" not in _oob_bases(client.post(autosave, tab2))
    referral.refresh_from_db()
    assert referral.concerns == "Tekst van tab 1."
    assert referral.strengths == "Opa helpt mee."  # the rest of the form is saved

    # The button: the page comes back (409) with both texts and a message at the section.
    tab2["action"] = "save"
    response = client.post(edit, tab2)
    body = response.content.decode()
    assert response.status_code == 409
    assert "Niet alles is opgeslagen." in body and "Wat er nu staat:" in body
    assert "Tekst van tab 1." in body and ">\nTekst van tab 2.</textarea>" in body
    assert 'id="id_concerns_error"' in body and 'href="#id_concerns"' in body
    referral.refresh_from_db()
    assert referral.concerns == "Tekst van tab 1."

    # An autosave from that page still does not overwrite: only the button does, after reading.
    again = _page_form(response)
    assert "Niet alles is opgeslagen" in client.post(autosave, again).content.decode()
    referral.refresh_from_db()
    assert referral.concerns == "Tekst van tab 1."
    again["action"] = "save"
    assert client.post(edit, again).status_code == 302
    referral.refresh_from_db()
    assert referral.concerns == "Tekst van tab 2."


def test_sending_a_document_changed_since_the_page_was_drawn_is_refused(
    world: World, client_for: Clients
) -> None:
    referral = draft(world)
    edit = reverse("referrals:edit", args=[referral.pk])
    smw, ib = client_for(world.smw), client_for(world.coordinator)
    smw_form = _page_form(smw.get(edit))
    ib_form = _page_form(ib.get(edit))
    ib_form.update(concerns="Er is ook geweld gezien.", action="save")
    assert ib.post(edit, ib_form).status_code == 302

    smw_form.update(strengths="Moeder vraagt zelf om hulp.", action="submit")
    response = smw.post(edit, smw_form)
    body = response.content.decode()
    assert response.status_code == 409
    assert "Niet verstuurd: een deel van de toeleiding is aangepast" in body
    assert ">\nEr is ook geweld gezien.</textarea>" in body  # the field shows it now
    assert "Het veld toont nu de nieuwe tekst." in body
    referral.refresh_from_db()
    assert referral.state == State.DRAFT
    assert referral.strengths == "Moeder vraagt zelf om hulp."  # saved, not sent

    # Sent again from the page that showed the new text: it goes.
    again = _page_form(response)
    again["action"] = "submit"
    assert smw.post(edit, again).status_code == 302
    referral.refresh_from_db()
    assert referral.state == State.SUBMITTED
    assert referral.concerns == "Er is ook geweld gezien."


def test_the_handover_hint_speaks_of_a_passed_deadline_in_the_past_tense() -> None:
    from zoneinfo import ZoneInfo

    import time_machine

    from schoolzorg.referrals.forms import PlanHandoverForm

    amsterdam = ZoneInfo("Europe/Amsterdam")
    with time_machine.travel(dt.datetime(2026, 12, 17, 10, 0, tzinfo=amsterdam), tick=False):
        late = str(PlanHandoverForm(due_on=dt.date(2026, 12, 16)).fields["on"].help_text)
        ahead = str(PlanHandoverForm(due_on=dt.date(2026, 12, 18)).fields["on"].help_text)
    assert "moest uiterlijk woensdag 16 december 2026" in late and "die is voorbij" in late
    assert "moet uiterlijk vrijdag 18 december 2026" in ahead


def test_start_page_for_a_town_without_a_known_team_gives_one_message(
    world: World, client_for: Clients
) -> None:
    """No promise of a team in the town that has none, beside the request to choose one."""
    from schoolzorg.organisations.tests.factories import MunicipalityFactory

    world.pupil.home_municipality = MunicipalityFactory(name="Kleinveen")
    world.pupil.home_district = None
    world.pupil.save()
    page = client_for(world.smw).get(reverse("referrals:start", args=[world.pupil.pk]))
    body = re.sub(r"\s+", " ", page.content.decode())
    assert "De toeleiding gaat naar een wijkteam in Kleinveen" not in body
    messages = re.findall(r'<p class="message message--warning">(.*?)</p>', body)
    assert messages == [
        "Let op: deze leerling woont in de gemeente Kleinveen, niet in de gemeente van de "
        "school. Er is geen wijkteam bekend in de gemeente Kleinveen. Kies zelf het wijkteam en "
        "leg uit waarom. Dat doet u in het concept."
    ]
    assert body.count("Kies zelf het wijkteam") == 1


def test_the_inbox_shows_the_urgency_and_puts_direct_ones_first(
    world: World, client_for: Clients
) -> None:
    from schoolzorg.referrals.models import Urgency
    from schoolzorg.referrals.tests.factories import another_pupil

    links = {}
    for urgency in [Urgency.NORMAL, Urgency.SOON, Urgency.URGENT]:
        referral = draft(world, pupil=another_pupil(world))
        services.save_draft(referral, {"urgency": urgency}, by=world.smw)
        services.submit_referral(referral, by=world.smw)
        links[urgency] = f'href="{reverse("referrals:detail", args=[referral.pk])}"'
    body = client_for(world.contact).get(reverse("referrals:inbox")).content.decode()
    rows = re.findall(r"<tr>(.*?)</tr>", body, flags=re.S)[1:]
    firsts = [next(u for u, link in links.items() if link in row) for row in rows]
    assert firsts == [Urgency.URGENT, Urgency.SOON, Urgency.NORMAL]
    assert '<span class="tag tag--danger">direct</span>' in rows[0]
    assert '<span class="tag tag--warn">snel</span>' in rows[1]
    assert "<td>gewoon</td>" in rows[2]


def test_contacts_page_names_the_schools_of_the_teams_districts_without_a_contact_person(
    world: World, client_for: Clients
) -> None:
    from schoolzorg.accounts.models import Membership

    page = reverse("referrals:contacts")
    assert (
        "Scholen zonder contactpersoon" not in client_for(world.leader).get(page).content.decode()
    )
    Membership.objects.filter(user=world.contact).delete()
    body = client_for(world.leader).get(page).content.decode()
    assert "Scholen zonder contactpersoon" in body
    row = f"<tr><td>{escape(world.school.name)}</td><td>{escape(world.team.name)}</td></tr>"
    assert row in body
    # The school's own people see the contact persons of the teams, not the teams' gaps.
    assert "Scholen zonder contactpersoon" not in client_for(world.smw).get(page).content.decode()


def test_a_worker_who_is_another_schools_contact_person_is_logged_as_a_worker(
    world: World, client_for: Clients
) -> None:
    """NEN 7513 "in which role": the role through which he could look, not a contact-person
    role he holds for another school (the parents' overview named him their school's contact)."""
    from schoolzorg.accounts.models import Membership
    from schoolzorg.accounts.roles import Role
    from schoolzorg.organisations.tests.factories import SchoolFactory
    from schoolzorg.pupils.access import access_basis, list_bases
    from schoolzorg.referrals import access

    elsewhere = SchoolFactory(municipality=world.town, district=world.district)
    Membership.objects.create(
        user=world.worker2,
        organisation=world.team,
        role=Role.NEIGHBOURHOOD_TEAM_CONTACT,
        school=elsewhere,
        valid_from=dt.date(2020, 1, 1),
    )
    referral = submitted(world)
    client = client_for(world.worker2)
    assert client.get(reverse("referrals:detail", args=[referral.pk])).status_code == 200
    assert client.get(reverse("referrals:inbox")).status_code == 200
    logged = AccessLogEntry.objects.filter(user_id=world.worker2.pk, pupil_id=world.pupil.pk)
    assert logged.count() >= 2
    assert set(logged.values_list("role", flat=True)) == {Role.NEIGHBOURHOOD_TEAM_WORKER}

    # Named on it, he opens the pupil's file through the referral: as a worker too.
    services.acknowledge_referral(referral, by=world.worker2)
    found = access_basis(world.worker2, world.pupil)
    assert found is not None and found[0].kind == "referral"
    assert found[0].role == Role.NEIGHBOURHOOD_TEAM_WORKER
    listed = list_bases(world.worker2, [world.pupil])[world.pupil.pk]
    assert listed is not None and listed.role == Role.NEIGHBOURHOOD_TEAM_WORKER
    # The contact person for this school is logged as such; the leader as the leader.
    assert access.team_membership(world.contact, referral).role == (Role.NEIGHBOURHOOD_TEAM_CONTACT)
    assert access.team_membership(world.leader, referral).role == Role.TEAM_LEADER


def test_the_steps_post_to_dutch_addresses(world: World, client_for: Clients) -> None:
    """Tester P9: the addresses of the steps are Dutch, as the rest of the site; the English
    names of the moves are no address."""
    from schoolzorg.referrals.workflow import TRANSITIONS

    referral = submitted(world)
    assert reverse("referrals:move", args=[referral.pk, "plan_handover"]) == (
        f"/toeleidingen/{referral.pk}/overdracht-plannen/"
    )
    body = client_for(world.worker).get(reverse("referrals:detail", args=[referral.pk]))
    actions = re.findall(r'<form method="post" action="([^"]+)"', body.content.decode())
    assert f"/toeleidingen/{referral.pk}/ontvangst-bevestigen/" in actions
    assert f"/toeleidingen/{referral.pk}/terugsturen/" in actions
    assert f"/toeleidingen/{referral.pk}/afwijzen/" in actions
    for name, move in TRANSITIONS.items():
        assert re.fullmatch("[a-z]+(-[a-z]+)*", move.slug), name
        old = f"/toeleidingen/{referral.pk}/{name}/"
        assert client_for(world.worker).post(old).status_code == 404, old
    client = client_for(world.worker)
    response = client.post(
        f"/toeleidingen/{referral.pk}/ontvangst-bevestigen/",
        {
            "acknowledge-seen_state": "submitted",
            "acknowledge-seen_round": 1,
            "acknowledge-worker": world.worker.pk,
        },
    )
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.state == State.ACKNOWLEDGED


@pytest.mark.parametrize(
    ("move", "field", "message"),
    [
        ("return_incomplete", "reasons", "Vul in wat er ontbreekt."),
        ("decline", "advice", "Vul in waar het gezin wel terecht kan."),
    ],
)
def test_an_empty_reason_for_a_step_says_what_to_fill_in(
    world: World, client_for: Clients, move: str, field: str, message: str
) -> None:
    """Tester Q3: the field's own words, not Django's "Dit veld is vereist."."""
    referral = submitted(world)
    response = client_for(world.worker).post(
        reverse("referrals:move", args=[referral.pk, move]),
        {f"{move}-seen_state": "submitted", f"{move}-seen_round": 1, f"{move}-{field}": " "},
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert f"{escape(message)}</p>" in body and f"{escape(message)}</a>" in body
    assert "vereist" not in body
