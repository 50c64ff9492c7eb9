"""The consent ledger: who agreed to what, for which receiver, for how long; and other legal bases.

Consent is recorded per purpose and per receiving organisation. Who must agree follows the pupil's
age on the day of sharing (see `rules.required_parties`). Where the basis is not consent — the
right to report to Veilig Thuis, a legal duty — a `LegalBasis` record is used and shown as such.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import ExpressionWrapper, F, OuterRef, Q
from django.db.models.functions import ExtractDay, ExtractMonth, ExtractYear
from django.db.models.lookups import LessThan
from django.utils import timezone

from schoolzorg.consent.rules import CHILD_ALONE_AGE, PUPIL_TOO_AGE, age_on, born_by
from schoolzorg.lib.dates import numeric
from schoolzorg.organisations.models import OrganisationKind


class Purpose(models.TextChoices):
    DISCUSS_IN_CARE_TEAM = "discuss_in_care_team", "Bespreken in het schoolzorgteam"
    SHARE_WITH_NEIGHBOURHOOD_TEAM = "share_with_neighbourhood_team", "Delen met het wijkteam"
    SHARE_DOCUMENT = "share_document", "Een document delen"
    WARM_HANDOVER = "warm_handover", "Warme overdracht (gesprek met het wijkteam)"
    # Not a sharing inside Schoolzorg: the report to Veilig Thuis is made outside it, and the
    # reporting code's decision "report without consent" names its ground (`assessments`). Only
    # a legal basis has this purpose (meldrecht), never a consent (`SHARING_PURPOSES`).
    REPORT_TO_VEILIG_THUIS = "report_to_veilig_thuis", "Melden bij Veilig Thuis"


# The purposes of sharing the pupil's data inside Schoolzorg: what a consent can be given for,
# and what a consent or legal basis opens (the care team, the referral's team, a document).
SHARING_PURPOSES = (
    Purpose.DISCUSS_IN_CARE_TEAM,
    Purpose.SHARE_WITH_NEIGHBOURHOOD_TEAM,
    Purpose.SHARE_DOCUMENT,
    Purpose.WARM_HANDOVER,
)
SHARING_CHOICES = [(p.value, p.label) for p in SHARING_PURPOSES]


# Who a consent that names no receiving organisation is for: everyone of its purpose (a
# consent to share with "het wijkteam" opens the referral to whichever team receives it,
# referrals/sharing.py; one to discuss opens the file to the care team's organisations).
NO_RECIPIENT = "Geen organisatie genoemd: geldt voor iedereen die bij dit doel hoort"
NO_RECIPIENT_MEANS = {
    Purpose.DISCUSS_IN_CARE_TEAM: "alle organisaties in het schoolzorgteam",
    Purpose.SHARE_WITH_NEIGHBOURHOOD_TEAM: "elk wijkteam dat een toeleiding voor de leerling krijgt",
    Purpose.SHARE_DOCUMENT: "elke organisatie aan wie het document gegeven wordt",
    Purpose.WARM_HANDOVER: "het wijkteam dat de toeleiding krijgt",
    Purpose.REPORT_TO_VEILIG_THUIS: "Veilig Thuis, buiten Schoolzorg om (kies bij dit doel geen organisatie)",
}


# The kinds of organisation in a school's care team (not the school itself): those whose people
# a consent to discuss the pupil there lets open the file (`relationships.care_team_q`,
# `named_cover_q`). The municipality sees figures only, a school board no child, the service
# desk a referral's progress: a consent naming one of them would open nothing, and would say
# the parents agreed to share their child with it.
CARE_TEAM_KINDS = frozenset(
    {
        OrganisationKind.NEIGHBOURHOOD_TEAM,
        OrganisationKind.YOUTH_HEALTH_SERVICE,
        OrganisationKind.SOCIAL_WORK_PROVIDER,
        OrganisationKind.PARTNERSHIP,
    }
)
_TEAMS_ONLY = frozenset({OrganisationKind.NEIGHBOURHOOD_TEAM})

# Which organisations can receive the pupil's data under each purpose, by kind; a consent or
# legal basis names one of these or none (`refused_recipient`).
RECEIVING_KINDS = {
    Purpose.DISCUSS_IN_CARE_TEAM: CARE_TEAM_KINDS,
    Purpose.SHARE_WITH_NEIGHBOURHOOD_TEAM: _TEAMS_ONLY,  # referrals/sharing.py
    Purpose.SHARE_DOCUMENT: CARE_TEAM_KINDS,
    Purpose.WARM_HANDOVER: _TEAMS_ONLY,
    # Veilig Thuis is no organisation in Schoolzorg: the report names none, and opens nothing.
    Purpose.REPORT_TO_VEILIG_THUIS: frozenset(),
}
_IN_CARE_TEAM = (
    "een organisatie in het schoolzorgteam: een wijkteam, de jeugdgezondheidszorg, het "
    "schoolmaatschappelijk werk of het samenwerkingsverband"
)
RECEIVERS = {
    Purpose.DISCUSS_IN_CARE_TEAM: _IN_CARE_TEAM,
    Purpose.SHARE_WITH_NEIGHBOURHOOD_TEAM: "een wijkteam",
    Purpose.SHARE_DOCUMENT: _IN_CARE_TEAM,
    Purpose.WARM_HANDOVER: "een wijkteam",
}


def refused_recipient(purpose: str, recipient: Any) -> str:
    """Why this organisation cannot receive the pupil's data for the purpose, in plain Dutch;
    "" when it can (or when none is named: then everyone of the purpose is meant)."""
    if recipient is None or recipient.kind in RECEIVING_KINDS[Purpose(purpose)]:
        return ""
    if not RECEIVING_KINDS[Purpose(purpose)]:
        return (
            f"Bij ‘{Purpose(purpose).label}’ kiest u geen organisatie: de melding gaat naar "
            "Veilig Thuis, buiten Schoolzorg om, en opent voor niemand het dossier."
        )
    return (
        f"{recipient.name} kan bij ‘{Purpose(purpose).label}’ geen gegevens van de leerling "
        f"krijgen. Kies {RECEIVERS[Purpose(purpose)]}. Of kies geen organisatie."
    )


def _yyyymmdd(day: Any) -> Any:
    return ExtractYear(day) * 10000 + ExtractMonth(day) * 100 + ExtractDay(day)


def _pupil_under(years: int, day: Any) -> Q:
    """Consents whose pupil is younger than `years` on the day (SQL, the rule of `age_on`).

    The day is a date, or an expression for a date of the outer query (a meeting's day).
    """
    if isinstance(day, dt.date):
        return Q(pupil__date_of_birth__gt=born_by(day, years))
    # Days written as numbers yyyymmdd: their difference divided by 10,000 is the age in whole
    # years, 29 February birthdays counting from 1 March in common years, as in `age_on`.
    day = ExpressionWrapper(day, output_field=models.DateField())
    age_days = _yyyymmdd(day) - _yyyymmdd(F("pupil__date_of_birth"))
    return Q(LessThan(age_days, years * 10000))


class ConsentQuerySet(models.QuerySet["Consent"]):
    def in_force(self, on: dt.date | OuterRef | None = None) -> ConsentQuerySet:
        """Complete consents given on or before the day, not expired or withdrawn on that day,
        and still enough for the pupil's age on that day.

        Who must agree follows the age on the day of sharing: a consent the parents gave for a
        child of 11 is not enough once the child is 12 (the pupil must agree too), nor from 16
        (the pupil alone decides), until the pupil's own agreement is added (`pupil_agreed_on`).
        A consent that was not complete when given does not become so by a birthday.
        The day may be an `OuterRef` to a date of the outer query (e.g. a meeting's day).
        """
        day = on if on is not None else timezone.localdate()
        pupil_agreed = Q(given_by_pupil=True) & (
            Q(pupil_agreed_on__isnull=True) | Q(pupil_agreed_on__lte=day)
        )
        return (
            self.filter(given_on__lte=day, is_complete=True)
            .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=day))
            .filter(Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gt=day))
            .filter(_pupil_under(PUPIL_TOO_AGE, day) | pupil_agreed)
        )

    def for_recipients(self, organisation_ids: Iterable[int]) -> ConsentQuerySet:
        """Consents that name no receiving organisation (all in the care team) or one of these."""
        return self.filter(Q(recipient__isnull=True) | Q(recipient_id__in=sorted(organisation_ids)))

    def to_discuss(self, on: dt.date | OuterRef | None = None) -> ConsentQuerySet:
        """Consents to discuss the pupil in the care team, in force on the day.

        The rule for putting a pupil on a care meeting's agenda and for keeping the item: any
        such consent counts, whichever organisation it names. The item is then discussed only
        with those who may see the pupil: a consent that names one organisation lets no other
        care-team organisation see the item (ADR 0201, `for_recipients`).
        """
        return self.in_force(on).filter(purpose=Purpose.DISCUSS_IN_CARE_TEAM)

    def valid_for(
        self,
        pupil: Any,
        purpose: str,
        recipient: object | None = None,
        on: dt.date | None = None,
    ) -> ConsentQuerySet:
        """Consents that allow this purpose for this pupil (and receiving organisation) on a day.

        A consent without a recipient covers every organisation in the care team for that purpose.
        """
        qs = self.in_force(on).filter(pupil=pupil, purpose=purpose)
        if recipient is not None:
            qs = qs.filter(Q(recipient__isnull=True) | Q(recipient=recipient))
        return qs


class Consent(models.Model):
    pupil = models.ForeignKey(
        "pupils.Pupil", verbose_name="leerling", on_delete=models.CASCADE, related_name="consents"
    )
    purpose = models.CharField("doel", max_length=40, choices=SHARING_CHOICES)
    recipient = models.ForeignKey(
        "organisations.Organisation",
        verbose_name="ontvangende organisatie",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Leeg: alle organisaties in het schoolzorgteam.",
    )
    data_scope = models.TextField(
        "welke gegevens", blank=True, help_text="Bijvoorbeeld: het plan, niet de schoolresultaten."
    )
    given_by_guardians = models.ManyToManyField(
        "pupils.Guardian",
        verbose_name="toestemming van ouders met gezag",
        blank=True,
        related_name="consents",
    )
    given_by_pupil = models.BooleanField("toestemming van de leerling", default=False)
    # The day the pupil's agreement was added to a consent that stopped being enough when the
    # pupil turned 12 or 16 ("Aanvullen"); empty when the pupil agreed on `given_on`.
    pupil_agreed_on = models.DateField(
        "leerling stemde in op", null=True, blank=True, editable=False
    )
    # Whether every party that must agree (by age on `given_on`) has agreed; kept by the service.
    # Whether it is still enough on a later day depends on the age then (`in_force`).
    is_complete = models.BooleanField("volledig", default=False, editable=False)
    given_on = models.DateField("gegeven op")
    valid_until = models.DateField("geldig tot en met", null=True, blank=True)
    withdrawn_on = models.DateField("ingetrokken op", null=True, blank=True)
    withdrawal_reason = models.TextField("reden intrekking", blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="ingetrokken door",
    )
    evidence_note = models.TextField("vastlegging", blank=True)
    evidence_file = models.FileField("formulier", upload_to="consent/%Y/", blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="vastgelegd door",
    )
    recorded_at = models.DateTimeField("vastgelegd op", auto_now_add=True)
    # The form it came from: the same form sent twice finds the first consent (services).
    form_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    objects = ConsentQuerySet.as_manager()

    class Meta:
        ordering = ["-given_on"]
        verbose_name = "toestemming"
        verbose_name_plural = "toestemmingen"
        indexes = [models.Index(fields=["pupil", "purpose"])]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} ({numeric(self.given_on)})"

    def needs_pupil_on(self, day: dt.date | None = None) -> bool:
        """Whether the pupil, 12 or older on the day, has not agreed (by then); the Python
        twin of the age condition in `ConsentQuerySet.in_force`. Reads `self.pupil`."""
        day = day or timezone.localdate()
        if age_on(self.pupil.date_of_birth, day) < PUPIL_TOO_AGE:
            return False
        agreed = self.given_by_pupil and (
            self.pupil_agreed_on is None or self.pupil_agreed_on <= day
        )
        return not agreed

    def status_on(self, day: dt.date | None = None) -> str:
        """Plain-Dutch status on a day: geldig, ingetrokken, verlopen, onvolledig, nog niet
        ingegaan, or niet meer genoeg (the pupil turned 12 or 16 and must agree too)."""
        day = day or timezone.localdate()
        if self.withdrawn_on is not None and self.withdrawn_on <= day:
            return "ingetrokken"
        if self.valid_until is not None and self.valid_until < day:
            return "verlopen"
        if not self.is_complete:
            return "onvolledig"
        if self.given_on > day:
            return "nog niet ingegaan"
        if self.needs_pupil_on(day):
            return "niet meer genoeg"
        return "geldig"

    @property
    def recipient_label(self) -> str:
        """The receiving organisation, or who the consent is for when it names none."""
        if self.recipient_id is not None:
            return str(self.recipient)
        return f"Geen organisatie genoemd: {NO_RECIPIENT_MEANS[Purpose(self.purpose)]}"

    @property
    def status(self) -> str:
        return self.status_on()

    def shortfall_on(self, day: dt.date | None = None) -> str:
        """Why a complete consent is no longer enough on the day, in plain Dutch ("" if it is)."""
        day = day or timezone.localdate()
        if not self.is_complete or not self.needs_pupil_on(day):
            return ""
        name = self.pupil.first_name
        age = age_on(self.pupil.date_of_birth, day)
        if age >= CHILD_ALONE_AGE:
            return f"{name} is nu {age} en beslist nu zelf; {name} moet zelf instemmen."
        return f"{name} is nu {age}; ook {name} zelf moet instemmen."

    @property
    def shortfall(self) -> str:
        return self.shortfall_on()


class LegalBasisKind(models.TextChoices):
    REPORTING_RIGHT = "reporting_right", "Meldrecht (Veilig Thuis, Wet meldcode)"
    LEGAL_DUTY = "legal_duty", "Wettelijke plicht"
    VITAL_INTEREST = "vital_interest", "Vitaal belang van het kind"
    PUBLIC_TASK = "public_task", "Publieke taak (Jeugdwet)"


# Which purposes each kind of legal basis can ground: the one place of the rule. Meldrecht
# (Wet meldcode) lets a professional report to Veilig Thuis without consent, and nothing else:
# it is never a ground to discuss the child in the care team, to send a referral to the
# neighbourhood team, to share a document or to hold a warm handover ("never a bypass"). The
# other kinds ground the sharing purposes, and not the report, which the reporting code grounds
# on meldrecht (`assessments`: "report without consent" requires a `reporting_right` basis).
# The service refuses any other combination (`services.record_legal_basis`), the form says so
# at the field, and every read that counts a basis as ground (`LegalBasisQuerySet.grounding`)
# passes over one stored before this rule.
BASIS_PURPOSES: dict[str, frozenset[str]] = {
    LegalBasisKind.REPORTING_RIGHT: frozenset({Purpose.REPORT_TO_VEILIG_THUIS}),
    LegalBasisKind.LEGAL_DUTY: frozenset(SHARING_PURPOSES),
    LegalBasisKind.VITAL_INTEREST: frozenset(SHARING_PURPOSES),
    LegalBasisKind.PUBLIC_TASK: frozenset(SHARING_PURPOSES),
}


def kinds_grounding(purpose: str) -> list[str]:
    """The kinds of legal basis that can ground the purpose (`BASIS_PURPOSES`), sorted."""
    return sorted(kind for kind, purposes in BASIS_PURPOSES.items() if purpose in purposes)


def refused_basis(kind: str, purpose: str) -> str:
    """Why a legal basis of this kind cannot ground the purpose, in plain Dutch; "" when it can."""
    if purpose in BASIS_PURPOSES.get(kind, frozenset()):
        return ""
    if kind not in BASIS_PURPOSES:
        return "Kies een grondslag uit de lijst."
    if kind == LegalBasisKind.REPORTING_RIGHT:
        return (
            f"Het meldrecht is alleen een grondslag om te melden bij Veilig Thuis, niet voor "
            f"‘{Purpose(purpose).label}’. Kies ‘{Purpose.REPORT_TO_VEILIG_THUIS.label}’. Wilt u "
            "zonder toestemming delen binnen Schoolzorg, dan is een andere grondslag nodig."
        )
    if purpose == Purpose.REPORT_TO_VEILIG_THUIS:
        return (
            f"Melden bij Veilig Thuis zonder toestemming gaat op grond van het meldrecht. Kies "
            f"‘{LegalBasisKind.REPORTING_RIGHT.label}’."
        )
    return f"‘{LegalBasisKind(kind).label}’ is geen grondslag voor ‘{Purpose(purpose).label}’."


class LegalBasisQuerySet(models.QuerySet["LegalBasis"]):
    def in_force(self, on: dt.date | None = None) -> LegalBasisQuerySet:
        """Started on or before the day and not ended before it."""
        day = on or timezone.localdate()
        return self.filter(valid_from__lte=day).filter(
            Q(valid_until__isnull=True) | Q(valid_until__gte=day)
        )

    def grounding(self, purpose: str) -> LegalBasisQuerySet:
        """Bases for the purpose of a kind that can ground it (`BASIS_PURPOSES`).

        Every read that counts a basis as a ground goes through this: a basis stored before the
        rule with a kind that does not fit its purpose (meldrecht to share with the
        neighbourhood team, say) counts for nothing.
        """
        return self.filter(purpose=purpose, kind__in=kinds_grounding(purpose))

    def covering(
        self, pupil: Any, purpose: str, recipient_ids: Any = (), on: dt.date | None = None
    ) -> LegalBasisQuerySet:
        """Bases in force for this pupil and purpose, of a kind that can ground it, that name no
        organisation or one of these.

        `pupil` may be an `OuterRef` to the pupil of an outer query.
        """
        return (
            self.in_force(on)
            .grounding(purpose)
            .filter(pupil=pupil)
            .filter(Q(recipient__isnull=True) | Q(recipient_id__in=list(recipient_ids)))
        )


class LegalBasis(models.Model):
    """A reasoned basis for sharing without consent; recorded by a permitted professional."""

    pupil = models.ForeignKey(
        "pupils.Pupil",
        verbose_name="leerling",
        on_delete=models.CASCADE,
        related_name="legal_bases",
    )
    kind = models.CharField("grondslag", max_length=32, choices=LegalBasisKind.choices)
    purpose = models.CharField("doel", max_length=40, choices=Purpose.choices)
    recipient = models.ForeignKey(
        "organisations.Organisation",
        verbose_name="ontvangende organisatie",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reason = models.TextField("onderbouwing")
    valid_from = models.DateField("geldig vanaf")
    valid_until = models.DateField("geldig tot en met", null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="vastgelegd door",
    )
    recorded_at = models.DateTimeField("vastgelegd op", auto_now_add=True)
    # The form it came from: the same form sent twice finds the first basis (services).
    form_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    objects = LegalBasisQuerySet.as_manager()

    class Meta:
        ordering = ["-valid_from"]
        verbose_name = "wettelijke grondslag"
        verbose_name_plural = "wettelijke grondslagen"

    def is_in_force(self, day: dt.date | None = None) -> bool:
        day = day or timezone.localdate()
        return self.valid_from <= day and (self.valid_until is None or self.valid_until >= day)

    def grounds(self, purpose: str) -> bool:
        """Whether this basis is one for the purpose, of a kind that can ground it (the Python
        twin of `LegalBasisQuerySet.grounding`)."""
        return self.purpose == purpose and not refused_basis(self.kind, purpose)

    @property
    def unfitting(self) -> str:
        """Why this basis grounds nothing, in plain Dutch: one stored before its kind had to fit
        its purpose (meldrecht for the neighbourhood team, say); "" when it fits."""
        if not refused_basis(self.kind, self.purpose):
            return ""
        if self.kind == LegalBasisKind.REPORTING_RIGHT:
            return (
                "Telt niet als grondslag: het meldrecht geldt alleen voor een melding bij "
                "Veilig Thuis, niet om te delen binnen Schoolzorg."
            )
        return "Telt niet als grondslag: deze grondslag past niet bij dit doel."
