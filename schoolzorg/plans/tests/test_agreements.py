"""Parents' agreements to the family plan: each parent's is kept (tester P5)."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.utils import timezone

from conftest import pdf_text
from schoolzorg.plans import services
from schoolzorg.plans.models import PlanAgreement
from schoolzorg.pupils.tests.factories import add_guardian

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def _day(d: dt.date) -> str:
    return f"{d.day}-{d.month}-{d.year}"


def _started_days_ago(plan, days):
    """Date the plan's start (and every version so far) `days` back, as if made then."""
    from schoolzorg.plans.models import IntegralPlan, PlanVersion

    at = timezone.now() - dt.timedelta(days=days)
    IntegralPlan.objects.filter(pk=plan.pk).update(created_at=at)
    PlanVersion.objects.filter(plan=plan).update(created_at=at)


@pytest.fixture
def part(team):
    part = services.start_plan(team.pupil, by=team.ib)
    # Started a week ago, so that a parent's agreement of a few days back fits the plan.
    _started_days_ago(part.plan, 7)
    return part


@pytest.fixture
def father(team):
    return add_guardian(team.pupil, full_name="Vader Jansen")


def _agree(client, plan, guardian, on, note="", token=None):
    return client.post(
        f"/plannen/{plan.pk}/akkoord/",
        {
            "form_token": str(token or uuid.uuid4()),
            "guardian": guardian.pk,
            "agreed_on": on.isoformat(),
            "note": note,
        },
    )


def test_the_second_parents_agreement_keeps_the_first(team, part, father, client_for):
    client = client_for(team.ib)
    mother_on, father_on = TODAY(), TODAY() - dt.timedelta(days=1)
    assert _agree(client, part.plan, team.guardian, mother_on, "besproken op school").status_code
    response = _agree(client, part.plan, father, father_on, "vader akkoord per telefoon")
    assert response.status_code == 302

    rows = PlanAgreement.objects.order_by("pk")
    assert [(a.guardian, a.agreed_on, a.note, a.recorded_by) for a in rows] == [
        (team.guardian, mother_on, "besproken op school", team.ib),
        (father, father_on, "vader akkoord per telefoon", team.ib),
    ]
    # Each is for the version its recording made; recording the second changed no text.
    part.plan.refresh_from_db()
    assert [a.plan_version for a in rows] == [part.plan.version - 1, part.plan.version]
    page = client.get(f"/plannen/{part.plan_id}/").content.decode()
    shown = page.split("<dt>Akkoord ouders</dt><dd>")[1].split("</dd>")[0]
    assert f"Moeder Jansen op {_day(mother_on)} (besproken op school)" in shown
    assert f"Vader Jansen op {_day(father_on)} (vader akkoord per telefoon)" in shown
    assert "daarna gewijzigd" not in shown


def test_a_change_after_the_agreements_is_named_on_the_page_section_and_pdf(
    team, part, father, client_for
):
    services.record_agreement(part.plan, guardian=team.guardian, agreed_on=TODAY(), by=team.ib)
    plan = part.plan
    plan.refresh_from_db()
    services.update_plan(
        plan, expected_version=plan.version, by=team.ib, family={"concerns": "Nieuw"}, parts={}
    )
    services.record_agreement(plan, guardian=father, agreed_on=TODAY(), by=team.ib)
    client = client_for(team.ib)

    page = client.get(f"/plannen/{plan.pk}/").content.decode()
    shown = page.split("<dt>Akkoord ouders</dt><dd>")[1].split("</dd>")[0]
    mother, father_part = shown.split(", ")
    assert mother.startswith("Moeder Jansen op") and "het plan is daarna gewijzigd" in mother
    assert father_part.startswith("Vader Jansen op") and "gewijzigd" not in father_part

    section = client.get(f"/leerlingen/{team.pupil.pk}/").content.decode()
    assert (
        f"Akkoord ouders: Moeder Jansen op {_day(TODAY())} (het plan is daarna gewijzigd), "
        f"Vader Jansen op {_day(TODAY())}." in section
    )

    text = " ".join(pdf_text(client.get(f"/plannen/{plan.pk}/pdf/").content).split())
    assert "Moeder Jansen gaf akkoord op" in text and "met een eerdere versie van het plan" in text
    assert "Het plan is daarna gewijzigd" in text
    assert "Vader Jansen gaf akkoord op" in text and "met deze versie van het plan" in text


def test_a_parent_agreeing_again_adds_one_and_the_page_shows_the_latest(team, part, client_for):
    services.record_agreement(
        part.plan, guardian=team.guardian, agreed_on=TODAY() - dt.timedelta(days=3), by=team.ib
    )
    plan = part.plan
    plan.refresh_from_db()
    services.update_plan(
        plan, expected_version=plan.version, by=team.ib, family={"concerns": "Nieuw"}, parts={}
    )
    services.record_agreement(plan, guardian=team.guardian, agreed_on=TODAY(), by=team.ib)

    assert PlanAgreement.objects.filter(guardian=team.guardian).count() == 2
    plan.refresh_from_db()
    [latest] = plan.latest_agreements()
    assert latest.agreed_on == TODAY() and latest.is_current
    page = client_for(team.ib).get(f"/plannen/{plan.pk}/").content.decode()
    shown = page.split("<dt>Akkoord ouders</dt><dd>")[1].split("</dd>")[0]
    assert shown == f"Moeder Jansen op {_day(TODAY())}"


def test_the_same_agreement_form_sent_twice_records_one(team, part, client_for):
    client = client_for(team.ib)
    page = client.get(f"/plannen/{part.plan_id}/").content.decode()
    form = page.split(f'action="/plannen/{part.plan_id}/akkoord/"')[1].split("</form>")[0]
    assert 'type="hidden" name="form_token"' in form
    token = uuid.uuid4()
    first = _agree(client, part.plan, team.guardian, TODAY(), "op school", token)
    part.plan.refresh_from_db()
    version = part.plan.version
    again = _agree(client, part.plan, team.guardian, TODAY(), "op school", token)

    assert first.status_code == again.status_code == 302
    assert PlanAgreement.objects.count() == 1
    part.plan.refresh_from_db()
    assert part.plan.version == version  # no second version either


def test_a_form_token_of_another_plan_is_refused(team, part, client_for, member):
    from schoolzorg.pupils.tests.factories import PupilFactory

    token = uuid.uuid4()
    services.record_agreement(
        part.plan, guardian=team.guardian, agreed_on=TODAY(), by=team.ib, form_token=token
    )
    other = PupilFactory(current_school=team.school)
    other_parent = add_guardian(other, full_name="Ouder Ander")
    other_plan = services.start_plan(other, by=team.ib).plan
    with pytest.raises(services.PlanError, match="al eens verstuurd"):
        services.record_agreement(
            other_plan, guardian=other_parent, agreed_on=TODAY(), by=team.ib, form_token=token
        )
    assert not other_plan.agreements.exists()


def test_only_a_parent_with_authority_can_agree(team, part):
    without = add_guardian(team.pupil, full_name="Stiefvader", has_authority=False)
    with pytest.raises(services.PlanError, match="gezag"):
        services.record_agreement(part.plan, guardian=without, agreed_on=TODAY(), by=team.ib)
    assert not PlanAgreement.objects.exists()


def test_the_versions_page_names_every_parents_agreement(team, part, father, client_for):
    plan = part.plan
    first = plan.version
    services.record_agreement(plan, guardian=team.guardian, agreed_on=TODAY(), by=team.ib)
    services.record_agreement(
        plan, guardian=father, agreed_on=TODAY() - dt.timedelta(days=1), by=team.ib
    )
    plan.refresh_from_db()
    response = client_for(team.ib).get(
        f"/plannen/{plan.pk}/versies/", {"a": first, "b": plan.version}
    )
    assert (
        "Akkoord ouders",
        "",
        f"Moeder Jansen op {_day(TODAY())}, Vader Jansen op {_day(TODAY() - dt.timedelta(days=1))}",
    ) in response.context["diff"]


def test_versions_saved_with_one_agreement_compare_with_the_new_kind():
    old = {"agreed_on": "2026-12-04", "agreed_by": "Joost Soekhai", "parts": []}
    new = {
        "agreements": [
            {"guardian": "Ilona Soekhai", "on": "2026-12-05", "version": 8},
            {"guardian": "Joost Soekhai", "on": "2026-12-04", "version": 7},
        ],
        "parts": [],
    }
    assert services.flatten(old)["Akkoord ouders"] == "Joost Soekhai op 4-12-2026"
    assert (
        services.flatten(new)["Akkoord ouders"]
        == "Ilona Soekhai op 5-12-2026, Joost Soekhai op 4-12-2026"
    )


@pytest.mark.django_db(transaction=True)
def test_migration_moves_the_one_agreement_of_each_plan_over(team):
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    from schoolzorg.pupils.tests.factories import PupilFactory

    other_family = PupilFactory().family_id
    before = [("plans", "0006_review_stop_reason")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    recorded_at = dt.datetime(2026, 12, 4, 10, 0, tzinfo=dt.UTC)
    try:
        apps = executor.loader.project_state(before).apps
        plans = apps.get_model("plans", "IntegralPlan")
        plan = plans.objects.create(
            family_id=team.pupil.family_id,
            created_by_id=team.ib.pk,
            updated_by_id=team.ib.pk,
            version=3,
            agreed_on=dt.date(2026, 12, 4),
            agreed_by_id=team.guardian.pk,
            agreed_version=2,
            agreement_note="per telefoon",
        )
        apps.get_model("plans", "PlanVersion").objects.create(
            plan_id=plan.pk, number=2, created_by_id=team.smw.pk, created_at=recorded_at
        )
        plans.objects.create(family_id=other_family, created_by_id=team.ib.pk)  # none to move
    finally:
        # Back to the newest state of every app, not only to the migration under test: the tests after
        # this one need the migrations that came later (a column added since, say).
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
    [moved] = PlanAgreement.objects.all()
    assert (moved.plan_id, moved.guardian_id, moved.agreed_on, moved.plan_version) == (
        plan.pk,
        team.guardian.pk,
        dt.date(2026, 12, 4),
        2,
    )
    assert (moved.note, moved.recorded_by_id, moved.recorded_at) == (
        "per telefoon",
        team.smw.pk,
        recorded_at,
    )


def test_an_agreement_before_the_plan_started_is_refused_at_the_date(team, part, client_for):
    started = TODAY() - dt.timedelta(days=7)
    client = client_for(team.ib)
    response = _agree(client, part.plan, team.guardian, started - dt.timedelta(days=1))

    assert response.status_code == 400
    page = response.content.decode()
    assert f"Het plan is op {_day(started)} voor het laatst gewijzigd." in page
    assert f"{_day(started)} of later" in page
    form = response.context["agreement_form"]
    assert "agreed_on" in form.errors and not form.non_field_errors()
    assert not PlanAgreement.objects.exists()
    assert _agree(client, part.plan, team.guardian, started).status_code == 302


def test_an_agreement_before_the_latest_change_of_the_text_is_refused(team, part):
    plan = part.plan
    plan.refresh_from_db()
    services.update_plan(
        plan, expected_version=plan.version, by=team.ib, family={"concerns": "Nieuw"}, parts={}
    )
    with pytest.raises(services.PlanFieldError) as refused:
        services.record_agreement(
            plan, guardian=team.guardian, agreed_on=TODAY() - dt.timedelta(days=1), by=team.ib
        )
    assert refused.value.field == "agreed_on"
    # Recording one parent's agreement changes no text: the other parent may agree on the
    # same day as the change, after it was recorded.
    services.record_agreement(plan, guardian=team.guardian, agreed_on=TODAY(), by=team.ib)
    father = add_guardian(team.pupil, full_name="Vader Jansen")
    services.record_agreement(plan, guardian=father, agreed_on=TODAY(), by=team.ib)
    assert PlanAgreement.objects.count() == 2
