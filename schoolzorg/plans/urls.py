from django.urls import path

from schoolzorg.plans import views

app_name = "plans"
urlpatterns = [
    path("starten/<id:pupil_pk>/", views.start, name="start"),
    path("<id:pk>/", views.detail, name="detail"),
    path("<id:pk>/bewerken/", views.edit, name="edit"),
    path("<id:pk>/akkoord/", views.agreement, name="agreement"),
    path("<id:pk>/regisseur/", views.coordinator, name="coordinator"),
    path("<id:pk>/versies/", views.versions, name="versions"),
    path("<id:pk>/pdf/", views.pdf, name="pdf"),
    path("deel/<id:part_pk>/doel/", views.add_goal, name="add_goal"),
    path("deel/<id:part_pk>/actie/", views.add_action, name="add_action"),
    path("actie/<id:pk>/status/", views.action_status, name="action_status"),
    path("actie/<id:pk>/uitvoerder/", views.action_owner, name="action_owner"),
    path("doel/<id:goal_pk>/evaluatie/", views.add_review, name="add_review"),
    path("<id:pk>/doel/<id:goal_pk>/verwijderen/", views.remove_goal, name="remove_goal"),
]
