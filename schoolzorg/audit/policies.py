"""Who may read the read log, review break-the-glass and sign off the weekly report.

The oversight pages sit above `pupils` (they need roles and pupil access); the log machinery
itself (models, services, sealing) imports no domain app. See docs/permissions.md.

Every organisation is controller for its own processing and may have its own privacy officer
(FG). An active privacy-officer membership at an organisation makes that organisation a **scope
owner**; what the officer then oversees follows from the owner's kind (`REACH`), deny by default:

| owner | organisations in scope | pupils whose reads are in scope |
|---|---|---|
| municipality | itself + every organisation with `municipality_id` = it | pupils now at a school in it |
| school board | itself + its schools (`School.board`) | pupils now at its schools |
| school | itself | its current pupils |
| partnership | itself | pupils now at the schools of its region (`School.partnership`) |
| any other kind (SMW provider, wijkteam, JGZ, servicepunt) | itself | none |

A read-log entry or break-the-glass grant is in scope when it was made in the name of an
organisation in scope (`organisation_id`, kept at the time of reading) or is about a pupil in
scope. Several memberships add up (`oversight_scope`); the weekly report and its sign-off are per
owner (`Scope.only`). Every part is a lazy `IN (subquery)`, built without running a query: the
number of queries never depends on the size of the scope or the log. A user's log is read through
its `(user_id, at)` index with the scope as a filter; the weekly report counts the two parts
separately (`scoped_entry_parts`), so each is found through its own index.

Weekly sign-offs from before the report was split (`WeeklyReview.organisation_id` NULL) covered
the whole log: they count as the sign-off of that week for every owner
(`services.week_review`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, Q, QuerySet

from schoolzorg.accounts.roles import Role
from schoolzorg.pupils.access import access_basis, active_memberships


@dataclass(frozen=True)
class Reach:
    """Whose pupils a privacy officer at one kind of organisation oversees.

    The organisations in scope are the owner and what it answers for
    (`organisations.queries.ANSWERS_FOR`). `pupils_at`: a lookup on `School` that names the owner,
    for the schools whose current pupils' reads are in scope (None: no pupils); `text`: the scope
    in words, for the weekly report ("Dit rapport telt alleen …") (`{name}` is the owner).
    """

    pupils_at: str | None = None
    text: str = "inzagen namens {name}."


# Keyed by `OrganisationKind` value (plain strings: this module imports no models at load time).
# Deny by default: a kind that is not listed reaches no pupils.
REACH: dict[str, Reach] = {
    "municipality": Reach(
        "municipality_id",
        "inzagen namens organisaties in gemeente {name} en inzagen van leerlingen van scholen "
        "in {name}.",
    ),
    "school_board": Reach(
        "board_id",
        "inzagen namens {name} en zijn scholen, en inzagen van leerlingen van die scholen.",
    ),
    "school": Reach("pk", "inzagen namens {name} en inzagen van leerlingen van {name}."),
    "partnership": Reach(
        "partnership_id",
        "inzagen namens {name} en inzagen van leerlingen van scholen in de regio van {name}.",
    ),
}
OWN_ORGANISATION_ONLY = Reach()


def reach_of(kind: str) -> Reach:
    return REACH.get(kind, OWN_ORGANISATION_ONLY)


@dataclass(frozen=True)
class Scope:
    """What one or more privacy-officer memberships oversee: their organisations (the owners)
    with each one's kind. Every method returns a lazy subquery; none runs a query itself."""

    owners: tuple[tuple[int, str], ...] = ()  # (organisation id, kind), sorted by id

    @classmethod
    def of(cls, *organisations: Any) -> Scope:
        """The scope owned by these organisations (each needs `pk` and `kind`)."""
        return cls(tuple(sorted({(o.pk, o.kind) for o in organisations})))

    def __bool__(self) -> bool:
        return bool(self.owners)

    @property
    def owner_ids(self) -> list[int]:
        return [pk for pk, _kind in self.owners]

    def only(self, owner_id: int) -> Scope:
        """The part of the scope owned by one organisation (empty if it is no owner)."""
        return Scope(tuple(o for o in self.owners if o[0] == owner_id))

    def ids_of_kind(self, kind: str) -> list[int]:
        return [pk for pk, k in self.owners if k == kind]

    def organisations(self) -> QuerySet[Any, Any]:
        """A subquery of the ids of the organisations in scope: the owners and what they answer
        for."""
        from schoolzorg.organisations.queries import organisations_answered_for

        return organisations_answered_for(self.owners)

    def schools(self) -> QuerySet[Any, Any] | None:
        """A subquery of the ids of the schools whose current pupils are in scope, or None."""
        from schoolzorg.organisations.models import School
        from schoolzorg.organisations.queries import any_of

        q = any_of((lookup, pk) for pk, kind in self.owners if (lookup := reach_of(kind).pupils_at))
        return None if q is None else School.objects.filter(q).values("pk")

    def pupils(self) -> QuerySet[Any, Any] | None:
        """A subquery of the ids of the pupils now at a school in scope, or None."""
        from schoolzorg.pupils.models import Pupil

        schools = self.schools()
        if schools is None:
            return None
        return Pupil.objects.filter(current_school_id__in=schools).values("pk")

    def describe(self, owner: Any) -> str:
        """The scope of one owner in words (for the weekly report)."""
        return reach_of(owner.kind).text.format(name=owner.name)


def _officer_memberships(user: Any) -> list[Any]:
    """Active privacy-officer memberships, at any kind of organisation."""
    if not getattr(user, "is_authenticated", False):
        return []
    return [m for m in active_memberships(user) if m.role == Role.PRIVACY_OFFICER]


def oversight_scope(user: Any) -> Scope:
    """What this user oversees as privacy officer (empty: nothing, every page is 404)."""
    return Scope.of(*(m.organisation for m in _officer_memberships(user)))


def is_privacy_officer(user: Any) -> bool:
    """An active privacy-officer membership, i.e. a non-empty scope."""
    return bool(_officer_memberships(user))


def privacy_membership(user: Any, organisation_id: int | None = None) -> Any:
    """The membership in whose name the log is read: the one at `organisation_id` if given,
    else the first (by organisation id)."""
    found = sorted(_officer_memberships(user), key=lambda m: (m.organisation_id, m.pk))
    if organisation_id is not None:
        found = [m for m in found if m.organisation_id == organisation_id]
    return found[0] if found else None


# --- What is in scope -----------------------------------------------------------------------


def _in_scope(scope: Scope) -> Q:
    """Made in the name of an organisation in scope, or about a pupil in scope. Read-log entries
    and break-the-glass grants both keep `organisation_id` and `pupil_id` as plain ids.

    The pupil part looks up each row's pupil (`EXISTS`): as `pupil_id IN (pupils in scope)`
    PostgreSQL first collected every pupil of the scope (59,000 for a partnership: 94 ms on
    every page of a user's log, however few rows it shows)."""
    from schoolzorg.pupils.models import Pupil

    q = Q(organisation_id__in=scope.organisations())
    schools = scope.schools()
    if schools is None:
        return q
    return q | Q(
        Exists(Pupil.objects.filter(pk=OuterRef("pupil_id"), current_school_id__in=schools))
    )


def scoped_entries(scope: Scope) -> QuerySet[Any, Any]:
    """Read-log entries in scope (so reads by regional organisations without a municipality, such
    as a partnership or a provider, are overseen where the child goes to school as well)."""
    from schoolzorg.audit.models import AccessLogEntry

    return AccessLogEntry.objects.filter(_in_scope(scope))


def scoped_entry_parts(scope: Scope) -> list[QuerySet[Any, Any]]:
    """`scoped_entries` as disjoint parts, each found through its own index: the entries made in
    the name of an organisation in scope (`(organisation_id, at)`), and the others about a pupil
    in scope (`(pupil_id, at, id)`). The organisations are read first (one query, at most a few
    hundred ids): PostgreSQL uses neither index for an OR of two subqueries nor for a NOT IN
    subquery, and read every entry of the week instead (docs/benchmarks.md, weekly report)."""
    from schoolzorg.audit.models import AccessLogEntry

    organisations = list(scope.organisations().values_list("pk", flat=True))
    parts: list[QuerySet[Any, Any]] = [
        AccessLogEntry.objects.filter(organisation_id__in=organisations)
    ]
    pupils = scope.pupils()
    if pupils is not None:
        parts.append(
            AccessLogEntry.objects.filter(pupil_id__in=pupils).exclude(
                organisation_id__in=organisations
            )
        )
    return parts


def scoped_grants(scope: Scope) -> QuerySet[Any, Any]:
    """Break-the-glass grants in scope: used for an organisation in scope or on a pupil in scope."""
    from schoolzorg.audit.models import BreakGlassGrant

    return BreakGlassGrant.objects.filter(_in_scope(scope))


def scoped_users(scope: Scope) -> QuerySet[Any, Any]:
    """Users who hold or held a membership (any period) at an organisation in scope or at a school
    whose pupils are in scope, or serving one of those (`Membership.school`: a partnership
    contact, a social worker), and users of a break-the-glass grant in scope."""
    from schoolzorg.accounts.models import Membership

    where = Q()
    for orgs in (scope.organisations(), scope.schools()):
        if orgs is not None:
            where |= Q(organisation_id__in=orgs) | Q(school_id__in=orgs)
    members = Membership.objects.filter(where).values("user_id")
    grantees = scoped_grants(scope).values("user_id")
    return get_user_model().objects.filter(Q(pk__in=members) | Q(pk__in=grantees))


@dataclass(frozen=True)
class FormerUser:
    """A reader in the log whose account no longer exists: the log keeps their name."""

    full_name: str


def overseen_user(scope: Scope, user_id: int) -> Any:
    """The user whose log an officer may open: one of `scoped_users`, or anyone who made a
    read-log entry in scope. The weekly report names every reader in scope; one without a
    membership there (reading in the name of an organisation in scope, say) is just whom
    oversight must be able to look into, also after their account is gone. Only their entries
    in scope are shown."""
    found = scoped_users(scope).filter(pk=user_id).first()
    if found is None:
        entry = scoped_entries(scope).filter(user_id=user_id).only("user_label").first()
        if entry is not None:
            found = get_user_model().objects.filter(pk=user_id).first() or FormerUser(
                f"{entry.user_label} (account bestaat niet meer)"
            )
    return found


def scoped_changes(scope: Scope, *, limit: int) -> list[Any]:
    """Change history of memberships at organisations in scope, of those organisations (and
    the districts of municipalities in scope) and of the accounts of `scoped_users` (e-mail,
    active, access to the admin, a new password), newest first, in one query.

    An organisation (or district) moved to another municipality or board is no longer in scope;
    the change that moved it is still shown to the officers of the one it left, found by its
    recorded old value. Its earlier history and its memberships' go with it."""
    from django.apps import apps

    from schoolzorg.accounts.models import Membership
    from schoolzorg.audit.history import CORE_MODELS, entries_for

    orgs = scope.organisations()
    municipalities = scope.ids_of_kind("municipality")
    objects: dict[str, Any] = {
        "accounts.Membership": Membership.objects.filter(organisation_id__in=orgs),
        "accounts.User": scoped_users(scope),
    }
    for label in CORE_MODELS:
        if not label.startswith("organisations."):
            continue
        model = apps.get_model(label)
        if label == "organisations.District":
            if municipalities:
                objects[label] = model._default_manager.filter(municipality_id__in=municipalities)
        else:
            objects[label] = model._default_manager.filter(pk__in=orgs)
    moved_from = {"municipality": municipalities, "board": scope.ids_of_kind("school_board")}
    return entries_for(objects, limit=limit, moved_from=moved_from)


def can_read_user_log(user: Any) -> bool:
    """Only the privacy officer reads the log per user (and that reading is logged)."""
    return is_privacy_officer(user)


def can_review_break_glass(user: Any) -> bool:
    """Only the privacy officer reviews break-the-glass grants."""
    return is_privacy_officer(user)


def can_sign_off_week(user: Any) -> bool:
    """Only the privacy officer signs off the weekly anomaly report."""
    return is_privacy_officer(user)


def can_see_who_looked(user: Any, pupil: Any) -> bool:
    """ "Wie keek er naar dit kind": the support coordinator of the pupil's current school, who
    also sees the full file."""
    found = access_basis(user, pupil)
    if found is None or not found[1]:
        return False
    return any(
        m.role == Role.SUPPORT_COORDINATOR and m.organisation_id == pupil.current_school_id
        for m in active_memberships(user)
    )


def can_see_pupil_history(user: Any, pupil: Any) -> bool:
    """Change history of a pupil's records: the same people as "wie keek"."""
    return can_see_who_looked(user, pupil)


def break_glass_membership(user: Any) -> Any:
    """The membership in whose name break-the-glass is used (first pupil-facing role)."""
    from schoolzorg.pupils.access import BREAK_GLASS_ROLES

    return next((m for m in active_memberships(user) if m.role in BREAK_GLASS_ROLES), None)
