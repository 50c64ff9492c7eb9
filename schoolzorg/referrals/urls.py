from django.urls import path

from schoolzorg.referrals import views

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
    path("<id:pk>/<slug:name>/", views.move, name="move"),
]
