from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "schoolzorg.referrals"
    label = "referrals"
