from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "schoolzorg.meetings"
    label = "meetings"
