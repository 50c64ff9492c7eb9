"""Dutch names in the admin (`/beheer/`) for the libraries' apps that show there, and its site."""

from __future__ import annotations

from axes.apps import AppConfig as AxesConfig
from django.contrib.admin.apps import AdminConfig
from django_otp.plugins.otp_static.apps import DefaultConfig as StaticConfig
from django_otp.plugins.otp_totp.apps import DefaultConfig as TOTPConfig
from django_tasks_db.apps import TasksAppConfig


class Admin(AdminConfig):
    """The admin site in the product's words, for administrators only (accounts/adminsite.py)."""

    default_site = "schoolzorg.accounts.adminsite.SchoolzorgAdminSite"


class AuthenticatorApps(TOTPConfig):
    verbose_name = "Tweede stap: authenticator-apps"


class RecoveryCodes(StaticConfig):
    verbose_name = "Tweede stap: herstelcodes"


class Lockout(AxesConfig):
    verbose_name = "Blokkeren na mislukte inlogpogingen"


class Tasks(TasksAppConfig):
    verbose_name = "Achtergrondtaken"
