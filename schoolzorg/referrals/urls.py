from django.urls import path

from schoolzorg.referrals import views

app_name = "referrals"
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("uitgaand/", views.outgoing, name="outgoing"),
    path("contactpersonen/", views.contacts, name="contacts"),
    path("nieuw/<int:pupil_pk>/", views.start, name="start"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/bewerken/", views.edit, name="edit"),
    path("<int:pk>/opslaan/", views.autosave, name="autosave"),
    path("<int:pk>/wijkteam/", views.choose_team, name="choose_team"),
    path("<int:pk>/escaleren/", views.escalate, name="escalate"),
    path("<int:pk>/<slug:name>/", views.move, name="move"),
]
