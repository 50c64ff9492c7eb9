from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "schoolzorg.referrals"
    label = "referrals"
    verbose_name = "Toeleidingen"

    def ready(self) -> None:
        from schoolzorg.consent.services import on_withdrawn
        from schoolzorg.lib import periodic
        from schoolzorg.referrals import access, panels, services
        from schoolzorg.referrals.tasks import check_share_basis, escalate_overdue_referrals

        access.register()
        panels.register()
        periodic.register("referral-escalations", escalate_overdue_referrals, 300)
        periodic.register("referral-share-basis", check_share_basis, 300)
        on_withdrawn(services.consents_withdrawn)
