from django.urls import path

from schoolzorg.plans import views

app_name = "plans"
urlpatterns = [
    path("starten/<int:pupil_pk>/", views.start, name="start"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/bewerken/", views.edit, name="edit"),
    path("<int:pk>/akkoord/", views.agreement, name="agreement"),
    path("<int:pk>/versies/", views.versions, name="versions"),
    path("<int:pk>/pdf/", views.pdf, name="pdf"),
    path("deel/<int:part_pk>/doel/", views.add_goal, name="add_goal"),
    path("deel/<int:part_pk>/actie/", views.add_action, name="add_action"),
    path("actie/<int:pk>/status/", views.action_status, name="action_status"),
    path("doel/<int:goal_pk>/evaluatie/", views.add_review, name="add_review"),
]
