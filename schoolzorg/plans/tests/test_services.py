from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from conftest import weekday
from schoolzorg.cases import services as case_services
from schoolzorg.plans import services
from schoolzorg.plans.models import ActionStatus, GoalStatus, IntegralPlan, PlanVersion
from schoolzorg.pupils.models import Pupil
from schoolzorg.pupils.tests.factories import PupilFactory

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 3, 2)


def _smart(**overrides):
    values = dict(
        description="Sam gaat met plezier naar school",
        criterion="is 4 van de 5 dagen op tijd",
        owner=object(),
        owner_name="",
        target_on=TODAY + dt.timedelta(days=60),
        review_on=TODAY + dt.timedelta(days=30),
        today=TODAY,
    )
    values.update(overrides)
    return services.smart_problems(**values)


def test_a_smart_goal_has_no_problems():
    assert _smart() == {}


@pytest.mark.parametrize(
    ("overrides", "field", "words"),
    [
        ({"description": "beter"}, "description", "Specifiek"),
        ({"criterion": ""}, "criterion", "Meetbaar"),
        ({"criterion": "beter gedrag"}, "criterion", "aantal"),
        ({"owner": None}, "owner", "eigenaar"),
        ({"target_on": None}, "target_on", "Tijdgebonden"),
        ({"target_on": TODAY, "review_on": TODAY}, "target_on", "toekomst"),
        ({"review_on": None}, "review_on", "evaluatiedatum"),
        ({"review_on": TODAY + dt.timedelta(days=90)}, "review_on", "uiterlijk"),
    ],
)
def test_smart_check_says_exactly_what_is_missing(overrides, field, words):
    problems = _smart(**overrides)
    assert list(problems) == [field]
    assert words in problems[field]


def test_family_member_can_own_a_goal():
    assert _smart(owner=None, owner_name="moeder") == {}


def test_start_plan_one_plan_per_family_with_a_part_per_child(team):
    sibling = PupilFactory(family=team.pupil.family, current_school=team.school)
    part = services.start_plan(team.pupil, by=team.ib)
    part2 = services.start_plan(sibling, by=team.ib)
    assert part.plan_id == part2.plan_id
    assert IntegralPlan.objects.count() == 1
    assert services.start_plan(team.pupil, by=team.ib) == part
    assert list(PlanVersion.objects.values_list("number", flat=True).order_by("number")) == [1, 2]


def test_update_plan_with_stale_version_is_refused_and_changes_nothing(team):
    part = services.start_plan(team.pupil, by=team.ib)
    plan = part.plan
    v = plan.version
    services.update_plan(
        plan, expected_version=v, by=team.ib, family={"strengths": "Eerste"}, parts={}
    )
    with pytest.raises(services.PlanConflict, match="staat nog in het formulier"):
        services.update_plan(
            plan, expected_version=v, by=team.smw, family={"strengths": "Tweede"}, parts={}
        )
    plan.refresh_from_db()
    assert plan.strengths == "Eerste"


def test_every_save_creates_a_version_and_versions_compare(team):
    part = services.start_plan(team.pupil, by=team.ib)
    plan = part.plan
    services.update_plan(
        plan,
        expected_version=plan.version,
        by=team.ib,
        family={"concerns": "Geldzorgen"},
        parts={part.pk: {"support_needs": "Rust"}},
    )
    v_a = plan.versions.get(number=plan.version)
    services.add_goal(
        part,
        description="Sam slaapt beter en is uitgerust",
        criterion="5 nachten per week voor 21 uur in bed",
        owner=team.ib,
        target_on=timezone.localdate() + dt.timedelta(days=60),
        review_on=timezone.localdate() + dt.timedelta(days=30),
        by=team.ib,
    )
    services.update_plan(
        plan,
        expected_version=plan.version,
        by=team.smw,
        family={"concerns": "Geldzorgen en verhuizing"},
        parts={},
    )
    v_b = plan.versions.get(number=plan.version)
    diff = services.compare_versions(v_a, v_b)
    labels = {label: (old, new) for label, old, new in diff}
    assert labels["Belangrijkste zorgen"] == ("Geldzorgen", "Geldzorgen en verhuizing")
    assert labels[f"{team.pupil.first_name}: doel 1, doel"] == (
        "",
        "Sam slaapt beter en is uitgerust",
    )
    assert f"{team.pupil.first_name}: ondersteuningsbehoefte" not in labels
    assert v_b.created_by == team.smw


def test_add_goal_refuses_a_goal_that_is_not_smart(team):
    part = services.start_plan(team.pupil, by=team.ib)
    with pytest.raises(services.PlanError, match="Meetbaar"):
        services.add_goal(
            part,
            description="Beter gedrag in de klas",
            criterion="",
            owner=team.ib,
            target_on=timezone.localdate() + dt.timedelta(days=30),
            review_on=timezone.localdate() + dt.timedelta(days=10),
            by=team.ib,
        )


def test_add_action_for_meetings_with_user_or_family_owner(team):
    part = services.start_plan(team.pupil, by=team.ib)
    case = case_services.register_concern(
        team.pupil, category="absence", description="Laat.", by=team.ib
    )
    due = weekday(timezone.localdate() + dt.timedelta(days=14))
    a1 = services.add_action(
        part,
        description="Huisbezoek",
        domain="school_social_work",
        owner=team.smw,
        due_on=due,
        by=team.ib,
        source="Overleg 12-03",
    )
    a2 = services.add_action(
        part, description="Wekker zetten", domain="family", owner="moeder", due_on=due, by=team.ib
    )
    assert (a1.owner, a1.source, a2.owner_name) == (team.smw, "Overleg 12-03", "moeder")
    assert case.events.filter(kind="plan_change").count() >= 2
    with pytest.raises(services.PlanError, match="wie"):
        services.add_action(
            part, description="x", domain="family", owner="  ", due_on=due, by=team.ib
        )
    with pytest.raises(services.PlanError, match="aan zet"):
        services.add_action(
            part, description="x", domain="bogus", owner="moeder", due_on=due, by=team.ib
        )


def test_action_owner_sees_the_pupil_through_the_plan(team, member):
    from schoolzorg.accounts.roles import Role
    from schoolzorg.organisations.tests.factories import NeighbourhoodTeamFactory

    worker = member(Role.NEIGHBOURHOOD_TEAM_WORKER, NeighbourhoodTeamFactory())
    part = services.start_plan(team.pupil, by=team.ib)
    action = services.add_action(
        part,
        description="Intake",
        domain="neighbourhood_team",
        owner=worker,
        due_on=weekday(timezone.localdate() + dt.timedelta(days=7)),
        by=team.ib,
    )
    # From outside the school: only with a consent to discuss the child in the care team.
    assert not Pupil.objects.visible_to(worker).exists()
    from schoolzorg.consent.models import Purpose
    from schoolzorg.consent.services import record_consent

    record_consent(
        team.pupil,
        purpose=Purpose.DISCUSS_IN_CARE_TEAM,
        given_on=timezone.localdate(),
        guardians=[team.guardian],
        evidence_note="mondeling",
        by=team.ib,
    )
    assert list(Pupil.objects.visible_to(worker)) == [team.pupil]
    assert IntegralPlan.objects.visible_to(worker).get() == part.plan
    services.set_action_status(action, to=ActionStatus.DONE, by=worker)
    assert not Pupil.objects.visible_to(worker).exists()


def test_stale_action_status_is_refused(team):
    part = services.start_plan(team.pupil, by=team.ib)
    action = services.add_action(
        part,
        description="Intake",
        domain="school",
        owner=team.ib,
        due_on=weekday(timezone.localdate()),
        by=team.ib,
    )
    services.set_action_status(action, to=ActionStatus.IN_PROGRESS, by=team.ib)
    with pytest.raises(services.PlanConflict):
        services.set_action_status(
            action, to=ActionStatus.DONE, expected=ActionStatus.PLANNED, by=team.ib
        )


def test_review_fully_reached_closes_the_goal(team):
    part = services.start_plan(team.pupil, by=team.ib)
    goal = services.add_goal(
        part,
        description="Sam heeft twee vriendjes",
        criterion="speelt 3 pauzes per week met anderen",
        owner=team.ib,
        target_on=timezone.localdate() + dt.timedelta(days=60),
        review_on=timezone.localdate() + dt.timedelta(days=30),
        by=team.ib,
    )
    services.record_review(
        goal,
        progress="partly",
        score=3,
        by=team.ib,
        next_review_on=timezone.localdate() + dt.timedelta(days=20),
    )
    assert goal.status == GoalStatus.OPEN and goal.review_on == timezone.localdate() + dt.timedelta(
        days=20
    )
    services.record_review(goal, progress="fully", by=team.ib)
    assert goal.status == GoalStatus.REACHED
    with pytest.raises(services.PlanError):
        services.record_review(goal, progress="fully", score=9, by=team.ib)


def test_a_review_form_token_used_for_another_goal_is_refused(team):
    import uuid

    part = services.start_plan(team.pupil, by=team.ib)
    first, second = (
        services.add_goal(part, description=text, criterion="x", by=team.ib, enforce_smart=False)
        for text in ("Sam komt op tijd", "Sam speelt buiten")
    )
    token = uuid.uuid4()
    services.record_review(first, progress="fully", by=team.ib, form_token=token)
    with pytest.raises(services.PlanError, match="al eens verstuurd"):
        services.record_review(second, progress="fully", by=team.ib, form_token=token)
    second.refresh_from_db()
    assert second.status == GoalStatus.OPEN and not second.reviews.exists()


def test_agreement_belongs_to_a_guardian_of_the_family(team):
    from schoolzorg.pupils.tests.factories import GuardianFactory

    part = services.start_plan(team.pupil, by=team.ib)
    plan = part.plan
    services.record_agreement(
        plan, guardian=team.guardian, agreed_on=timezone.localdate(), by=team.ib
    )
    plan.refresh_from_db()
    [agreement] = plan.latest_agreements()
    assert agreement.guardian == team.guardian and agreement.is_current
    services.update_plan(
        plan, expected_version=plan.version, by=team.ib, family={"strengths": "x"}, parts={}
    )
    plan.refresh_from_db()
    assert not plan.latest_agreements()[0].is_current
    with pytest.raises(services.PlanError, match="gezin"):
        services.record_agreement(
            plan, guardian=GuardianFactory(), agreed_on=timezone.localdate(), by=team.ib
        )


def test_saving_the_text_unchanged_makes_no_version_and_tells_no_case(team, client_for):
    """Tester X (stop 28): "Plan opslaan" without a change made a new version and a line on
    every child's case each time."""
    part = services.start_plan(team.pupil, by=team.ib)
    plan = part.plan
    services.update_plan(
        plan,
        expected_version=plan.version,
        by=team.ib,
        family={"strengths": "Oma helpt."},
        parts={part.pk: {"concerns": "Slaapt slecht."}},
    )
    plan.refresh_from_db()
    before = (plan.version, plan.versions.count())
    again = services.update_plan(
        plan,
        expected_version=plan.version,
        by=team.ib,
        family={"strengths": " Oma helpt. "},
        parts={part.pk: {"concerns": "Slaapt slecht."}},
    )
    plan.refresh_from_db()
    assert again is None and (plan.version, plan.versions.count()) == before
    changed = services.update_plan(
        plan,
        expected_version=plan.version,
        by=team.ib,
        family={},
        parts={part.pk: {"concerns": "Slaapt beter."}},
    )
    assert changed is not None and changed.number == before[0] + 1
