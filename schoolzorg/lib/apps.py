from django.apps import AppConfig


class LibConfig(AppConfig):
    name = "schoolzorg.lib"
    label = "lib"
