"""Every form of ours either carries a form token or says why it needs none.

A form that adds a record must make one record when it is sent twice (`lib/formtokens.py`,
docs/architecture.md "Writes"). This test cannot tell by itself which forms add a record, so a
new form without a `form_token` fails here until it gets one, or is named below with the reason
a second send cannot make a second record.
"""

from __future__ import annotations

import importlib
import inspect

from django import forms
from django.apps import apps

# "app.FormName": why sending it twice makes no second record.
NO_TOKEN = {
    # Searches and sign-in: nothing is stored.
    "accounts.LoginForm": "signing in stores no record of its own",
    "accounts.TokenForm": "the second step of signing in",
    "accounts.ReauthForm": "confirming the password again",
    "accounts.PasswordChangeForm": "changes the password in place",
    "audit.UserSearchForm": "a search",
    "pupils.PupilSearchForm": "a search",
    "meetings.PupilSearchForm": "a search",
    "cases.ConvertSearchForm": "a search",
    # Changes in place, compared with what the screen showed (409 or "Dit was al gedaan.").
    "audit.ReviewForm": "a grant is reviewed once; a second review is refused",
    "audit.SignOffForm": "one sign-off per week and owner",
    "calendars.ReviewForm": "one decision per pending holiday (StaleState)",
    "pupils.MoveForm": "compares with the address the screen showed",
    "consent.CompleteForm": "a consent completed already is said to be complete",
    "consent.WithdrawForm": "withdraws the consents in force; a second send finds none",
    "careteams.EndMemberForm": "ends a row once (compare-and-set on left_on)",
    "careteams.HoursForm": "compares with the hours the screen showed (expected_hours)",
    "cases.StatusForm": "compares with the status the screen showed (expected)",
    "cases.CoordinatorForm": "compares with the coordinator the screen showed (expected)",
    "cases.ConvertForm": "a consultation becomes a case once",
    "meetings.RescheduleForm": "compares with the date and times the screen showed",
    "meetings.MinutesForm": "saves over a version number",
    "meetings.CorrectionForm": "compares with the reaction the screen showed (expected)",
    "meetings.ScheduleForm": "the team's one rhythm, changed in place",
    "plans.PlanTextForm": "saves over a version number",
    "plans.ActionStatusForm": "a status move; the same move again is 'Dit was al gedaan.'",
    "plans.PlanCoordinatorForm": "compares with the coordinator the screen showed (expected)",
    "plans.ActionOwnerForm": "compares with the owner the screen showed (expected)",
    "referrals.ReferralDocumentForm": "the draft's text, saved in place",
    "referrals.SeenStateForm": "a move of the referral, compared with its seen_* state",
    "referrals.ChooseTeamForm": "a move of the referral, compared with its seen_* state",
    "referrals.AcknowledgeForm": "a move of the referral, compared with its seen_* state",
    "referrals.ReassignForm": "a move of the referral, compared with its seen_* state",
    "referrals.PlanHandoverForm": "a move of the referral, compared with its seen_* state",
    "referrals.HoldHandoverForm": "a move of the referral, compared with its seen_* state",
    "referrals.FirstContactForm": "a move of the referral, compared with its seen_* state",
    "referrals.ReturnForm": "a move of the referral, compared with its seen_* state",
    "referrals.DeclineForm": "a move of the referral, compared with its seen_* state",
    "referrals.WithdrawForm": "a move of the referral, compared with its seen_* state",
    "referrals.CloseForm": "a move of the referral, compared with its seen_* state",
    "referrals.EscalateForm": "a move of the referral, compared with its seen_* state",
    "retention.RefuseForm": "a decision on a request, made once",
    "retention.ConfirmForm": "a decision on a request, made once",
    # Adds a record, but a second one is refused by a unique rule (the second send gets an
    # error message instead of the usual success).
    "careteams.AddMemberForm": "the same person twice in the same role is refused",
    "calendars.ClosureForm": "one study day or free day per school and day",
    "calendars.HolidayFileForm": "the same file again is matched row by row, not stored twice",
    "meetings.PlaceForm": "the same pupil twice on one agenda is refused",
}


def _our_forms() -> dict[str, type[forms.BaseForm]]:
    found: dict[str, type[forms.BaseForm]] = {}
    for app in apps.get_app_configs():
        if not app.name.startswith("schoolzorg."):
            continue
        try:
            module = importlib.import_module(f"{app.name}.forms")
        except ModuleNotFoundError:
            continue
        for name, value in vars(module).items():
            if (
                inspect.isclass(value)
                and issubclass(value, forms.BaseForm)
                and value.__module__ == module.__name__
            ):
                found[f"{app.label}.{name}"] = value
    return found


def test_every_form_carries_a_token_or_says_why_not() -> None:
    ours = _our_forms()
    missing = sorted(
        name
        for name, form in ours.items()
        if "form_token" not in form.base_fields and name not in NO_TOKEN
    )
    assert not missing, (
        f"Forms without a form_token: {missing}. A form that adds a record needs one "
        "(lib/formtokens.token_field); else name it in NO_TOKEN with the reason."
    )
    assert not sorted(set(NO_TOKEN) - set(ours)), "NO_TOKEN names a form that is gone"
    tokened = sorted(name for name in NO_TOKEN if "form_token" in ours[name].base_fields)
    assert not tokened, f"NO_TOKEN names forms that carry a token now: {tokened}"


def test_the_forms_fixed_for_double_posts_carry_a_token() -> None:
    """The forms the tester found sending twice (U1, U2, U3, U4, U7, U8), by name."""
    ours = _our_forms()
    for name in (
        "audit.BreakGlassForm",
        "cases.ConsultationForm",
        "consent.LegalBasisForm",
        "careteams.PresenceSlotForm",
        "meetings.MeetingForm",
        "referrals.StartForm",
    ):
        field = ours[name].base_fields["form_token"]
        assert isinstance(field, forms.UUIDField) and not field.required, name
