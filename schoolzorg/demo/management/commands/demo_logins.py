"""Print one demo login per role, with how to pass the second factor."""

from __future__ import annotations

from typing import Any

from schoolzorg.accounts.models import Membership
from schoolzorg.accounts.roles import Role
from schoolzorg.demo.context import DEMO_OTP_CODE, DEMO_PASSWORD
from schoolzorg.lib.commands import BaseCommand


class Command(BaseCommand):
    help = "Toon per rol een demo-account."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write("Demo-accounts (één per rol):")
        for role in Role:
            m = (
                Membership.objects.filter(role=role, user__email__endswith=".example")
                .select_related("user", "organisation")
                .order_by("user_id")
                .first()
            )
            if m is not None:
                self.stdout.write(f"  {role.label:<45} {m.user.email}")
        self.stdout.write(f"Wachtwoord voor alle demo-accounts: {DEMO_PASSWORD}")
        self.stdout.write(f"Tweede stap (code): {DEMO_OTP_CODE}  (werkt alleen in de demo)")
