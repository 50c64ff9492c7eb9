from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from schoolzorg.cases import services
from schoolzorg.cases.models import Case, Category, EventKind, Outcome
from schoolzorg.cases.workflow import TRANSITIONS, CaseStatus, can_move, next_statuses
from schoolzorg.consent.models import Consent, Purpose
from schoolzorg.pupils.models import Pupil

pytestmark = pytest.mark.django_db


def _case(team, **kw):
    return services.register_concern(
        team.pupil, category=Category.ABSENCE, description="Komt vaak te laat.", by=team.ib, **kw
    )


def test_register_concern_opens_a_new_case_with_a_timeline_line(team):
    case = _case(team, raised_by_label="leerkracht groep 6")
    assert (case.status, case.school_id, case.raised_by_id) == ("new", team.school.pk, team.ib.pk)
    assert list(case.events.values_list("kind", flat=True)) == [EventKind.STATUS]


def test_register_concern_refuses_an_empty_description(team):
    with pytest.raises(services.CaseError, match="Beschrijf"):
        services.register_concern(team.pupil, category="absence", description=" ", by=team.ib)
    assert not Case.objects.exists()


def test_a_note_of_only_invisible_characters_is_refused_like_an_empty_one(team):
    case = _case(team)
    with pytest.raises(services.CaseError, match="Schrijf iets op"):
        services.add_case_event(case, kind=EventKind.NOTE, text=" \u200b\u200b ", by=team.ib)
    with pytest.raises(services.CaseError, match="Beschrijf"):
        services.register_concern(team.pupil, category="absence", description="\u200b", by=team.ib)
    assert list(case.events.values_list("kind", flat=True)) == [EventKind.STATUS]


def test_every_status_can_be_closed_or_reopened_only_as_the_table_says():
    for status in CaseStatus.values:
        assert status in TRANSITIONS
    assert can_move(CaseStatus.NEW, CaseStatus.CLOSED)
    assert not can_move(CaseStatus.CLOSED, CaseStatus.REFERRED)
    assert not can_move(CaseStatus.NEW, CaseStatus.NEW)


def test_only_a_sent_referral_makes_a_case_referred(team):
    case = _case(team)
    with pytest.raises(services.CaseError, match="vanzelf zodra de toeleiding"):
        services.change_case_status(case, to=CaseStatus.REFERRED, by=team.ib)
    case.refresh_from_db()
    assert case.status == CaseStatus.NEW
    assert CaseStatus.REFERRED not in next_statuses(CaseStatus.NEW)
    services.change_case_status(case, to=CaseStatus.REFERRED, by=team.ib, automatic=True)
    assert case.status == CaseStatus.REFERRED


def test_invalid_move_is_refused_with_a_dutch_message(team):
    case = _case(team)
    services.change_case_status(case, to="closed", outcome=Outcome.RESOLVED, by=team.ib)
    with pytest.raises(services.CaseError, match="kan niet naar"):
        services.change_case_status(case, to=CaseStatus.REFERRED, by=team.ib, automatic=True)


def test_closing_needs_an_outcome(team):
    case = _case(team)
    with pytest.raises(services.CaseError, match="uitkomst"):
        services.change_case_status(case, to=CaseStatus.CLOSED, by=team.ib)
    case.refresh_from_db()
    assert case.status == CaseStatus.NEW


def test_stale_screen_gets_a_clear_message_and_changes_nothing(team):
    case = _case(team)
    Case.objects.filter(pk=case.pk).update(status=CaseStatus.IN_CARE_TEAM)
    with pytest.raises(services.StaleState, match="net gewijzigd"):
        services.change_case_status(
            case, to=CaseStatus.CLOSED, expected=CaseStatus.NEW, outcome="resolved", by=team.ib
        )
    case.refresh_from_db()
    assert case.status == CaseStatus.IN_CARE_TEAM


def test_naming_a_coordinator_compares_with_the_one_the_screen_showed(team):
    case = _case(team)
    Case.objects.filter(pk=case.pk).update(coordinator=team.smw)  # a colleague, meanwhile
    with pytest.raises(services.StaleState, match="Iemand anders heeft de regisseur net"):
        services.name_coordinator(case, coordinator=team.teacher, expected=None, by=team.ib)
    case.refresh_from_db()
    assert case.coordinator == team.smw
    # Naming the one who is coordinator already, whatever the screen showed, changes nothing.
    services.name_coordinator(case, coordinator=team.smw, expected=None, by=team.ib)
    assert not case.events.filter(text__endswith="is regisseur.").exists()


def test_a_case_closed_meanwhile_gets_no_coordinator(team):
    case = _case(team)
    Case.objects.filter(pk=case.pk).update(status=CaseStatus.CLOSED, outcome="resolved")
    with pytest.raises(services.StaleState, match="deze casus net gewijzigd"):
        services.name_coordinator(case, coordinator=team.smw, expected=None, by=team.ib)
    case.refresh_from_db()
    assert case.coordinator is None


def test_moving_to_school_social_work_names_the_schools_social_worker(team):
    case = _case(team)
    services.change_case_status(case, to=CaseStatus.WITH_SCHOOL_SOCIAL_WORK, by=team.ib)
    assert case.social_worker == team.smw
    assert Case.objects.caseload_of(team.smw).get() == case


def test_close_and_reopen_keeps_history(team):
    case = _case(team)
    services.change_case_status(case, to="closed", outcome="resolved", by=team.ib)
    assert case.closed_at is not None
    services.change_case_status(case, to=CaseStatus.IN_CARE_TEAM, by=team.ib)
    assert (case.closed_at, case.outcome) == (None, "")
    assert case.events.filter(kind=EventKind.STATUS).count() == 3


def test_coordinator_sees_the_pupil_through_the_case(team, member):
    from schoolzorg.accounts.roles import Role
    from schoolzorg.organisations.tests.factories import NeighbourhoodTeamFactory

    worker = member(Role.NEIGHBOURHOOD_TEAM_WORKER, NeighbourhoodTeamFactory())
    assert not Pupil.objects.visible_to(worker).exists()
    case = _case(team)
    # From outside the school, being named opens the file only with consent (or a legal basis).
    Consent.objects.create(
        pupil=team.pupil,
        purpose=Purpose.DISCUSS_IN_CARE_TEAM,
        is_complete=True,
        given_on=dt.date(2020, 1, 1),
        recorded_by=team.ib,
    )
    assert not Pupil.objects.visible_to(worker).exists()
    services.name_coordinator(case, coordinator=worker, expected=None, by=team.ib)
    assert list(Pupil.objects.visible_to(worker)) == [team.pupil]
    assert list(Case.objects.visible_to(worker)) == [case]
    services.change_case_status(case, to="closed", outcome="resolved", by=team.ib)
    assert not Pupil.objects.visible_to(worker).exists()


def test_teacher_sees_only_the_cases_they_raised(team):
    own = services.register_concern(
        team.pupil, category="behaviour", description="Vecht op het plein.", by=team.teacher
    )
    _case(team)
    assert list(Case.objects.visible_to(team.teacher)) == [own]


def test_add_case_event_for_meetings(team):
    case = _case(team)
    event = services.add_case_event(
        case, kind=EventKind.MEETING_DECISION, text="Aanmelden bij wijkteam.", by=team.ib, url="/x/"
    )
    assert event.kind == "meeting_decision" and event.url == "/x/"
    with pytest.raises(services.CaseError):
        services.add_case_event(case, kind="bogus", text="x", by=team.ib)


def test_record_contact_puts_a_line_on_the_timeline(team):
    case = _case(team)
    services.record_contact(
        worker=team.smw,
        school=team.school,
        provider=team.provider,
        case=case,
        contact_on=timezone.localdate(),
        form="talk_teacher",
        with_whom="juf Anna",
        minutes=60,
    )
    line = case.events.get(kind=EventKind.CONTACT)
    assert line.text == "Gesprek met leerkracht (juf Anna; 60 min)."
    with pytest.raises(services.CaseError, match="minuten"):
        services.record_contact(
            worker=team.smw,
            school=team.school,
            provider=team.provider,
            case=case,
            contact_on=timezone.localdate(),
            form="phone",
            with_whom="moeder",
            minutes=0,
        )


def test_a_contact_lies_between_the_cases_opening_and_today(team):
    case = _case(team)
    Case.objects.filter(pk=case.pk).update(opened_at=timezone.now() - dt.timedelta(days=10))
    case.refresh_from_db()
    today = timezone.localdate()

    def record(on: dt.date, case: Case | None = case) -> object:
        return services.record_contact(
            worker=team.smw,
            school=team.school,
            provider=team.provider,
            case=case,
            contact_on=on,
            form="phone",
            with_whom="moeder",
            minutes=15,
        )

    with pytest.raises(services.CaseError, match="niet vóór de melding"):
        record(today - dt.timedelta(days=11))
    with pytest.raises(services.CaseError, match="meer dan een jaar geleden"):
        record(dt.date(1900, 1, 1), case=None)
    with pytest.raises(services.CaseError, match="toekomst"):
        record(today + dt.timedelta(days=1))
    assert record(today - dt.timedelta(days=10)).contact_on == today - dt.timedelta(days=10)
    assert record(today - dt.timedelta(days=300), case=None).case is None


def test_consultation_converts_only_with_valid_consent(team):
    consult = services.record_consultation(
        school=team.school,
        category="home_situation",
        summary="Ouders gaan scheiden.",
        held_on=timezone.localdate(),
        participants="IB, SMW",
        by=team.ib,
    )
    with pytest.raises(services.CaseError, match="toestemming"):
        services.convert_consultation(consult, pupil=team.pupil, by=team.ib)
    consent = Consent.objects.create(
        pupil=team.pupil,
        purpose=Purpose.DISCUSS_IN_CARE_TEAM,
        is_complete=True,
        given_on=timezone.localdate() - dt.timedelta(days=1),
        recorded_by=team.ib,
    )
    case = services.convert_consultation(consult, pupil=team.pupil, by=team.ib)
    assert case.from_consultation == consult and case.description == "Ouders gaan scheiden."
    with pytest.raises(services.StaleState):
        services.convert_consultation(consult, pupil=team.pupil, by=team.ib)
    assert consent.pk


def test_month_window_takes_1_to_24_months_and_else_six():
    from schoolzorg.cases.exports import month_window

    day = dt.date(2026, 12, 4)
    assert month_window("3", day) == [
        dt.date(2026, 10, 1),
        dt.date(2026, 11, 1),
        dt.date(2026, 12, 1),
    ]
    assert len(month_window("24", day)) == 24
    for junk in ("0", "25", "²", "abc", "", "9" * 5000, "-3"):
        assert len(month_window(junk, day)) == 6, junk


def test_a_form_token_that_lost_the_race_returns_the_first_row(team):
    """Two sends of one form at the same moment: the unique token lets one insert through and
    the other finds that row instead of failing."""
    import uuid

    from schoolzorg.cases.models import CaseEvent
    from schoolzorg.lib import formtokens

    case = services.register_concern(
        team.pupil, category="absence", description="Komt vaak te laat.", by=team.ib
    )
    token = uuid.uuid4()
    first = services.add_case_event(case, kind="note", text="Eerste", by=team.ib, form_token=token)
    found, new = formtokens.create_once(
        CaseEvent,
        token,
        error=services.CaseError,
        same={"case_id": case.pk, "by_id": team.ib.pk},
        case=case,
        kind="note",
        text="Eerste",
        by=team.ib,
    )
    assert (found, new) == (first, False)
    assert case.events.filter(kind="note").count() == 1


def test_notifications_about_cases_tell_each_other_apart_without_naming_the_child(team):
    """WCAG 2.4.4: on 'Meldingen' the text is the link; two reports, a handover and a new
    coordinator each name the school and the case's number, never the pupil."""
    first = services.register_concern(
        team.pupil, category=Category.ABSENCE, description="Komt vaak te laat.", by=team.teacher
    )
    second = services.register_concern(
        team.pupil, category=Category.BEHAVIOUR, description="Huilt vaak.", by=team.teacher
    )
    texts = list(team.ib.notifications.order_by("pk").values_list("text", flat=True))
    assert texts == [
        f"Er is een nieuwe zorgmelding op De Regenboog (casus {first.pk}).",
        f"Er is een nieuwe zorgmelding op De Regenboog (casus {second.pk}).",
    ]
    services.change_case_status(first, to=CaseStatus.WITH_SCHOOL_SOCIAL_WORK, by=team.ib)
    services.name_coordinator(second, coordinator=team.smw, by=team.ib, expected=None)
    texts = list(team.smw.notifications.order_by("pk").values_list("text", flat=True))
    assert texts == [
        f"Casus {first.pk} van De Regenboog is aan u overgedragen.",
        f"U bent regisseur geworden van casus {second.pk} van De Regenboog.",
    ]
    for text in texts:
        assert "Sam" not in text and "Jansen" not in text


def test_a_former_support_coordinator_is_not_told_of_new_concerns(team, member):
    """Tester T12: an IB-er whose role ended kept getting "nieuwe zorgmelding" notices and
    e-mails of the school; and an SMW whose role ended was still picked as the social worker."""
    from schoolzorg.accounts.models import Membership
    from schoolzorg.accounts.roles import Role

    yesterday = timezone.localdate() - dt.timedelta(days=1)
    former = member(Role.SUPPORT_COORDINATOR, team.school)
    Membership.objects.filter(user=former).update(
        valid_from=yesterday - dt.timedelta(days=30), valid_until=yesterday
    )
    Membership.objects.filter(user=team.smw).update(
        valid_from=yesterday - dt.timedelta(days=30), valid_until=yesterday
    )
    case = services.register_concern(
        team.pupil, category=Category.ABSENCE, description="Komt vaak te laat.", by=team.teacher
    )
    assert team.ib.notifications.count() == 1
    assert not former.notifications.exists()
    with pytest.raises(services.CaseError, match="Kies de schoolmaatschappelijk werker"):
        services.change_case_status(case, to=CaseStatus.WITH_SCHOOL_SOCIAL_WORK, by=team.ib)
