"""Ending a goal: stopping it through its evaluation, or removing one added by mistake."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone

from conftest import pdf_text
from schoolzorg.audit.models import AccessLogEntry
from schoolzorg.cases.models import CaseEvent
from schoolzorg.cases.tests.factories import CaseFactory
from schoolzorg.organisations.tests.factories import SchoolFactory
from schoolzorg.plans import services
from schoolzorg.plans.models import Goal, GoalStatus, Review
from schoolzorg.pupils.tests.factories import PupilFactory

pytestmark = pytest.mark.django_db

REASON = "Sam woont nu bij zijn vader; het doel past niet meer."


def _later(days):
    return timezone.localdate() + dt.timedelta(days=days)


@pytest.fixture
def part(team):
    return services.start_plan(team.pupil, by=team.ib)


def _goal(part, by, description="Sam komt elke dag op tijd op school", **kwargs):
    values = {
        "criterion": "4 van de 5 dagen op tijd",
        "owner": by,
        "target_on": _later(60),
        "review_on": _later(30),
    }
    values.update(kwargs)
    return services.add_goal(part, description=description, by=by, **values)


def _token(page, name="form_token"):
    found = re.search(f'name="{name}" value="([^"]*)"', page.content.decode())
    return found.group(1) if found else ""


def _stop_form(**extra):
    form = {
        "progress": "not_reached",
        "note": "Besproken met moeder",
        "reviewed_on": timezone.localdate().isoformat(),
        "stop": "on",
        "stop_reason": REASON,
    }
    form.update(extra)
    return form


# --- Stopping: the service ------------------------------------------------------------------


def test_stopping_a_goal_records_when_and_why_and_sets_it_stopped(team, part):
    case = CaseFactory(pupil=team.pupil, raised_by=team.ib)
    goal = _goal(part, team.ib)
    review_on = goal.review_on
    versions = part.plan.versions.count()
    review = services.record_review(
        goal,
        progress="partly",
        by=team.smw,
        stop=True,
        stop_reason=f"  {REASON} ",
        next_review_on=_later(10),
    )
    goal.refresh_from_db()
    assert goal.status == GoalStatus.STOPPED
    assert goal.review_on == review_on  # a stopped goal gets no next review
    assert review.stop_reason == REASON and review.reviewed_on == timezone.localdate()
    assert part.plan.versions.count() == versions + 1
    assert CaseEvent.objects.filter(case=case, text__contains="Doel gestopt").exists()
    # The plan's versions keep why it stopped.
    snap = part.plan.versions.first().snapshot
    assert snap["parts"][0]["goals"][0]["status"] == "Gestopt"
    assert snap["parts"][0]["goals"][0]["reviews"][0]["stop_reason"] == REASON


@pytest.mark.parametrize("reason", ["", "   ", "\u200b"])
def test_a_goal_does_not_stop_without_a_reason(team, part, reason):
    goal = _goal(part, team.ib)
    with pytest.raises(services.PlanError, match="waarom het doel stopt"):
        services.record_review(
            goal, progress="not_reached", by=team.ib, stop=True, stop_reason=reason
        )
    goal.refresh_from_db()
    assert goal.status == GoalStatus.OPEN and not Review.objects.exists()


def test_a_fully_reached_goal_is_reached_not_stopped(team, part):
    goal = _goal(part, team.ib)
    with pytest.raises(services.PlanError, match="Bereikt"):
        services.record_review(goal, progress="fully", by=team.ib, stop=True, stop_reason=REASON)
    assert not Review.objects.exists()


def test_a_stopped_goal_takes_no_more_reviews_and_a_reached_one_does_not_stop(team, part):
    goal = _goal(part, team.ib)
    services.record_review(goal, progress="partly", by=team.ib, stop=True, stop_reason=REASON)
    with pytest.raises(services.PlanError, match="gestopt"):
        services.record_review(goal, progress="partly", by=team.smw, next_review_on=_later(9))
    with pytest.raises(services.PlanError, match="gestopt"):
        services.record_review(goal, progress="partly", by=team.smw, stop=True, stop_reason="x")
    assert Review.objects.filter(goal=goal).count() == 1
    reached = _goal(part, team.ib, description="Sam heeft een vriend in de klas")
    services.record_review(reached, progress="fully", by=team.ib)
    with pytest.raises(services.PlanError, match="al bereikt"):
        services.record_review(reached, progress="partly", by=team.ib, stop=True, stop_reason="x")
    reached.refresh_from_db()
    assert reached.status == GoalStatus.REACHED


def test_stopped_and_reached_goals_are_not_open_and_not_due_for_review(team, part):
    open_goal = _goal(part, team.ib, review_on=timezone.localdate())
    stopped = _goal(part, team.ib, description="Sam gaat naar de voetbalclub")
    reached = _goal(part, team.ib, description="Sam heeft een vriend in de klas")
    Goal.objects.filter(pk__in=[stopped.pk, reached.pk]).update(review_on=timezone.localdate())
    services.record_review(stopped, progress="partly", by=team.ib, stop=True, stop_reason=REASON)
    services.record_review(reached, progress="fully", by=team.ib)
    assert list(Goal.objects.open()) == [open_goal]
    assert list(Goal.objects.review_due(timezone.localdate())) == [open_goal]


# --- Removing: the service ------------------------------------------------------------------


def test_removing_a_goal_deletes_it_saves_a_version_and_tells_the_cases(team, part):
    case = CaseFactory(pupil=team.pupil, raised_by=team.ib)
    goal = _goal(part, team.ib, description="Per ongeluk: Sam leest elke dag")
    versions = part.plan.versions.count()
    services.remove_goal(goal, by=team.smw)
    assert not Goal.objects.filter(pk=goal.pk).exists()
    version = part.plan.versions.first()
    assert part.plan.versions.count() == versions + 1
    assert version.summary == "Doel verwijderd voor Sam" and version.pupil_id == team.pupil.pk
    assert version.created_by == team.smw
    assert version.snapshot["parts"][0]["goals"] == []
    assert CaseEvent.objects.filter(
        case=case, text="Doel verwijderd: Per ongeluk: Sam leest elke dag"
    ).exists()
    with pytest.raises(services.GoalGone, match="al verwijderd"):
        services.remove_goal(goal, by=team.smw)
    assert part.plan.versions.count() == versions + 1


def test_a_goal_with_an_evaluation_or_an_action_is_not_removed_but_stopped(team, part):
    reviewed = _goal(part, team.ib)
    services.record_review(reviewed, progress="partly", by=team.ib, next_review_on=_later(9))
    with_action = _goal(part, team.ib, description="Sam doet mee met gym")
    services.add_action(
        part,
        description="Gymkleren regelen",
        domain="family",
        owner="moeder",
        due_on=_later(7),
        goal=with_action,
        by=team.ib,
    )
    versions = part.plan.versions.count()
    for goal in (reviewed, with_action):
        with pytest.raises(services.PlanError, match="Stop het doel"):
            services.remove_goal(goal, by=team.ib)
        assert Goal.objects.filter(pk=goal.pk).exists()
    assert part.plan.versions.count() == versions


def test_an_action_for_a_goal_removed_meanwhile_is_refused_in_words(team, part):
    goal = _goal(part, team.ib)
    services.remove_goal(goal, by=team.smw)
    with pytest.raises(services.GoalGone, match="net uit het plan verwijderd"):
        services.add_action(
            part,
            description="Wekker kopen",
            domain="family",
            owner="moeder",
            due_on=_later(7),
            goal=goal,
            by=team.ib,
        )


# --- The pages ------------------------------------------------------------------------------


def test_stop_a_goal_through_the_evaluation_page(team, part, client_for):
    goal = _goal(part, team.ib)
    Goal.objects.filter(pk=goal.pk).update(review_on=timezone.localdate())
    client = client_for(team.ib)
    plan_url = f"/plannen/{part.plan_id}/"
    page = client.get(plan_url).content.decode()
    assert "(nu evalueren)" in page
    assert "Evaluatie vastleggen of doel stoppen" in page
    url = f"/plannen/doel/{goal.pk}/evaluatie/"
    form_page = client.get(url)
    assert form_page.status_code == 200
    assert 'name="stop"' in form_page.content.decode() and "Doel stoppen" in (
        form_page.content.decode()
    )
    response = client.post(url, _stop_form(form_token=_token(form_page)), follow=True)
    page = response.content.decode()
    assert "De evaluatie is vastgelegd en het doel is gestopt." in page
    assert "Gestopt op" in page and REASON in page
    assert "(nu evalueren)" not in page
    assert "Evaluatie vastleggen of doel stoppen" not in page
    goal.refresh_from_db()
    assert goal.status == GoalStatus.STOPPED
    # The goal's own page shows when and why, and offers no form any more.
    page = client.get(url).content.decode()
    assert "Dit doel is gestopt." in page and REASON in page and 'name="stop"' not in page


def test_the_same_stop_form_sent_twice_records_it_once(team, part, client_for):
    goal = _goal(part, team.ib)
    client = client_for(team.ib)
    url = f"/plannen/doel/{goal.pk}/evaluatie/"
    form = _stop_form(form_token=_token(client.get(url)))
    versions = part.plan.versions.count()
    assert client.post(url, form).status_code == 302
    second = client.post(url, form, follow=True)
    assert "het doel is gestopt" in second.content.decode()
    assert Review.objects.filter(goal=goal).count() == 1
    assert part.plan.versions.count() == versions + 1


def test_stop_without_a_reason_comes_back_with_the_error_at_the_field(team, part, client_for):
    goal = _goal(part, team.ib)
    client = client_for(team.ib)
    url = f"/plannen/doel/{goal.pk}/evaluatie/"
    response = client.post(url, _stop_form(stop_reason="", note="Moeder wil iets anders"))
    page = response.content.decode()
    assert response.status_code == 400
    assert "Schrijf op waarom het doel stopt." in page
    assert 'id="id_stop_reason_error"' in page
    assert re.search(r'<textarea[^>]*aria-invalid="true"[^>]*id="id_stop_reason"', page) or (
        re.search(r'<textarea[^>]*id="id_stop_reason"[^>]*aria-invalid="true"', page)
    )
    assert 'href="#id_stop_reason"' in page  # the summary links to the field
    assert "Moeder wil iets anders" in page  # nothing typed is lost
    goal.refresh_from_db()
    assert goal.status == GoalStatus.OPEN and not Review.objects.exists()


def test_a_reason_without_the_tick_is_not_dropped_in_silence(team, part, client_for):
    goal = _goal(part, team.ib)
    form = _stop_form(next_review_on=_later(14).isoformat())
    del form["stop"]
    response = client_for(team.ib).post(f"/plannen/doel/{goal.pk}/evaluatie/", form)
    page = response.content.decode()
    assert response.status_code == 400
    assert "vinkte &#x27;Doel stoppen&#x27; niet aan" in page and REASON in page
    assert not Review.objects.exists()


def test_stop_with_fully_reached_is_refused_at_the_tick(team, part, client_for):
    goal = _goal(part, team.ib)
    response = client_for(team.ib).post(
        f"/plannen/doel/{goal.pk}/evaluatie/", _stop_form(progress="fully")
    )
    page = response.content.decode()
    assert response.status_code == 400 and 'id="id_stop_error"' in page and REASON in page
    goal.refresh_from_db()
    assert goal.status == GoalStatus.OPEN


def test_a_new_evaluation_of_a_goal_stopped_meanwhile_is_refused_with_the_text_kept(
    team, part, client_for
):
    goal = _goal(part, team.ib)
    client = client_for(team.ib)
    url = f"/plannen/doel/{goal.pk}/evaluatie/"
    token = _token(client.get(url))
    services.record_review(goal, progress="partly", by=team.smw, stop=True, stop_reason=REASON)
    response = client.post(
        url,
        {
            "form_token": token,
            "progress": "partly",
            "note": "Gaat beter met de wekker",
            "reviewed_on": timezone.localdate().isoformat(),
            "next_review_on": _later(14).isoformat(),
        },
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "Dit doel is gestopt." in page and "Gaat beter met de wekker" in page
    assert Review.objects.filter(goal=goal).count() == 1


def test_remove_a_goal_added_by_mistake_and_click_again(team, part, client_for):
    goal = _goal(part, team.ib, description="Per ongeluk: Sam leest elke dag")
    kept = _goal(part, team.ib)
    services.record_review(kept, progress="partly", by=team.ib, next_review_on=_later(9))
    client = client_for(team.smw)
    plan_url = f"/plannen/{part.plan_id}/"
    page = client.get(plan_url).content.decode()
    url = f"/plannen/{part.plan_id}/doel/{goal.pk}/verwijderen/"
    # Offered behind a summary that says what happens, only for the goal without evaluation.
    assert page.count("<summary>Doel verwijderen") == 1
    assert f'action="{url}"' in page and "Ja, verwijder dit doel" in page
    assert "per ongeluk is toegevoegd" in page
    assert client.get(url).status_code == 405
    response = client.post(url)
    assert response.status_code == 302 and response["Location"].startswith(plan_url)
    assert not Goal.objects.filter(pk=goal.pk).exists()
    page = client.get(response["Location"]).content.decode()
    assert "Het doel is uit het plan verwijderd." in page
    assert "Per ongeluk: Sam leest elke dag" not in page
    again = client.post(url, follow=True)
    assert again.status_code == 200 and again.redirect_chain[0][0] == plan_url
    assert "Dit doel was al verwijderd." in again.content.decode()
    assert part.plan.versions.filter(summary="Doel verwijderd voor Sam").count() == 1


def test_removing_a_goal_with_an_evaluation_says_to_stop_it(team, part, client_for):
    goal = _goal(part, team.ib)
    services.record_review(goal, progress="partly", by=team.ib, next_review_on=_later(9))
    response = client_for(team.ib).post(
        f"/plannen/{part.plan_id}/doel/{goal.pk}/verwijderen/", follow=True
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "kan daarom niet meer weg" in page and "Stop het doel" in page
    assert Goal.objects.filter(pk=goal.pk).exists()


def test_outsiders_and_readers_cannot_remove_a_goal(team, part, client_for):
    goal = _goal(part, team.ib)
    url = f"/plannen/{part.plan_id}/doel/{goal.pk}/verwijderen/"
    for user in (team.outsider, team.teacher):
        assert client_for(user).post(url).status_code == 404
    # A goal of another family's plan through this plan's address: 404, nothing removed.
    other = PupilFactory(current_school=team.school, first_name="Anders")
    other_goal = _goal(services.start_plan(other, by=team.ib), team.ib)
    response = client_for(team.ib).post(
        f"/plannen/{part.plan_id}/doel/{other_goal.pk}/verwijderen/"
    )
    assert response.status_code == 404
    # A sibling's goal at a school the user has no role at: hidden, so 404.
    sibling = PupilFactory(family=team.pupil.family, current_school=SchoolFactory())
    sibling_goal = _goal(services.start_plan(sibling, by=team.ib), team.ib)
    response = client_for(team.smw).post(
        f"/plannen/{part.plan_id}/doel/{sibling_goal.pk}/verwijderen/"
    )
    assert response.status_code == 404
    assert Goal.objects.filter(pk__in=[goal.pk, other_goal.pk, sibling_goal.pk]).count() == 3
    # Who may edit the plan does remove it at the same address.
    assert client_for(team.ib).post(url).status_code == 302
    assert not Goal.objects.filter(pk=goal.pk).exists()


def test_versions_pdf_and_pupil_page_after_a_goal_stopped_and_one_removed(team, part, client_for):
    stopped = _goal(part, team.ib)
    removed = _goal(part, team.ib, description="Per ongeluk: Sam leest elke dag")
    running = _goal(part, team.ib, description="Sam heeft een vriend in de klas")
    services.record_review(stopped, progress="partly", by=team.ib, stop=True, stop_reason=REASON)
    services.remove_goal(removed, by=team.ib)
    client = client_for(team.ib)
    plan = part.plan
    plan.refresh_from_db()
    response = client.get(f"/plannen/{plan.pk}/versies/")
    assert response.status_code == 200
    assert "Doel verwijderd voor Sam" in response.content.decode()
    response = client.get(f"/plannen/{plan.pk}/versies/", {"a": 1, "b": plan.version})
    assert response.status_code == 200
    diff = {label: after for label, _before, after in response.context["diff"]}
    assert REASON in diff["Sam: doel 1, evaluaties"] and diff["Sam: doel 1, stand"] == "Gestopt"
    text = " ".join(pdf_text(client.get(f"/plannen/{plan.pk}/pdf/").content).split())
    assert "Gestopt" in text and "Reden:" in text and "Per ongeluk" not in text
    assert "vriend" in text and running.pk
    page = client.get(f"/leerlingen/{team.pupil.pk}/").content.decode()
    assert "2 doelen (waarvan 1 lopend)" in page


def test_the_page_of_a_stopped_goal_logs_the_read(team, part, client_for):
    goal = _goal(part, team.ib)
    services.record_review(goal, progress="partly", by=team.ib, stop=True, stop_reason=REASON)
    client_for(team.smw).get(f"/plannen/doel/{goal.pk}/evaluatie/")
    assert AccessLogEntry.objects.filter(
        pupil_id=team.pupil.pk, action="view", detail="doel evalueren"
    ).exists()


def test_my_work_asks_no_evaluation_of_a_stopped_goal(team, part, client_for):
    goal = _goal(part, team.ib)
    Goal.objects.filter(pk=goal.pk).update(review_on=timezone.localdate())
    client = client_for(team.ib)
    assert goal.description in client.get("/").content.decode()
    services.record_review(goal, progress="partly", by=team.ib, stop=True, stop_reason=REASON)
    assert goal.description not in client.get("/").content.decode()
