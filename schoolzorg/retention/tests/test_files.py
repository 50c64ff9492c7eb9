"""Retention: which file is due when, and what destroying it leaves behind."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.utils import timezone

from schoolzorg.accounts.roles import Role
from schoolzorg.audit.models import AccessLogEntry
from schoolzorg.audit.models import Action as LogAction
from schoolzorg.audit.sealing import seal_all, verify_chain
from schoolzorg.audit.services import record_access
from schoolzorg.cases.models import Case, CaseDocument, CaseEvent
from schoolzorg.cases.tests.factories import CaseFactory, contact
from schoolzorg.consent.models import Consent, Purpose
from schoolzorg.lib.dates import numeric
from schoolzorg.organisations.models import SocialWorkProvider
from schoolzorg.organisations.tests.factories import SchoolFactory, SocialWorkProviderFactory
from schoolzorg.pupils.models import Enrolment, Family, Guardian, Pupil
from schoolzorg.pupils.tests.factories import PupilFactory, add_guardian
from schoolzorg.referrals.models import Referral
from schoolzorg.referrals.tests.factories import make_world, submitted
from schoolzorg.retention import files, services
from schoolzorg.retention.models import (
    DestructionRecord,
    DestructionRequest,
    Reason,
    RetentionPeriod,
)
from schoolzorg.retention.periods import add_years

pytestmark = pytest.mark.django_db

LEFT = dt.date(2024, 7, 12)  # the last school day before the summer


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path)},
        },
    }


def leave_school(pupil: Pupil, on: dt.date = LEFT) -> None:
    Enrolment.objects.filter(pupil=pupil, ended_on__isnull=True).update(ended_on=on)
    Pupil.objects.filter(pk=pupil.pk).update(current_school=None, current_group="")
    pupil.refresh_from_db()


def case_with_document(pupil: Pupil, by: Any) -> tuple[Case, str]:
    case = CaseFactory(pupil=pupil, raised_by=by, school=pupil.current_school)
    name = default_storage.save("cases/2024/01/verslag.txt", ContentFile(b"zorgen over thuis"))
    document = CaseDocument.objects.create(
        case=case,
        file=name,
        original_name="verslag.txt",
        content_type="text/plain",
        size=17,
        uploaded_by=by,
    )
    CaseEvent.objects.create(case=case, kind="document", text="Document", document=document)
    return case, name


@pytest.fixture
def coordinator(member: Any) -> Any:
    return member(Role.SUPPORT_COORDINATOR, SchoolFactory())


# --- Periods ----------------------------------------------------------------------------------


def test_a_school_file_is_due_two_years_after_the_pupil_left_not_a_day_before(coordinator):
    pupil = PupilFactory()
    CaseFactory(pupil=pupil, raised_by=coordinator)
    leave_school(pupil)
    holding = files.read_file(pupil).holdings[pupil.enrolments.get().school_id]
    assert holding.due_on == dt.date(2026, 7, 12)
    assert not holding.is_due(dt.date(2026, 7, 11))
    assert holding.is_due(dt.date(2026, 7, 12))


def test_a_period_counts_from_29_february_to_1_march():
    assert add_years(dt.date(2024, 2, 29), 2) == dt.date(2026, 3, 1)
    assert add_years(dt.date(2024, 2, 29), 4) == dt.date(2028, 2, 29)


def test_an_organisation_sets_its_own_period_and_the_sweep_follows_it(coordinator):
    pupil = PupilFactory()
    CaseFactory(pupil=pupil, raised_by=coordinator)
    school = pupil.current_school
    leave_school(pupil)
    RetentionPeriod.objects.create(organisation=school, years=5)
    assert services.destroy_expired(dt.date(2027, 1, 1)) == 0
    assert Case.objects.filter(pupil=pupil).exists()
    assert services.destroy_expired(dt.date(2029, 7, 12)) > 0
    assert not Pupil.objects.filter(pk=pupil.pk).exists()


@pytest.mark.parametrize(
    ("kind_factory", "years", "message"),
    [
        (SchoolFactory, 0, "minstens 1 jaar"),
        (SchoolFactory, 11, "hoogstens 10 jaar"),
        (SocialWorkProviderFactory, 5, "minstens 20 jaar bewaard (Jeugdwet"),
    ],
)
def test_a_period_outside_its_bounds_is_refused_in_dutch(kind_factory, years, message):
    period = RetentionPeriod(organisation=kind_factory(), years=years)
    with pytest.raises(ValidationError) as refused:
        period.clean()
    assert message in str(refused.value)


# --- The sweep --------------------------------------------------------------------------------


def test_the_sweep_destroys_the_file_due_and_leaves_a_current_pupil_alone(
    coordinator, django_capture_on_commit_callbacks
):
    gone = PupilFactory(first_name="Vertrokken")
    add_guardian(gone, full_name="Moeder Vertrokken")
    _case, stored = case_with_document(gone, coordinator)
    Consent.objects.create(
        pupil=gone,
        purpose=Purpose.DISCUSS_IN_CARE_TEAM,
        is_complete=True,
        given_on=dt.date(2023, 1, 1),
        recorded_by=coordinator,
    )
    leave_school(gone)
    staying = PupilFactory(current_school=gone.enrolments.get().school)
    kept_case = CaseFactory(pupil=staying, raised_by=coordinator)

    with django_capture_on_commit_callbacks(execute=True):
        assert services.destroy_expired(dt.date(2026, 7, 12)) == 2  # school file + pupil row

    assert not Pupil.objects.filter(pk=gone.pk).exists()
    assert not Family.objects.filter(pk=gone.family_id).exists()
    assert not Guardian.objects.filter(full_name="Moeder Vertrokken").exists()
    assert not Consent.objects.filter(pupil_id=gone.pk).exists()
    assert not default_storage.exists(stored)
    assert Case.objects.filter(pk=kept_case.pk).exists()
    assert Pupil.objects.filter(pk=staying.pk).exists()
    school_line = DestructionRecord.objects.get(kind="school")
    assert school_line.reason == Reason.EXPIRED and school_line.by is None
    assert school_line.counts == {
        "casussen": 1,
        "documenten": 1,
        "regels tijdlijn casus": 1,
        "inschrijvingen": 1,
    }
    assert school_line.files_removed == 1
    assert school_line.basis == "Bewaartermijn verstreken: 2 jaar nadat de leerling van school ging"


def test_nothing_is_destroyed_while_the_pupil_is_enrolled(coordinator):
    pupil = PupilFactory()
    CaseFactory(pupil=pupil, raised_by=coordinator, status="closed", outcome="resolved")
    assert services.destroy_expired(dt.date(2040, 1, 1)) == 0
    assert Case.objects.filter(pupil=pupil).exists()


def test_a_pupil_who_moved_school_keeps_the_new_schools_file(coordinator):
    pupil = PupilFactory()
    old_case = CaseFactory(pupil=pupil, raised_by=coordinator)
    old_school = pupil.current_school
    leave_school(pupil)
    new_school = SchoolFactory()
    Enrolment.objects.create(pupil=pupil, school=new_school, started_on=LEFT)
    Pupil.objects.filter(pk=pupil.pk).update(current_school=new_school)
    new_case = CaseFactory(pupil=pupil, raised_by=coordinator, school=new_school)

    services.destroy_expired(dt.date(2026, 8, 1))

    assert not Case.objects.filter(pk=old_case.pk).exists()
    assert not Enrolment.objects.filter(pupil=pupil, school=old_school).exists()
    assert Case.objects.filter(pk=new_case.pk).exists()
    assert Pupil.objects.filter(pk=pupil.pk).exists()


def test_the_neighbourhood_teams_file_outlives_the_schools_and_keeps_the_pupil():
    world = make_world()
    referral = submitted(world, today=dt.date(2024, 3, 4))
    Referral.objects.filter(pk=referral.pk).update(state="closed", ended_on=dt.date(2024, 6, 1))
    school_case = CaseFactory(pupil=world.pupil, raised_by=world.coordinator)
    leave_school(world.pupil)

    services.destroy_expired(dt.date(2026, 8, 1))

    assert not Case.objects.filter(pk=school_case.pk).exists()
    assert Referral.objects.filter(pk=referral.pk).exists()  # the team's file: 20 years
    assert Pupil.objects.filter(pk=world.pupil.pk).exists()
    line = DestructionRecord.objects.get(organisation=world.school)
    assert line.kept_shared == 1  # the referral the team holds too

    services.destroy_expired(dt.date(2044, 6, 1))
    assert not Referral.objects.filter(pk=referral.pk).exists()
    assert not Pupil.objects.filter(pk=world.pupil.pk).exists()
    assert DestructionRecord.objects.filter(organisation=world.team, kind="youth_care").exists()


def test_a_case_with_social_work_contacts_waits_for_the_providers_file():
    world = make_world()
    case = CaseFactory(pupil=world.pupil, raised_by=world.coordinator)
    provider = SocialWorkProvider.objects.get(pk=world.smw.memberships.get().organisation_id)
    contact(case, world.smw, provider, contact_on=dt.date(2024, 5, 1))
    Case.objects.filter(pk=case.pk).update(
        status="closed", outcome="resolved", closed_at=timezone.now().replace(year=2024, month=6)
    )
    leave_school(world.pupil)

    services.destroy_expired(dt.date(2027, 1, 1))
    assert Case.objects.filter(pk=case.pk).exists()

    services.destroy_expired(dt.date(2044, 6, 1))
    assert not Case.objects.filter(pk=case.pk).exists()


def test_a_case_left_open_goes_with_the_providers_file_after_the_schools_went():
    world = make_world()
    case = CaseFactory(pupil=world.pupil, raised_by=world.coordinator)  # never closed
    provider = SocialWorkProvider.objects.get(pk=world.smw.memberships.get().organisation_id)
    contact(case, world.smw, provider, contact_on=dt.date(2024, 5, 1))
    leave_school(world.pupil)

    services.destroy_expired(dt.date(2027, 1, 1))  # the school's file: the enrolment goes
    assert not Enrolment.objects.filter(pupil=world.pupil).exists()
    assert Case.objects.filter(pk=case.pk).exists()  # the provider's file keeps it

    services.destroy_expired(dt.date(2044, 6, 1))  # 20 years after the last contact
    assert not Case.objects.filter(pk=case.pk).exists()
    assert not Pupil.objects.filter(pk=world.pupil.pk).exists()


def test_a_kept_case_no_longer_opens_the_child_to_the_school_whose_file_went():
    from schoolzorg.pupils.access import access_basis

    world = make_world()
    provider = SocialWorkProvider.objects.get(pk=world.smw.memberships.get().organisation_id)
    # Two open cases left behind when the child left: one with the school's coordinator as
    # regisseur, one with the social worker; both with contacts, so the provider's file keeps them.
    school_led = CaseFactory(pupil=world.pupil, raised_by=world.coordinator)
    smw_led = CaseFactory(pupil=world.pupil, raised_by=world.coordinator)
    Case.objects.filter(pk=school_led.pk).update(coordinator=world.coordinator)
    Case.objects.filter(pk=smw_led.pk).update(coordinator=world.smw)
    for case in (school_led, smw_led):
        contact(case, world.smw, provider, contact_on=dt.date(2024, 5, 1))
    leave_school(world.pupil)
    # A regisseur who no longer works at the child's school opens the file only with a consent
    # or legal basis (`consent.relationships.named_cover_q`); there is none here.
    assert access_basis(world.coordinator, world.pupil) is None

    services.destroy_expired(dt.date(2027, 1, 1))
    assert Case.objects.filter(pk__in=[school_led.pk, smw_led.pk]).count() == 2
    school_led.refresh_from_db()
    smw_led.refresh_from_db()
    assert (school_led.coordinator_id, smw_led.coordinator_id) == (None, world.smw.pk)
    assert access_basis(world.coordinator, world.pupil) is None


def _written_in_2024(plan: Any) -> None:
    """The plan as written in May 2024: a parent's agreement cannot be dated before the text
    it agrees to (`plans.services.record_agreement`)."""
    from schoolzorg.plans.models import IntegralPlan, PlanVersion

    at = dt.datetime(2024, 5, 1, 10, 0, tzinfo=dt.UTC)
    IntegralPlan.objects.filter(pk=plan.pk).update(created_at=at)
    PlanVersion.objects.filter(plan_id=plan.pk).update(created_at=at)


def test_a_plan_whose_last_childs_part_goes_goes_too_and_a_brother_starts_afresh(coordinator):
    from schoolzorg.plans import services as plans
    from schoolzorg.plans.models import IntegralPlan, PlanVersion

    bram = PupilFactory(first_name="Bram", date_of_birth=dt.date(2007, 3, 1))
    jesse = PupilFactory(first_name="Jesse", family=bram.family, current_school=bram.current_school)
    father = add_guardian(bram, full_name="Joost de Wit")
    CaseFactory(pupil=bram, raised_by=coordinator)
    part = plans.start_plan(bram, by=coordinator)
    plan = part.plan
    plans.update_plan(
        plan,
        expected_version=plan.version,
        by=coordinator,
        family={"strengths": "Vader kookt elke dag voor Bram"},
        parts={},
    )
    _written_in_2024(plan)
    plans.record_agreement(plan, guardian=father, agreed_on=dt.date(2024, 6, 1), by=coordinator)
    leave_school(bram)

    services.destroy_expired(dt.date(2026, 8, 1))

    assert not Pupil.objects.filter(pk=bram.pk).exists()
    assert not IntegralPlan.objects.filter(pk=plan.pk).exists()
    assert not PlanVersion.objects.filter(plan_id=plan.pk).exists()
    assert not Guardian.objects.filter(full_name="Joost de Wit").exists()
    line = DestructionRecord.objects.get(kind="pupil")
    assert line.counts["integrale plannen"] == 1 and line.counts["versies van het plan"] == 3
    assert line.counts["akkoorden van ouders op het plan"] == 1

    fresh = plans.start_plan(jesse, by=coordinator).plan
    assert fresh.pk != plan.pk and fresh.version == 1
    assert fresh.strengths == "" and not fresh.agreements.exists()
    assert list(fresh.versions.values_list("number", flat=True)) == [1]


def test_a_family_plan_stays_while_a_brother_or_sister_has_a_part(coordinator):
    from schoolzorg.plans import services as plans
    from schoolzorg.plans.models import IntegralPlan

    bram = PupilFactory(first_name="Bram", date_of_birth=dt.date(2007, 3, 1))
    jesse = PupilFactory(first_name="Jesse", family=bram.family, current_school=bram.current_school)
    # Parents of Bram only (tester P5): both who agreed to the family plan stay with it.
    father = add_guardian(bram, full_name="Joost de Wit")
    mother = add_guardian(bram, full_name="Ilona de Wit")
    add_guardian(bram, full_name="Sanne Bos")
    CaseFactory(pupil=bram, raised_by=coordinator)
    plan = plans.start_plan(bram, by=coordinator).plan
    plans.start_plan(jesse, by=coordinator)
    _written_in_2024(plan)
    plans.record_agreement(plan, guardian=father, agreed_on=dt.date(2024, 6, 1), by=coordinator)
    plans.record_agreement(plan, guardian=mother, agreed_on=dt.date(2024, 6, 2), by=coordinator)
    leave_school(bram)

    services.destroy_expired(dt.date(2026, 8, 1))

    assert not Pupil.objects.filter(pk=bram.pk).exists()
    assert list(IntegralPlan.objects.get(pk=plan.pk).parts.values_list("pupil_id", flat=True)) == [
        jesse.pk
    ]
    assert set(
        Guardian.objects.filter(family=jesse.family).values_list("full_name", flat=True)
    ) == {
        "Joost de Wit",
        "Ilona de Wit",
    }


def test_each_register_line_counts_the_files_of_its_own_records_once(
    django_capture_on_commit_callbacks,
):
    world = make_world()
    case, stored = case_with_document(world.pupil, world.coordinator)
    provider = SocialWorkProvider.objects.get(pk=world.smw.memberships.get().organisation_id)
    contact(case, world.smw, provider, contact_on=dt.date(2024, 5, 1))
    Case.objects.filter(pk=case.pk).update(
        status="closed", outcome="resolved", closed_at=timezone.now().replace(year=2024, month=6)
    )
    form = default_storage.save("consent/2024/formulier.pdf", ContentFile(b"%PDF handtekening"))
    Consent.objects.filter(pupil=world.pupil, purpose=Purpose.SHARE_WITH_NEIGHBOURHOOD_TEAM).update(
        evidence_file=form
    )
    leave_school(world.pupil)

    with django_capture_on_commit_callbacks(execute=True):
        services.destroy_expired(dt.date(2044, 6, 1))  # school and provider due together

    assert not default_storage.exists(stored) and not default_storage.exists(form)
    school = DestructionRecord.objects.get(organisation=world.school, kind="school")
    smw = DestructionRecord.objects.get(organisation=provider, kind="youth_care")
    shared = DestructionRecord.objects.get(kind="pupil")
    # The case (with its document) was in both files: counted, with its file, in each.
    assert school.counts["documenten"] == smw.counts["documenten"] == 1
    assert school.files_removed == smw.files_removed == 1
    # The line of what all files shared counts only what it wiped itself: the consent form.
    assert shared.files_removed == 1
    assert "files" not in school.counts and "files" not in smw.counts


def test_a_request_does_not_count_the_enrolment_it_leaves_as_kept_shared(client_for):
    world = make_world()
    submitted(world, today=dt.date(2026, 3, 2))  # held by the school and the team
    CaseFactory(pupil=world.pupil, raised_by=world.coordinator)
    request = services.record_request(
        world.pupil,
        world.school,
        requester="guardian",
        received_on=dt.date(2026, 3, 3),
        note="",
        by=world.coordinator,
        form_token=__import__("uuid").uuid4(),
    )
    page = client_for(world.coordinator).get(f"/bewaartermijnen/verzoek/{request.pk}/vernietigen/")
    assert "1 stuk blijft bewaard" in page.content.decode()

    services.carry_out_request(request, by=world.coordinator)

    line = DestructionRecord.objects.get(request=request, kind="school")
    assert line.kept_shared == 1  # the referral, not the enrolment
    assert Enrolment.objects.filter(pupil=world.pupil, ended_on__isnull=True).exists()


def test_an_open_request_whose_file_the_sweep_destroyed_lapses_distinct_from_carried_out(
    coordinator,
):
    pupil = PupilFactory()
    CaseFactory(pupil=pupil, raised_by=coordinator)
    request = DestructionRequest.objects.create(
        pupil=pupil,
        organisation=pupil.current_school,
        kind="school",
        requester="guardian",
        received_on=dt.date(2024, 7, 1),
        recorded_by=coordinator,
    )
    leave_school(pupil)

    services.destroy_expired(dt.date(2026, 8, 1))

    request.refresh_from_db()
    assert request.state == "lapsed" and request.pupil_id is None
    assert request.get_state_display() == "Vervallen: het dossier is al vernietigd"
    assert request.decided_by is None
    assert not DestructionRecord.objects.filter(request=request).exists()


def test_a_second_sweep_finds_nothing_to_do(coordinator):
    pupil = PupilFactory()
    CaseFactory(pupil=pupil, raised_by=coordinator)
    leave_school(pupil)
    day = dt.date(2026, 8, 1)
    assert services.destroy_expired(day) > 0
    assert services.destroy_expired(day) == 0
    assert services.destroy_due_for_pupil(pupil.pk, day) == 0


def test_the_register_names_no_child(coordinator):
    pupil = PupilFactory(first_name="Zonnebloem", last_name="Vergeetmijniet")
    CaseFactory(pupil=pupil, raised_by=coordinator)
    leave_school(pupil)
    services.destroy_expired(dt.date(2026, 8, 1))
    lines = list(DestructionRecord.objects.values())
    assert lines
    text = repr(lines)
    for secret in (
        "Zonnebloem",
        "Vergeetmijniet",
        str(pupil.date_of_birth),
        numeric(pupil.date_of_birth),
        str(LEFT),
        numeric(LEFT),
    ):
        assert secret not in text
    assert not any("pupil" in key for key in lines[0])


def test_the_read_log_stays_and_its_chain_still_verifies(coordinator, member):
    pupil = PupilFactory()
    CaseFactory(pupil=pupil, raised_by=coordinator)
    for _ in range(3):
        record_access(None, action=LogAction.VIEW, pupil_id=pupil.pk, basis=None, user=coordinator)
    seal_all(now=timezone.now() + dt.timedelta(hours=1))
    before = list(AccessLogEntry.objects.filter(pupil_id=pupil.pk).values())
    leave_school(pupil)

    services.destroy_expired(dt.date(2026, 8, 1))

    assert not Pupil.objects.filter(pk=pupil.pk).exists()
    assert list(AccessLogEntry.objects.filter(pupil_id=pupil.pk).values()) == before
    result = verify_chain()
    assert result.ok, result.problems
    call_command("verify_access_log")


def test_the_change_history_of_destroyed_rows_goes_and_no_deletion_is_recorded(coordinator):
    pupil = PupilFactory(first_name="Geschiedenis")
    pupil.last_name = "Verhuisd"
    pupil.save()
    assert LogEntry.objects.filter(object_repr__contains="Geschiedenis").exists()
    leave_school(pupil)

    services.destroy_expired(dt.date(2026, 8, 1))

    assert not LogEntry.objects.filter(object_repr__contains="Geschiedenis").exists()
    assert not LogEntry.objects.filter(changes__icontains="Geschiedenis").exists()


def test_the_command_shows_counts_without_names_and_destroys_only_when_asked(
    coordinator, capsys, time_machine
):
    pupil = PupilFactory(first_name="Klaproos")
    CaseFactory(pupil=pupil, raised_by=coordinator)
    leave_school(pupil)
    time_machine.move_to(dt.datetime(2026, 8, 1, 3, 0, tzinfo=dt.UTC))

    call_command("retention")
    out = capsys.readouterr().out
    assert "dossiers over 1 leerling" in out and "Schooldossier: 1" in out
    assert "Klaproos" not in out
    assert "niets vernietigd" in out
    assert Pupil.objects.filter(pk=pupil.pk).exists()

    call_command("retention", "--uitvoeren")
    assert "Vernietigd." in capsys.readouterr().out
    assert not Pupil.objects.filter(pk=pupil.pk).exists()


# --- Requests ---------------------------------------------------------------------------------


def test_a_pupil_of_11_cannot_ask_but_a_pupil_of_12_can(coordinator):
    pupil = PupilFactory(date_of_birth=dt.date(2014, 9, 1))
    with pytest.raises(services.RequestRefused, match="vanaf 12 jaar"):
        services.check_requester(pupil, "pupil", dt.date(2026, 8, 31))
    services.check_requester(pupil, "pupil", dt.date(2026, 9, 1))


def test_from_16_the_pupil_decides_alone():
    pupil = PupilFactory(date_of_birth=dt.date(2010, 1, 1))
    with pytest.raises(services.RequestRefused, match="Vanaf 16 jaar"):
        services.check_requester(pupil, "guardian", dt.date(2026, 1, 1))


def test_carrying_out_a_request_destroys_the_care_file_but_the_child_stays_enrolled(
    coordinator, django_capture_on_commit_callbacks
):
    pupil = PupilFactory()
    _case, stored = case_with_document(pupil, coordinator)
    request = services.record_request(
        pupil,
        pupil.current_school,
        requester="guardian",
        received_on=dt.date.today(),
        note="Per brief",
        by=coordinator,
        form_token=__import__("uuid").uuid4(),
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.carry_out_request(request, by=coordinator)

    assert not Case.objects.filter(pupil=pupil).exists()
    assert not default_storage.exists(stored)
    assert Enrolment.objects.filter(pupil=pupil, ended_on__isnull=True).exists()
    request.refresh_from_db()
    assert request.state == "carried_out" and request.pupil_id is None
    line = DestructionRecord.objects.get(request=request, kind="school")
    assert line.by == coordinator and "AVG, artikel 17" in line.basis
    with pytest.raises(services.RequestRefused):
        services.carry_out_request(request, by=coordinator)


def test_a_refusal_needs_a_reason_and_keeps_the_file(coordinator):
    pupil = PupilFactory()
    CaseFactory(pupil=pupil, raised_by=coordinator)
    request = DestructionRequest.objects.create(
        pupil=pupil,
        organisation=pupil.current_school,
        kind="school",
        requester="guardian",
        received_on=dt.date.today(),
        recorded_by=coordinator,
    )
    with pytest.raises(services.RequestRefused):
        services.refuse_request(request, reason="  ", by=coordinator)
    services.refuse_request(request, reason="Van belang voor een broertje", by=coordinator)
    request.refresh_from_db()
    assert request.state == "refused"
    assert Case.objects.filter(pupil=pupil).exists()


def test_the_team_leader_answers_for_the_teams_file_and_a_shared_referral_stays():
    from schoolzorg.retention.policies import file_holder_for

    world = make_world()
    assert file_holder_for(world.leader, world.pupil) is None  # nothing reached the team yet
    referral = submitted(world, today=dt.date(2026, 3, 2))
    assert file_holder_for(world.leader, world.pupil).pk == world.team.pk
    assert file_holder_for(world.other_worker, world.pupil) is None
    request = services.record_request(
        world.pupil,
        world.team,
        requester="guardian",
        received_on=dt.date(2026, 3, 3),
        note="",
        by=world.leader,
        form_token=__import__("uuid").uuid4(),
    )
    assert "Jeugdwet, artikel 7.3.9" in request.basis
    [line] = services.carry_out_request(request, by=world.leader)
    # The referral is the school's document too: it stays until the school's file goes.
    assert Referral.objects.filter(pk=referral.pk).exists()
    assert line.records == 0 and line.kept_shared == 1


def test_the_migration_strips_the_childs_leaving_date_from_old_register_lines(coordinator):
    from importlib import import_module

    from django.apps import apps

    migration = import_module(
        "schoolzorg.retention.migrations.0003_register_basis_without_child_date"
    )
    pupil = PupilFactory()
    CaseFactory(pupil=pupil, raised_by=coordinator)
    leave_school(pupil)
    services.destroy_expired(dt.date(2026, 8, 1))
    line = DestructionRecord.objects.get(kind="school")
    DestructionRecord.objects.filter(pk=line.pk).update(basis=line.basis + " (geëindigd 12-7-2024)")
    migration.strip_child_dates(apps, None)
    line.refresh_from_db()
    assert line.basis == "Bewaartermijn verstreken: 2 jaar nadat de leerling van school ging"
