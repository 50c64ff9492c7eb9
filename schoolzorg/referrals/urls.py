from django.urls import path, register_converter
from django.urls.converters import get_converters

from schoolzorg.referrals import views
from schoolzorg.referrals.workflow import MOVE_BY_SLUG, TRANSITIONS


class MoveConverter:
    """A move in a referral's address by its Dutch part (`Move.slug`, "ontvangst-bevestigen"),
    to the view and from `reverse` by its name ("acknowledge"), as the workflow names it."""

    regex = "[a-z-]+"

    def to_python(self, value: str) -> str:
        if value not in MOVE_BY_SLUG:
            raise ValueError(value)  # no such move: the address is not found (404)
        return MOVE_BY_SLUG[value]

    def to_url(self, value: str) -> str:
        if value not in TRANSITIONS:
            raise ValueError(value)
        return TRANSITIONS[value].slug


if "referral_move" not in get_converters():
    register_converter(MoveConverter, "referral_move")

app_name = "referrals"
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("uitgaand/", views.outgoing, name="outgoing"),
    path("contactpersonen/", views.contacts, name="contacts"),
    path("nieuw/<id:pupil_pk>/", views.start, name="start"),
    path("<id:pk>/", views.detail, name="detail"),
    path("<id:pk>/bewerken/", views.edit, name="edit"),
    path("<id:pk>/opslaan/", views.autosave, name="autosave"),
    path("<id:pk>/wijkteam/", views.choose_team, name="choose_team"),
    path("<id:pk>/escaleren/", views.escalate, name="escalate"),
    path("<id:pk>/behandelaar/", views.reassign, name="reassign"),
    # A move of the workflow (`workflow.TRANSITIONS`), named in the address in Dutch.
    path("<id:pk>/<referral_move:name>/", views.move, name="move"),
]
