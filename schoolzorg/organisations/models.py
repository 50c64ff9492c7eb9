"""Organisations and areas: the registry that every access rule hangs from.

Every organisation shares one table (`Organisation`) so that a membership can point at any kind;
kind-specific fields live in a child table (multi-table inheritance). Area codes are CBS codes kept
as text: some contain letters (Amsterdam's `BU0363AA01`) and all have meaningful leading zeros.
"""

from __future__ import annotations

from django.db import models

from schoolzorg.lib.validators import no_hidden_characters


class OrganisationKind(models.TextChoices):
    MUNICIPALITY = "municipality", "Gemeente"
    SCHOOL_BOARD = "school_board", "Schoolbestuur"
    SCHOOL = "school", "School"
    PARTNERSHIP = "partnership", "Samenwerkingsverband"
    SOCIAL_WORK_PROVIDER = "social_work_provider", "Aanbieder schoolmaatschappelijk werk"
    NEIGHBOURHOOD_TEAM = "neighbourhood_team", "Wijkteam"
    YOUTH_HEALTH_SERVICE = "youth_health_service", "Jeugdgezondheidszorg (JGZ/CJG)"
    SERVICE_DESK = "service_desk", "Servicepunt SMW"


class Sector(models.TextChoices):
    PRIMARY = "primary", "Primair onderwijs"
    SECONDARY = "secondary", "Voortgezet onderwijs"
    SPECIAL = "special", "(Voortgezet) speciaal onderwijs"


class HolidayRegion(models.TextChoices):
    NORTH = "noord", "Noord"
    MIDDLE = "midden", "Midden"
    SOUTH = "zuid", "Zuid"


class Organisation(models.Model):
    kind = models.CharField("soort", max_length=32, choices=OrganisationKind.choices, db_index=True)
    name = models.CharField("naam", max_length=200, validators=[no_hidden_characters])
    municipality = models.ForeignKey(
        "organisations.Municipality",
        verbose_name="gemeente",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="organisations",
    )
    email = models.EmailField("e-mail", blank=True)
    phone = models.CharField("telefoon", max_length=40, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = "organisatie"
        verbose_name_plural = "organisaties"

    def __str__(self) -> str:
        return self.name


class Municipality(Organisation):
    """A municipality (gemeente): both an area and the organisation that commissions youth care."""

    organisation_ptr = models.OneToOneField(
        Organisation,
        parent_link=True,
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="as_municipality",
    )

    cbs_code = models.CharField("CBS-code", max_length=6, unique=True, help_text="GM0599")
    holiday_region = models.CharField(
        "vakantieregio", max_length=8, choices=HolidayRegion.choices, blank=True
    )

    class Meta:
        verbose_name = "gemeente"
        verbose_name_plural = "gemeenten"

    @property
    def number(self) -> str:
        """The four-digit DUO number (`0599`) behind the CBS code."""
        return self.cbs_code[2:]


class District(models.Model):
    """A CBS wijk."""

    code = models.CharField("wijkcode", max_length=10, unique=True)
    name = models.CharField("naam", max_length=200)
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        related_name="districts",
        verbose_name="gemeente",
    )

    class Meta:
        ordering = ["code"]
        verbose_name = "wijk"
        verbose_name_plural = "wijken"

    def __str__(self) -> str:
        return self.name


class Neighbourhood(models.Model):
    """A CBS buurt."""

    code = models.CharField("buurtcode", max_length=10, unique=True)
    name = models.CharField("naam", max_length=200)
    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="neighbourhoods")

    class Meta:
        ordering = ["code"]
        verbose_name = "buurt"
        verbose_name_plural = "buurten"

    def __str__(self) -> str:
        return self.name


class PostcodeQuerySet(models.QuerySet["PostcodeArea"]):
    def resolve(self, postcode: str) -> PostcodeArea | None:
        """Return the most precise known area for a postcode: a PC6 entry wins over its PC4."""
        from schoolzorg.lib.postcodes import normalise_postcode

        pc = normalise_postcode(postcode)
        if not pc:
            return None
        candidates = [pc, pc[:4]] if len(pc) == 6 else [pc[:4]]
        found = {
            a.postcode: a
            for a in self.filter(postcode__in=candidates).select_related(
                "neighbourhood__district__municipality", "district__municipality", "municipality"
            )
        }
        for candidate in candidates:
            if candidate in found:
                return found[candidate]
        return None


class PostcodeArea(models.Model):
    """A postcode (PC6 `3061AB` or PC4 `3061`) and the most precise area it is known to lie in."""

    postcode = models.CharField(max_length=6, unique=True)
    neighbourhood = models.ForeignKey(
        Neighbourhood, null=True, blank=True, on_delete=models.PROTECT, related_name="postcodes"
    )
    district = models.ForeignKey(
        District, null=True, blank=True, on_delete=models.PROTECT, related_name="postcodes"
    )
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="postcodes"
    )
    source = models.CharField("bron", max_length=100, blank=True)

    objects = PostcodeQuerySet.as_manager()

    class Meta:
        verbose_name = "postcodegebied"
        verbose_name_plural = "postcodegebieden"

    def __str__(self) -> str:
        return self.postcode

    @property
    def is_pc6(self) -> bool:
        return len(self.postcode) == 6


class SchoolBoard(Organisation):
    """A school board (bevoegd gezag)."""

    organisation_ptr = models.OneToOneField(
        Organisation,
        parent_link=True,
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="as_school_board",
    )

    number = models.CharField("bevoegd-gezagnummer", max_length=10, unique=True)

    class Meta:
        verbose_name = "schoolbestuur"
        verbose_name_plural = "schoolbesturen"


class Partnership(Organisation):
    """A samenwerkingsverband passend onderwijs."""

    organisation_ptr = models.OneToOneField(
        Organisation,
        parent_link=True,
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="as_partnership",
    )

    code = models.CharField("code", max_length=10, unique=True, help_text="PO2806")
    sector = models.CharField("sector", max_length=16, choices=Sector.choices)

    class Meta:
        verbose_name = "samenwerkingsverband"
        verbose_name_plural = "samenwerkingsverbanden"


class PartnershipArea(models.Model):
    """The samenwerkingsverband responsible for pupils living in a PC4, per sector."""

    pc4 = models.CharField(max_length=4)
    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="areas")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["pc4", "partnership"], name="unique_partnership_pc4")
        ]


class SchoolQuerySet(models.QuerySet["School"]):
    def open(self) -> SchoolQuerySet:
        return self.filter(closed_on__isnull=True)


class School(Organisation):
    """A school location (vestiging), keyed by DUO's six-character location code."""

    organisation_ptr = models.OneToOneField(
        Organisation,
        parent_link=True,
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="as_school",
    )

    location_code = models.CharField("vestigingscode", max_length=6, unique=True)
    brin = models.CharField("BRIN", max_length=4, db_index=True)
    sector = models.CharField(
        "sector", max_length=16, choices=Sector.choices, default=Sector.PRIMARY
    )
    board = models.ForeignKey(
        SchoolBoard,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="schools",
        verbose_name="schoolbestuur",
    )
    partnership = models.ForeignKey(
        Partnership,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="schools",
        verbose_name="samenwerkingsverband",
    )
    district = models.ForeignKey(
        District,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="schools",
        verbose_name="wijk",
    )
    street = models.CharField("straat", max_length=200, blank=True)
    house_number = models.CharField("huisnummer", max_length=40, blank=True)
    postcode = models.CharField("postcode", max_length=7, blank=True)
    city = models.CharField("plaats", max_length=100, blank=True)
    denomination = models.CharField("denominatie", max_length=100, blank=True)
    website = models.CharField("website", max_length=200, blank=True)
    school_weight = models.DecimalField(
        "schoolweging", max_digits=5, decimal_places=2, null=True, blank=True
    )
    holiday_region = models.CharField(
        "vakantieregio", max_length=8, choices=HolidayRegion.choices, blank=True
    )
    pupil_count = models.PositiveIntegerField("aantal leerlingen", null=True, blank=True)
    pupil_count_year = models.PositiveSmallIntegerField(
        "jaar van het aantal leerlingen", null=True, blank=True
    )
    is_small_count = models.BooleanField(
        default=False,
        help_text="DUO meldt minder dan 5 leerlingen ('<5').",
        verbose_name="minder dan 5 leerlingen",
    )
    closed_on = models.DateField("gesloten op", null=True, blank=True)
    source_hash = models.CharField(
        "kenmerk van de bronregel", max_length=64, blank=True, editable=False
    )

    # django-stubs sees the parent's implicit manager as a class variable under inheritance.
    objects = SchoolQuerySet.as_manager()  # type: ignore[misc]

    class Meta:
        verbose_name = "school"
        verbose_name_plural = "scholen"

    @property
    def is_closed(self) -> bool:
        return self.closed_on is not None

    @property
    def effective_holiday_region(self) -> str:
        """DUO's region for the school, else the municipality's."""
        if self.holiday_region:
            return self.holiday_region
        return self.municipality.holiday_region if self.municipality else ""


class SocialWorkProvider(Organisation):
    organisation_ptr = models.OneToOneField(
        Organisation,
        parent_link=True,
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="as_social_work_provider",
    )

    class Meta:
        verbose_name = "aanbieder schoolmaatschappelijk werk"
        verbose_name_plural = "aanbieders schoolmaatschappelijk werk"


class NeighbourhoodTeam(Organisation):
    """A wijkteam, serving the families who live in its districts."""

    organisation_ptr = models.OneToOneField(
        Organisation,
        parent_link=True,
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="as_neighbourhood_team",
    )

    area_name = models.CharField("gebied", max_length=200, blank=True)
    districts = models.ManyToManyField(District, related_name="neighbourhood_teams", blank=True)

    class Meta:
        verbose_name = "wijkteam"
        verbose_name_plural = "wijkteams"


class YouthHealthService(Organisation):
    organisation_ptr = models.OneToOneField(
        Organisation,
        parent_link=True,
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="as_youth_health_service",
    )

    class Meta:
        verbose_name = "jeugdgezondheidszorg"
        verbose_name_plural = "jeugdgezondheidszorg"


class ServiceDesk(Organisation):
    organisation_ptr = models.OneToOneField(
        Organisation,
        parent_link=True,
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="as_service_desk",
    )

    class Meta:
        verbose_name = "servicepunt SMW"
        verbose_name_plural = "servicepunten SMW"
