"""Which pupils a user may see, and on what basis. Deny by default.

Relationships are contributed by the apps that own them (care team, case, referral,
break-the-glass) through `register_relationship`, so this module never imports apps above it.
Each provider returns a `Q` over `Pupil` for the user and can explain a single pupil's basis.
See docs/permissions.md for the rules in words.

A provider's `q(user)` may read in Python only what `access_key(user)` holds: the user's id,
today's date, the active memberships (with their organisation) and the active break-the-glass
grants. Anything else (cases, consents, referrals) goes into the SQL as a subquery, so it is
read when the query runs. Lists compile their access-filtered SQL once per access key
(lib.prepared); with `SCHOOLZORG_VERIFY_PREPARED` every call is compared with a fresh build, so
a provider that reads more fails the tests.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, overload

from django.db.models import Model, Q, QuerySet

from schoolzorg.accounts.roles import CASE_ROLES, Role
from schoolzorg.audit.services import Basis
from schoolzorg.lib.prepared import PreparedRead, prepared
from schoolzorg.lib.requestcache import cached

if TYPE_CHECKING:
    from schoolzorg.pupils.models import Pupil, PupilQuerySet


@dataclass(frozen=True)
class Relationship:
    """A way of knowing a pupil. `q(user)` selects pupils; `basis(user, pupil)` explains one."""

    name: str
    q: Callable[[Any], Q | None]
    basis: Callable[[Any, Pupil], Basis | None]
    # Basic relationships (a teacher's own group) show only name, group and date of birth.
    is_basic: bool = False
    # `basis` reads only what `access_key(user)` holds (no query): a list may call it per row.
    basis_in_memory: bool = False


_RELATIONSHIPS: list[Relationship] = []


def register_relationship(relationship: Relationship) -> None:
    if all(r.name != relationship.name for r in _RELATIONSHIPS):
        _RELATIONSHIPS.append(relationship)


@prepared
def _memberships(user_id: int, day: dt.date) -> Any:
    from schoolzorg.accounts.models import Membership

    return Membership.objects.active(day).filter(user_id=user_id).select_related("organisation")


def active_memberships(user: Any) -> list[Any]:
    """The user's memberships in force today, cached on the user object for one request."""
    cached = getattr(user, "_active_memberships", None)
    if cached is None:
        from django.utils import timezone

        cached = _memberships(user_id=user.pk, day=timezone.localdate())
        user._active_memberships = cached
    return cached


def access_key(user: Any) -> Hashable:
    """What the access rules read in Python about the user now; equal keys give equal rules.

    Used as the shape of prepared reads filtered by `visible_to(user)`: a changed membership,
    a new or expired grant or a new day gives a new key, so the SQL is built again.
    """
    if not getattr(user, "is_authenticated", False):
        return None
    from django.utils import timezone

    memberships = sorted(
        (
            m.pk,
            m.role,
            m.organisation_id,
            m.organisation.kind,
            m.organisation.municipality_id,
            m.school_id,
            m.group,
        )
        for m in active_memberships(user)
    )
    grants = sorted((g.pk, g.pupil_id) for g in _active_grants(user))
    return (user.pk, timezone.localdate(), tuple(memberships), tuple(grants))


@overload
def prepared_for_user[M: Model](build: Callable[..., QuerySet[M]]) -> PreparedRead[M]: ...
@overload
def prepared_for_user[M: Model](
    *, shape: tuple[str, ...]
) -> Callable[[Callable[..., QuerySet[M]]], PreparedRead[M]]: ...
def prepared_for_user[M: Model](
    build: Callable[..., QuerySet[M]] | None = None, *, shape: tuple[str, ...] = ()
) -> PreparedRead[M] | Callable[[Callable[..., QuerySet[M]]], PreparedRead[M]]:
    """A prepared read filtered by the access rules of its `user` argument (`visible_to`).

    Compiled once per `access_key(user)`: the user's changed memberships or grants, or a new
    day, give a fresh build on the next request (lib.prepared, ADR 0504). `shape` names more
    arguments that select the query's form (a list's view or filter).
    """
    declare = prepared(shape=("user", *shape), key=lambda arguments: access_key(arguments["user"]))
    return declare if build is None else declare(build)


def relationships_of(user: Any, pupil_ids: Iterable[int]) -> dict[int, str]:
    """For a list: the name of the relationship through which the user sees each pupil, in
    `access_basis`'s order (the first full one, else the first basic one). One query per
    relationship, whatever the number of pupils; pupils the user does not see are left out."""
    from schoolzorg.pupils.models import Pupil

    wanted = set(pupil_ids)
    found: dict[int, str] = {}
    for basic in (False, True):
        for relationship in _RELATIONSHIPS:
            if relationship.is_basic != basic or not wanted:
                continue
            q = relationship.q(user)
            if q is None:
                continue
            hits = set(Pupil.objects.filter(pk__in=wanted).filter(q).values_list("pk", flat=True))
            found.update(dict.fromkeys(hits, relationship.name))
            wanted -= hits
    return found


def list_bases(user: Any, pupils: Iterable[Pupil]) -> dict[int, Basis | None]:
    """For a page that names several pupils (a list, a "Mijn werk" panel): the basis of each
    one's read-log entry, by pupil id, through the relationship `access_basis` would name, with
    one query per kind of relationship whatever the number of pupils (`relationships_of`).

    A relationship that explains a pupil from the user's memberships and grants alone (school
    staff, own group, break-the-glass) gives its own basis; any other (a consent, a case, a plan,
    a referral) the role and organisation the user holds at or for the pupil's current school
    (`personal_basis`), without looking up the record behind it pupil by pupil. None for a pupil
    the user does not see.
    """
    shown = list(pupils)
    names = relationships_of(user, {p.pk for p in shown})
    by_name = {r.name: r for r in _RELATIONSHIPS}
    found: dict[int, Basis | None] = {}
    for pupil in shown:
        name = names.get(pupil.pk)
        if name is None:
            found[pupil.pk] = None
        elif by_name[name].basis_in_memory:
            found[pupil.pk] = by_name[name].basis(user, pupil)
        else:
            school = pupil.current_school_id
            found[pupil.pk] = personal_basis(user, name, "", school_id=school) or Basis(name)
    return found


def personal_basis(user: Any, kind: str, ref: str, *, school_id: int | None) -> Basis | None:
    """The basis of a relationship held as a person (coordinator of a case, owner of an action).

    The read is logged with the role and organisation it was made in (NEN 7513): the user's
    membership at or serving `school_id` if there is one, else one that serves no school in
    particular (a team worker, not the team's contact person for another school: the log and
    the parents' overview would name them this school's contact), else their first active
    membership. None when the user holds no active membership (the caller then names the
    school).
    """
    memberships = active_memberships(user)
    chosen = next((m for m in memberships if m.served_school_id == school_id), None)
    chosen = chosen or next((m for m in memberships if m.served_school_id is None), None)
    chosen = chosen or (memberships[0] if memberships else None)
    if chosen is None:
        return None
    return Basis(kind, chosen.role, chosen.organisation_id, chosen.organisation.name, ref)


def _school_staff_q(user: Any) -> Q | None:
    schools = {m.served_school_id for m in active_memberships(user) if m.role in CASE_ROLES}
    schools.discard(None)
    return Q(current_school_id__in=schools) if schools else None


def _school_staff_basis(user: Any, pupil: Pupil) -> Basis | None:
    for m in active_memberships(user):
        if m.role in CASE_ROLES and m.served_school_id == pupil.current_school_id:
            return Basis("membership", m.role, m.organisation_id, m.organisation.name, str(m.pk))
    return None


def _teacher_q(user: Any) -> Q | None:
    q = Q()
    found = False
    for m in active_memberships(user):
        if m.role == Role.TEACHER and m.group:
            q |= Q(current_school_id=m.organisation_id, current_group=m.group)
            found = True
    return q if found else None


def _teacher_basis(user: Any, pupil: Pupil) -> Basis | None:
    for m in active_memberships(user):
        if (
            m.role == Role.TEACHER
            and m.organisation_id == pupil.current_school_id
            and m.group
            and m.group == pupil.current_group
        ):
            return Basis("membership", m.role, m.organisation_id, m.organisation.name, str(m.pk))
    return None


# Roles that may use break-the-glass: professionals who work with pupils. Teachers, analysts,
# privacy officers and functional administrators never can (they see no full files).
BREAK_GLASS_ROLES = CASE_ROLES | {
    Role.YOUTH_HEALTH_NURSE,
    Role.NEIGHBOURHOOD_TEAM_WORKER,
    Role.NEIGHBOURHOOD_TEAM_CONTACT,
    Role.TEAM_LEADER,
}


def can_break_glass(user: Any) -> bool:
    """A signed-in professional with an active pupil-facing role (see BREAK_GLASS_ROLES)."""
    if not getattr(user, "is_authenticated", False):
        return False
    return any(m.role in BREAK_GLASS_ROLES for m in active_memberships(user))


def _active_grants(user: Any) -> list[Any]:
    """The user's unexpired break-the-glass grants, read fresh on every request."""
    from django.utils import timezone

    return cached(
        ("break_glass_grants", user.pk), lambda: _grants(user_id=user.pk, now=timezone.now())
    )


@prepared
def _grants(user_id: int, now: dt.datetime) -> Any:
    from schoolzorg.audit.models import BreakGlassGrant

    return BreakGlassGrant.objects.filter(user_id=user_id, granted_at__lte=now, expires_at__gt=now)


def _break_glass_q(user: Any) -> Q | None:
    if not can_break_glass(user):
        return None
    ids = {g.pupil_id for g in _active_grants(user)}
    return Q(pk__in=ids) if ids else None


def _break_glass_basis(user: Any, pupil: Pupil) -> Basis | None:
    if not can_break_glass(user):
        return None
    for g in _active_grants(user):
        if g.pupil_id == pupil.pk:
            return Basis(
                "break_the_glass", g.role, g.organisation_id, g.organisation_label, str(g.pk)
            )
    return None


register_relationship(
    Relationship("school_staff", _school_staff_q, _school_staff_basis, basis_in_memory=True)
)
register_relationship(
    Relationship("own_group", _teacher_q, _teacher_basis, is_basic=True, basis_in_memory=True)
)
register_relationship(
    Relationship("break_the_glass", _break_glass_q, _break_glass_basis, basis_in_memory=True)
)


# --- Child-safety material ------------------------------------------------------------------

ChildSafetyRule = Callable[[Any, "Pupil"], bool]
_CHILD_SAFETY_RULES: dict[str, ChildSafetyRule] = {}
CHILD_SAFETY_ROLES = frozenset({Role.SUPPORT_COORDINATOR, Role.SCHOOL_SOCIAL_WORKER})


def register_child_safety(name: str, rule: ChildSafetyRule) -> None:
    """Add a rule that grants child-safety access (e.g. the receiving team of a referral)."""
    _CHILD_SAFETY_RULES.setdefault(name, rule)


def can_see_child_safety(user: Any, pupil: Pupil) -> bool:
    """Child-safety material (LIRIK, reporting-code steps) is narrower than the file.

    Conditions: the user sees the full file AND either holds the support-coordinator or school
    social-worker role at the pupil's current school, or a registered rule says yes (the
    referrals app registers "team that accepted a referral"). Break-the-glass, care-team consent,
    partnership contacts and teachers do not open it.
    """
    found = access_basis(user, pupil)
    if found is None or not found[1]:
        return False
    if any(
        m.role in CHILD_SAFETY_ROLES and m.served_school_id == pupil.current_school_id
        for m in active_memberships(user)
    ):
        return True
    return any(rule(user, pupil) for rule in _CHILD_SAFETY_RULES.values())


def relationship_qs(user: Any, *, full_only: bool = False) -> tuple[Q, ...]:
    """The user's relationships, each as a Q over Pupil; empty when there is none.

    `full_only` leaves out the basic relationships (a teacher's own group), for pages that show
    more than name, group and date of birth.
    """
    if not getattr(user, "is_authenticated", False):
        return ()

    def build() -> tuple[Q, ...]:
        found = (r.q(user) for r in _RELATIONSHIPS if not (full_only and r.is_basic))
        return tuple(q for q in found if q is not None)

    return cached(("relationship_qs", user.pk, full_only), build)


def visible_pupils(qs: PupilQuerySet, user: Any, *, full_only: bool = False) -> PupilQuerySet:
    """Pupils reachable through at least one relationship; none for anonymous users.

    Two or more relationships are joined as a UNION of pupil ids, not as one OR: PostgreSQL
    answers `current_school_id IN (…) OR id IN (subquery) OR …` by reading the whole pupil
    table (1.4 million rows nationally: ~110 ms for every list), where each part of a UNION is
    found through its own index (docs/benchmarks.md, "Crawl at national scale").
    """
    parts = relationship_qs(user, full_only=full_only)
    if not parts:
        return qs.none()
    if len(parts) == 1:
        return qs.filter(parts[0])
    ids = [qs.model.objects.filter(q).order_by().values("pk") for q in parts]
    return qs.filter(pk__in=ids[0].union(*ids[1:]))


def access_basis(
    user: Any, pupil: Pupil, *, without: frozenset[str] = frozenset()
) -> tuple[Basis, bool] | None:
    """The first full relationship that lets the user see the pupil, else a basic one, else None.

    Returns the basis and whether the user sees the full file (False: basic data only).
    `without` leaves relationships out by name (deciding about a file needs more than a
    break-the-glass grant, say).
    """
    if not getattr(user, "is_authenticated", False):
        return None
    basic: Basis | None = None
    for relationship in _RELATIONSHIPS:
        if relationship.name in without:
            continue
        basis = relationship.basis(user, pupil)
        if basis is None:
            continue
        if not relationship.is_basic:
            return basis, True
        basic = basic or basis
    return (basic, False) if basic else None
