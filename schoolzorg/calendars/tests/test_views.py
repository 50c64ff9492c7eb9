from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
import time_machine
from django.urls import reverse

from schoolzorg.accounts.roles import Role
from schoolzorg.calendars.models import (
    HolidayReview,
    HolidayStatus,
    SchoolClosure,
    SchoolHoliday,
)
from schoolzorg.calendars.tests.factories import SchoolClosureFactory, SchoolHolidayFactory
from schoolzorg.calendars.workingdays import add_school_days, is_school_day
from schoolzorg.organisations.tests.factories import MunicipalityFactory, SchoolFactory

pytestmark = pytest.mark.django_db


def pending_holiday(**kwargs: Any) -> Any:
    values = {
        "region": "zuid",
        "source_region": "ZU",
        "name": "Voorjaarsvakantie",
        "start_on": dt.date(2027, 2, 13),
        "end_on": dt.date(2027, 3, 21),
        "status": HolidayStatus.PENDING,
        "flag_reason": "Voorjaarsvakantie duurt 37 dagen",
        "source_start_on": dt.date(2027, 2, 13),
        "source_end_on": dt.date(2027, 3, 21),
    }
    values.update(kwargs)
    return SchoolHolidayFactory(**values)


@pytest.fixture
def admin(member: Callable[..., Any]) -> Any:
    return member(Role.FUNCTIONAL_ADMIN, MunicipalityFactory())


# --- Review --------------------------------------------------------------------------------


def test_outsider_gets_404_on_every_review_page(
    member: Callable[..., Any], client_for: Callable[[Any], Any]
) -> None:
    holiday = pending_holiday()
    coordinator = member(Role.SUPPORT_COORDINATOR, SchoolFactory())
    client = client_for(coordinator)
    assert client.get(reverse("calendars:review_list")).status_code == 404
    detail = reverse("calendars:review_detail", args=[holiday.pk])
    assert client.get(detail).status_code == 404
    assert client.post(detail, {"decision": "approve"}).status_code == 404
    holiday.refresh_from_db()
    assert holiday.status == HolidayStatus.PENDING


def test_anonymous_is_sent_to_login() -> None:
    from django.test import Client

    response = Client().get(reverse("calendars:review_list"))
    assert response.status_code == 302


def test_admin_sees_pending_holidays_with_reason(
    admin: Any, client_for: Callable[[Any], Any], django_assert_max_num_queries: Any
) -> None:
    pending_holiday()
    pending_holiday(start_on=dt.date(2029, 2, 10), end_on=dt.date(2029, 3, 18), source_id="x2")
    client = client_for(admin)
    with django_assert_max_num_queries(16):
        response = client.get(reverse("calendars:review_list"))
    assert response.status_code == 200
    assert response.content.decode().count("duurt 37 dagen") == 2
    # The menu badge says what it counts (tester X1: it was read out as "2 open").
    assert '2<span class="visually-hidden"> te beoordelen</span>' in response.content.decode()


def test_admin_confirms_a_holiday_and_it_counts(
    admin: Any, client_for: Callable[[Any], Any]
) -> None:
    holiday = pending_holiday()
    assert is_school_day(dt.date(2027, 3, 10), region="zuid")
    response = client_for(admin).post(
        reverse("calendars:review_detail", args=[holiday.pk]),
        {"shown": holiday.review_key, "decision": "approve", "note": "Klopt volgens de school"},
    )
    assert response.status_code == 302
    holiday.refresh_from_db()
    assert holiday.status == HolidayStatus.APPROVED
    assert holiday.reviewed_by == admin and holiday.reviewed_at is not None
    review = HolidayReview.objects.get(holiday=holiday)
    assert (review.decision, review.by, review.note) == (
        "approve",
        admin,
        "Klopt volgens de school",
    )
    assert not is_school_day(dt.date(2027, 3, 10), region="zuid")


def test_admin_corrects_the_dates(admin: Any, client_for: Callable[[Any], Any]) -> None:
    holiday = pending_holiday()
    client_for(admin).post(
        reverse("calendars:review_detail", args=[holiday.pk]),
        {
            "shown": holiday.review_key,
            "decision": "correct",
            "start_on": "2027-02-13",
            "end_on": "2027-02-21",
            "region": "zuid",
            "note": "Typefout, zie rijksoverheid.nl",
        },
    )
    holiday.refresh_from_db()
    assert (holiday.status, holiday.end_on) == (HolidayStatus.APPROVED, dt.date(2027, 2, 21))
    assert holiday.source_end_on == dt.date(2027, 3, 21)
    assert "21-3-2027" in HolidayReview.objects.get(holiday=holiday).previous
    assert not is_school_day(dt.date(2027, 2, 15), region="zuid")
    assert is_school_day(dt.date(2027, 3, 10), region="zuid")


@pytest.mark.parametrize(
    ("post", "message"),
    [
        (
            {
                "decision": "correct",
                "start_on": "2027-02-21",
                "end_on": "2027-02-13",
                "region": "zuid",
                "note": "x",
            },
            "ligt vóór de eerste",
        ),
        (
            {
                "decision": "correct",
                "start_on": "13-02-2027x",
                "end_on": "2027-02-21",
                "region": "zuid",
                "note": "x",
            },
            "Vul een datum in",
        ),
        (
            {
                "decision": "correct",
                "start_on": "2027-02-13",
                "end_on": "2027-02-21",
                "region": "",
                "note": "x",
            },
            "Kies een vakantieregio",
        ),
        ({"decision": "reject", "note": " "}, "Schrijf kort waarom"),
        ({}, "Kies een besluit"),
    ],
)
def test_bad_review_input_is_shown_in_dutch_and_nothing_changes(
    admin: Any, client_for: Callable[[Any], Any], post: dict[str, str], message: str
) -> None:
    holiday = pending_holiday()
    response = client_for(admin).post(reverse("calendars:review_detail", args=[holiday.pk]), post)
    assert response.status_code == 400
    assert message in response.content.decode()
    # Tester X7: the form that comes back says so in the tab title, as other forms do.
    assert "<title>Fout: Voorjaarsvakantie beoordelen" in response.content.decode()
    holiday.refresh_from_db()
    assert holiday.status == HolidayStatus.PENDING
    assert not HolidayReview.objects.exists()


def _spring_2029() -> Any:
    return pending_holiday(
        start_on=dt.date(2029, 2, 10),
        end_on=dt.date(2029, 3, 18),
        source_start_on=dt.date(2029, 2, 10),
        source_end_on=dt.date(2029, 3, 18),
    )


@pytest.mark.parametrize(
    ("start_on", "end_on", "field"),
    [
        ("2026-12-07", "2026-12-20", "start_on"),  # two school years early
        ("2029-07-21", "2029-08-05", "end_on"),  # runs into 2029/2030
    ],
)
def test_a_correction_must_lie_in_the_holidays_school_year(
    admin: Any, client_for: Callable[[Any], Any], start_on: str, end_on: str, field: str
) -> None:
    holiday = _spring_2029()
    assert str(holiday) == "Voorjaarsvakantie Zuid 2028/2029"
    response = client_for(admin).post(
        reverse("calendars:review_detail", args=[holiday.pk]),
        {
            "shown": holiday.review_key,
            "decision": "correct",
            "start_on": start_on,
            "end_on": end_on,
            "region": "zuid",
            "note": "Typefout",
        },
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert (
        "Deze vakantie hoort bij schooljaar 2028/2029. Kies data van 1 augustus 2028 tot en met "
        "31 juli 2029." in body
    )
    assert f'id="id_{field}_error"' in body
    holiday.refresh_from_db()
    assert (holiday.status, holiday.start_on) == (HolidayStatus.PENDING, dt.date(2029, 2, 10))
    assert not HolidayReview.objects.exists()
    assert is_school_day(dt.date(2026, 12, 8), region="zuid")


def test_the_service_refuses_a_correction_outside_the_school_year(admin: Any) -> None:
    from schoolzorg.calendars import services

    holiday = _spring_2029()
    with pytest.raises(services.CalendarError, match="hoort bij schooljaar 2028/2029"):
        services.correct_holiday(
            holiday,
            by=admin,
            start_on=dt.date(2026, 12, 7),
            end_on=dt.date(2026, 12, 20),
            region="zuid",
            note="Typefout",
        )
    holiday.refresh_from_db()
    assert holiday.status == HolidayStatus.PENDING


def test_a_summer_holiday_may_end_in_the_next_school_year(
    admin: Any, client_for: Callable[[Any], Any]
) -> None:
    holiday = pending_holiday(
        name="Zomervakantie",
        start_on=dt.date(2029, 7, 7),
        end_on=dt.date(2029, 9, 30),
        source_start_on=dt.date(2029, 7, 7),
        source_end_on=dt.date(2029, 9, 30),
    )
    url = reverse("calendars:review_detail", args=[holiday.pk])
    post = {
        "shown": holiday.review_key,
        "decision": "correct",
        "region": "zuid",
        "note": "Bron Rijksoverheid",
    }
    response = client_for(admin).post(
        url, {**post, "start_on": "2029-08-04", "end_on": "2029-09-16"}
    )
    assert "De eerste vrije dag moet in dat schooljaar liggen" in response.content.decode()
    client_for(admin).post(url, {**post, "start_on": "2029-07-07", "end_on": "2029-08-19"})
    holiday.refresh_from_db()
    assert (holiday.status, holiday.end_on) == (HolidayStatus.APPROVED, dt.date(2029, 8, 19))


def test_confirming_dates_outside_the_school_year_is_refused(
    admin: Any, client_for: Callable[[Any], Any]
) -> None:
    holiday = pending_holiday(end_on=dt.date(2027, 8, 8), start_on=dt.date(2027, 7, 10))
    response = client_for(admin).post(
        reverse("calendars:review_detail", args=[holiday.pk]),
        {"shown": holiday.review_key, "decision": "approve"},
    )
    assert "hoort bij schooljaar 2026/2027" in response.content.decode()
    holiday.refresh_from_db()
    assert holiday.status == HolidayStatus.PENDING


def test_approving_an_unknown_region_asks_for_a_correction(
    admin: Any, client_for: Callable[[Any], Any]
) -> None:
    holiday = pending_holiday(region="", source_region="XX")
    response = client_for(admin).post(
        reverse("calendars:review_detail", args=[holiday.pk]),
        {"shown": holiday.review_key, "decision": "approve"},
    )
    assert "corrigeer eerst de regio" in response.content.decode()
    holiday.refresh_from_db()
    assert holiday.status == HolidayStatus.PENDING


@pytest.mark.parametrize("end_on", [dt.date(9999, 12, 31), dt.date(2027, 4, 18)])
def test_approving_an_impossible_holiday_is_refused_as_a_correction_would_be(
    admin: Any, client_for: Callable[[Any], Any], end_on: dt.date
) -> None:
    holiday = pending_holiday(end_on=end_on)  # from 13 February: 65 days to 18 April
    url = reverse("calendars:review_detail", args=[holiday.pk])
    response = client_for(admin).post(url, {"shown": holiday.review_key, "decision": "approve"})
    assert "meer dan negen weken kan niet kloppen" in response.content.decode()
    holiday.refresh_from_db()
    assert holiday.status == HolidayStatus.PENDING
    assert not HolidayReview.objects.exists()
    assert is_school_day(dt.date(2027, 3, 10), region="zuid")


def test_approving_nine_weeks_is_still_possible(
    admin: Any, client_for: Callable[[Any], Any]
) -> None:
    holiday = pending_holiday(end_on=dt.date(2027, 4, 16))  # 63 days
    client_for(admin).post(
        reverse("calendars:review_detail", args=[holiday.pk]),
        {"shown": holiday.review_key, "decision": "approve"},
    )
    holiday.refresh_from_db()
    assert holiday.status == HolidayStatus.APPROVED


def test_reject_keeps_the_holiday_out_of_counting(
    admin: Any, client_for: Callable[[Any], Any]
) -> None:
    holiday = pending_holiday()
    client_for(admin).post(
        reverse("calendars:review_detail", args=[holiday.pk]),
        {"shown": holiday.review_key, "decision": "reject", "note": "Dubbel"},
    )
    holiday.refresh_from_db()
    assert holiday.status == HolidayStatus.REJECTED
    assert is_school_day(dt.date(2027, 3, 10), region="zuid")


def test_a_decided_holiday_cannot_be_decided_again(
    admin: Any, client_for: Callable[[Any], Any]
) -> None:
    holiday = pending_holiday()
    client = client_for(admin)
    url = reverse("calendars:review_detail", args=[holiday.pk])
    client.post(url, {"shown": holiday.review_key, "decision": "reject", "note": "Dubbel"})
    # The back button and the form sent again: the list, saying why, not a 404.
    for response in (
        client.post(url, {"decision": "approve"}, follow=True),
        client.get(url, follow=True),
    ):
        assert response.redirect_chain == [(reverse("calendars:review_list"), 302)]
        assert "Over deze vakantie is al besloten." in response.content.decode()
    holiday.refresh_from_db()
    assert holiday.status == HolidayStatus.REJECTED
    assert HolidayReview.objects.count() == 1


def test_an_unknown_holiday_is_still_a_404(admin: Any, client_for: Callable[[Any], Any]) -> None:
    url = reverse("calendars:review_detail", args=[987654])
    assert client_for(admin).post(url, {"decision": "approve"}).status_code == 404


def test_stale_review_gets_a_clear_message(admin: Any) -> None:
    from schoolzorg.calendars import services

    holiday = pending_holiday()
    services.reject_holiday(holiday, by=admin, note="Dubbel")
    with pytest.raises(services.StaleState, match="al besloten"):
        services.approve_holiday(holiday, by=admin)


def test_the_review_page_carries_what_it_shows(
    admin: Any, client_for: Callable[[Any], Any]
) -> None:
    holiday = pending_holiday()
    page = client_for(admin).get(reverse("calendars:review_detail", args=[holiday.pk]))
    assert f'name="shown" value="{holiday.review_key}"' in page.content.decode()


def test_a_decision_on_dates_changed_meanwhile_is_refused_with_409(
    admin: Any, client_for: Callable[[Any], Any]
) -> None:
    holiday = pending_holiday()
    url = reverse("calendars:review_detail", args=[holiday.pk])
    client = client_for(admin)
    shown = holiday.review_key  # the page is opened ...
    # ... then a new file changes the dates before the reviewer sends the form.
    holiday.end_on = dt.date(2027, 3, 28)
    holiday.save()
    response = client.post(url, {"decision": "approve", "note": "", "shown": shown})
    assert response.status_code == 409
    text = response.content.decode()
    assert "veranderd nadat u de pagina opende" in text
    assert 'value="2027-03-28"' in text  # the new dates, to decide on
    holiday.refresh_from_db()
    assert holiday.status == HolidayStatus.PENDING
    assert not HolidayReview.objects.exists()
    # Sent again from the page as it is now, the decision is taken.
    again = client.post(url, {"decision": "approve", "shown": holiday.review_key})
    assert again.status_code == 302
    holiday.refresh_from_db()
    assert (holiday.status, holiday.end_on) == (HolidayStatus.APPROVED, dt.date(2027, 3, 28))


def test_the_service_refuses_a_decision_on_other_dates(admin: Any) -> None:
    from schoolzorg.calendars import services

    holiday = pending_holiday()
    shown = holiday.review_key
    SchoolHoliday.objects.filter(pk=holiday.pk).update(end_on=dt.date(2027, 3, 28))
    holiday.refresh_from_db()
    with pytest.raises(services.ChangedMeanwhile):
        services.reject_holiday(holiday, by=admin, note="Dubbel", shown=shown)
    holiday.refresh_from_db()
    assert holiday.status == HolidayStatus.PENDING


def test_a_changed_approved_holiday_shows_both_dates_for_review(
    admin: Any, client_for: Callable[[Any], Any]
) -> None:
    holiday = pending_holiday(
        status=HolidayStatus.APPROVED,
        end_on=dt.date(2027, 2, 21),
        proposed_start_on=dt.date(2027, 2, 13),
        proposed_end_on=dt.date(2027, 2, 28),
        flag_reason="het bestand noemt nu andere data",
    )
    client = client_for(admin)
    listing = client.get(reverse("calendars:review_list")).content.decode()
    assert "het bestand noemt nu andere data" in listing
    url = reverse("calendars:review_detail", args=[holiday.pk])
    page = client.get(url).content.decode()
    assert "Geldt nu" in page and "de huidige data blijven gelden" in page
    assert not is_school_day(dt.date(2027, 2, 18), region="zuid")
    assert is_school_day(dt.date(2027, 2, 25), region="zuid")
    response = client.post(url, {"decision": "approve", "shown": holiday.review_key})
    assert response.status_code == 302
    holiday.refresh_from_db()
    assert (holiday.end_on, holiday.proposed_end_on) == (dt.date(2027, 2, 28), None)
    assert not is_school_day(dt.date(2027, 2, 25), region="zuid")


# --- Study days ----------------------------------------------------------------------------


@pytest.fixture
def school() -> Any:
    return SchoolFactory()


@time_machine.travel(dt.datetime(2024, 10, 1, 9, 0, tzinfo=dt.UTC), tick=False)
@pytest.mark.parametrize("role", [Role.SUPPORT_COORDINATOR, Role.SCHOOL_DIRECTOR])
def test_coordinator_and_director_add_a_study_day(
    member: Callable[..., Any], client_for: Callable[[Any], Any], school: Any, role: str
) -> None:
    user = member(role, school)
    response = client_for(user).post(
        reverse("calendars:closures", args=[school.pk]),
        {"date": "2024-10-07", "reason": "Studiedag team"},
    )
    assert response.status_code == 302
    closure = SchoolClosure.objects.get(school=school)
    assert (closure.date, closure.created_by) == (dt.date(2024, 10, 7), user)
    assert add_school_days(
        dt.date(2024, 10, 4), 1, region="midden", school_id=school.pk
    ) == dt.date(2024, 10, 8)


@pytest.mark.parametrize("role", [Role.TEACHER, Role.FUNCTIONAL_ADMIN])
def test_other_roles_get_404_on_study_days(
    member: Callable[..., Any], client_for: Callable[[Any], Any], school: Any, role: str
) -> None:
    org = school if role == Role.TEACHER else MunicipalityFactory()
    closure = SchoolClosureFactory(school=school)
    client = client_for(member(role, org))
    assert client.get(reverse("calendars:closures", args=[school.pk])).status_code == 404
    delete = reverse("calendars:closure_delete", args=[school.pk, closure.pk])
    assert client.post(delete).status_code == 404
    assert SchoolClosure.objects.filter(pk=closure.pk).exists()


def test_coordinator_of_another_school_gets_404(
    member: Callable[..., Any], client_for: Callable[[Any], Any], school: Any
) -> None:
    client = client_for(member(Role.SUPPORT_COORDINATOR, SchoolFactory()))
    response = client.post(
        reverse("calendars:closures", args=[school.pk]), {"date": "2024-10-07", "reason": "x"}
    )
    assert response.status_code == 404
    assert not SchoolClosure.objects.exists()


def test_ended_membership_gets_404(
    member: Callable[..., Any], client_for: Callable[[Any], Any], school: Any
) -> None:
    user = member(Role.SUPPORT_COORDINATOR, school, valid_until=dt.date(2021, 7, 31))
    assert client_for(user).get(reverse("calendars:closures", args=[school.pk])).status_code == 404


@pytest.mark.parametrize(
    ("post", "message"),
    [
        ({"date": "2024-10-05", "reason": "Studiedag"}, "weekend"),
        ({"date": "morgen", "reason": "Studiedag"}, "Vul een datum in"),
        ({"date": "2024-10-07", "reason": ""}, "Vul een reden in"),
        ({"date": "2024-10-07", "reason": "\u200b\u200b"}, "Vul een reden in"),
    ],
)
@time_machine.travel(dt.datetime(2024, 10, 1, 9, 0, tzinfo=dt.UTC), tick=False)
def test_bad_study_day_input_is_explained(
    member: Callable[..., Any],
    client_for: Callable[[Any], Any],
    school: Any,
    post: dict[str, str],
    message: str,
) -> None:
    client = client_for(member(Role.SUPPORT_COORDINATOR, school))
    response = client.post(reverse("calendars:closures", args=[school.pk]), post)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert post["reason"] in response.content.decode()
    assert not SchoolClosure.objects.exists()


@time_machine.travel(dt.datetime(2024, 10, 1, 9, 0, tzinfo=dt.UTC), tick=False)
def test_same_day_twice_is_explained(
    member: Callable[..., Any], client_for: Callable[[Any], Any], school: Any
) -> None:
    SchoolClosureFactory(school=school, date=dt.date(2024, 10, 7))
    client = client_for(member(Role.SUPPORT_COORDINATOR, school))
    response = client.post(
        reverse("calendars:closures", args=[school.pk]), {"date": "2024-10-07", "reason": "x"}
    )
    assert "al een studiedag" in response.content.decode()


def test_a_day_already_past_is_refused(
    member: Callable[..., Any], client_for: Callable[[Any], Any], school: Any
) -> None:
    client = client_for(member(Role.SUPPORT_COORDINATOR, school))
    with time_machine.travel(dt.datetime(2026, 12, 4, 9, 0, tzinfo=dt.UTC), tick=False):
        response = client.post(
            reverse("calendars:closures", args=[school.pk]),
            {"date": "2026-12-03", "reason": "Studiedag"},
        )
        today = client.post(
            reverse("calendars:closures", args=[school.pk]),
            {"date": "2026-12-04", "reason": "Vandaag dicht"},
        )
    assert response.status_code == 200
    assert "Die dag is al voorbij." in response.content.decode()
    assert today.status_code == 302
    assert list(SchoolClosure.objects.values_list("reason", flat=True)) == ["Vandaag dicht"]


def test_a_day_years_ahead_is_refused(
    member: Callable[..., Any], client_for: Callable[[Any], Any], school: Any
) -> None:
    client = client_for(member(Role.SUPPORT_COORDINATOR, school))
    with time_machine.travel(dt.datetime(2026, 12, 4, 9, 0, tzinfo=dt.UTC), tick=False):
        far = client.post(
            reverse("calendars:closures", args=[school.pk]),
            {"date": "9999-12-31", "reason": "Studiedag"},
        )
    assert "Die dag ligt te ver vooruit." in far.content.decode()
    assert not SchoolClosure.objects.exists()


def test_a_day_in_the_school_holiday_is_refused(
    member: Callable[..., Any], client_for: Callable[[Any], Any], school: Any
) -> None:
    SchoolHolidayFactory(
        region=school.effective_holiday_region,
        name="Kerstvakantie",
        start_on=dt.date(2026, 12, 19),
        end_on=dt.date(2027, 1, 3),
        status=HolidayStatus.APPROVED,
    )
    client = client_for(member(Role.SUPPORT_COORDINATOR, school))
    with time_machine.travel(dt.datetime(2026, 12, 4, 9, 0, tzinfo=dt.UTC), tick=False):
        response = client.post(
            reverse("calendars:closures", args=[school.pk]),
            {"date": "2026-12-23", "reason": "Studiedag"},
        )
    assert response.status_code == 200
    assert "Op 23-12-2026 is het al kerstvakantie." in response.content.decode()
    assert not SchoolClosure.objects.exists()


def test_removing_a_study_day_makes_it_a_school_day_again(
    member: Callable[..., Any], client_for: Callable[[Any], Any], school: Any
) -> None:
    closure = SchoolClosureFactory(school=school, date=dt.date(2024, 10, 7))
    assert not is_school_day(closure.date, region="midden", school_id=school.pk)
    client = client_for(member(Role.SCHOOL_DIRECTOR, school))
    response = client.post(reverse("calendars:closure_delete", args=[school.pk, closure.pk]))
    assert response.status_code == 302
    assert is_school_day(dt.date(2024, 10, 7), region="midden", school_id=school.pk)


def test_removing_a_study_day_twice_says_it_was_already_gone(
    member: Callable[..., Any], client_for: Callable[[Any], Any], school: Any
) -> None:
    closure = SchoolClosureFactory(school=school, date=dt.date(2024, 10, 7))
    elsewhere = SchoolClosureFactory(school=SchoolFactory(), date=dt.date(2024, 10, 7))
    client = client_for(member(Role.SCHOOL_DIRECTOR, school))
    url = reverse("calendars:closure_delete", args=[school.pk, closure.pk])
    assert client.post(url).status_code == 302
    second = client.post(url, follow=True)
    assert second.redirect_chain[-1][0] == reverse("calendars:closures", args=[school.pk])
    assert "Deze dag stond al niet meer in de lijst." in second.content.decode()
    # Another school's day answers the same, and stays.
    other = client.post(reverse("calendars:closure_delete", args=[school.pk, elsewhere.pk]))
    assert other.status_code == 302
    assert SchoolClosure.objects.filter(pk=elsewhere.pk).exists()


@time_machine.travel(dt.datetime(2024, 10, 1, 9, 0, tzinfo=dt.UTC), tick=False)
def test_study_day_page_splits_upcoming_from_past_by_today(
    member: Callable[..., Any], client_for: Callable[[Any], Any], school: Any
) -> None:
    SchoolClosureFactory(school=school, date=dt.date(2024, 9, 20), reason="Teamdag september")
    SchoolClosureFactory(school=school, date=dt.date(2024, 10, 7), reason="Studiedag oktober")
    user = member(Role.SUPPORT_COORDINATOR, school)
    response = client_for(user).get(reverse("calendars:closures", args=[school.pk]))
    assert [c.reason for c in response.context["upcoming"]] == ["Studiedag oktober"]
    assert [c.reason for c in response.context["past"]] == ["Teamdag september"]


def test_index_sends_a_single_school_user_to_their_school(
    member: Callable[..., Any], client_for: Callable[[Any], Any], school: Any
) -> None:
    response = client_for(member(Role.SUPPORT_COORDINATOR, school)).get(reverse("calendars:index"))
    assert response.status_code == 302
    assert response["Location"] == reverse("calendars:closures", args=[school.pk])


def test_index_is_404_for_others(
    member: Callable[..., Any], client_for: Callable[[Any], Any], school: Any
) -> None:
    client = client_for(member(Role.TEACHER, school))
    assert client.get(reverse("calendars:index")).status_code == 404


def test_index_shows_the_review_count_to_the_admin(
    admin: Any, client_for: Callable[[Any], Any]
) -> None:
    pending_holiday()
    response = client_for(admin).get(reverse("calendars:index"))
    assert response.status_code == 200
    assert "op controle wachten</a>: 1" in response.content.decode()


# --- Upload of a new school year -----------------------------------------------------------

UPLOAD_HEADER = "Id;Country;StartDate;EndDate;Type;RegionalScope;Name;Groups\n"


def _file(text: str, name: str = "vakanties-2031.csv") -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, ("\ufeff" + UPLOAD_HEADER + text).encode(), "text/csv")


def test_admin_uploads_a_new_school_year(admin: Any, client_for: Callable[[Any], Any]) -> None:
    from schoolzorg.calendars.models import ImportBatch, SchoolHoliday

    data = (
        "u1;NL;2031-10-18;2031-10-26;School;Regional;NL Herfstvakantie;NO,MI,ZU\n"
        "u2;NL;2032-02-14;2032-03-21;School;Regional;NL Voorjaarsvakantie;ZU\n"
    )
    response = client_for(admin).post(reverse("calendars:upload"), {"file": _file(data)})
    assert response.status_code == 302
    assert SchoolHoliday.objects.approved().count() == 3
    assert SchoolHoliday.objects.pending().get().source_id == "u2"
    batch = ImportBatch.objects.get()
    assert (batch.by, batch.file_name) == (admin, "vakanties-2031.csv")


def test_malformed_upload_lists_the_lines_and_imports_nothing(
    admin: Any, client_for: Callable[[Any], Any]
) -> None:
    from schoolzorg.calendars.models import SchoolHoliday

    data = (
        "u1;NL;2031-10-18;2031-10-26;School;Regional;NL Herfstvakantie;NO\n"
        "u2;NL;31-02-2031;2031-10-26;School;Regional;NL Herfstvakantie;MI\n"
    )
    response = client_for(admin).post(reverse("calendars:upload"), {"file": _file(data)})
    assert response.status_code == 400
    body = response.content.decode()
    assert "regel 3" in body and "niet ingelezen" in body
    assert not SchoolHoliday.objects.exists()


def test_upload_for_another_country_names_it_and_imports_nothing(
    admin: Any, client_for: Callable[[Any], Any]
) -> None:
    data = "u1;BE;2031-10-25;2031-11-02;School;Regional;NL Herfstvakantie;NO\n"
    response = client_for(admin).post(reverse("calendars:upload"), {"file": _file(data)})
    assert response.status_code == 400
    body = response.content.decode()
    assert "ander land (Country BE)" in body and "niet ingelezen" in body
    assert not SchoolHoliday.objects.exists()


def test_upload_without_a_file_asks_for_one(admin: Any, client_for: Callable[[Any], Any]) -> None:
    response = client_for(admin).post(reverse("calendars:upload"), {})
    assert "Kies een bestand." in response.content.decode()


def test_binary_upload_gets_a_message_not_a_500(
    admin: Any, client_for: Callable[[Any], Any]
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    junk = SimpleUploadedFile("foto.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00", "image/png")
    response = client_for(admin).post(reverse("calendars:upload"), {"file": junk})
    assert response.status_code == 400
    assert "niet ingelezen" in response.content.decode()


def test_utf16_upload_cut_off_mid_character_gets_a_message_not_a_500(
    admin: Any, client_for: Callable[[Any], Any]
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from schoolzorg.calendars.models import SchoolHoliday

    text = UPLOAD_HEADER + "u1;NL;2031-10-18;2031-10-26;School;Regional;NL Herfstvakantie;NO\n"
    cut = SimpleUploadedFile("vakanties.csv", text.encode("utf-16")[:-1], "text/csv")
    response = client_for(admin).post(reverse("calendars:upload"), {"file": cut})
    assert response.status_code == 400
    body = response.content.decode()
    assert "niet ingelezen" in body and "is het bestand afgebroken?" in body
    assert not SchoolHoliday.objects.exists()


def test_outsider_gets_404_on_upload(
    member: Callable[..., Any], client_for: Callable[[Any], Any]
) -> None:
    client = client_for(member(Role.SCHOOL_DIRECTOR, SchoolFactory()))
    assert client.get(reverse("calendars:upload")).status_code == 404
    assert client.post(reverse("calendars:upload"), {"file": _file("")}).status_code == 404


@pytest.mark.parametrize("rows", [1, 30])
def test_list_pages_have_a_fixed_query_count(
    admin: Any,
    member: Callable[..., Any],
    client_for: Callable[[Any], Any],
    django_assert_max_num_queries: Any,
    rows: int,
) -> None:
    from schoolzorg.calendars import services

    school = SchoolFactory()
    for n in range(rows):
        holiday = pending_holiday(source_id=f"q{n}")
        if n % 2:
            services.reject_holiday(holiday, by=admin, note="test")
        SchoolClosureFactory(school=school, date=dt.date(2099, 1, 5) + dt.timedelta(days=7 * n))
    admin_client = client_for(admin)
    with django_assert_max_num_queries(16):
        assert admin_client.get(reverse("calendars:review_list")).status_code == 200
    lead = client_for(member(Role.SUPPORT_COORDINATOR, school))
    with django_assert_max_num_queries(17):  # a first page builds the menu (unread notifications)
        assert lead.get(reverse("calendars:closures", args=[school.pk])).status_code == 200


def test_upload_with_an_id_on_two_rows_names_both_lines_and_imports_nothing(
    admin: Any, client_for: Callable[[Any], Any]
) -> None:
    from schoolzorg.calendars.models import SchoolHoliday

    data = (
        "u1;NL;2031-10-18;2031-10-26;School;Regional;NL Herfstvakantie;NO\n"
        "u1;NL;2031-10-25;2031-11-02;School;Regional;NL Herfstvakantie;NO\n"
    )
    response = client_for(admin).post(reverse("calendars:upload"), {"file": _file(data)})
    assert response.status_code == 400
    body = response.content.decode()
    assert "regel 3: Id u1 staat ook op regel 2" in body and "niet ingelezen" in body
    assert not SchoolHoliday.objects.exists()


def test_removing_a_study_day_asks_first(
    member: Callable[..., Any], client_for: Callable[[Any], Any], school: Any
) -> None:
    """Tester X13: one press removed a study day, shifting deadlines; now the first press opens
    a question (a <details>, without script) and only its button sends."""
    import re

    closure = SchoolClosureFactory(school=school, date=dt.date.today() + dt.timedelta(days=30))
    client = client_for(member(Role.SCHOOL_DIRECTOR, school))
    html = client.get(reverse("calendars:closures", args=[school.pk])).content.decode()
    url = reverse("calendars:closure_delete", args=[school.pk, closure.pk])
    found = re.search(r'<details class="confirm-step">(.*?)</details>', html, re.S)
    assert found and f'action="{url}"' in found.group(1)
    assert "Ja, verwijder deze dag" in found.group(1)
    assert html.count(f'action="{url}"') == 1


def test_review_fields_needed_for_some_decisions_say_when(
    admin: Any, client_for: Callable[[Any], Any]
) -> None:
    """Tester X14: "Toelichting (niet verplicht)" above "Verplicht bij corrigeren en afwijzen"."""
    holiday = pending_holiday()
    page = client_for(admin).get(reverse("calendars:review_detail", args=[holiday.pk]))
    html = page.content.decode()
    assert "niet verplicht" not in html
    assert 'Toelichting <span class="muted">(nodig als u corrigeert of afwijst)</span>' in html
    assert 'Eerste vrije dag <span class="muted">(nodig als u corrigeert)</span>' in html
    assert 'Laatste vrije dag <span class="muted">(nodig als u corrigeert)</span>' in html
