from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "schoolzorg.accounts"
    label = "accounts"
    verbose_name = "Gebruikers en rollen"

    def ready(self) -> None:
        from schoolzorg.accounts import panels  # noqa: F401  (registers menu and home panels)
        from schoolzorg.accounts.notifications import prune_notifications_task
        from schoolzorg.lib import periodic

        periodic.register("notifications", prune_notifications_task, 24 * 60 * 60)
