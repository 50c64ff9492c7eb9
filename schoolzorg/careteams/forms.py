from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from schoolzorg.accounts.models import Membership
from schoolzorg.careteams.models import CareTeamMember, TeamRole, Weekday
from schoolzorg.lib import daterange, formtokens
from schoolzorg.lib.forms import DateInput, TextField
from schoolzorg.organisations.models import School


def check_team_date(form: forms.BaseForm, name: str) -> None:
    """A day a member joins, leaves or changes hours: a school year back or ahead at most (a
    slip of the year, 0001 or 9999, would file it in a team of another century)."""
    today = timezone.localdate()
    daterange.check_field(
        form,
        name,
        earliest=today - dt.timedelta(days=daterange.DAYS_BACK),
        latest=today + dt.timedelta(days=daterange.TEAM_DAYS_AHEAD),
    )


class MembershipChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.user.full_name} – {obj.get_role_display()} ({obj.organisation.name})"


class AddMemberForm(forms.Form):
    membership = MembershipChoiceField(
        label="Persoon",
        queryset=Membership.objects.none(),
        help_text=(
            "Alleen mensen met een rol op deze school staan in de lijst, en niet wie in die rol "
            "al in het team zit."
        ),
        error_messages={
            "required": "Kies een persoon.",
            "invalid_choice": "Kies een persoon uit de lijst.",
        },
    )
    hours_per_week = forms.DecimalField(
        label="Afgesproken uren per week",
        min_value=Decimal("0"),
        max_value=Decimal("40"),
        decimal_places=1,
        error_messages={"required": "Vul het aantal uren in."},
    )
    joined_on = forms.DateField(
        label="Lid vanaf",
        widget=DateInput(),
        initial=timezone.localdate,
        error_messages={"required": "Vul een datum in.", "invalid": "Vul een geldige datum in."},
    )

    def __init__(self, *args: Any, school: School, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        in_team = CareTeamMember.objects.current().filter(
            team__school=school, user_id=OuterRef("user_id"), role=OuterRef("role")
        )
        candidates = (
            Membership.objects.active()
            .filter(Q(organisation_id=school.pk) | Q(school_id=school.pk))
            .filter(role__in=TeamRole.values)
            .exclude(Exists(in_team))
            .select_related("user", "organisation")
            .order_by("role", "user__full_name")
        )
        self.fields["membership"].queryset = candidates  # type: ignore[attr-defined]
        # Everyone with a role here is in the team already: the page says so instead of a form.
        self.nobody_left = not candidates.exists()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        check_team_date(self, "joined_on")
        return data


class EndMemberForm(forms.Form):
    left_on = forms.DateField(
        label="Laatste dag in het team",
        widget=DateInput(),
        initial=timezone.localdate,
        error_messages={"required": "Vul een datum in.", "invalid": "Vul een geldige datum in."},
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        check_team_date(self, "left_on")
        return data


class HoursForm(forms.Form):
    # The hours the form showed: a colleague's change meanwhile is not overwritten unseen.
    expected_hours = forms.DecimalField(
        widget=forms.HiddenInput, required=False, max_digits=4, decimal_places=1
    )
    hours_per_week = forms.DecimalField(
        label="Nieuwe uren per week",
        min_value=Decimal("0"),
        max_value=Decimal("40"),
        decimal_places=1,
        error_messages={"required": "Vul het aantal uren in."},
    )
    on = forms.DateField(
        label="Geldig vanaf",
        widget=DateInput(),
        initial=timezone.localdate,
        error_messages={"required": "Vul een datum in.", "invalid": "Vul een geldige datum in."},
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        check_team_date(self, "on")
        return data


class PresenceSlotForm(forms.Form):
    form_token = formtokens.token_field()
    weekday = forms.TypedChoiceField(label="Dag", choices=Weekday.choices, coerce=int)
    starts_at = forms.TimeField(
        label="Van",
        widget=forms.TimeInput(attrs={"type": "time"}),
        error_messages={
            "required": "Vul een begintijd in.",
            "invalid": "Vul een tijd in als 08:30.",
        },
    )
    ends_at = forms.TimeField(
        label="Tot",
        widget=forms.TimeInput(attrs={"type": "time"}),
        error_messages={
            "required": "Vul een eindtijd in.",
            "invalid": "Vul een tijd in als 12:00.",
        },
    )
    place = TextField(label="Plek", max_length=120, required=False)
    is_walk_in = forms.BooleanField(
        label="Dit is een inloopspreekuur voor ouders en leerkrachten", required=False
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("starts_at") and data.get("ends_at") and data["ends_at"] <= data["starts_at"]:
            self.add_error("ends_at", "De eindtijd moet na de begintijd liggen.")
        return data
