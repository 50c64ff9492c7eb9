from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone
from django.utils.html import escape

from conftest import assert_asks_to_confirm_first, pdf_text, two_digit_date, weekday
from schoolzorg.audit.models import AccessLogEntry
from schoolzorg.organisations.tests.factories import SchoolFactory
from schoolzorg.plans import services
from schoolzorg.plans.models import Action, Goal, Review
from schoolzorg.pupils.tests.factories import PupilFactory

pytestmark = pytest.mark.django_db


def _later(days):
    return weekday(timezone.localdate() + dt.timedelta(days=days)).isoformat()


@pytest.fixture
def part(team):
    return services.start_plan(team.pupil, by=team.ib)


def test_outsiders_get_404_on_every_plan_page(team, part, client_for):
    goal = services.add_goal(
        part,
        description="Sam slaapt goed en is fit",
        criterion="5 nachten per week op tijd in bed",
        owner=team.ib,
        target_on=timezone.localdate() + dt.timedelta(days=40),
        review_on=timezone.localdate() + dt.timedelta(days=20),
        by=team.ib,
    )
    action = services.add_action(
        part,
        description="x",
        domain="school",
        owner=team.ib,
        due_on=weekday(timezone.localdate()),
        by=team.ib,
    )
    plan = part.plan
    for user in (team.outsider, team.teacher):
        client = client_for(user)
        for url in [
            f"/plannen/{plan.pk}/",
            f"/plannen/{plan.pk}/bewerken/",
            f"/plannen/{plan.pk}/versies/",
            f"/plannen/{plan.pk}/pdf/",
            f"/plannen/doel/{goal.pk}/evaluatie/",
        ]:
            assert client.get(url).status_code == 404, url
        for url in [
            f"/plannen/starten/{team.pupil.pk}/",
            f"/plannen/{plan.pk}/akkoord/",
            f"/plannen/deel/{part.pk}/doel/",
            f"/plannen/deel/{part.pk}/actie/",
            f"/plannen/actie/{action.pk}/status/",
            f"/plannen/{plan.pk}/bewerken/",
        ]:
            assert client.post(url, {}).status_code == 404, url
    assert client_for(team.ib).get("/plannen/999999/").status_code == 404


def test_sibling_at_another_school_stays_hidden(team, part, client_for):
    sibling = PupilFactory(
        family=team.pupil.family, current_school=SchoolFactory(), first_name="Verborgen"
    )
    sibling_part = services.start_plan(sibling, by=team.ib)
    services.add_goal(
        sibling_part, description="Slaapt door", criterion="x", by=team.ib, enforce_smart=False
    )
    services.add_goal(
        part, description="Komt op tijd", criterion="x", by=team.ib, enforce_smart=False
    )
    client = client_for(team.ib)
    page = client.get(f"/plannen/{part.plan_id}/").content.decode()
    assert "Verborgen" not in page and team.pupil.first_name in page
    # The list of versions names the child whose part changed: only the visible one.
    versions = client.get(f"/plannen/{part.plan_id}/versies/").content.decode()
    assert "Verborgen" not in versions
    assert f"Doel toegevoegd voor {team.pupil.first_name}" in versions


def test_plan_pages_are_titled_by_the_plans_number_not_the_family(team, part, client_for):
    """WCAG 2.4.2: two families' plans are two different tabs, not "Integraal plan" twice. The
    title (tab, history) holds no family name, as "Casus 7" holds none (tester W3); the heading
    does."""
    client = client_for(team.ib)
    plan = part.plan
    for path, title in (
        ("", f"Integraal plan {plan.pk}"),
        ("versies/", f"Versies van integraal plan {plan.pk}"),
        ("bewerken/", f"Integraal plan {plan.pk} bewerken"),
    ):
        page = client.get(f"/plannen/{part.plan_id}/{path}").content.decode()
        assert f"<title>{escape(title)} – Schoolzorg</title>" in page, path
        heading = page.split("<h1>", 1)[1].split("</h1>", 1)[0]
        assert f"gezin {escape(plan.family.name)}" in heading, path


def test_owner_fields_say_that_one_of_them_is_needed(team, part, client_for):
    page = client_for(team.ib).get(f"/plannen/{part.plan_id}/").content.decode()
    assert page.count("(kies iemand, of vul hieronder een naam in)") == 2  # goal and action
    assert page.count("(als u hierboven niemand koos)") == 2
    assert 'Eigenaar <span class="muted">(niet verplicht)' not in page


def test_plan_page_logs_a_read_per_visible_child(team, part, client_for):
    client_for(team.smw).get(f"/plannen/{part.plan_id}/")
    assert (
        AccessLogEntry.objects.filter(
            pupil_id=team.pupil.pk, action="view", detail="integraal plan"
        ).count()
        == 1
    )


def test_goal_form_explains_what_is_missing_and_keeps_the_text(team, part, client_for):
    response = client_for(team.ib).post(
        f"/plannen/deel/{part.pk}/doel/",
        {
            f"goal-{part.pk}-description": "Sam voelt zich veilig in de klas",
            f"goal-{part.pk}-criterion": "",
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Meetbaar" in page and "Tijdgebonden" in page and "eigenaar" in page
    assert "Sam voelt zich veilig in de klas" in page
    assert not Goal.objects.exists()


def test_the_same_action_form_sent_twice_adds_one_action_and_one_notification(
    team, part, client_for
):
    from schoolzorg.accounts.models import Notification

    client = client_for(team.ib)
    page = client.get(f"/plannen/{part.plan_id}/")
    a = f"action-{part.pk}-"
    token = page.content.decode().split(f'name="{a}form_token" value="')[1].split('"')[0]
    form = {
        a + "form_token": token,
        a + "description": "Huisbezoek plannen",
        a + "domain": "school_social_work",
        a + "owner": team.smw.pk,
        a + "due_on": _later(7),
    }
    versions = part.plan.versions.count()
    assert client.post(f"/plannen/deel/{part.pk}/actie/", form).status_code == 302
    second = client.post(f"/plannen/deel/{part.pk}/actie/", form, follow=True)
    assert "De actie is toegevoegd." in second.content.decode()
    assert Action.objects.filter(part=part).count() == 1
    # Told apart from the next action on 'Meldingen' by its due date; the plan's family unnamed.
    due = dt.date.fromisoformat(_later(7))
    assert Notification.objects.get(user=team.smw).text == (
        f"Er staat een nieuwe actie op uw naam in een integraal plan, klaar op {due:%-d-%-m-%Y}."
    )
    assert part.plan.versions.count() == versions + 1


def _token(page, name):
    """The hidden token the page drew with the form ("" when the form has none)."""
    found = re.search(f'name="{name}" value="([^"]*)"', page.content.decode())
    return found.group(1) if found else ""


def test_the_same_goal_form_sent_twice_adds_one_goal(team, part, client_for):
    """A double click, or Back and 'Doel opslaan' again, put the same goal in the plan twice."""
    client = client_for(team.ib)
    g = f"goal-{part.pk}-"
    form = {
        g + "form_token": _token(client.get(f"/plannen/{part.plan_id}/"), g + "form_token"),
        g + "description": "Shanaya komt op tijd op school",
        g + "criterion": "3 van de 5 dagen op tijd",
        g + "owner": team.ib.pk,
        g + "target_on": _later(60),
        g + "review_on": _later(30),
    }
    versions = part.plan.versions.count()
    assert client.post(f"/plannen/deel/{part.pk}/doel/", form).status_code == 302
    second = client.post(f"/plannen/deel/{part.pk}/doel/", form, follow=True)
    assert "Het doel is toegevoegd." in second.content.decode()
    assert Goal.objects.filter(part=part).count() == 1
    assert part.plan.versions.count() == versions + 1
    # A form drawn anew is a new goal.
    form[g + "form_token"] = _token(client.get(f"/plannen/{part.plan_id}/"), g + "form_token")
    assert client.post(f"/plannen/deel/{part.pk}/doel/", form).status_code == 302
    assert Goal.objects.filter(part=part).count() == 2


def test_the_same_review_form_sent_twice_records_one_review(team, part, client_for):
    """A double click recorded the evaluation twice in the goal's history."""
    goal = services.add_goal(
        part,
        description="Shanaya komt op tijd op school",
        criterion="3 van de 5 dagen op tijd",
        owner=team.ib,
        target_on=timezone.localdate() + dt.timedelta(days=60),
        review_on=timezone.localdate() + dt.timedelta(days=30),
        by=team.ib,
    )
    client = client_for(team.ib)
    url = f"/plannen/doel/{goal.pk}/evaluatie/"
    form = {
        "form_token": _token(client.get(url), "form_token"),
        "progress": "partly",
        "score": "4",
        "note": "Gaat beter",
        "reviewed_on": timezone.localdate().isoformat(),
        "next_review_on": _later(14),
    }
    versions = part.plan.versions.count()
    assert client.post(url, form).status_code == 302
    second = client.post(url, form, follow=True)
    assert "De evaluatie is vastgelegd." in second.content.decode()
    assert Review.objects.filter(goal=goal).count() == 1
    assert part.plan.versions.count() == versions + 1
    assert client.get(url).content.decode().count("Gaat beter") == 1


def _goal(part, team):
    return services.add_goal(
        part,
        description="Shanaya komt op tijd op school",
        criterion="3 van de 5 dagen op tijd",
        owner=team.ib,
        target_on=timezone.localdate() + dt.timedelta(days=60),
        review_on=timezone.localdate() + dt.timedelta(days=30),
        by=team.ib,
    )


def test_an_evaluation_before_the_goal_was_added_is_refused_at_the_date(team, part, client_for):
    goal = _goal(part, team)
    added = timezone.localdate() - dt.timedelta(days=5)
    Goal.objects.filter(pk=goal.pk).update(created_at=timezone.now() - dt.timedelta(days=5))
    url = f"/plannen/doel/{goal.pk}/evaluatie/"
    client = client_for(team.ib)
    form = {"progress": "fully", "reviewed_on": (added - dt.timedelta(days=1)).isoformat()}

    response = client.post(url, form)

    assert response.status_code == 400
    day = f"{added.day}-{added.month}-{added.year}"
    assert response.context["form"].errors["reviewed_on"] == [
        f"Dit doel staat sinds {day} in het plan. Kies voor de evaluatie {day} of een latere datum."
    ]
    assert not Review.objects.exists()
    goal.refresh_from_db()
    assert goal.status == "open"
    assert client.post(url, {**form, "reviewed_on": added.isoformat()}).status_code == 302


def test_a_next_evaluation_in_the_past_says_what_to_choose(team, part, client_for):
    goal = _goal(part, team)
    response = client_for(team.ib).post(
        f"/plannen/doel/{goal.pk}/evaluatie/",
        {
            "progress": "partly",
            "reviewed_on": timezone.localdate().isoformat(),
            "next_review_on": timezone.localdate().isoformat(),
        },
    )
    assert response.status_code == 400
    assert response.context["form"].errors["next_review_on"] == [
        "Kies voor de volgende evaluatie een datum na vandaag."
    ]


def test_an_action_status_form_sent_again_says_it_was_done_not_that_someone_else_changed_it(
    team, part, client_for
):
    action = services.add_action(
        part,
        description="Intake",
        domain="school",
        owner=team.ib,
        due_on=weekday(timezone.localdate() + dt.timedelta(days=7)),
        by=team.ib,
    )
    client = client_for(team.ib)
    url = f"/plannen/actie/{action.pk}/status/"
    form = {"expected": "planned", "to": "done"}
    assert client.post(url, form).status_code == 302
    versions = part.plan.versions.count()
    Action.objects.filter(pk=action.pk).update(done_on=timezone.localdate() - dt.timedelta(days=3))
    page = client.post(url, form, follow=True).content.decode()
    assert "Dit was al gedaan: de actie staat al op &#x27;gedaan&#x27;." in page
    assert "Iemand anders" not in page
    action.refresh_from_db()
    assert action.status == "done"
    assert action.done_on == timezone.localdate() - dt.timedelta(days=3)  # not moved to today
    assert part.plan.versions.count() == versions
    # The form of an action that is done, saved without choosing another status: no change.
    page = client.post(url, {"expected": "done", "to": "done"}, follow=True).content.decode()
    assert "De actie staat al op &#x27;gedaan&#x27;. Er is niets gewijzigd." in page
    assert part.plan.versions.count() == versions


def test_an_action_status_a_colleague_changed_meanwhile_is_still_refused(team, part, client_for):
    action = services.add_action(
        part,
        description="Intake",
        domain="school",
        owner=team.ib,
        due_on=weekday(timezone.localdate() + dt.timedelta(days=7)),
        by=team.ib,
    )
    services.set_action_status(action, to="cancelled", expected="planned", by=team.smw)
    page = (
        client_for(team.ib)
        .post(
            f"/plannen/actie/{action.pk}/status/",
            {"expected": "planned", "to": "done"},
            follow=True,
        )
        .content.decode()
    )
    # The same person may have made the change in another tab: the text blames nobody and
    # says what to do.
    assert (
        "De actie is net al gewijzigd: ze staat nu op &#x27;vervallen&#x27;. Uw keuze "
        "&#x27;gedaan&#x27; is niet opgeslagen." in page
    )
    assert "Kies de stand dan opnieuw" in page
    assert "Iemand anders" not in page and "al gedaan" not in page
    action.refresh_from_db()
    assert action.status == "cancelled"


def test_add_goal_action_and_review_through_the_pages(team, part, client_for):
    client = client_for(team.ib)
    p = f"goal-{part.pk}-"
    response = client.post(
        f"/plannen/deel/{part.pk}/doel/",
        {
            p + "description": "Sam gaat met plezier naar school",
            p + "criterion": "4 van de 5 dagen op tijd",
            p + "owner": team.ib.pk,
            p + "target_on": _later(60),
            p + "review_on": _later(30),
        },
    )
    assert response.status_code == 302
    goal = Goal.objects.get()
    a = f"action-{part.pk}-"
    response = client.post(
        f"/plannen/deel/{part.pk}/actie/",
        {
            a + "description": "Wekker kopen",
            a + "domain": "family",
            a + "owner_name": "moeder",
            a + "due_on": _later(7),
            a + "goal": goal.pk,
        },
    )
    assert response.status_code == 302
    assert Action.objects.get().goal == goal
    response = client.post(
        f"/plannen/doel/{goal.pk}/evaluatie/",
        {
            "progress": "partly",
            "score": "3",
            "note": "Gaat beter",
            "reviewed_on": timezone.localdate().isoformat(),
        },
    )
    assert response.status_code == 400 and "evalueert" in response.content.decode()
    response = client.post(
        f"/plannen/doel/{goal.pk}/evaluatie/",
        {
            "progress": "partly",
            "score": "3",
            "note": "Gaat beter",
            "reviewed_on": timezone.localdate().isoformat(),
            "next_review_on": _later(14),
        },
    )
    assert response.status_code == 302
    assert Review.objects.get().score == 3


def test_two_editors_second_gets_conflict_and_keeps_text(team, part, client_for):
    plan = part.plan
    first, second = client_for(team.ib), client_for(team.smw)
    form_a = first.get(f"/plannen/{plan.pk}/bewerken/").context["form"]
    form_b = second.get(f"/plannen/{plan.pk}/bewerken/").context["form"]
    version = form_a.initial["version"]
    assert form_b.initial["version"] == version
    ok = first.post(
        f"/plannen/{plan.pk}/bewerken/", {"version": version, "strengths": "Tekst van de IB-er"}
    )
    assert ok.status_code == 302
    clash = second.post(
        f"/plannen/{plan.pk}/bewerken/",
        {"version": version, "strengths": "Lange tekst van de SMW", "concerns": "Zorg B"},
    )
    assert clash.status_code == 409
    page = clash.content.decode()
    assert "Iemand anders heeft het plan opgeslagen" in page
    assert "Lange tekst van de SMW" in page and "Tekst van de IB-er" in page
    plan.refresh_from_db()
    assert plan.strengths == "Tekst van de IB-er"
    # Saving again after reading is a deliberate choice, and works.
    again = second.post(
        f"/plannen/{plan.pk}/bewerken/",
        {"version": clash.context["form"].data["version"], "strengths": "Samen"},
    )
    assert again.status_code == 302


def test_versions_compare_shows_field_diff(team, part, client_for):
    plan = part.plan
    services.update_plan(
        plan, expected_version=plan.version, by=team.ib, family={"concerns": "Oud"}, parts={}
    )
    services.update_plan(
        plan, expected_version=plan.version, by=team.ib, family={"concerns": "Nieuw"}, parts={}
    )
    client = client_for(team.smw)
    response = client.get(
        f"/plannen/{plan.pk}/versies/", {"a": plan.version - 1, "b": plan.version}
    )
    assert ("Belangrijkste zorgen", "Oud", "Nieuw") in response.context["diff"]
    assert client.get(f"/plannen/{plan.pk}/versies/", {"a": "x", "b": "999"}).status_code == 400


def test_versions_compare_writes_dates_and_words_as_the_plan_page(team, part, client_for):
    """Tester Q9: '2026-12-05' and 'status' where the plan page says 5-12-2026 and 'Stand'."""
    plan = part.plan
    first = plan.version
    target_on = weekday(timezone.localdate() + dt.timedelta(days=40))
    review_on = timezone.localdate() + dt.timedelta(days=20)
    due_on = timezone.localdate() + dt.timedelta(days=10)
    goal = services.add_goal(
        part,
        description="Sam slaapt goed en is fit",
        criterion="5 nachten per week op tijd in bed",
        owner=team.ib,
        target_on=target_on,
        review_on=review_on,
        by=team.ib,
    )
    services.add_action(
        part, description="Wekker kopen", domain="family", owner="moeder", due_on=due_on, by=team.ib
    )
    services.record_review(
        goal, progress="partly", note="beter", next_review_on=review_on, by=team.ib
    )
    plan.refresh_from_db()
    response = client_for(team.ib).get(
        f"/plannen/{plan.pk}/versies/", {"a": first, "b": plan.version}
    )
    rows = {label: after for label, _before, after in response.context["diff"]}
    page = response.content.decode()

    def day(d):
        return f"{d.day}-{d.month}-{d.year}"

    assert rows["Sam: doel 1, uiterlijk bereikt op"] == day(target_on)
    assert rows["Sam: doel 1, evalueren op"] == day(review_on)
    assert rows["Sam: doel 1, evaluaties"] == f"{day(timezone.localdate())}: Deels bereikt (beter)"
    assert rows["Sam: actie 1, klaar op"] == day(due_on)
    assert rows["Sam: doel 1, stand"] == "Loopt" and rows["Sam: actie 1, stand"] == "Gepland"
    assert not re.search(r"\d{4}-\d{2}-\d{2}", page)
    assert "status" not in " ".join(rows)


@pytest.mark.parametrize("junk", ["²", "١", "9" * 5000])
def test_versions_compare_refuses_digits_that_are_no_number(team, part, client_for, junk):
    client = client_for(team.smw)
    client.raise_request_exception = False
    response = client.get(f"/plannen/{part.plan.pk}/versies/", {"a": junk, "b": "1"})
    assert response.status_code == 400
    assert "Kies twee versies uit de lijst." in response.content.decode()


def test_pdf_export_is_a_pdf_and_logged_as_export(team, part, client_for):
    services.update_plan(
        part.plan,
        expected_version=part.plan.version,
        by=team.ib,
        family={"strengths": "Warm gezin"},
        parts={},
    )
    response = client_for(team.ib).get(f"/plannen/{part.plan_id}/pdf/")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert AccessLogEntry.objects.filter(action="export", pupil_id=team.pupil.pk).count() == 1
    assert_asks_to_confirm_first(client_for(team.ib), f"/plannen/{part.plan_id}/pdf/")


def test_a_goals_target_date_has_one_label_that_says_it_is_a_deadline(
    team, part, client_for, monkeypatch
):
    """'Bereikt op' read as reached already; the parents' PDF said 'Klaar op'."""
    goal = services.add_goal(
        part,
        description="Sam slaapt goed",
        criterion="5 nachten per week op tijd in bed",
        owner=team.ib,
        target_on=timezone.localdate() + dt.timedelta(days=40),
        review_on=timezone.localdate() + dt.timedelta(days=20),
        by=team.ib,
    )
    client = client_for(team.ib)
    pages = [
        client.get(f"/plannen/{part.plan_id}/").content.decode(),
        client.get(f"/plannen/doel/{goal.pk}/evaluatie/").content.decode(),
    ]
    from schoolzorg.plans import pdf

    real = pdf.render_to_string
    monkeypatch.setattr(
        pdf, "render_to_string", lambda *a, **k: pages.append(real(*a, **k)) or pages[-1]
    )
    assert client.get(f"/plannen/{part.plan_id}/pdf/").status_code == 200
    assert len(pages) == 3
    for page in pages:
        assert "Uiterlijk bereikt op" in page and "Bereikt op" not in page
    assert "Klaar op" not in pages[2].split("Wie doet wat")[0]  # the goals' table
    assert Goal._meta.get_field("target_on").verbose_name == "uiterlijk bereikt op"


def test_agreement_is_recorded_with_guardian(team, part, client_for):
    response = client_for(team.ib).post(
        f"/plannen/{part.plan_id}/akkoord/",
        {"guardian": team.guardian.pk, "agreed_on": timezone.localdate().isoformat()},
    )
    assert response.status_code == 302
    assert [a.guardian for a in part.plan.agreements.all()] == [team.guardian]


def test_overdue_action_is_highlighted_on_my_work(team, part, client_for):
    services.add_action(
        part,
        description="Gesprek plannen",
        domain="school",
        owner=team.ib,
        due_on=weekday(timezone.localdate() - dt.timedelta(days=2), before=True),
        by=team.ib,
    )
    page = client_for(team.ib).get("/").content.decode()
    assert "Mijn acties" in page and "Te laat" in page


def test_pupil_page_shows_plan_summary(team, part, client_for):
    page = client_for(team.ib).get(f"/leerlingen/{team.pupil.pk}/").content.decode()
    assert "Integraal plan van het gezin" in page


@pytest.mark.parametrize(
    ("field", "value"), [("target_on", "9999-12-31"), ("review_on", "9999-12-31")]
)
def test_goal_dates_far_ahead_are_refused_at_the_field(team, part, client_for, field, value):
    p = f"goal-{part.pk}-"
    data = {
        p + "description": "Sam gaat met plezier naar school",
        p + "criterion": "4 van de 5 dagen op tijd",
        p + "owner": team.ib.pk,
        p + "target_on": _later(60),
        p + "review_on": _later(30),
    }
    data[p + field] = value
    response = client_for(team.ib).post(f"/plannen/deel/{part.pk}/doel/", data)
    page = response.content.decode()
    assert response.status_code == 400
    assert "te ver vooruit" in page and f'id="id_{p}{field}_error"' in page
    assert "Sam gaat met plezier naar school" in page
    assert not Goal.objects.exists()


@pytest.mark.parametrize("value", ["0001-01-01", "9999-12-31"])
def test_action_due_date_out_of_range_is_refused_at_the_field(team, part, client_for, value):
    a = f"action-{part.pk}-"
    response = client_for(team.ib).post(
        f"/plannen/deel/{part.pk}/actie/",
        {
            a + "description": "Wekker kopen",
            a + "domain": "family",
            a + "owner_name": "moeder",
            a + "due_on": value,
        },
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert ("te ver terug" in page or "te ver vooruit" in page) and "Wekker kopen" in page
    assert not Action.objects.exists()


def test_agreement_dated_long_ago_is_refused(team, part, client_for):
    response = client_for(team.ib).post(
        f"/plannen/{part.plan_id}/akkoord/",
        {"guardian": team.guardian.pk, "agreed_on": "0001-01-01", "note": "op school"},
    )
    page = response.content.decode()
    assert response.status_code == 400 and "te ver terug" in page and "op school" in page
    assert not part.plan.agreements.exists()


def test_pdf_keeps_every_goal_column_on_the_page_with_long_unbroken_words(team, part, client_for):
    target_on = weekday(timezone.localdate() + dt.timedelta(days=40))
    review_on = timezone.localdate() + dt.timedelta(days=20)
    services.add_goal(
        part,
        description="Lang" + "a" * 900,
        criterion="Criterium" + "b" * 300,
        owner_name="Jeugdgezondheidszorgverpleegkundige",
        target_on=target_on,
        review_on=review_on,
        by=team.ib,
        enforce_smart=False,
    )
    services.add_action(
        part,
        description="Actie" + "c" * 900,
        domain="school",
        owner="Jeugdgezondheidszorgverpleegkundige",
        due_on=target_on,
        by=team.ib,
    )
    response = client_for(team.ib).get(f"/plannen/{part.plan_id}/pdf/")
    text = pdf_text(response.content)
    flat = "".join(pdf_text(response.content, layout=False).split())
    for heading in ("Doel", "Wie", "Klaarop", "Besprekenop", "Laatsteevaluatie", "Stand"):
        assert heading in flat, heading
    assert f"{target_on:%-d-%-m-%Y}" in text and f"{review_on:%-d-%-m-%Y}" in text
    assert "nog niet" in text  # the last evaluation column's value
    assert "Jeugdgezondheidszorgverpleegkundige" in flat
    # The long words wrap inside their cell: every letter is on the page, over several lines.
    assert sum(len(run) for run in re.findall("a{5,}", flat)) == 900
    assert sum(len(run) for run in re.findall("c{5,}", flat)) == 900


def test_pdf_keeps_dates_and_words_whole_and_columns_fit_their_content(team, part, client_for):
    review_on = two_digit_date(timezone.localdate() + dt.timedelta(days=20))
    target_on = two_digit_date(review_on)
    while target_on != weekday(target_on):  # a school day, and still the longest date
        target_on = two_digit_date(target_on)
    goal = services.add_goal(
        part,
        description="Anna is op tijd op school en begint uitgerust aan de dag",
        criterion="4 van de 5 dagen voor 8.30 uur in de klas",
        owner_name="Jeugdverpleegkundige",
        target_on=target_on,
        review_on=review_on,
        by=team.ib,
        enforce_smart=False,
    )
    reviewed_on = timezone.localdate()
    services.record_review(goal, progress="partly", reviewed_on=reviewed_on, by=team.ib)
    services.add_action(
        part,
        description="Gesprek met moeder over het ochtendritme",
        domain="school_social_work",
        owner="Schoolcontactpersoon samenwerkingsverband",
        due_on=target_on,
        by=team.ib,
    )
    text = pdf_text(client_for(team.ib).get(f"/plannen/{part.plan_id}/pdf/").content)
    assert text.count(f"{target_on:%-d-%-m-%Y}") == 2 and f"{review_on:%-d-%-m-%Y}" in text
    assert f"({reviewed_on:%-d-%-m-%Y})" in text
    for word in (
        "Bespreken",
        "evaluatie",
        "Jeugdverpleegkundige",
        "Schoolmaatschappelijk",
        "Schoolcontactpersoon",
        "samenwerkingsverband",
    ):
        assert word in text, word
