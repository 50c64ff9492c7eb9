from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command

from schoolzorg.lib.periodic import sweeps
from schoolzorg.organisations.tests.factories import SchoolFactory
from schoolzorg.pupils.models import Enrolment
from schoolzorg.pupils.tests.factories import PupilFactory
from schoolzorg.reports.models import FigureRefresh, MonthlySchoolFigure
from schoolzorg.reports.services import refresh_figures
from schoolzorg.reports.sources import window

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 15)


def _snapshot() -> list[tuple]:
    return sorted(
        MonthlySchoolFigure.objects.values_list("school_id", "month", "pupils", "consents_given")
    )


def test_refresh_is_idempotent() -> None:
    school = SchoolFactory()
    for _ in range(6):
        PupilFactory(current_school=school)
    first = refresh_figures(today=TODAY)
    before = _snapshot()
    second = refresh_figures(today=TODAY)
    assert _snapshot() == before
    assert first.school_rows == second.school_rows == 12
    assert FigureRefresh.objects.get(pk=1).refreshed_at is not None


def test_enrolment_history_counts_pupils_at_month_end() -> None:
    school = SchoolFactory()
    pupils = [PupilFactory(current_school=school) for _ in range(6)]
    Enrolment.objects.filter(pupil=pupils[0]).update(ended_on=dt.date(2026, 9, 10))
    Enrolment.objects.filter(pupil=pupils[1]).update(started_on=dt.date(2026, 10, 1))
    refresh_figures(today=TODAY)
    by_month = dict(
        MonthlySchoolFigure.objects.filter(school=school).values_list("month", "pupils")
    )
    assert by_month[dt.date(2026, 8, 1)] == 5  # pupil 1 not yet there
    assert by_month[dt.date(2026, 9, 1)] == 4  # pupil 0 left in September
    assert by_month[dt.date(2026, 10, 1)] == 5
    assert by_month[dt.date(2026, 11, 1)] == 5


def test_refresh_replaces_old_rows_after_data_goes() -> None:
    school = SchoolFactory()
    pupil = PupilFactory(current_school=school)
    refresh_figures(today=TODAY)
    assert MonthlySchoolFigure.objects.filter(school=school).exists()
    Enrolment.objects.filter(pupil=pupil).delete()
    refresh_figures(today=TODAY)
    assert not MonthlySchoolFigure.objects.filter(school=school).exists()


def test_command_and_periodic_registration() -> None:
    call_command("refresh_figures", "--months", "3")
    assert "refresh-figures" in {s.name for s in sweeps()}
    assert next(s for s in sweeps() if s.name == "refresh-figures").every_seconds == 600


@pytest.mark.parametrize("months", ["0", "-5"])
def test_command_refuses_no_months_in_dutch(months: str) -> None:
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match=f"--months {months} kan niet: geef 1 of meer"):
        call_command("refresh_figures", "--months", months)


def test_window_crosses_the_year() -> None:
    assert window(dt.date(2026, 2, 3), 3) == [
        dt.date(2025, 12, 1),
        dt.date(2026, 1, 1),
        dt.date(2026, 2, 1),
    ]


def test_cases_count_as_help_requests_and_care_with_consent(member) -> None:
    from django.utils import timezone

    from schoolzorg.accounts.roles import Role
    from schoolzorg.cases.models import Case
    from schoolzorg.consent.models import Consent, Purpose

    school = SchoolFactory()
    coordinator = member(Role.SUPPORT_COORDINATOR, school)
    pupils = [PupilFactory(current_school=school) for _ in range(3)]
    opened = timezone.make_aware(dt.datetime(2026, 10, 5, 10, 0))
    for pupil in pupils:
        Case.objects.create(
            pupil=pupil,
            school=school,
            category=Case._meta.get_field("category").choices[0][0],
            description="zorg",
            raised_by=coordinator,
            opened_at=opened,
        )
    Consent.objects.create(
        pupil=pupils[0],
        purpose=Purpose.DISCUSS_IN_CARE_TEAM,
        is_complete=True,
        given_on=dt.date(2026, 10, 1),
        recorded_by=coordinator,
    )
    refresh_figures(today=TODAY)
    row = MonthlySchoolFigure.objects.get(school=school, month=dt.date(2026, 10, 1))
    assert (row.cases_opened, row.help_requests) == (3, 3)
    assert (row.pupils_in_care, row.pupils_in_care_with_consent) == (3, 1)
    assert row.pupils_with_consent == 1
    september = MonthlySchoolFigure.objects.get(school=school, month=dt.date(2026, 9, 1))
    assert september.pupils_in_care == 0


def test_a_consultation_turned_into_a_case_is_one_help_request(member) -> None:
    from django.utils import timezone

    from schoolzorg.accounts.roles import Role
    from schoolzorg.cases.models import AnonymousConsultation, Case

    school = SchoolFactory()
    coordinator = member(Role.SUPPORT_COORDINATOR, school)
    category = Case._meta.get_field("category").choices[0][0]
    consultation = AnonymousConsultation.objects.create(
        school=school,
        category=category,
        summary="zorg",
        held_on=dt.date(2026, 9, 20),
        participants="IB-er, SMW",
        recorded_by=coordinator,
    )
    for source in (consultation, None):
        Case.objects.create(
            pupil=PupilFactory(current_school=school),
            school=school,
            category=category,
            description="zorg",
            raised_by=coordinator,
            opened_at=timezone.make_aware(dt.datetime(2026, 10, 5, 10, 0)),
            from_consultation=source,
        )
    refresh_figures(today=TODAY)
    rows = {
        r.month: (r.help_requests, r.cases_opened)
        for r in MonthlySchoolFigure.objects.filter(school=school)
    }
    assert rows[dt.date(2026, 9, 1)] == (1, 0)  # the consultation
    assert rows[dt.date(2026, 10, 1)] == (1, 2)  # only the case that came from nowhere else


def test_referrals_give_team_figures_lead_times_and_escalations() -> None:
    from schoolzorg.referrals import services as referral_services
    from schoolzorg.referrals.tests.factories import make_world, submitted
    from schoolzorg.reports.models import (
        MonthlyEscalationFigure,
        MonthlyLeadTimeFigure,
        MonthlyReferralFigure,
    )

    world = make_world()
    referral = submitted(world, today=dt.date(2026, 3, 2))
    referral_services.acknowledge_referral(referral, by=world.worker, today=dt.date(2026, 3, 3))
    referral_services.escalate_referral(referral, by=world.smw, reason="waiting_list", note="w")
    refresh_figures(today=max(dt.date.today(), dt.date(2026, 11, 1)))

    team_row = MonthlyReferralFigure.objects.get(month=dt.date(2026, 3, 1))
    assert team_row.team_name == "Wijkteam Oost"
    assert team_row.referrals == 1
    step = MonthlyLeadTimeFigure.objects.get(step="acknowledge")
    assert (step.referrals, step.median_days, step.month) == (1, 1.0, dt.date(2026, 3, 1))
    assert MonthlyEscalationFigure.objects.get(reason="waiting_list").escalations == 1


def _consent(pupil, by, given_on, **kwargs):
    from schoolzorg.consent.models import Consent, Purpose

    return Consent.objects.create(
        pupil=pupil,
        purpose=Purpose.DISCUSS_IN_CARE_TEAM,
        is_complete=True,
        given_on=given_on,
        recorded_by=by,
        **kwargs,
    )


def _by_month(school, field: str) -> dict[dt.date, int]:
    return dict(MonthlySchoolFigure.objects.filter(school=school).values_list("month", field))


def test_a_consent_counts_at_the_school_the_pupil_was_at_when_it_was_given(member) -> None:
    """A move does not rewrite the old school's past: consents given in June and September at
    De Regenboog stay there after the pupil changes to De Notenkraker in November."""
    from schoolzorg.accounts.roles import Role
    from schoolzorg.pupils.services import enrol_pupil

    regenboog, notenkraker = SchoolFactory(name="De Regenboog"), SchoolFactory(name="Notenkraker")
    coordinator = member(Role.SUPPORT_COORDINATOR, regenboog)
    pupil = PupilFactory(current_school=regenboog)
    _consent(pupil, coordinator, dt.date(2026, 6, 6), valid_until=dt.date(2026, 9, 1))
    _consent(pupil, coordinator, dt.date(2026, 9, 23))
    enrol_pupil(pupil, notenkraker, on=dt.date(2026, 11, 2))
    refresh_figures(today=TODAY)

    given_old, given_new = (
        _by_month(regenboog, "consents_given"),
        _by_month(notenkraker, "consents_given"),
    )
    assert given_old[dt.date(2026, 6, 1)] == given_old[dt.date(2026, 9, 1)] == 1
    assert sum(given_new.values()) == 0
    # The stock: with consent at De Regenboog from June to October (the first consent until
    # 1 September, the second from the 23rd), at De Notenkraker from November.
    with_old = _by_month(regenboog, "pupils_with_consent")
    with_new = _by_month(notenkraker, "pupils_with_consent")
    june_to_october = [dt.date(2026, m, 1) for m in range(6, 11)]
    assert [with_old[m] for m in june_to_october] == [1] * 5
    assert with_old.get(dt.date(2026, 11, 1), 0) == 0
    assert [with_new.get(m, 0) for m in june_to_october] == [0] * 5
    assert with_new[dt.date(2026, 11, 1)] == 1


def test_a_consent_from_before_the_first_enrolment_counts_at_the_next_school(member) -> None:
    """A school that starts with Schoolzorg imports its pupils from that day on; a consent form
    signed before it counts for that school, not for none."""
    from schoolzorg.accounts.roles import Role
    from schoolzorg.pupils.models import Enrolment

    school = SchoolFactory()
    pupil = PupilFactory(current_school=school)
    Enrolment.objects.filter(pupil=pupil).update(started_on=dt.date(2026, 8, 1))
    _consent(pupil, member(Role.SUPPORT_COORDINATOR, school), dt.date(2026, 6, 20))
    refresh_figures(today=TODAY)
    assert _by_month(school, "consents_given")[dt.date(2026, 6, 1)] == 1


def test_the_running_month_counts_its_stocks_today(member) -> None:
    """On 15 November: a consent that expires on the 20th is still in force, and a pupil who
    starts on the 20th is not there yet. Counting on the 30th would say the opposite."""
    from django.utils import timezone

    from schoolzorg.accounts.roles import Role
    from schoolzorg.cases.models import Case

    school = SchoolFactory()
    coordinator = member(Role.SUPPORT_COORDINATOR, school)
    pupils = [PupilFactory(current_school=school) for _ in range(3)]
    Enrolment.objects.filter(pupil=pupils[2]).update(started_on=dt.date(2026, 11, 20))
    _consent(pupils[0], coordinator, dt.date(2026, 10, 1), valid_until=dt.date(2026, 11, 20))
    Case.objects.create(
        pupil=pupils[0],
        school=school,
        category=Case._meta.get_field("category").choices[0][0],
        description="zorg",
        raised_by=coordinator,
        opened_at=timezone.make_aware(dt.datetime(2026, 10, 5, 10, 0)),
    )
    refresh_figures(today=TODAY)
    november = MonthlySchoolFigure.objects.get(school=school, month=dt.date(2026, 11, 1))
    assert november.pupils == 2
    assert november.pupils_with_consent == 1
    assert (november.pupils_in_care, november.pupils_in_care_with_consent) == (1, 1)
    assert FigureRefresh.objects.get(pk=1).counted_on == TODAY
    # A month that is over is counted on its last day, as before.
    refresh_figures(today=dt.date(2026, 12, 5))
    november = MonthlySchoolFigure.objects.get(school=school, month=dt.date(2026, 11, 1))
    assert (november.pupils, november.pupils_with_consent) == (3, 0)


def test_an_enrolment_ending_on_a_months_last_day_counts_for_that_month() -> None:
    """`ended_on` is the last day at the school: ended on 30 September, the pupil was there on
    the 30th and gone in October."""
    school = SchoolFactory()
    pupils = [PupilFactory(current_school=school) for _ in range(2)]
    Enrolment.objects.filter(pupil=pupils[0]).update(ended_on=dt.date(2026, 9, 30))
    refresh_figures(today=TODAY)
    pupils_by_month = _by_month(school, "pupils")
    assert pupils_by_month[dt.date(2026, 9, 1)] == 2
    assert pupils_by_month[dt.date(2026, 10, 1)] == 1
