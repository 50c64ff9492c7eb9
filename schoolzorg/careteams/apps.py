from django.apps import AppConfig


class CareteamsConfig(AppConfig):
    name = "schoolzorg.careteams"
    label = "careteams"
