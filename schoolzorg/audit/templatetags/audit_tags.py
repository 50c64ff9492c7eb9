"""Plain-Dutch labels for read-log codes (roles and bases)."""

from __future__ import annotations

from django import template

from schoolzorg.accounts.roles import Role

register = template.Library()

BASIS_LABELS = {
    "membership": "eigen rol op de school",
    "school_staff": "eigen rol op de school",
    "school_file": "dossier van de eigen school (leerling vertrokken)",
    "own_group": "leerkracht van de groep",
    "care_team_consent": "zorgteam, met toestemming",
    "break_the_glass": "noodtoegang",
    "privacy_oversight": "toezicht privacy",
    "consent_ledger": "toestemmingsregister",
    "case": "betrokken bij de casus",
    "referral": "toeleiding",
    "escalation": "escalatie naar het servicepunt",
    "plan": "actie in het integraal plan",
    "destruction_request": "verzoek tot vernietiging beslissen",
}


@register.filter
def role_label(value: str) -> str:
    try:
        return str(Role(value).label)
    except ValueError:
        return value or "–"


@register.filter
def basis_label(value: str) -> str:
    return BASIS_LABELS.get(value, value or "–")
