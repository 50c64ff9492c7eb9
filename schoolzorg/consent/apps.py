from django.apps import AppConfig


class ConsentConfig(AppConfig):
    name = "schoolzorg.consent"
    label = "consent"
