from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "schoolzorg.accounts"
    label = "accounts"
    verbose_name = "Gebruikers en rollen"

    def ready(self) -> None:
        # Registers the menu and home panels; connects the receiver of the session's start.
        from schoolzorg.accounts import panels, signals  # noqa: F401
        from schoolzorg.accounts.notifications import prune_notifications_task
        from schoolzorg.lib import periodic

        periodic.register("notifications", prune_notifications_task, 24 * 60 * 60)
