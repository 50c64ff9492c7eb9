from django.apps import AppConfig


class CalendarsConfig(AppConfig):
    name = "schoolzorg.calendars"
    label = "calendars"
