"""What each organisation's file about a pupil is, when it is due, and destroying it.

A file is made of *roots*: rows about the pupil that an organisation holds, each with the rows
that hang from it (a case's timeline and documents, an agenda item's decisions). A root can be
held by more than one organisation (a referral by the school that sent it and the team that
received it; a case by its school and by the social-work provider that registered contacts on
it); it goes when every holder's file goes, and until then counts as "kept, shared".

| root | holders |
|---|---|
| enrolment | its school |
| case (+ timeline, documents, files on disk) | its school; providers with contacts on it; schools of agenda items about it |
| social-work contact on a case (+ its line on the case timeline) | its provider |
| agenda item (+ decisions, guests) | the meeting's school, and the case's holders |
| referral (+ timeline, escalations) | the sending school; the team, once submitted |

When no care root is left (no case, contact, agenda item or referral) and the pupil is enrolled
nowhere (or the request asks for it), the records that belong to all of them together go too:
the child's part of the integral plan (and the plan itself when it was its last part),
filled-in instruments, consents and legal bases. When in
addition no enrolment is left, the pupil row goes with its addresses, guardians (unless a
brother or sister keeps them) and family.

Everything here runs inside the caller's transaction, with the pupil's row locked.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from auditlog.context import disable_auditlog
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.files.storage import default_storage
from django.db import models, transaction
from django.db.models import Count, Max, Q
from django.utils import timezone

from schoolzorg.accounts.models import Membership
from schoolzorg.assessments.models import Assessment
from schoolzorg.audit.models import PUPIL_DESTROYED_LABEL, BreakGlassGrant
from schoolzorg.cases.models import Case, CaseDocument, CaseEvent, EventKind, SocialWorkContact
from schoolzorg.cases.services import contact_line_at
from schoolzorg.cases.workflow import OPEN_STATUSES
from schoolzorg.consent.models import Consent, LegalBasis
from schoolzorg.meetings.models import AgendaItem, Decision
from schoolzorg.organisations.models import Organisation
from schoolzorg.plans.models import IntegralPlan, PlanAgreement, PlanPart, PlanVersion
from schoolzorg.pupils.models import Enrolment, Family, Guardian, GuardianLink, Pupil, Residence
from schoolzorg.referrals.models import Referral
from schoolzorg.retention.models import (
    DestructionRecord,
    DestructionRequest,
    FileKind,
    Reason,
    RequestState,
)
from schoolzorg.retention.periods import Rule, add_years, rule_for

# Words for the register: kinds of records, never their contents.
LABELS = {
    "enrolment": "inschrijvingen",
    "case": "casussen",
    "case_event": "regels tijdlijn casus",
    "case_document": "documenten",
    "contact": "contacten SMW",
    "agenda_item": "agendapunten zorgoverleg",
    "decision": "besluiten zorgoverleg",
    "referral": "toeleidingen",
    "plan_part": "delen van het integraal plan",
    "plan_version": "versies van het plan",
    "plan_agreement": "akkoorden van ouders op het plan",
    "plan": "integrale plannen",
    "assessment": "ingevulde instrumenten",
    "consent": "toestemmingen",
    "legal_basis": "wettelijke grondslagen",
    "pupil": "leerlingen (naam, geboortedatum)",
    "residence": "woonadressen",
    "guardian": "ouders/verzorgers",
    "family": "gezinnen",
    "history": "regels wijzigingsgeschiedenis",
}

# Models whose change history (django-auditlog) holds the child's data in plain text.
HISTORY_MODELS: tuple[type[models.Model], ...] = (
    Pupil,
    Family,
    Guardian,
    GuardianLink,
    Enrolment,
    Residence,
    Consent,
    LegalBasis,
)


@dataclass
class Root:
    key: str  # one of LABELS
    pk: int
    holders: set[int]


@dataclass
class Holding:
    """One organisation's file about the pupil."""

    organisation_id: int
    label: str
    rule: Rule
    years: int
    ended_on: dt.date | None
    running: bool

    @property
    def due_on(self) -> dt.date | None:
        if self.running or self.ended_on is None:
            return None
        return add_years(self.ended_on, self.years)

    def is_due(self, today: dt.date) -> bool:
        due = self.due_on
        return due is not None and due <= today


@dataclass
class PupilFile:
    pupil: Pupil
    roots: list[Root]
    holdings: dict[int, Holding]

    def held_by(self, organisation_id: int) -> list[Root]:
        return [r for r in self.roots if organisation_id in r.holders]


@dataclass
class Outcome:
    """What one destruction did; `records` are the register lines written."""

    records: list[DestructionRecord] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    pupil_destroyed: bool = False

    @property
    def total(self) -> int:
        return sum(r.records for r in self.records)


def _date(value: dt.datetime | None) -> dt.date | None:
    return timezone.localdate(value) if value is not None else None


def read_file(pupil: Pupil) -> PupilFile:
    """Every root about the pupil with its holders, and each holder's file with its dates."""
    enrolments = list(Enrolment.objects.filter(pupil=pupil).values("pk", "school_id", "ended_on"))
    cases = list(
        Case.objects.filter(pupil=pupil)
        .annotate(last_line_at=Max("events__at"))
        .values("pk", "school_id", "status", "opened_at", "closed_at", "last_line_at")
    )
    contacts = list(
        SocialWorkContact.objects.filter(case__pupil=pupil).values(
            "pk", "case_id", "provider_id", "contact_on"
        )
    )
    items = list(
        AgendaItem.objects.filter(pupil=pupil).values(
            "pk", "case_id", "meeting__care_team__school_id", "meeting__scheduled_on"
        )
    )
    referrals = list(
        Referral.objects.filter(pupil=pupil).values(
            "pk", "school_id", "team_id", "submitted_at", "ended_on", "updated_at"
        )
    )

    case_holders: dict[int, set[int]] = {c["pk"]: {c["school_id"]} for c in cases}
    for k in contacts:
        case_holders[k["case_id"]].add(k["provider_id"])
    for i in items:
        if i["case_id"] in case_holders:
            case_holders[i["case_id"]].add(i["meeting__care_team__school_id"])

    roots = [Root("enrolment", e["pk"], {e["school_id"]}) for e in enrolments]
    roots += [Root("case", pk, holders) for pk, holders in case_holders.items()]
    roots += [Root("contact", k["pk"], {k["provider_id"]}) for k in contacts]
    roots += [
        Root(
            "agenda_item",
            i["pk"],
            {i["meeting__care_team__school_id"]} | case_holders.get(i["case_id"], set()),
        )
        for i in items
    ]
    roots += [
        Root(
            "referral",
            r["pk"],
            {r["school_id"]} | ({r["team_id"]} if r["submitted_at"] and r["team_id"] else set()),
        )
        for r in referrals
    ]

    # When each holder's part ended, and whether it still runs.
    ends: dict[int, list[dt.date]] = {}
    running: set[int] = set()
    enrolled_at = {e["school_id"] for e in enrolments}
    for e in enrolments:
        if e["ended_on"] is None:
            running.add(e["school_id"])
        else:
            ends.setdefault(e["school_id"], []).append(e["ended_on"])
    open_cases = {c["pk"] for c in cases if c["status"] in OPEN_STATUSES}
    for c in cases:
        if c["pk"] in open_cases:
            # After leaving, the school's file counts from the leaving date, open case or not:
            # nobody at the school sees the child any more to close it. Without an enrolment
            # there (it went with the school's file, and another file keeps the case), the case
            # counts from its last line; only a case at the child's current school still runs.
            if c["school_id"] == pupil.current_school_id:
                running.add(c["school_id"])
            elif c["school_id"] not in enrolled_at:
                last = timezone.localdate(c["last_line_at"] or c["opened_at"])
                ends.setdefault(c["school_id"], []).append(last)
        elif closed := _date(c["closed_at"]):
            ends.setdefault(c["school_id"], []).append(closed)
    for i in items:
        ends.setdefault(i["meeting__care_team__school_id"], []).append(i["meeting__scheduled_on"])
    for r in referrals:
        school_end = r["ended_on"] or _date(r["updated_at"])
        if school_end:
            ends.setdefault(r["school_id"], []).append(school_end)
        if r["submitted_at"] and r["team_id"]:
            if r["ended_on"] is None:
                running.add(r["team_id"])
            else:
                ends.setdefault(r["team_id"], []).append(r["ended_on"])
    still_enrolled = pupil.current_school_id is not None
    for k in contacts:
        ends.setdefault(k["provider_id"], []).append(k["contact_on"])
        if k["case_id"] in open_cases and still_enrolled:
            running.add(k["provider_id"])

    holder_ids = set().union(*(r.holders for r in roots)) if roots else set()
    holdings: dict[int, Holding] = {}
    for org in Organisation.objects.filter(pk__in=holder_ids).values(
        "pk", "name", "kind", "retention_period__years"
    ):
        rule = rule_for(org["kind"])
        if rule is None:  # an organisation that keeps no file: its rows follow the others
            continue
        dates = ends.get(org["pk"], [])
        holdings[org["pk"]] = Holding(
            organisation_id=org["pk"],
            label=org["name"],
            rule=rule,
            years=org["retention_period__years"] or rule.default_years,
            ended_on=max(dates) if dates else None,
            running=org["pk"] in running,
        )
    # A root whose holders keep no file of their own (none with a rule) is nobody's to keep.
    for root in roots:
        root.holders &= set(holdings)
    return PupilFile(pupil, roots, holdings)


def lock_pupil(pupil_id: int) -> Pupil | None:
    """The pupil's row, locked until the transaction ends; None if gone or locked by another
    sweep (which is then doing the same work)."""
    qs = Pupil.objects.filter(pk=pupil_id)
    if transaction.get_connection().features.has_select_for_update_skip_locked:
        qs = qs.select_for_update(skip_locked=True)
    return qs.first()


def destroy(
    found: PupilFile,
    organisation_ids: set[int],
    *,
    reason: str,
    by: Any = None,
    basis: str = "",
    request: DestructionRequest | None = None,
    now: dt.datetime | None = None,
) -> Outcome:
    """Destroy these organisations' files about the pupil: every root they alone hold, and what
    no file holds any more. Writes the register lines; deletes stored files after commit."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    pupil = found.pupil
    on_request = reason == Reason.REQUEST
    gone = [
        r
        for r in found.roots
        if r.holders <= organisation_ids
        # A request destroys the care file, not the fact that the child goes to the school.
        and not (on_request and r.key == "enrolment")
    ]
    outcome = Outcome()
    _unname_coordinators(found, gone, organisation_ids)
    with disable_auditlog():
        children = _delete_roots(gone, outcome)
        _forget_history(Enrolment, [r.pk for r in gone if r.key == "enrolment"], Counter())

    # One register line per organisation: what of its file went, what stays shared. A record
    # that two files held is counted in both, with its stored files.
    gone_keys = {(r.key, r.pk) for r in gone}
    for org_id in sorted(organisation_ids):
        holding = found.holdings.get(org_id)
        held = found.held_by(org_id)
        if holding is None or not held:
            continue
        mine = [r for r in held if (r.key, r.pk) in gone_keys]
        if not mine and not on_request:
            continue
        # Kept because another organisation's file still holds it (not the enrolment a request
        # leaves alone: that is no shared record).
        kept = [r for r in held if (r.key, r.pk) not in gone_keys and r.holders - organisation_ids]
        per_kind: Counter[str] = Counter(LABELS[r.key] for r in mine)
        files = 0
        for r in mine:
            child = children.get((r.key, r.pk), Counter())
            files += child["files"]
            per_kind.update({LABELS[k]: v for k, v in child.items() if v and k != "files"})
        outcome.records.append(
            DestructionRecord.objects.create(
                at=now,
                organisation_id=org_id,
                organisation_label=holding.label,
                kind=holding.rule.kind,
                reason=reason,
                records=sum(per_kind.values()),
                kept_shared=len(kept),
                files_removed=files,
                counts=dict(per_kind),
                by=by,
                basis=basis or _expired_basis(holding),
                request=request,
            )
        )

    # Requests about these files: nothing may name the child once the file is gone.
    others = DestructionRequest.objects.filter(
        pupil=pupil, organisation_id__in=organisation_ids, state=RequestState.OPEN
    )
    if request is not None:
        others = others.exclude(pk=request.pk)
    # Nobody decided these: they lapse, distinct from a request carried out (ADR 0701).
    others.update(state=RequestState.LAPSED, decided_on=today, pupil=None)
    DestructionRequest.objects.filter(pupil=pupil, organisation_id__in=organisation_ids).exclude(
        state=RequestState.OPEN
    ).update(pupil=None)

    _destroy_what_nobody_holds(found, gone_keys, on_request, outcome, now, reason, by, basis)
    names = list(outcome.files)
    if names:
        transaction.on_commit(lambda: _delete_files(names))
    return outcome


def _expired_basis(holding: Holding) -> str:
    # The rule only: the day the file ended is a date of the child, and the register keeps
    # none (ADR 0701).
    return f"Bewaartermijn verstreken: {holding.years} jaar {holding.rule.starts}"


def _unname_coordinators(found: PupilFile, gone: list[Root], organisation_ids: set[int]) -> None:
    """A case another file keeps loses a regisseur who works for none of the organisations that
    still hold it: being named regisseur of an open case opens the child's whole file, and the
    school whose file went must not see it any more (ADR 0701)."""
    gone_keys = {(r.key, r.pk) for r in gone}
    kept = {
        r.pk: r.holders - organisation_ids
        for r in found.roots
        if r.key == "case" and (r.key, r.pk) not in gone_keys and r.holders & organisation_ids
    }
    cases = Case.objects.filter(pk__in=kept, coordinator__isnull=False)
    for case_id, coordinator_id in cases.values_list("pk", "coordinator_id"):
        stays = (
            Membership.objects.active()
            .filter(user_id=coordinator_id, organisation_id__in=kept[case_id])
            .exists()
        )
        if not stays:
            Case.objects.filter(pk=case_id).update(coordinator=None)


def _delete_roots(gone: list[Root], outcome: Outcome) -> dict[tuple[str, int], Counter[str]]:
    """Delete the roots in the order their foreign keys allow (PROTECT: contacts and agenda
    items point at cases); count per root what hung from it, and its stored files."""
    ids: dict[str, list[int]] = {}
    for r in gone:
        ids.setdefault(r.key, []).append(r.pk)
    children: dict[tuple[str, int], Counter[str]] = {}
    case_ids = ids.get("case", [])
    item_ids = ids.get("agenda_item", [])
    for case_id, name in CaseDocument.objects.filter(case_id__in=case_ids).values_list(
        "case_id", "file"
    ):
        child = children.setdefault(("case", case_id), Counter())
        child["case_document"] += 1
        if name:
            child["files"] += 1
            outcome.files.append(name)
    for case_id, n in (
        CaseEvent.objects.filter(case_id__in=case_ids)
        .values("case_id")
        .annotate(n=Count("pk"))
        .values_list("case_id", "n")
    ):
        children.setdefault(("case", case_id), Counter())["case_event"] += n
    for item_id, n in (
        Decision.objects.filter(item_id__in=item_ids)
        .values("item_id")
        .annotate(n=Count("pk"))
        .values_list("item_id", "n")
    ):
        children.setdefault(("agenda_item", item_id), Counter())["decision"] += n
    _delete_contact_lines(ids.get("contact", []), set(case_ids), children)
    SocialWorkContact.objects.filter(pk__in=ids.get("contact", [])).delete()
    AgendaItem.objects.filter(pk__in=item_ids).delete()
    Referral.objects.filter(pk__in=ids.get("referral", [])).delete()
    Case.objects.filter(pk__in=case_ids).delete()
    Enrolment.objects.filter(pk__in=ids.get("enrolment", [])).delete()
    return children


def _delete_contact_lines(
    contact_ids: list[int], case_ids: set[int], children: dict[tuple[str, int], Counter[str]]
) -> None:
    """A contact that goes while its case stays (another file holds the case) takes its line on
    the case's timeline with it: `record_contact` copied the kind of contact, with whom, the
    minutes and the note into it. Found by case, kind, worker and moment (`contact_line_at`)."""
    rows = (
        SocialWorkContact.objects.filter(pk__in=contact_ids, case__isnull=False)
        .exclude(case_id__in=case_ids)
        .values_list("pk", "case_id", "worker_id", "contact_on")
    )
    for pk, case_id, worker_id, contact_on in rows:
        deleted, _ = CaseEvent.objects.filter(
            case_id=case_id, kind=EventKind.CONTACT, by_id=worker_id, at=contact_line_at(contact_on)
        ).delete()
        if deleted:
            children.setdefault(("contact", pk), Counter())["case_event"] += deleted


def _forget_history(model: type[models.Model], pks: list[int], counts: Counter[str]) -> None:
    """Delete the change history of destroyed rows: django-auditlog keeps their values in plain
    text. (The read log is another matter: it holds no values and stays, see the ADR.)"""
    if not pks:
        return
    content_type = ContentType.objects.get_for_model(model)
    deleted, _ = LogEntry.objects.filter(
        content_type=content_type, object_pk__in=[str(pk) for pk in pks]
    ).delete()
    counts["history"] += deleted


def _destroy_what_nobody_holds(
    found: PupilFile,
    gone_keys: set[tuple[str, int]],
    on_request: bool,
    outcome: Outcome,
    now: dt.datetime,
    reason: str,
    by: Any,
    basis: str,
) -> None:
    pupil = found.pupil
    left = [r for r in found.roots if (r.key, r.pk) not in gone_keys]
    if any(r.key != "enrolment" for r in left):
        return
    enrolled = pupil.current_school_id is not None or any(r.key == "enrolment" for r in left)
    if enrolled and not on_request:
        return  # the school the child goes to now may still use plan and consents
    counts: Counter[str] = Counter()
    files_before = len(outcome.files)
    with disable_auditlog():
        counts.update(_delete_shared_care(pupil, outcome))
        if not enrolled:
            # Any request still open about the child (of an organisation that held nothing
            # more) lapses before the pupil row goes and unlinks it.
            DestructionRequest.objects.filter(pupil=pupil, state=RequestState.OPEN).update(
                state=RequestState.LAPSED, decided_on=timezone.localdate(now), pupil=None
            )
            counts.update(_delete_pupil(pupil, outcome))
            outcome.pupil_destroyed = True
    counts = Counter({k: v for k, v in counts.items() if v})
    if not counts:
        return
    first = outcome.records[0] if outcome.records else None
    outcome.records.append(
        DestructionRecord.objects.create(
            at=now,
            organisation_id=first.organisation_id if first else None,
            organisation_label=first.organisation_label if first else "",
            kind=FileKind.PUPIL,
            reason=reason if first else Reason.NOTHING_LEFT,
            records=sum(v for k, v in counts.items() if k != "history"),
            counts={LABELS[k]: v for k, v in counts.items()},
            files_removed=len(outcome.files) - files_before,  # consent forms, its own
            by=by,
            basis=basis
            or "Geen dossier meer over: wat alle dossiers samen hadden gaat mee met het laatste",
            request=first.request if first else None,
        )
    )


def _delete_shared_care(pupil: Pupil, outcome: Outcome) -> Counter[str]:
    """The child's part of the plan, instruments, consents and legal bases."""
    counts: Counter[str] = Counter()
    part = PlanPart.objects.filter(pupil=pupil).select_related("plan").first()
    if part is not None:
        plan = part.plan
        counts["plan_version"], _ = PlanVersion.objects.filter(pupil=pupil).delete()
        # The family's versions hold every child's part: take this child's out of them.
        for version in PlanVersion.objects.filter(plan=plan):
            parts = version.snapshot.get("parts", [])
            kept = [p for p in parts if p.get("pupil_id") != pupil.pk]
            if len(kept) != len(parts):
                version.snapshot = {**version.snapshot, "parts": kept}
                version.save(update_fields=["snapshot"])
        part.delete()
        counts["plan_part"] = 1
        if not PlanPart.objects.filter(plan=plan).exists():
            # The last child's part went: the family's texts, the parents' agreement and the
            # versions were about this child's plan and go with it, so that a brother or
            # sister starts a fresh plan instead of finding this one again.
            counts["plan_version"] += PlanVersion.objects.filter(plan=plan).count()
            counts["plan_agreement"] = PlanAgreement.objects.filter(plan=plan).count()
            IntegralPlan.objects.filter(pk=plan.pk).delete()  # cascades to versions, agreements
            counts["plan"] = 1
    counts["assessment"], _ = Assessment.objects.filter(pupil=pupil).delete()
    consents = Consent.objects.filter(pupil=pupil)
    outcome.files += [name for name in consents.values_list("evidence_file", flat=True) if name]
    consent_ids = list(consents.values_list("pk", flat=True))
    basis_ids = list(LegalBasis.objects.filter(pupil=pupil).values_list("pk", flat=True))
    consents.delete()
    LegalBasis.objects.filter(pk__in=basis_ids).delete()
    counts["consent"], counts["legal_basis"] = len(consent_ids), len(basis_ids)
    _forget_history(Consent, consent_ids, counts)
    _forget_history(LegalBasis, basis_ids, counts)
    return counts


def _delete_pupil(pupil: Pupil, outcome: Outcome) -> Counter[str]:
    """The pupil row, addresses, guardians and family, unless a brother or sister keeps them."""
    counts: Counter[str] = Counter()
    family = pupil.family
    siblings = Pupil.objects.filter(family=family).exclude(pk=pupil.pk).exists()
    link_ids = list(GuardianLink.objects.filter(pupil=pupil).values_list("pk", flat=True))
    residence_ids = list(Residence.objects.filter(pupil=pupil).values_list("pk", flat=True))
    guardian_ids = list(
        GuardianLink.objects.filter(pupil=pupil).values_list("guardian_id", flat=True)
    )
    # Guardians of no other child, and not named as one who agreed to a plan that stays.
    lone_guardians = list(
        Guardian.objects.filter(pk__in=guardian_ids)
        .exclude(pk__in=GuardianLink.objects.exclude(pupil=pupil).values("guardian_id"))
        .exclude(pk__in=PlanAgreement.objects.filter(plan__family=family).values("guardian_id"))
        .values_list("pk", flat=True)
    )
    BreakGlassGrant.objects.filter(pupil_id=pupil.pk).update(pupil_label=PUPIL_DESTROYED_LABEL)
    pupil_id = pupil.pk
    pupil.delete()  # cascades to links, enrolments, residences, remaining requests unlink
    counts["pupil"] = 1
    counts["residence"] = len(residence_ids)
    _forget_history(Pupil, [pupil_id], counts)
    _forget_history(GuardianLink, link_ids, counts)
    _forget_history(Residence, residence_ids, counts)
    if not siblings:
        guardian_ids = list(family.guardians.values_list("pk", flat=True))
        counts["plan"], _ = IntegralPlan.objects.filter(family=family).delete()
        family_id = family.pk
        family.delete()  # cascades to its guardians
        counts["guardian"] = len(guardian_ids)
        counts["family"] = 1
        _forget_history(Guardian, guardian_ids, counts)
        _forget_history(Family, [family_id], counts)
    else:
        Guardian.objects.filter(pk__in=lone_guardians).delete()
        counts["guardian"] = len(lone_guardians)
        _forget_history(Guardian, lone_guardians, counts)
    return counts


def _delete_files(names: list[str]) -> None:
    for name in names:
        default_storage.delete(name)


# --- Finding the pupils with something due ---------------------------------------------------


def _due_q(date_field: str, org_field: str, rule: Rule, today: dt.date) -> Q:
    """Rows whose end date lies past their organisation's period: one condition for the
    organisations with the default, and one per other number of years in use."""
    from schoolzorg.retention.models import RetentionPeriod

    of_kind = RetentionPeriod.objects.filter(
        organisation__kind__in=[k for k, r in _rules().items() if r is rule]
    )
    q = Q(**{f"{date_field}__lte": add_years(today, -rule.default_years)}) & ~Q(
        **{f"{org_field}__in": of_kind.values("organisation_id")}
    )
    for years in sorted(set(of_kind.values_list("years", flat=True))):
        q |= Q(
            **{
                f"{date_field}__lte": add_years(today, -years),
                f"{org_field}__in": of_kind.filter(years=years).values("organisation_id"),
            }
        )
    return q


def _rules() -> dict[str, Rule]:
    from schoolzorg.retention.periods import RULE_BY_ORGANISATION_KIND

    return RULE_BY_ORGANISATION_KIND


def candidates(today: dt.date) -> models.QuerySet[Pupil]:
    """Pupils with at least one root past its organisation's period (a superset of those with
    something due: the exact rule is `read_file` under the pupil's lock)."""
    from schoolzorg.retention.periods import SCHOOL_RULE, SOCIAL_WORK_RULE, YOUTH_CARE_RULE

    enrolments = Enrolment.objects.filter(ended_on__isnull=False).filter(
        _due_q("ended_on", "school_id", SCHOOL_RULE, today)
    )
    referrals = Referral.objects.filter(submitted_at__isnull=False, ended_on__isnull=False).filter(
        _due_q("ended_on", "team_id", YOUTH_CARE_RULE, today)
    )
    contacts = SocialWorkContact.objects.filter(case__isnull=False).filter(
        _due_q("contact_on", "provider_id", SOCIAL_WORK_RULE, today)
    )
    return Pupil.objects.filter(
        Q(pk__in=enrolments.values("pupil_id"))
        | Q(pk__in=referrals.values("pupil_id"))
        | Q(pk__in=contacts.values("case__pupil_id"))
    )
