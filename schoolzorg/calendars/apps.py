from typing import Any

from django.apps import AppConfig


class CalendarsConfig(AppConfig):
    name = "schoolzorg.calendars"
    label = "calendars"
    verbose_name = "Schoolkalender"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from schoolzorg.audit import history
        from schoolzorg.calendars import models
        from schoolzorg.calendars.panels import calendar_nav, holiday_work
        from schoolzorg.calendars.workingdays import bump_version
        from schoolzorg.lib import homepanels, navigation

        def changed(sender: Any, **kwargs: Any) -> None:
            if not kwargs.get("raw"):
                bump_version()

        navigation.register("calendars", calendar_nav)
        homepanels.register("calendars", holiday_work)
        # Who changed a study day or which feestdagen are days off; reviews log themselves.
        for tracked in (models.SchoolClosure, models.PublicHoliday, models.PublicHolidayRule):
            history.register(tracked)
        for model in (
            models.PublicHoliday,
            models.PublicHolidayRule,
            models.SchoolHoliday,
            models.SchoolClosure,
        ):
            post_save.connect(changed, sender=model, dispatch_uid=f"calendar-{model.__name__}")
            post_delete.connect(
                changed, sender=model, dispatch_uid=f"calendar-del-{model.__name__}"
            )
