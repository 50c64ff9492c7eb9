from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "schoolzorg.referrals"
    label = "referrals"
    verbose_name = "Toeleidingen"

    def ready(self) -> None:
        from schoolzorg.lib import periodic
        from schoolzorg.referrals import access, panels
        from schoolzorg.referrals.tasks import escalate_overdue_referrals

        access.register()
        panels.register()
        periodic.register("referral-escalations", escalate_overdue_referrals, 300)
