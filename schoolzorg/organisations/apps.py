from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    name = "schoolzorg.organisations"
    label = "organisations"
    verbose_name = "Organisaties"
