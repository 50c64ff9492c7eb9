from django.apps import AppConfig


class PupilsConfig(AppConfig):
    name = "schoolzorg.pupils"
    label = "pupils"
