from __future__ import annotations

import factory

from schoolzorg.organisations import models


class MunicipalityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Municipality
        django_get_or_create = ("cbs_code",)

    kind = models.OrganisationKind.MUNICIPALITY
    name = factory.Sequence(lambda n: f"Gemeente {n}")
    # GM9000-GM9999 (no real municipality); wraps, since a long run makes thousands (max 6 chars).
    cbs_code = factory.Sequence(lambda n: f"GM{9000 + n % 1000:04d}")
    holiday_region = "midden"


class DistrictFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.District

    municipality = factory.SubFactory(MunicipalityFactory)
    code = factory.Sequence(lambda n: f"WK{n:06d}")
    name = factory.Sequence(lambda n: f"Wijk {n}")


class NeighbourhoodFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Neighbourhood

    district = factory.SubFactory(DistrictFactory)
    code = factory.Sequence(lambda n: f"BU{n:08d}")
    name = factory.Sequence(lambda n: f"Buurt {n}")


class PartnershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Partnership

    kind = models.OrganisationKind.PARTNERSHIP
    name = factory.Sequence(lambda n: f"Samenwerkingsverband {n}")
    code = factory.Sequence(lambda n: f"PO{n:04d}")
    sector = models.Sector.PRIMARY


class SchoolFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.School

    kind = models.OrganisationKind.SCHOOL
    name = factory.Sequence(lambda n: f"School {n}")
    municipality = factory.SubFactory(MunicipalityFactory)
    location_code = factory.Sequence(lambda n: f"{n:04d}00"[-6:].replace("0", "Z", 1))
    brin = factory.LazyAttribute(lambda o: o.location_code[:4])
    district = factory.SubFactory(
        DistrictFactory, municipality=factory.SelfAttribute("..municipality")
    )
    holiday_region = "midden"


class NeighbourhoodTeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.NeighbourhoodTeam

    kind = models.OrganisationKind.NEIGHBOURHOOD_TEAM
    name = factory.Sequence(lambda n: f"Wijkteam {n}")
    municipality = factory.SubFactory(MunicipalityFactory)

    @factory.post_generation
    def districts(self, create, extracted, **kwargs):  # type: ignore[no-untyped-def]
        if create and extracted:
            self.districts.set(extracted)


class SocialWorkProviderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.SocialWorkProvider

    kind = models.OrganisationKind.SOCIAL_WORK_PROVIDER
    name = factory.Sequence(lambda n: f"SMW-aanbieder {n}")


class YouthHealthServiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.YouthHealthService

    kind = models.OrganisationKind.YOUTH_HEALTH_SERVICE
    name = factory.Sequence(lambda n: f"JGZ {n}")


class ServiceDeskFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.ServiceDesk

    kind = models.OrganisationKind.SERVICE_DESK
    name = factory.Sequence(lambda n: f"Servicepunt {n}")


class SchoolBoardFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.SchoolBoard

    kind = models.OrganisationKind.SCHOOL_BOARD
    name = factory.Sequence(lambda n: f"Bestuur {n}")
    number = factory.Sequence(lambda n: f"{10000 + n}")
