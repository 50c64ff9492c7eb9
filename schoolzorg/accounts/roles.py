"""Roles a person can hold in an organisation, and what kind of organisation each belongs to."""

from __future__ import annotations

from django.db import models


class Role(models.TextChoices):
    SUPPORT_COORDINATOR = "support_coordinator", "Intern begeleider / zorgcoördinator"
    TEACHER = "teacher", "Leerkracht"
    SCHOOL_DIRECTOR = "school_director", "Schooldirecteur"
    PARTNERSHIP_CONTACT = "partnership_contact", "Schoolcontactpersoon samenwerkingsverband"
    SCHOOL_SOCIAL_WORKER = "school_social_worker", "Schoolmaatschappelijk werker"
    NEIGHBOURHOOD_TEAM_WORKER = "neighbourhood_team_worker", "Wijkteammedewerker"
    NEIGHBOURHOOD_TEAM_CONTACT = (
        "neighbourhood_team_contact",
        "Contactpersoon wijkteam voor een school",
    )
    TEAM_LEADER = "team_leader", "Teamleider wijkteam"
    YOUTH_HEALTH_NURSE = "youth_health_nurse", "Jeugdverpleegkundige"
    SERVICE_DESK_COORDINATOR = "service_desk_coordinator", "Coördinator Servicepunt SMW"
    MUNICIPAL_ANALYST = "municipal_analyst", "Beleidsanalist gemeente"
    PRIVACY_OFFICER = "privacy_officer", "Privacyfunctionaris"
    FUNCTIONAL_ADMIN = "functional_admin", "Functioneel beheerder"


# Which organisation kind a role is held in. A membership with another kind is refused.
ROLE_ORGANISATION_KINDS: dict[str, tuple[str, ...]] = {
    Role.SUPPORT_COORDINATOR: ("school",),
    Role.TEACHER: ("school",),
    Role.SCHOOL_DIRECTOR: ("school",),
    Role.PARTNERSHIP_CONTACT: ("partnership",),
    Role.SCHOOL_SOCIAL_WORKER: ("social_work_provider",),
    Role.NEIGHBOURHOOD_TEAM_WORKER: ("neighbourhood_team",),
    Role.NEIGHBOURHOOD_TEAM_CONTACT: ("neighbourhood_team",),
    Role.TEAM_LEADER: ("neighbourhood_team",),
    Role.YOUTH_HEALTH_NURSE: ("youth_health_service",),
    Role.SERVICE_DESK_COORDINATOR: ("service_desk",),
    Role.MUNICIPAL_ANALYST: ("municipality",),
    Role.PRIVACY_OFFICER: (
        "municipality",
        "school_board",
        "school",
        "partnership",
        "social_work_provider",
        "neighbourhood_team",
        "youth_health_service",
        "service_desk",
    ),
    Role.FUNCTIONAL_ADMIN: (
        "municipality",
        "school_board",
        "partnership",
        "social_work_provider",
        "service_desk",
    ),
}

# Roles held by an organisation that is not a school, but exercised at named schools: the
# membership then carries the school it serves (`Membership.school`).
SCHOOL_SCOPED_ROLES = frozenset(
    {
        Role.PARTNERSHIP_CONTACT,
        Role.SCHOOL_SOCIAL_WORKER,
        Role.NEIGHBOURHOOD_TEAM_CONTACT,
        Role.YOUTH_HEALTH_NURSE,
        Role.NEIGHBOURHOOD_TEAM_WORKER,
    }
)

# Roles that work with pupil files at a school ("case roles").
CASE_ROLES = frozenset(
    {Role.SUPPORT_COORDINATOR, Role.SCHOOL_SOCIAL_WORKER, Role.PARTNERSHIP_CONTACT}
)

# Professionals who must pass a second factor. Everyone with a membership is a professional.
