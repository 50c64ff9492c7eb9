"""Every write to a referral: one transaction, a timeline event and an audit row inside it,
notifications after commit. Each workflow move is a named function with its own rule and a
compare-and-set on the state the user saw (`referral.state` when the function is called).
"""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import hashlib
import uuid
from collections.abc import Collection, Iterable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F, Max, Q, QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from schoolzorg.accounts.models import Membership, User
from schoolzorg.accounts.notifications import notify
from schoolzorg.accounts.roles import Role
from schoolzorg.audit.models import Action
from schoolzorg.audit.services import Basis, record_access
from schoolzorg.calendars import workingdays
from schoolzorg.lib import formtokens
from schoolzorg.lib.dates import numeric
from schoolzorg.lib.prepared import prepared
from schoolzorg.lib.validators import is_blank
from schoolzorg.organisations.models import NeighbourhoodTeam, School
from schoolzorg.pupils.models import Pupil
from schoolzorg.referrals.access import referral_basis
from schoolzorg.referrals.deadlines import add_days, days_between, due_dates, level_dates
from schoolzorg.referrals.models import (
    Escalation,
    EscalationReason,
    Referral,
    ReferralEvent,
    ServiceNorm,
)
from schoolzorg.referrals.neighbours import (
    already_tried_lines,
    case_concerns,
    note_on_cases,
    plan_strengths_and_concerns,
    refer_open_cases,
)
from schoolzorg.referrals.policies import school_side
from schoolzorg.referrals.routing import Route, route_for
from schoolzorg.referrals.sharing import PURPOSE as SHARE_PURPOSE
from schoolzorg.referrals.sharing import (
    consent_scope,
    handover_basis_missing,
    handover_basis_q,
    has_handover_basis,
    has_share_basis,
    share_basis_end,
    share_basis_q,
)
from schoolzorg.referrals.workflow import (
    ASSIGNED_STATES,
    DUE_FIELD_BY_STEP,
    EDITABLE_STATES,
    OPEN_STATES,
    SENT_UNDER_WAY_STATES,
    STEP_BY_STATE,
    TRANSITIONS,
    UNDER_WAY_STATES,
    DayCount,
    State,
    Step,
    urgency_norm,
)

# The document's sections in the order of the form; (field, label) of what must be filled in.
REQUIRED_SECTIONS: list[tuple[str, str]] = [
    ("help_question", "de hulpvraag in de woorden van het gezin"),
    ("strengths", "wat goed gaat (krachten)"),
    ("concerns", "de zorgen"),
    ("already_tried", "wat al is geprobeerd"),
    ("reporting_code_status", "de stand van de meldcode"),
    ("consent_scope", "wat het wijkteam mag weten (toestemming)"),
    ("urgency", "de urgentie"),
    ("proposed_handover", "een voorstel voor de warme overdracht"),
]
DOCUMENT_FIELDS = [
    "help_question",
    "strengths",
    "concerns",
    "already_tried",
    "severity_summary",
    "severity_assessment_id",
    "child_safety_summary",
    "child_safety_assessment_id",
    "reporting_code_status",
    "consent_scope",
    "urgency",
    "proposed_handover",
]


class ReferralError(Exception):
    """A rule of the move was not met; `messages` say what, in Dutch.

    `errors` pairs each message with the input it is about ("" for the move as a whole), so a
    form can show it at that field.
    """

    def __init__(self, *messages: str, field: str = "") -> None:
        super().__init__(" ".join(messages))
        self.messages = list(messages)
        self.errors: list[tuple[str, str]] = [(field, m) for m in messages]

    @classmethod
    def at_fields(cls, errors: list[tuple[str, str]]) -> ReferralError:
        """One error with a (field, message) pair per problem found."""
        found = cls(*(message for _, message in errors))
        found.errors = list(errors)
        return found


class StaleState(ReferralError):
    """The referral changed since the user's screen was drawn: by someone else, or by the user
    in another tab or before going back; the message says which."""


class DoneAlready(ReferralError):
    """The user's own step, sent again (a double click, the back button), or a choice of what
    is chosen already: nothing to do."""


class UnseenChanges(ReferralError):
    """A section holds a text the user's screen did not show: the referral is not sent.

    `current` maps each such section to what is stored now.
    """

    def __init__(self, current: dict[str, Any]) -> None:
        super().__init__(
            "Niet verstuurd: een deel van de toeleiding is aangepast nadat u de pagina opende, "
            "door iemand anders of in een ander tabblad. Hieronder staat de tekst zoals die nu "
            "is. Lees die na en verstuur de toeleiding dan opnieuw."
        )
        self.current = current


class AlreadyAtTeam(ReferralError):
    """The team already has a referral for the pupil that is under way: no second one is sent.

    `other` is that referral.
    """

    def __init__(self, other: Referral) -> None:
        team = other.team.name if other.team else "het wijkteam"
        sent = f" op {numeric(other.submitted_on)}" if other.submitted_on else ""
        super().__init__(
            f"{team} heeft voor deze leerling al een toeleiding die nog loopt: verstuurd door "
            f"{other.school.name}{sent}, status ‘{other.get_state_display()}’. Een tweede "
            "toeleiding naar hetzelfde wijkteam kan niet; werk verder in de toeleiding die al "
            "loopt, of trek deze in."
        )
        self.other = other


def _today(today: dt.date | None) -> dt.date:
    return today or timezone.localdate()


def referral_url(referral: Referral) -> str:
    return reverse("referrals:detail", args=[referral.pk])


def _event(referral: Referral, kind: str, text: str, by: User | None) -> ReferralEvent:
    return ReferralEvent.objects.create(referral=referral, kind=kind, text=text[:500], by=by)


def _audit(referral: Referral, by: User | None, action: str, detail: str) -> None:
    record_access(
        None,
        action=action,
        pupil_id=referral.pupil_id,
        basis=referral_basis(by, referral)
        if by is not None
        else Basis("referral", ref=str(referral.pk)),
        obj=referral,
        detail=detail,
        user=by,
    )


def _notice(kind: str, **context: Any) -> str:
    """A neutral Dutch text without child data, from `referrals/email/<kind>.txt`."""
    return " ".join(render_to_string(f"referrals/email/{kind}.txt", context).split())


# The demo seed builds history in bulk: in-app notifications yes, a flood of console e-mails no.
_emails_on: ContextVar[bool] = ContextVar("referral_emails_on", default=True)


@contextmanager
def without_emails() -> Iterator[None]:
    token = _emails_on.set(False)
    try:
        yield
    finally:
        _emails_on.reset(token)


# A short, whole subject per message (the text itself is longer than a mail client shows, and a
# subject cut at a fixed length stops mid-word). No child data: only the referral's number.
SUBJECTS: dict[str, str] = {
    "submitted": "Nieuwe toeleiding {pk}",
    "acknowledged": "Toeleiding {pk} is ontvangen",
    "acknowledged_handover_consent_missing": (
        "Toeleiding {pk} is ontvangen; toestemming warme overdracht ontbreekt"
    ),
    "handover_consent_reminder": "Herinnering: toeleiding {pk} wacht op toestemming",
    "handover_consent_there": "Toeleiding {pk}: de warme overdracht kan worden gepland",
    "returned": "Toeleiding {pk} is teruggestuurd",
    "handover_planned": "Toeleiding {pk}: warme overdracht gepland",
    "handover_held": "Toeleiding {pk}: warme overdracht gehouden",
    "first_contact": "Toeleiding {pk}: eerste contact met het gezin",
    "accepted": "Toeleiding {pk} is aangenomen",
    "declined": "Toeleiding {pk} is afgewezen",
    "withdrawn": "Toeleiding {pk} is ingetrokken",
    "closed": "Toeleiding {pk} is afgesloten",
    "assigned": "U bent behandelaar van toeleiding {pk}",
    "reassigned": "U bent behandelaar van toeleiding {pk}",
    "escalated": "Escalatie niveau {level}: toeleiding {pk}",
    "share_basis_ended": "Toeleiding {pk}: geen grond meer om te delen",
    "share_basis_ended_school": "Toeleiding {pk}: geen grond meer om te delen",
    "rerouted": "Toeleiding {pk} gaat naar een ander wijkteam",
    "pupil_moved_team": "Toeleiding {pk}: de leerling is verhuisd",
    "pupil_moved_school": "Toeleiding {pk}: de leerling is verhuisd",
}


def subject_for(kind: str, referral: Referral, **context: Any) -> str:
    """The e-mail's subject for a message of this kind; an urgent referral's says so first."""
    tag = urgency_norm(referral.urgency).tag
    urgency = f"{tag.capitalize()}: " if tag else ""
    return f"Schoolzorg: {urgency}" + SUBJECTS[kind].format(pk=referral.pk, **context)


def _send(users: Iterable[User | None], kind: str, referral: Referral, **context: Any) -> None:
    people = [u for u in users if u is not None]
    if not people:
        return
    text = _notice(kind, referral=referral, urgency=urgency_norm(referral.urgency), **context)
    notify(
        people,
        text=text,
        url=referral_url(referral),
        subject=subject_for(kind, referral, **context),
        email=_emails_on.get(),
    )


def _school_side(referral: Referral) -> list[User]:
    """The school side of the referral (`policies.is_school_side`) as people: who hears of it
    at the school."""
    return school_side(referral)


def _team_members(team_id: int | None, *roles: str, school_id: int | None = None) -> list[User]:
    if team_id is None:
        return []
    found = _memberships_of_team(
        team_id=team_id, roles=roles, school_id=school_id, day=timezone.localdate()
    )
    return _people(m.user for m in found)


def _people(users: Iterable[User]) -> list[User]:
    """Each person once, in the order first met: someone with several roles or memberships
    gets one message and is named once."""
    found: dict[int, User] = {}
    for user in users:
        found.setdefault(user.pk, user)
    return list(found.values())


@prepared
def _memberships_of_team(
    team_id: int, roles: tuple[str, ...], school_id: int | None, day: dt.date
) -> QuerySet[Membership]:
    qs = Membership.objects.active(day).filter(organisation_id=team_id, role__in=roles)
    if school_id is not None:
        qs = qs.filter(school_id=school_id)
    return qs.select_related("user")


def contact_persons(referral: Referral) -> list[User]:
    return _team_members(
        referral.team_id, Role.NEIGHBOURHOOD_TEAM_CONTACT, school_id=referral.school_id
    )


def schools_without_contact(team_ids: Collection[int]) -> list[tuple[str, str]]:
    """(school, team) names for each school in a district of one of the teams for which that
    team has no contact person today, by school: its referrals reach the team's workers and
    leaders, and its escalations the leader in the contact person's place (`level_rung`)."""
    if not team_ids:
        return []
    links = NeighbourhoodTeam.districts.through.objects.filter(
        neighbourhoodteam_id__in=team_ids
    ).values_list("district_id", "neighbourhoodteam_id", "neighbourhoodteam__name")
    teams_of: dict[int, list[tuple[int, str]]] = {}
    for district_id, team_id, team_name in links:
        teams_of.setdefault(district_id, []).append((team_id, team_name))
    served = set(
        Membership.objects.active()
        .filter(role=Role.NEIGHBOURHOOD_TEAM_CONTACT, organisation_id__in=team_ids)
        .values_list("organisation_id", "school_id")
    )
    schools = (
        School.objects.filter(district_id__in=teams_of)
        .order_by("name", "pk")
        .values_list("pk", "name", "district_id")
    )
    return [
        (name, team_name)
        for pk, name, district_id in schools
        for team_id, team_name in sorted(teams_of[district_id], key=lambda t: t[1])
        if (team_id, pk) not in served
    ]


@dataclass(frozen=True)
class Rung:
    """Who hears of an escalation at one rung, and, when the rung's own people are missing,
    the words that say who was told in their place (the referral page shows them)."""

    people: list[User]
    instead: str = ""

    @property
    def notified(self) -> str:
        """The referral page's "Bericht aan" for the rung."""
        names = ", ".join(u.full_name for u in self.people)
        return f"{self.instead}: {names}" if self.instead and names else names


NO_CONTACT = "Geen contactpersoon voor deze school; bericht aan "


def level_rung(referral: Referral, level: int) -> Rung:
    """Who hears of an escalation at each rung of the ladder.

    Level 1 goes to the named worker only while one holds the referral (`ASSIGNED_STATES`);
    before acknowledgement it goes to the team's contact person for the school. Without a
    contact person for the school, level 1 goes to the team's workers and level 2 to its
    leaders, and the rung says so: the leader is not the school's contact person.
    """
    if level == 1:
        if referral.assignee is not None and referral.state in ASSIGNED_STATES:
            return Rung([referral.assignee])
        if contacts := contact_persons(referral):
            return Rung(contacts)
        workers = _team_members(referral.team_id, Role.NEIGHBOURHOOD_TEAM_WORKER)
        return Rung(workers, NO_CONTACT + "de medewerkers van het wijkteam")
    if level == 2:
        if contacts := contact_persons(referral):
            return Rung(contacts)
        leaders = _team_members(referral.team_id, Role.TEAM_LEADER)
        return Rung(leaders, NO_CONTACT + _leaders_words(leaders))
    if level == 3:
        return Rung(_team_members(referral.team_id, Role.TEAM_LEADER))
    municipality_id = _norm_municipality_id(referral)
    return Rung(
        _people(
            m.user
            for m in Membership.objects.active()
            .filter(
                role__in=[Role.SERVICE_DESK_COORDINATOR],
                organisation__municipality_id=municipality_id or 0,
            )
            .select_related("user")
        )
    )


def _leaders_words(leaders: list[User]) -> str:
    return "de teamleiders" if len(leaders) > 1 else "de teamleider"


def level_recipients(referral: Referral, level: int) -> list[User]:
    """The people of `level_rung`."""
    return level_rung(referral, level).people


def _norm_municipality_id(referral: Referral) -> int | None:
    if referral.team is not None and referral.team.municipality_id:
        return referral.team.municipality_id
    return referral.school.municipality_id


def norm_for(referral: Referral) -> ServiceNorm:
    return ServiceNorm.for_municipality(_norm_municipality_id(referral))


def _transition(
    referral: Referral,
    move: str,
    *,
    by: User | None,
    updates: dict[str, Any],
    text: str,
) -> None:
    """Compare-and-set the move's target state on the state and round the caller saw; timeline
    + audit.

    The round is part of what is compared: a referral returned and sent again is in the same
    state as before, and a screen from the earlier round must not act on the new submission.
    """
    spec = TRANSITIONS[move]
    expected = referral.state
    if expected not in spec.sources:
        raise StaleState(not_now(expected))
    changed = Referral.objects.filter(pk=referral.pk, state=expected, round=referral.round).update(
        state=spec.target, updated_at=timezone.now(), **updates
    )
    if changed == 0:
        raise _stale_move(referral, move, by)
    referral.state = spec.target
    for key, value in updates.items():
        setattr(referral, key, value)
    _event(referral, move, text, by)
    _audit(referral, by, Action.UPDATE, f"toeleiding: {spec.label.lower()}")
    note_on_cases(
        referral.pupil_id,
        school_id=referral.school_id,
        text=f"Toeleiding naar het wijkteam: {State(spec.target).label.lower()}.",
        by=by,
        url=referral_url(referral),
    )


def not_now(state: str) -> str:
    """The refusal of a move that the referral's state does not allow."""
    return f"Dit kan niet meer: de toeleiding heeft de status ‘{State(state).label}’."


def _moves_since(referral_pk: int, state: str, round_: int) -> list[tuple[str, int | None]]:
    """The moves made since the referral was last in `state` in round `round_`, oldest first,
    each with who made it, read from the timeline (every move puts a line there, and a
    submission starts the next round); empty when the timeline never shows it there."""
    at: tuple[str, int] = (State.DRAFT, 0)
    since: list[tuple[str, int | None]] = []
    found = at == (state, round_)
    lines = (
        ReferralEvent.objects.filter(referral_id=referral_pk, kind__in=list(TRANSITIONS))
        .order_by("at", "pk")
        .values_list("kind", "by_id")
    )
    for kind, by_id in lines:
        at = (TRANSITIONS[kind].target, at[1] + (kind == "submit"))
        since.append((kind, by_id))
        if at == (state, round_):
            since, found = [], True
    return since if found else []


def _stale_move(referral: Referral, move: str, by: User | None) -> StaleState:
    """The refusal of a step sent from a screen the referral has moved on from
    (`referral.state` and `.round`: what the screen showed).

    When every move since then was the user's own (another tab, the back button), it says so:
    "someone else" would send them looking for a colleague who did nothing.
    """
    current = Referral.objects.filter(pk=referral.pk).values_list("state", flat=True).first()
    label = State(current).label if current else "verwijderd"
    since = _moves_since(referral.pk, referral.state, referral.round)
    own = by is not None and bool(since) and all(by_id == by.pk for _, by_id in since)
    if own and any(kind == move for kind, _ in since):
        return StaleState(
            f"U had deze stap al gezet; de status is nu ‘{label}’. Er is niets opgeslagen."
        )
    if own:
        return StaleState(
            f"U heeft deze toeleiding intussen zelf gewijzigd; de status is nu ‘{label}’. Er "
            "is niets opgeslagen. Bekijk de nieuwe stand en probeer het zo nodig opnieuw."
        )
    return StaleState(
        f"Iemand anders heeft deze toeleiding net gewijzigd; de status is nu ‘{label}’. Er is "
        "niets opgeslagen. Bekijk de nieuwe stand en probeer het zo nodig opnieuw."
    )


def _stale_reassign(referral: Referral, *, worker: User, by: User) -> ReferralError:
    """The refusal of a hand-over sent from a screen that named another worker than is named now,
    or showed another state: the worker named now, and whether the user named them."""
    current = (
        Referral.objects.filter(pk=referral.pk)
        .values("state", "round", "assignee_id", "assignee__full_name")
        .first()
    )
    if current is None or (current["state"], current["round"]) != (referral.state, referral.round):
        return _stale_move(referral, "reassign", by)
    now = current["assignee__full_name"] or "niemand"
    last_by = (
        ReferralEvent.objects.filter(referral_id=referral.pk, kind__in=["acknowledge", "reassign"])
        .order_by("-at", "-pk")
        .values_list("by_id", flat=True)
        .first()
    )
    if last_by == by.pk and current["assignee_id"] == worker.pk:
        return DoneAlready("Dit was al gedaan.")
    if last_by == by.pk:
        return StaleState(
            f"U heeft de behandelaar intussen zelf gewijzigd; de behandelaar is nu {now}. Er is "
            "niets opgeslagen. Kies zo nodig opnieuw."
        )
    return StaleState(
        f"Iemand anders heeft deze toeleiding net gewijzigd; de behandelaar is nu {now}. Er is "
        "niets opgeslagen. Bekijk de nieuwe stand en kies zo nodig opnieuw."
    )


# What each move's form sends, and the field that keeps it: a move sent again is only "done
# already" when it carries what is stored (the back button, then a changed date, is not).
MOVE_INPUTS: dict[str, dict[str, str]] = {
    "acknowledge": {"worker": "assignee_id"},
    "plan_handover": {
        "on": "handover_on",
        "place": "handover_place",
        "participants": "handover_participants",
        "parents_invited": "parents_invited",
    },
    "hold_handover": {"held_on": "handover_held_on"},
    "confirm_first_contact": {"on": "first_contact_on"},
    "return_incomplete": {"reasons": "return_reasons"},
    "decline": {"advice": "decline_advice"},
    "withdraw": {"reason": "withdraw_reason"},
    "close": {"feedback": "closing_feedback"},
}


def _same_input(sent: Any, stored: Any) -> bool:
    if isinstance(sent, User):
        sent = sent.pk
    if isinstance(sent, str) or isinstance(stored, str):
        return fingerprint(sent) == fingerprint(stored)
    return bool(sent == stored)


def resent_own_move(
    referral_pk: int, move: str, *, seen_round: int, by: User, sent: Mapping[str, Any]
) -> str:
    """Whether a move refused as stale was this user's own, sent again (the back button or a
    form sent twice): "same" when it carries what the referral holds, "changed" when the user
    typed something else this time, "" when it is not their own.

    Their own: the referral is in the move's target state in the round the screen showed, and
    the last time that move was made, this user made it. Someone else's move gives "", and the
    refusal stands."""
    spec = TRANSITIONS.get(move)
    if spec is None:
        return ""
    fields = MOVE_INPUTS.get(move, {})
    current = (
        Referral.objects.filter(pk=referral_pk).values("state", "round", *fields.values()).first()
    )
    if current is None or (current["state"], current["round"]) != (spec.target, seen_round):
        return ""
    last_by = (
        ReferralEvent.objects.filter(referral_id=referral_pk, kind=move)
        .order_by("-at", "-pk")
        .values_list("by_id", flat=True)
        .first()
    )
    if last_by is None or last_by != by.pk:
        return ""
    same = all(_same_input(sent.get(key), current[field]) for key, field in fields.items())
    return "same" if same else "changed"


# --- Creating and editing the document ---------------------------------------------------------


def prefill_already_tried(pupil: Any) -> str:
    """What was already tried, from the plan and the SMW registration where available."""
    return "\n".join(already_tried_lines(pupil))


@transaction.atomic
def create_referral(
    pupil: Any,
    *,
    by: User,
    social_worker: User | None = None,
    form_token: uuid.UUID | None = None,
) -> Referral:
    """Start a draft for the pupil at their school, routed to the team where they live.

    The start page's `form_token`: the same form sent again (a double click, the back button)
    returns the draft of the first send instead of making a second one.
    """
    same = {"pupil_id": pupil.pk, "created_by_id": by.pk}
    first = formtokens.sent_before(Referral, form_token, error=ReferralError, **same)
    if first is not None:
        return first
    school = pupil.current_school
    if school is None:
        raise ReferralError("Deze leerling staat niet ingeschreven op een school.")
    route = route_for(pupil, school)
    # A suggestion the author edits: the plan's strengths and concerns, what was tried, and
    # what the consent to share says the team may know.
    strengths, concerns = plan_strengths_and_concerns(pupil)
    concerns = "\n\n".join(part for part in (concerns, case_concerns(pupil)) if part)
    referral, new = formtokens.create_once(
        Referral,
        form_token,
        error=ReferralError,
        same=same,
        pupil=pupil,
        school=school,
        team=route.team,
        routing_note=route.reason[:300],
        lives_outside_school_municipality=bool(route.warning),
        created_by=by,
        social_worker=social_worker or by,
        strengths=strengths,
        concerns=concerns,
        already_tried=prefill_already_tried(pupil),
        consent_scope=consent_scope(pupil, route.team),
    )
    if not new:
        return referral
    _event(referral, "created", f"Concept gemaakt. Route: {route.reason}", by)
    _audit(referral, by, Action.CREATE, "toeleiding aangemaakt")
    return referral


def fingerprint(value: Any) -> str:
    """A short stand-in for one section's text as a screen showed it, to compare with later.

    Line ends and the blanks around the text do not count: a browser sends a textarea's lines
    with CR LF, and the form strips what it gets.
    """
    text = "" if value is None else str(value)
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    return hashlib.sha256(text.encode()).hexdigest()[:16]


@dataclass(frozen=True)
class Seen:
    """What the user's screen showed of one section, as fingerprints.

    `base` is the text the field was drawn with (or last saved from this screen); `shown` the
    text someone else saved meanwhile, which the page showed beside the user's own after a
    conflict ("" when none). Replacing `shown` is a choice the user made after reading it.
    """

    base: str
    shown: str = ""


@dataclass
class DraftSave:
    """What `save_draft` did with each section it was given."""

    saved: list[str] = dataclasses.field(default_factory=list)
    # Changed by the user and, meanwhile, by someone else (or in another tab): not saved. The
    # value is what is stored now, for the page to show beside the user's own text.
    conflicts: dict[str, Any] = dataclasses.field(default_factory=dict)
    # Not changed by the user, changed meanwhile elsewhere: the value is what is stored now.
    changed_elsewhere: dict[str, Any] = dataclasses.field(default_factory=dict)


_SENT = (
    "Deze toeleiding is al verstuurd en kan niet meer worden aangepast. Uw laatste "
    "wijzigingen zijn niet opgeslagen."
)


def save_draft(
    referral: Referral,
    data: dict[str, Any],
    *,
    by: User,
    seen: Mapping[str, Seen] | None = None,
) -> DraftSave:
    """Save the sections the user changed, while the referral is a draft or returned.

    A section is written only when the user changed it since their screen was drawn (`seen`;
    without it, the referral as passed in is what the caller saw) and nobody changed it
    meanwhile: what is stored is still what the screen was drawn with, or what the page showed
    beside it after a conflict. A section changed on both sides is not written: it comes back in
    `conflicts` with what is stored now, so nobody's text is lost without a word. A section the
    user left alone is never written, so an autosave of the whole form does not put back a
    colleague's old text. The row is locked while comparing: saves at the same moment are
    compared one after the other. On return the referral holds the sections as stored.
    """
    fields = [k for k in data if k in DOCUMENT_FIELDS]
    if seen is None:
        seen = {f: Seen(fingerprint(getattr(referral, f))) for f in fields}
    result = DraftSave()
    with transaction.atomic():
        stored = (
            Referral.objects.select_for_update()
            .filter(pk=referral.pk, state__in=EDITABLE_STATES)
            .values(*DOCUMENT_FIELDS)
            .first()
        )
        if stored is None:
            raise StaleState(_SENT)
        writes: dict[str, Any] = {}
        for name in fields:
            screen = seen.get(name, Seen(""))
            mine, now = fingerprint(data[name]), fingerprint(stored[name])
            if mine == screen.base:
                if now != screen.base:
                    result.changed_elsewhere[name] = stored[name]
            elif mine == now:
                continue  # the same text is stored already (saved before from this screen)
            elif now == screen.base or (screen.shown and now == screen.shown):
                writes[name] = data[name]
            else:
                result.conflicts[name] = stored[name]
        if writes:
            Referral.objects.filter(pk=referral.pk).update(updated_at=timezone.now(), **writes)
            stored.update(writes)
            result.saved = list(writes)
    for name in DOCUMENT_FIELDS:
        setattr(referral, name, stored[name])
    return result


@transaction.atomic
def choose_team(referral: Referral, team: NeighbourhoodTeam, *, reason: str, by: User) -> Referral:
    """Send the referral to another team than the route gives; needs a reason, is logged.

    Choosing the team that was chosen by hand already changes nothing (`DoneAlready`, no line
    on the timeline): the same form sent twice (a double click, the back button) is one choice.
    A move since then (`pupil_moved_on`) makes the same team a choice again: it is chosen
    knowing where the pupil lives now.
    """
    reason = (reason or "").strip()
    if not reason:
        raise ReferralError("Schrijf op waarom u een ander wijkteam kiest.")
    # The row is locked, so two sends at the same moment are compared one after the other.
    now = (
        Referral.objects.select_for_update()
        .filter(pk=referral.pk, state__in=EDITABLE_STATES)
        .values("team_id", "is_routing_overridden", "pupil_moved_on")
        .first()
    )
    if (
        now is not None
        and now["team_id"] == team.pk
        and now["is_routing_overridden"]
        and now["pupil_moved_on"] is None
    ):
        raise DoneAlready(f"De toeleiding ging al naar {team.name}. Er is niets veranderd.")
    # A team sees a referral from its submission to that team on: a returned referral that goes to
    # another team is nobody's until it is sent again (the old team returned it, the new one never
    # received it).
    updates: dict[str, Any] = {
        "team": team,
        "is_routing_overridden": True,
        "override_reason": reason,
        # A team chosen after a move is chosen knowing it: the page stops asking.
        "pupil_moved_on": None,
        "updated_at": timezone.now(),
    }
    if team.pk != referral.team_id:
        updates["submitted_at"] = None
    changed = Referral.objects.filter(pk=referral.pk, state__in=EDITABLE_STATES).update(**updates)
    if changed == 0:
        raise StaleState(
            "Het wijkteam kan alleen worden gewijzigd zolang de toeleiding een concept is."
        )
    for field, value in updates.items():
        setattr(referral, field, value)
    _event(referral, "team_chosen", f"Wijkteam gekozen: {team.name}. Reden: {reason}", by)
    _audit(referral, by, Action.UPDATE, "ander wijkteam gekozen")
    return referral


# --- The pupil moved ---------------------------------------------------------------------------


def pending_route(referral: Referral) -> Route | None:
    """The route a send would give the referral now, when it differs from the one stored (the
    pupil moved, or the postcode table changed); None when it stays as it is.

    Only a referral the school can still send (a draft, or returned) is routed again, and not
    one whose team was chosen by hand (`is_routing_overridden`): that choice had a reason.
    """
    if referral.state not in EDITABLE_STATES or referral.is_routing_overridden:
        return None
    route = route_for(referral.pupil, referral.school)
    team_id = route.team.pk if route.team is not None else None
    if (team_id, route.reason[:300], bool(route.warning)) == (
        referral.team_id,
        referral.routing_note,
        referral.lives_outside_school_municipality,
    ):
        return None
    return route


def as_routed(referral: Referral) -> Referral:
    """The referral as a send would route it now (`pending_route`): a copy with the new team,
    for pages and checks that must show what will happen; the referral itself when nothing
    changes. Nothing is stored."""
    route = pending_route(referral)
    if route is None:
        return referral
    routed = copy.copy(referral)
    routed.team = route.team
    routed.routing_note = route.reason[:300]
    routed.lives_outside_school_municipality = bool(route.warning)
    return routed


def route_again(referral: Referral, *, by: User | None) -> Route | None:
    """Store the route a send would give the referral now (`pending_route`). A new team is a
    line on the timeline ("Wijkteam opnieuw bepaald"); a new wording with the same team (the
    home now found by its full postcode instead of its area) is stored without one; a move
    within the district changes neither, as the route names no postcode (`routing`). Returns
    the route when the team changed.

    As `choose_team`: a returned referral that goes to another team is nobody's until it is
    sent again. A compare-and-set on the team stored: a colleague's choice meanwhile wins.
    """
    route = pending_route(referral)
    if route is None:
        return None
    before = referral.team
    team_changed = (route.team.pk if route.team is not None else None) != referral.team_id
    updates: dict[str, Any] = {
        "team": route.team,
        "routing_note": route.reason[:300],
        "lives_outside_school_municipality": bool(route.warning),
        "updated_at": timezone.now(),
    }
    if team_changed:
        updates["submitted_at"] = None
    changed = Referral.objects.filter(
        pk=referral.pk,
        state__in=EDITABLE_STATES,
        is_routing_overridden=False,
        team_id=referral.team_id,
    ).update(**updates)
    if not changed:
        return None
    for field, value in updates.items():
        setattr(referral, field, value)
    if not team_changed:
        return None
    was = f" Eerst ging ze naar {before.name}." if before is not None else ""
    _event(referral, "rerouted", f"Wijkteam opnieuw bepaald: {route.reason}{was}", by)
    _audit(referral, by, Action.UPDATE, "toeleiding: wijkteam opnieuw bepaald")
    return route


def home_words(pupil: Any) -> str:
    """Where the pupil lives now, without the address: "wijk Centrum in Waterstede", for a
    message that names no child."""
    if pupil.home_district is not None:
        town = pupil.home_municipality
        return f"wijk {pupil.home_district.name}" + (f" in {town.name}" if town else "")
    if pupil.home_municipality is not None:
        return f"de gemeente {pupil.home_municipality.name}"
    return "een wijk die niet bekend is"


@dataclass(frozen=True)
class MovedElsewhere:
    """A referral under way at a team that is no longer the team of the pupil's home district:
    since when, where the pupil lives now, and the team there (None: none found)."""

    on: dt.date
    where: str
    team: NeighbourhoodTeam | None


def moved_elsewhere(referral: Referral) -> MovedElsewhere | None:
    """What the referral's page says after a move (`Referral.pupil_moved_on`): only while the
    route still gives another team than the referral's (not after moving back, not once it was
    sent again to the new team), and not for a draft the route follows by itself."""
    if referral.pupil_moved_on is None or referral.state not in UNDER_WAY_STATES:
        return None
    if referral.state in EDITABLE_STATES and not referral.is_routing_overridden:
        return None  # its route follows the move by itself (`pending_route`)
    route = route_for(referral.pupil, referral.school)
    if route.team is not None and route.team.pk == referral.team_id:
        return None
    return MovedElsewhere(referral.pupil_moved_on, home_words(referral.pupil), route.team)


def pupil_moved(pupil: Any, residence: Any, by: Any) -> list[str]:
    """The move hook (`pupils.services.on_moved`, in the move's transaction): every referral of
    the pupil under way follows the home district.

    - A draft, or one returned to the school, is routed again (`route_again`); the school side
      hears of it when the team changed. One whose team was chosen by hand keeps it, and the
      school side is asked to check that choice.
    - One the team has (sent, up to accepted) keeps its team: the school side and the team's
      people on it (`_team_people`) hear that the pupil now lives in another district, which
      one and the team there, when that team is another; the referral's page says so. Passing
      it on goes through the existing moves (ADR 0401, "A move"): the team returns it, or
      declines it with advice, or the school withdraws it and starts a new one.

    Returns a sentence per referral for the person who recorded the move.
    """
    told: list[str] = []
    found = (
        Referral.objects.filter(pupil_id=pupil.pk, state__in=UNDER_WAY_STATES)
        .select_related("school", "team", "assignee", "social_worker")
        .order_by("pk")
    )
    on = residence.moved_in_on
    where = home_words(pupil)
    for referral in found:
        referral.pupil = pupil
        school = [u for u in _school_side(referral) if u != by]
        if referral.state in EDITABLE_STATES and not referral.is_routing_overridden:
            route = route_again(referral, by=by)
            if route is None:
                continue
            team = route.team.name if route.team is not None else ""
            _send(school, "rerouted", referral, where=where, new_team=team)
            told.append(
                f"Het concept van toeleiding {referral.pk} gaat nu naar {team}."
                if team
                else f"Voor het concept van toeleiding {referral.pk} is geen wijkteam meer "
                "bekend: kies het wijkteam in het concept."
            )
            continue
        route = route_for(pupil, referral.school)
        if route.team is not None and route.team.pk == referral.team_id:
            continue
        Referral.objects.filter(pk=referral.pk).update(pupil_moved_on=on)
        referral.pupil_moved_on = on
        new_team = route.team.name if route.team is not None else ""
        there = f"Daar werkt {new_team}." if new_team else "Het wijkteam daar is niet bekend."
        current = referral.team.name if referral.team is not None else "het gekozen wijkteam"
        _event(
            referral,
            "pupil_moved",
            f"De leerling is op {numeric(on)} verhuisd naar {where}. {there} Deze toeleiding "
            f"{'loopt bij' if referral.submitted_at else 'gaat naar'} {current}.",
            by,
        )
        context = {"on": on, "where": where, "new_team": new_team, "team": current}
        if referral.state in EDITABLE_STATES:
            _send(school, "pupil_moved_school", referral, **context)
            told.append(
                f"Toeleiding {referral.pk} gaat naar het zelf gekozen {current}. {there} "
                "Kijk in het concept na of die keuze nog klopt."
            )
            continue
        _send(_team_people(referral), "pupil_moved_team", referral, **context)
        _send(school, "pupil_moved_school", referral, **context)
        told.append(
            f"Toeleiding {referral.pk} loopt bij {current}. {there} De school en het wijkteam "
            "hebben daarvan bericht gekregen."
        )
    return told


def home_team_note(pupil: Any) -> str:
    """The move page's sentence on the team of the pupil's home district
    (`pupils.services.on_home_note`)."""
    if pupil.current_school is None:
        return ""
    route = route_for(pupil, pupil.current_school)
    return f"Wijkteam voor een toeleiding: {route.reason}"


# --- Rules ------------------------------------------------------------------------------------


def missing_at_fields(referral: Referral, today: dt.date | None = None) -> list[tuple[str, str]]:
    """Everything that stops the referral from being sent, in plain Dutch and in the order of
    the form, each with the section it is about ("" for the team and the consent, which the
    document's form does not hold), so the form can say it at that field."""
    day = _today(today)
    missing = [
        (field, f"Vul {label} in.")
        for field, label in REQUIRED_SECTIONS
        if not getattr(referral, field)
    ]
    if not (referral.severity_summary.strip() or referral.severity_assessment_id):
        missing.append(
            ("severity_summary", "Vul de ernsttaxatie in of koppel een afgeronde ernsttaxatie.")
        )
    if not (referral.child_safety_summary.strip() or referral.child_safety_assessment_id):
        missing.append(
            (
                "child_safety_summary",
                "Vul de veiligheidsinschatting (LIRIK) in of koppel een afgeronde.",
            )
        )
    order = {name: n for n, name in enumerate(DOCUMENT_FIELDS)}
    missing.sort(key=lambda pair: order[pair[0]])
    referral = as_routed(referral)  # the team a send would go to now
    if referral.team_id is None:
        missing.append(("", "Kies het wijkteam dat de toeleiding krijgt."))
    elif not has_share_basis(referral, day):
        missing.append(
            (
                "",
                "Er is geen geldige toestemming om gegevens te delen met "
                f"{referral.team.name if referral.team else 'het wijkteam'}. Leg de "
                "toestemming van de ouders (en van de leerling vanaf 12 jaar) eerst vast.",
            )
        )
    return missing


def missing_parts(referral: Referral, today: dt.date | None = None) -> list[str]:
    """Everything that stops the referral from being sent, in plain Dutch (`missing_at_fields`)."""
    return [message for _, message in missing_at_fields(referral, today)]


def _is_team_member(user: User, team_id: int | None) -> bool:
    if team_id is None:
        return False
    return (
        Membership.objects.active()
        .filter(
            user=user,
            organisation_id=team_id,
            role__in=[
                Role.NEIGHBOURHOOD_TEAM_WORKER,
                Role.NEIGHBOURHOOD_TEAM_CONTACT,
                Role.TEAM_LEADER,
            ],
        )
        .exists()
    )


# --- Dates of steps -----------------------------------------------------------------------------

# A handover is planned at most a year ahead: a later date is a typing error (9999-12-31), and
# a family that waits a year has not been handed over warmly.
HANDOVER_HORIZON_YEARS = 1


def latest_handover_on(today: dt.date) -> dt.date:
    """The last day a warm handover may be planned on, seen from `today`."""
    try:
        return today.replace(year=today.year + HANDOVER_HORIZON_YEARS)
    except ValueError:  # 29 February
        return today.replace(year=today.year + HANDOVER_HORIZON_YEARS, day=28)


def _long(day: dt.date) -> str:
    return date_format(day, "j F Y")


def _weekday_long(day: dt.date) -> str:
    return date_format(day, "l j F Y")


def _handover_days(referral: Referral) -> tuple[str, int | None, str, str, str] | None:
    """The calendar a warm handover keeps to, by its urgency (`workflow.URGENCY_NORMS`): region,
    school, and the words for a closed day, the day to pick and one such day; None when every day
    will do.

    Normally the handover is a meeting at or with the school, and the deadlines count school
    working days of that school: a holiday or a weekend is a day nobody from the school is
    there. A referral with haste counts working days (the team works in the school holidays) or,
    with safety at stake, every day: the handover may then be where the school is not.
    """
    counts = urgency_norm(referral.urgency).counts
    if counts == DayCount.CALENDAR:
        return None
    if counts == DayCount.WORKING:
        return "", None, "is het geen werkdag", "werkdag", "werkdag"
    return (
        referral.school.effective_holiday_region,
        referral.school_id,
        "is de school dicht",
        "dag waarop de school open is",
        "schooldag",
    )


def _school_closed_on(referral: Referral, on: dt.date) -> str:
    """Why a warm handover cannot be planned on `on` ("" when it can), with the first day after
    it that it can (`_handover_days`), in the words every date field uses
    (`workingdays.closed_day_refusal`)."""
    days = _handover_days(referral)
    if days is None:
        return ""
    region, school_id, closed, pick, first = days
    words = workingdays.ClosedWords(closed, pick, first)
    return workingdays.closed_day_refusal(on, region=region, school_id=school_id, words=words)


def _closed_hold_day(
    referral: Referral, held_on: dt.date, *, earliest: dt.date | None, today: dt.date
) -> str:
    """Why the warm handover cannot have been held on `held_on` ("" when it can have been).

    The same days as for planning it (`_handover_days`): a day the handover could not be planned
    on is not a day it was held on, and the figures would count it as held in time. The message
    names the last allowed day before it (when not before `earliest`) and the first one after it,
    saying so when that day is still to come.
    """
    days = _handover_days(referral)
    if days is None:
        return ""
    region, school_id, closed, pick, first = days
    reasons = workingdays.closed_because(held_on, region=region, school_id=school_id)
    if not reasons:
        return ""
    parts = [f"Op {_weekday_long(held_on)} {closed} ({', '.join(reasons)}). Kies een {pick}."]
    try:
        before = workingdays.add_school_days(held_on, -1, region=region, school_id=school_id)
    except ValueError:
        before = None
    if before is not None and (earliest is None or before >= earliest):
        parts.append(f"De laatste {first} daarvoor is {_weekday_long(before)}.")
    try:
        after = workingdays.add_school_days(held_on, 1, region=region, school_id=school_id)
    except ValueError:
        after = None
    if after is not None:
        parts.append(
            f"De eerste {first} daarna is {_weekday_long(after)}"
            + ("." if after <= today else "; die dag moet nog komen.")
        )
    return " ".join(parts)


def likely_hold_day(referral: Referral, today: dt.date) -> dt.date | None:
    """The day the "held on" field starts with: the planned day when that has come, else the
    last day up to today the handover could have been held on (`_handover_days`, not before
    `_earliest_hold`), so that on a Saturday the field does not start with a day that saving
    would refuse. None (the field starts empty) when there is no such day: planned on a
    Saturday for later, say, as no day before the day it was planned can be chosen."""
    planned = referral.handover_on
    if planned is not None and planned <= today:
        return planned
    days = _handover_days(referral)
    if days is None:
        return today
    region, school_id = days[0], days[1]
    if not workingdays.closed_because(today, region=region, school_id=school_id):
        return today
    try:
        before = workingdays.add_school_days(today, -1, region=region, school_id=school_id)
    except ValueError:
        return None
    earliest, _ = _earliest_hold(referral)
    return before if earliest is None or before >= earliest else None


def early_hold_warning(referral: Referral) -> str:
    """What the team reads after recording a warm handover held before its planned day ("" when
    held on or after it): a date typed wrong is easy to miss, and the figures count it."""
    held, planned = referral.handover_held_on, referral.handover_on
    if held is None or planned is None or held >= planned:
        return ""
    return (
        f"Let op: u hebt vastgelegd dat de warme overdracht op {_weekday_long(held)} is "
        f"gehouden. Ze was gepland op {_weekday_long(planned)}, dus eerder dan gepland. "
        "Klopt die datum?"
    )


def parents_not_invited_warning(referral: Referral) -> str:
    """What the team reads after planning a warm handover without inviting the parents ("" when
    they are invited): the handover is best held with the family there (domain, "warme
    overdracht"). Allowed, as a parent may not be able to come; the school sees it on the page."""
    if referral.parents_invited:
        return ""
    return (
        "Let op: de ouders zijn niet uitgenodigd. Een warme overdracht is liefst met het gezin "
        "erbij. Kunnen de ouders toch komen? Pas de overdracht dan aan en zet een vinkje bij "
        "‘De ouders zijn uitgenodigd’."
    )


def handover_held_without_basis_warning(referral: Referral) -> str:
    """What the team reads after recording a warm handover held on a day without a consent for
    it ("" when there was one): the conversation happened and is recorded as it was, but the
    school must know that the ground was missing (withdrawn or ended after planning)."""
    held = referral.handover_held_on
    if held is None or has_handover_basis(referral, held):
        return ""
    return (
        f"Let op: op {_weekday_long(held)} was er geen geldige toestemming voor de warme "
        "overdracht. Dat staat nu op de tijdlijn. Bespreek met de school of de toestemming "
        "nog moet worden vastgelegd."
    )


def late_handover_warning(referral: Referral) -> str:
    """What the team reads after planning a warm handover after its deadline ("" when in time).

    A late date is allowed: the family's and the school's diaries decide, and refusing it would
    not make the handover earlier. The deadline stays what it was (ADR 0401: a late step does not
    move the promise to the family), so the sweep escalates the step once it has passed.
    """
    on, due = referral.handover_on, referral.handover_due_on
    if on is None or due is None or on <= due:
        return ""
    return (
        f"Let op: {_weekday_long(on)} is na de termijn. De warme overdracht "
        f"moest uiterlijk {_weekday_long(due)} gehouden worden. De "
        "overdracht is wel gepland. Na de termijn krijgt de behandelaar automatisch een "
        "herinnering, daarna de contactpersoon en de teamleider (escalatie)."
    )


# A step that happened cannot have happened before the step it follows: the figures count the
# days between them, and a date before it would give a negative lead time.
def _earliest_hold(referral: Referral) -> tuple[dt.date | None, str]:
    """The first day the warm handover can have been held on, and what happened that day."""
    if referral.handover_planned_on is not None:
        return referral.handover_planned_on, "de dag waarop ze werd gepland"
    return _earliest_after_submission(referral)


def _earliest_first_contact(referral: Referral) -> tuple[dt.date | None, str]:
    """The first day the first contact can have been on, and what happened that day."""
    if referral.handover_held_on is not None:
        return referral.handover_held_on, "de warme overdracht"
    return _earliest_after_submission(referral)


def _earliest_after_submission(referral: Referral) -> tuple[dt.date | None, str]:
    if referral.acknowledged_on is not None:
        return referral.acknowledged_on, "de ontvangstbevestiging"
    return referral.submitted_on, "het versturen van de toeleiding"


# --- Moves ------------------------------------------------------------------------------------


def _read_document(referral: Referral, showing: Mapping[str, Collection[str]] | None) -> None:
    """Put the sections as stored on the referral, the row locked until commit; with `showing`,
    refuse when a section holds a text the user's screen does not show."""
    stored = (
        Referral.objects.select_for_update()
        .filter(pk=referral.pk)
        .values("state", "round", *DOCUMENT_FIELDS)
        .first()
    )
    if stored is None or (stored["state"], stored["round"]) != (referral.state, referral.round):
        return  # the move's compare-and-set says what happened
    if showing is not None:
        unseen = {
            name: stored[name]
            for name, texts in showing.items()
            if name in DOCUMENT_FIELDS and fingerprint(stored[name]) not in texts
        }
        if unseen:
            raise UnseenChanges(unseen)
    for name in DOCUMENT_FIELDS:
        setattr(referral, name, stored[name])


def _refuse_a_second_at_the_team(referral: Referral) -> None:
    """Raise `AlreadyAtTeam` when the team already has another referral for the pupil that is
    under way (`SENT_UNDER_WAY_STATES`). The pupil's row is locked first, so two referrals sent
    at the same moment wait for each other and the second finds the first."""
    if referral.team_id is None:
        return
    Pupil.objects.select_for_update().filter(pk=referral.pupil_id).values_list("pk").first()
    other = (
        Referral.objects.filter(
            pupil_id=referral.pupil_id,
            team_id=referral.team_id,
            state__in=SENT_UNDER_WAY_STATES,
        )
        .exclude(pk=referral.pk)
        .select_related("team", "school")
        .order_by("-submitted_at", "-pk")
        .first()
    )
    if other is not None:
        raise AlreadyAtTeam(other)


@transaction.atomic
def submit_referral(
    referral: Referral,
    *,
    by: User,
    today: dt.date | None = None,
    showing: Mapping[str, Collection[str]] | None = None,
) -> Referral:
    """Send the referral to the team; every section and a basis for sharing must be present.

    `showing` holds, per section, the fingerprints of the texts the user's screen shows (the
    field, and what the page showed beside it): the team gets no text the user has not seen.
    """
    _read_document(referral, showing)
    # The team of the home district as it is now: the pupil may have moved since the draft was
    # made (`route_again`; a team chosen by hand stays).
    route_again(referral, by=by)
    day = _today(today)
    missing = missing_at_fields(referral, day)
    if missing:
        raise ReferralError.at_fields(missing)
    _refuse_a_second_at_the_team(referral)
    dues = due_dates(referral.school, day, norm_for(referral), referral.urgency)
    first = referral.round == 0
    _transition(
        referral,
        "submit",
        by=by,
        updates={
            "round": referral.round + 1,
            "submitted_at": timezone.now(),
            "submitted_on": day,
            # A new round is nobody's yet: the worker of an earlier round (perhaps of another
            # team) is no longer the one who acknowledges, hears level 1 or holds the file.
            "assignee": None,
            "acknowledged_on": None,
            "handover_planned_on": None,
            "handover_held_on": None,
            "first_contact_on": None,
            "share_basis_ended_on": None,
            "handover_consent_wait_from": None,
            # Sent knowing where the pupil lives now (the page showed it).
            "pupil_moved_on": None,
            **dues,
        },
        text="Verstuurd naar "
        + (referral.team.name if referral.team else "het wijkteam")
        + ("" if first else " (opnieuw, na aanvulling)"),
    )
    refer_open_cases(referral.pupil_id, school_id=referral.school_id, by=by)
    _send(submit_recipients(referral), "submitted", referral, due=referral.acknowledge_due_on)
    return referral


def submit_recipients(referral: Referral) -> list[User]:
    """Who hears of the referral when it is sent: the team's contact person for the school, or,
    when the team has none for it, its leaders and workers; for an urgency that tells the
    leaders (*Direct*), the leaders as well, beside whoever else is told."""
    recipients = contact_persons(referral) or _team_members(
        referral.team_id, Role.TEAM_LEADER, Role.NEIGHBOURHOOD_TEAM_WORKER
    )
    if urgency_norm(referral.urgency).tells_leaders:
        # Safety cannot wait for the contact person's diary: the team leaders hear it at once,
        # and never instead of the people a normal referral reaches.
        recipients = _people([*recipients, *_team_members(referral.team_id, Role.TEAM_LEADER)])
    return recipients


@transaction.atomic
def acknowledge_referral(
    referral: Referral, *, by: User, worker: User | None = None, today: dt.date | None = None
) -> Referral:
    """Confirm receipt and name the worker who takes the referral; a colleague named hears of
    it."""
    worker = worker or by
    if not _is_team_member(by, referral.team_id):
        raise ReferralError(
            "Alleen het wijkteam dat de toeleiding kreeg, kan de ontvangst bevestigen."
        )
    if not _is_team_member(worker, referral.team_id):
        raise ReferralError("Kies een medewerker van dit wijkteam.")
    day = _today(today)
    # Without a consent for the warm handover the next step waits on the school from today.
    waits = not has_handover_basis(referral, day)
    _transition(
        referral,
        "acknowledge",
        by=by,
        updates={
            "assignee": worker,
            "acknowledged_on": day,
            "handover_consent_wait_from": day if waits else None,
        },
        text=f"Ontvangst bevestigd. Behandelaar: {worker.full_name}",
    )
    _send(
        _school_side(referral),
        "acknowledged_handover_consent_missing" if waits else "acknowledged",
        referral,
    )
    if worker.pk != by.pk:
        # A colleague named now holds the next deadline, as after a hand-over; else they first
        # hear of it from the escalation ladder, whose first rung is theirs once it has passed.
        _send([worker], "assigned", referral, due=referral.plan_due_on)
    return referral


@transaction.atomic
def reassign_referral(referral: Referral, *, worker: User, by: User) -> Referral:
    """Hand the referral to another worker of the team (the team leader or contact person, when
    the named worker stalls). Compare-and-set on what the screen showed (`referral.state`,
    `.round` and `.assignee_id` when the function is called): a screen that still named the
    worker a colleague just replaced saves nothing. The new worker hears of it."""
    if not _is_team_member(worker, referral.team_id):
        raise ReferralError("Kies een medewerker van dit wijkteam.", field="worker")
    if referral.state not in ASSIGNED_STATES:
        raise StaleState(not_now(referral.state))
    if referral.assignee_id == worker.pk:
        raise ReferralError(f"{worker.full_name} is al de behandelaar.", field="worker")
    changed = Referral.objects.filter(
        pk=referral.pk,
        state=referral.state,
        round=referral.round,
        assignee_id=referral.assignee_id,
    ).update(assignee=worker, updated_at=timezone.now())
    if changed == 0:
        raise _stale_reassign(referral, worker=worker, by=by)
    before = referral.assignee  # the worker the screen named, as stored until now
    referral.assignee = worker
    was = f" (was {before.full_name})" if before is not None else ""
    _event(referral, "reassign", f"Nieuwe behandelaar: {worker.full_name}{was}", by)
    _audit(referral, by, Action.UPDATE, "toeleiding: behandelaar gewijzigd")
    _send([worker], "reassigned", referral)
    return referral


@transaction.atomic
def plan_handover(
    referral: Referral,
    *,
    by: User,
    on: dt.date,
    place: str,
    participants: str,
    parents_invited: bool,
    today: dt.date | None = None,
) -> Referral:
    """Plan (or move) the warm handover: date, place, who takes part, whether parents are invited.

    The conversation needs a consent for the warm handover (or a legal basis for it) with the
    team, in force on its day (`sharing.handover_basis_missing`); without one it is refused.
    """
    day = _today(today)
    problems = []
    if on < day:
        problems.append(("on", "De datum van de warme overdracht ligt in het verleden."))
    elif on > latest_handover_on(day):
        problems.append(
            (
                "on",
                "Plan de warme overdracht binnen een jaar: uiterlijk "
                f"{_long(latest_handover_on(day))}.",
            )
        )
    elif closed := _school_closed_on(referral, on):
        problems.append(("on", closed))
    elif no_basis := handover_basis_missing(referral, on):
        problems.append(("", no_basis))
    if is_blank(place):
        problems.append(("place", "Vul de plaats in."))
    if is_blank(participants):
        problems.append(("participants", "Vul in wie er meedoen."))
    if problems:
        raise ReferralError.at_fields(problems)
    # The consent is there now: the days the step waited on it are not the team's.
    end_handover_consent_wait(referral, today=day, tell=False)
    replan = referral.state == State.HANDOVER_PLANNED
    _transition(
        referral,
        "plan_handover",
        by=by,
        updates={
            "handover_on": on,
            "handover_place": place.strip(),
            "handover_participants": participants.strip(),
            "parents_invited": parents_invited,
            "handover_planned_on": referral.handover_planned_on if replan else day,
        },
        text=("Warme overdracht verzet naar " if replan else "Warme overdracht gepland op ")
        + f"{numeric(on)}, {place.strip()}"
        + (". Ouders zijn uitgenodigd." if parents_invited else ". Ouders zijn niet uitgenodigd.")
        + (
            f" Dat is na de termijn (uiterlijk {numeric(referral.handover_due_on)})."
            if referral.handover_due_on is not None and on > referral.handover_due_on
            else ""
        ),
    )
    _send(_school_side(referral), "handover_planned", referral, on=on)
    return referral


@transaction.atomic
def hold_handover(
    referral: Referral, *, by: User, held_on: dt.date | None = None, today: dt.date | None = None
) -> Referral:
    """Record that the warm handover took place."""
    day = _today(today)
    held_on = held_on or day
    if held_on > day:
        raise ReferralError(
            "Een gesprek dat nog moet komen, kan niet als gehouden worden vastgelegd.",
            field="held_on",
        )
    earliest, after = _earliest_hold(referral)
    if earliest is not None and held_on < earliest:
        raise ReferralError(
            f"De warme overdracht kan niet eerder gehouden zijn dan {after} "
            f"({_long(earliest)}). Kies die dag of een latere.",
            field="held_on",
        )
    if closed := _closed_hold_day(referral, held_on, earliest=earliest, today=day):
        raise ReferralError(closed, field="held_on")
    planned = referral.handover_on
    _transition(
        referral,
        "hold_handover",
        by=by,
        updates={"handover_held_on": held_on},
        text=f"Warme overdracht gehouden op {numeric(held_on)}"
        + (
            f" (eerder dan gepland: {numeric(planned)})"
            if planned is not None and held_on < planned
            else ""
        )
        + (
            ". Op die dag was er geen geldige toestemming voor de warme overdracht."
            if not has_handover_basis(referral, held_on)
            else ""
        ),
    )
    _send(_school_side(referral), "handover_held", referral)
    return referral


@transaction.atomic
def confirm_first_contact(
    referral: Referral, *, by: User, on: dt.date | None = None, today: dt.date | None = None
) -> Referral:
    """Record the team's first own contact with the family; the social worker can step back."""
    day = _today(today)
    on = on or day
    if on > day:
        raise ReferralError("De datum van het eerste contact ligt in de toekomst.", field="on")
    earliest, after = _earliest_first_contact(referral)
    if earliest is not None and on < earliest:
        raise ReferralError(
            f"Het eerste contact kan niet eerder zijn dan {after} ({_long(earliest)}). "
            "Kies die dag of een latere.",
            field="on",
        )
    _transition(
        referral,
        "confirm_first_contact",
        by=by,
        updates={"first_contact_on": on},
        text=f"Eerste contact met het gezin op {numeric(on)}",
    )
    _send(_school_side(referral), "first_contact", referral)
    return referral


@transaction.atomic
def accept_referral(referral: Referral, *, by: User, today: dt.date | None = None) -> Referral:
    """The team takes the family on."""
    _transition(
        referral,
        "accept",
        by=by,
        updates={"accepted_on": _today(today)},
        text="Aangenomen door het wijkteam",
    )
    _send(_school_side(referral), "accepted", referral)
    return referral


@transaction.atomic
def return_incomplete(referral: Referral, *, by: User, reasons: str) -> Referral:
    """Send the referral back to the school: it lacks something; the school can resubmit."""
    if is_blank(reasons):
        raise ReferralError("Schrijf op wat er ontbreekt, zodat de school het kan aanvullen.")
    _transition(
        referral,
        "return_incomplete",
        by=by,
        updates={"return_reasons": reasons.strip()},
        text=f"Teruggestuurd als onvolledig: {reasons.strip()}",
    )
    _send(_school_side(referral), "returned", referral)
    return referral


@transaction.atomic
def decline_referral(
    referral: Referral, *, by: User, advice: str, today: dt.date | None = None
) -> Referral:
    """The team has no fitting help; it must give advice on where help can be found."""
    if is_blank(advice):
        raise ReferralError("Geef de school een advies: waar kan het gezin wel terecht?")
    _transition(
        referral,
        "decline",
        by=by,
        updates={"decline_advice": advice.strip(), "ended_on": _today(today)},
        text=f"Afgewezen, geen passende hulp. Advies: {advice.strip()}",
    )
    _send(_school_side(referral), "declined", referral)
    return referral


@transaction.atomic
def withdraw_referral(
    referral: Referral, *, by: User, reason: str, today: dt.date | None = None
) -> Referral:
    """The school withdraws the referral (for example: the parents no longer want it)."""
    if is_blank(reason):
        raise ReferralError("Schrijf op waarom de toeleiding wordt ingetrokken.")
    _transition(
        referral,
        "withdraw",
        by=by,
        updates={"withdraw_reason": reason.strip(), "ended_on": _today(today)},
        text=f"Ingetrokken: {reason.strip()}",
    )
    if referral.submitted_at is not None:
        _send([referral.assignee, *contact_persons(referral)], "withdrawn", referral)
    return referral


@transaction.atomic
def close_referral(
    referral: Referral, *, by: User, feedback: str, today: dt.date | None = None
) -> Referral:
    """Close with feedback to the school, as far as the family's consent allows."""
    if is_blank(feedback):
        raise ReferralError(
            "Schrijf een korte terugkoppeling voor de school (alleen wat de toestemming toelaat)."
        )
    _transition(
        referral,
        "close",
        by=by,
        updates={"closing_feedback": feedback.strip(), "ended_on": _today(today)},
        text="Afgesloten met terugkoppeling aan de school",
    )
    _send(_school_side(referral), "closed", referral)
    return referral


# --- The ground for sharing ---------------------------------------------------------------------


def _team_people(referral: Referral) -> list[User]:
    """The team's people on the referral: the named worker and the team's contact person for the
    school; the team leaders when it has neither."""
    named = [referral.assignee, *contact_persons(referral)]
    return _people(u for u in named if u is not None) or _team_members(
        referral.team_id, Role.TEAM_LEADER
    )


def note_share_basis_ended(
    referral: Referral, *, by: User | None = None, today: dt.date | None = None
) -> bool:
    """Tell, once, that a referral the team received may no longer be shared with it: a line on
    the timeline, a notification to the team's people on it and to the school side (not to the
    one who withdrew the consent). True when told now.

    Access needs no such step: the rules ask the consent ledger on every request (`sharing`).
    This is the word to the people, for a referral under way. A conditional UPDATE on
    `share_basis_ended_on` lets one of two callers at once (the withdrawal, the sweep) tell it;
    a ground that ends again on a later day, after a new consent, is told again.
    """
    day = _today(today)
    if referral.submitted_at is None or referral.state not in SENT_UNDER_WAY_STATES:
        return False
    end = share_basis_end(referral, day)
    if end is None:
        return False
    on = end.on or day
    with transaction.atomic():
        changed = (
            Referral.objects.filter(pk=referral.pk)
            .filter(Q(share_basis_ended_on__isnull=True) | Q(share_basis_ended_on__lt=on))
            .update(share_basis_ended_on=on)
        )
        if not changed:
            return False
        referral.share_basis_ended_on = on
        _event(
            referral,
            "share_basis_ended",
            f"{end.reason} Het wijkteam ziet het dossier van de leerling en het document niet "
            "meer.",
            by,
        )
        _send(_team_people(referral), "share_basis_ended", referral, on=on)
        school = [u for u in _school_side(referral) if u is not None and u != by]
        _send(school, "share_basis_ended_school", referral, on=on)
    return True


def note_share_basis_back(referral: Referral, *, today: dt.date | None = None) -> bool:
    """A ground for sharing is in force again (a new consent): a line on the timeline, and the
    referral can be told again when that ends. True when noted now."""
    day = _today(today)
    with transaction.atomic():
        changed = (
            Referral.objects.filter(pk=referral.pk, share_basis_ended_on__isnull=False)
            .filter(share_basis_q(day))
            .update(share_basis_ended_on=None)
        )
        if not changed:
            return False
        referral.share_basis_ended_on = None
        team = referral.team.name if referral.team else "het wijkteam"
        _event(
            referral,
            "share_basis_back",
            f"Er is weer een geldige toestemming of grondslag om gegevens te delen met {team}.",
            None,
        )
    return True


def _sent_under_way() -> QuerySet[Referral]:
    return Referral.objects.filter(
        state__in=SENT_UNDER_WAY_STATES, submitted_at__isnull=False
    ).select_related("team", "assignee", "created_by", "social_worker")


def consents_withdrawn(consents: Iterable[Any], by: Any) -> None:
    """The consent ledger's withdrawal hook (after commit): tell the teams of the pupils'
    referrals whose ground for sharing ended with it."""
    pupils = {c.pupil_id for c in consents if c.purpose == SHARE_PURPOSE}
    if not pupils:
        return
    for referral in _sent_under_way().filter(pupil_id__in=pupils):
        note_share_basis_ended(referral, by=by)


def run_share_basis_checks(today: dt.date | None = None) -> int:
    """The sweep: tell every referral under way whose ground for sharing ended (a consent or
    legal basis that expired; a withdrawal the hook missed), and note those where a ground is
    in force again. Idempotent; returns how many referrals it told or noted."""
    day = _today(today)
    count = 0
    ended = _sent_under_way().filter(share_basis_ended_on__isnull=True).exclude(share_basis_q(day))
    for referral in ended.iterator(chunk_size=200):
        count += note_share_basis_ended(referral, today=day)
    back = _sent_under_way().filter(share_basis_ended_on__isnull=False).filter(share_basis_q(day))
    for referral in back.iterator(chunk_size=200):
        count += note_share_basis_back(referral, today=day)
    return count


# --- Escalation -------------------------------------------------------------------------------


def _level_label(level: int) -> str:
    from schoolzorg.referrals.models import EscalationLevel

    return EscalationLevel(level).label


def _rung(level: int) -> str:
    """The rung in a sentence: "niveau 4: Gemeente en Servicepunt SMW". The label's own list
    number ("4. ...") reads oddly after a colon, and lower-casing it would spoil "SMW"."""
    return f"niveau {level}: {_level_label(level).partition('. ')[2]}"


# Why a referral that is not (or no longer) with the team cannot be escalated.
NO_LONGER_RUNS = "Deze toeleiding loopt niet meer; escaleren kan niet."


@transaction.atomic
def escalate_referral(
    referral: Referral,
    *,
    by: User,
    reason: str,
    note: str,
    today: dt.date | None = None,
) -> Escalation:
    """The school escalates by hand: one rung above the highest reached for the current step.

    A compare-and-set on what the user's screen showed (`referral.state`, `.round` and
    `.escalation_count` when the function is called): a double click, a second tab or a
    colleague escalating at the same moment climbs one rung, not one per request.
    """
    if reason not in EscalationReason.values:
        raise ReferralError("Kies een reden voor de escalatie.", field="reason")
    if is_blank(note):
        raise ReferralError("Schrijf in een paar woorden wat er niet lukt.", field="note")
    if referral.state not in OPEN_STATES:
        raise StaleState(NO_LONGER_RUNS)
    # The conditional UPDATE also holds the row until commit, so the ladder read below is the
    # one this escalation climbs (SQLite takes its write lock when the transaction starts).
    changed = Referral.objects.filter(
        pk=referral.pk,
        state=referral.state,
        round=referral.round,
        escalation_count=referral.escalation_count,
    ).update(escalation_count=F("escalation_count") + 1)
    if changed == 0:
        _raise_stale_escalation(referral, by)
    referral.escalation_count += 1
    step = STEP_BY_STATE[referral.state]
    level = min(4, _level_reached(referral, step) + 1)
    escalation = Escalation.objects.create(
        referral=referral,
        round=referral.round,
        step=step,
        level=level,
        reason=reason,
        note=note.strip(),
        is_manual=True,
        raised_by=by,
        raised_on=_today(today),
        due_on=getattr(referral, DUE_FIELD_BY_STEP[step]),
    )
    rung = level_rung(referral, level)
    escalation.notified = rung.notified
    escalation.save(update_fields=["notified"])
    _event(
        referral,
        "escalated",
        f"Geëscaleerd door de school naar {_rung(level)}. Reden: "
        f"{EscalationReason(reason).label}. Toelichting: {note.strip()}",
        by,
    )
    _audit(referral, by, Action.UPDATE, "toeleiding geëscaleerd")
    _send(rung.people, "escalated", referral, level=level)
    return escalation


def _level_reached(referral: Referral, step: str) -> int:
    """The highest rung reached for the step in the referral's current round (0: none)."""
    found = Escalation.objects.filter(referral=referral, round=referral.round, step=step)
    return found.aggregate(m=Max("level"))["m"] or 0


def _raise_stale_escalation(referral: Referral, by: User) -> None:
    """Refuse an escalation from a screen (`referral`) the referral has moved on from: with the
    state or the rung now, and whether the escalations since were the user's own (a double
    click, a second tab) or someone else's."""
    current = Referral.objects.filter(pk=referral.pk).first()
    if current is None or current.state not in OPEN_STATES:
        raise StaleState(NO_LONGER_RUNS)
    now = ""
    if current.state != referral.state or current.round != referral.round:
        now = f"; de status is nu ‘{current.get_state_display()}’"
    elif reached := _level_reached(current, STEP_BY_STATE[current.state]):
        now = f"; het niveau is nu ‘{_level_label(reached)}’"
        # Every escalation is counted, so the last ones are those raised since the screen.
        since = current.escalation_count - referral.escalation_count
        raisers = list(
            Escalation.objects.filter(referral=current)
            .order_by("-raised_at", "-pk")
            .values_list("is_manual", "raised_by_id")[: max(since, 0)]
        )
        if since > 0 and len(raisers) == since and all(r == (True, by.pk) for r in raisers):
            raise StaleState(
                f"U had deze toeleiding al geëscaleerd{now}. Er is niets opgeslagen. Escaleer "
                "zo nodig opnieuw."
            )
    raise StaleState(
        f"Iemand anders heeft deze toeleiding net gewijzigd of geëscaleerd{now}. Er is niets "
        "opgeslagen. Bekijk de nieuwe stand en escaleer zo nodig opnieuw."
    )


def escalate_overdue(referral: Referral, today: dt.date, norm: ServiceNorm) -> list[Escalation]:
    """Raise every automatic level the referral's current step has reached; each exactly once.

    Someone on several rungs reached at once (no contact person: the leader is rungs 2 and 3;
    *Direct* reaches rungs 1 and 2 on the same day) gets one message, of the highest of them.
    """
    step = STEP_BY_STATE.get(referral.state)
    if step is None:
        return []
    due = getattr(referral, DUE_FIELD_BY_STEP[step])
    if due is None or due >= today:
        return []
    if step == Step.PLAN_HANDOVER and not has_handover_basis(referral, today):
        # Only the school can record the consent: the school is reminded, the team not blamed.
        remind_school_of_handover_consent(referral, today, due, norm)
        return []
    raised: list[Escalation] = []
    told: dict[int, tuple[int, User]] = {}
    for level, reached_on in sorted(
        level_dates(referral.school, due, norm, referral.urgency).items()
    ):
        if today < reached_on:
            break
        try:
            with transaction.atomic():
                # The state is checked again inside the row's transaction: a move that just
                # finished the step must not be followed by a stale escalation.
                # Counting the escalation makes a school's screen drawn before it stale.
                if not Referral.objects.filter(
                    pk=referral.pk, state=referral.state, round=referral.round
                ).update(escalation_count=F("escalation_count") + 1):
                    break
                escalation = Escalation.objects.create(
                    referral=referral,
                    round=referral.round,
                    step=step,
                    level=level,
                    reason=EscalationReason.NO_RESPONSE,
                    # The due date is the last day the step was on time, not the day it lapsed.
                    note=f"De termijn liep tot en met {numeric(due)}.",
                    raised_on=today,
                    due_on=due,
                )
                rung = level_rung(referral, level)
                escalation.notified = rung.notified
                escalation.save(update_fields=["notified"])
                _event(
                    referral,
                    "escalated",
                    f"De termijn voor ‘{Step(step).label}’ liep tot en met {numeric(due)}. "
                    f"Escalatie naar {_rung(level)}.",
                    None,
                )
        except IntegrityError:
            continue  # another sweep raised this level first
        told.update((u.pk, (level, u)) for u in rung.people)
        raised.append(escalation)
    for level in sorted({level for level, _ in told.values()}):
        people = [u for at, u in told.values() if at == level]
        _send(people, "escalated", referral, level=level)
    return raised


def run_escalations(today: dt.date | None = None) -> int:
    """The sweep: escalate every open referral whose current step is past its deadline.

    First the waits on the school's consent for the warm handover are brought up to date
    (`run_handover_consent_checks`), so a step whose consent just came is judged on its moved
    deadline; a step still waiting reminds the school instead (`escalate_overdue`)."""
    day = _today(today)
    run_handover_consent_checks(day)
    norms: dict[int | None, ServiceNorm] = {}
    count = 0
    overdue = (
        Referral.objects.open()
        .overdue(day)
        .select_related("school__municipality", "team", "assignee", "social_worker")
    )
    for referral in overdue.iterator(chunk_size=200):
        key = _norm_municipality_id(referral)
        if key not in norms:
            norms[key] = ServiceNorm.for_municipality(key)
        count += len(escalate_overdue(referral, day, norms[key]))
    return count


# --- The warm handover waits on the school's consent ----------------------------------------------

# The team's deadlines still to come while "plan the warm handover" waits on the school.
WAITING_DUE_FIELDS = ("plan_due_on", "handover_due_on", "first_contact_due_on")
# One day of each count (`workflow.DayCount`), for "wachtte 1 schooldag".
ONE_DAY = {DayCount.SCHOOL: "schooldag", DayCount.WORKING: "werkdag", DayCount.CALENDAR: "dag"}


def waits_on_school(referral: Referral, day: dt.date | None = None) -> bool:
    """The step "plan the warm handover" waits on the school: the referral is acknowledged and no
    consent or legal basis for the warm handover with the team is in force on the day. Only the
    school records one (`sharing.handover_basis_missing`), so the step is the school's turn."""
    return referral.state == State.ACKNOWLEDGED and not has_handover_basis(referral, _today(day))


def _days_words(days: int, counts: str) -> str:
    return f"{days} {ONE_DAY[DayCount(counts)] if days == 1 else DayCount(counts).label}"


def end_handover_consent_wait(
    referral: Referral, *, today: dt.date | None = None, tell: bool = True
) -> bool:
    """The consent for the warm handover is there: the step no longer waits on the school.

    The team's deadlines still to come (`WAITING_DUE_FIELDS`) move on by the days it waited,
    counted as the deadlines are (`deadlines.days_between`): those days were the school's, not
    the team's, so neither the ladder nor the figures count them against the team. A line on
    the timeline says so; with `tell` (the sweep) the team's people on the referral hear that
    they can plan it, and by when (the team's own planning needs no message). A compare-and-set
    on the day the wait began: the sweep and the team's planning end it once. True when ended
    now.
    """
    start = referral.handover_consent_wait_from
    if start is None or referral.state != State.ACKNOWLEDGED:
        return False
    day = _today(today)
    counts = urgency_norm(referral.urgency).counts
    waited = days_between(start, day, counts=counts, school=referral.school) if day > start else 0
    moved: dict[str, dt.date] = {}
    if waited > 0:
        for field in WAITING_DUE_FIELDS:
            if (due := getattr(referral, field)) is not None:
                moved[field] = add_days(due, waited, counts=counts, school=referral.school)
    with transaction.atomic():
        changed = Referral.objects.filter(
            pk=referral.pk,
            state=State.ACKNOWLEDGED,
            round=referral.round,
            handover_consent_wait_from=start,
        ).update(handover_consent_wait_from=None, **moved)
        if not changed:
            return False
        referral.handover_consent_wait_from = None
        for field, value in moved.items():
            setattr(referral, field, value)
        text = "Er is nu toestemming voor de warme overdracht. Het wijkteam kan haar plannen."
        if waited > 0 and referral.plan_due_on is not None:
            text += (
                f" Deze stap wachtte {_days_words(waited, counts)} op de school. Zo veel "
                "schuiven de termijnen van het wijkteam op: plannen uiterlijk "
                f"{numeric(referral.plan_due_on)}."
            )
        _event(referral, "handover_consent_there", text, None)
        if tell:
            _send(
                _team_people(referral), "handover_consent_there", referral, due=referral.plan_due_on
            )
    return True


def run_handover_consent_checks(today: dt.date | None = None) -> int:
    """Bring the waits on the school's consent for the warm handover up to date: an acknowledged
    referral without one that is not yet noted as waiting (the consent was withdrawn or ended
    after acknowledgement) waits from today; one waiting whose consent is now there ends its
    wait (`end_handover_consent_wait`). Idempotent; returns how many it changed."""
    day = _today(today)
    acknowledged = Referral.objects.filter(state=State.ACKNOWLEDGED, team__isnull=False)
    count = (
        acknowledged.filter(handover_consent_wait_from__isnull=True)
        .exclude(handover_basis_q(day))
        .update(handover_consent_wait_from=day)
    )
    ended = (
        acknowledged.filter(handover_consent_wait_from__isnull=False)
        .filter(handover_basis_q(day))
        .select_related("school", "team", "assignee")
    )
    for referral in ended.iterator(chunk_size=200):
        count += end_handover_consent_wait(referral, today=day)
    return count


def remind_school_of_handover_consent(
    referral: Referral, today: dt.date, due: dt.date, norm: ServiceNorm
) -> int:
    """The step "plan the warm handover" is past its deadline and waits on the school (no consent
    for it): each rung of the ladder the step reaches is a reminder to the school side instead of an
    escalation of the team. Once per rung and round: a line on the timeline per rung, counted
    under the row's lock, and one message for the rungs reached at once. Returns the reminders
    made now.
    """
    dates = level_dates(referral.school, due, norm, referral.urgency)
    reached = [level for level, on in sorted(dates.items()) if on <= today]
    if not reached or referral.submitted_at is None:
        return 0
    with transaction.atomic():
        # The row's lock (SQLite: the transaction's write lock) keeps two sweeps apart.
        locked = (
            Referral.objects.select_for_update()
            .filter(pk=referral.pk, state=referral.state, round=referral.round)
            .values_list("pk", flat=True)
        )
        if not list(locked):
            return 0
        done = ReferralEvent.objects.filter(
            referral_id=referral.pk,
            kind="handover_consent_reminder",
            at__gte=referral.submitted_at,
        ).count()
        new = [level for level in reached if level > done]
        for level in new:
            _event(
                referral,
                "handover_consent_reminder",
                f"Herinnering {level} aan de school: het wijkteam kan de warme overdracht niet "
                "plannen, want er is geen toestemming voor de warme overdracht. De termijn liep "
                f"tot en met {numeric(due)}. Het wijkteam wacht op de school; de termijn staat "
                "stil tot de toestemming is vastgelegd.",
                None,
            )
        if new:
            _send(_school_side(referral), "handover_consent_reminder", referral)
    return len(new)
