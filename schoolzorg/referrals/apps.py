from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "schoolzorg.referrals"
    label = "referrals"
    verbose_name = "Toeleidingen"

    def ready(self) -> None:
        from schoolzorg.consent.services import on_withdrawn
        from schoolzorg.lib import periodic
        from schoolzorg.pupils.services import on_home_note, on_moved
        from schoolzorg.referrals import access, panels, services
        from schoolzorg.referrals.tasks import check_share_basis, escalate_overdue_referrals

        access.register()
        panels.register()
        periodic.register("referral-escalations", escalate_overdue_referrals, 300)
        periodic.register("referral-share-basis", check_share_basis, 300)
        on_withdrawn(services.consents_withdrawn)
        on_moved(services.pupil_moved)
        on_home_note(services.home_team_note)
