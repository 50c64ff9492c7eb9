from django.urls import path

from schoolzorg.assessments import views

app_name = "assessments"
urlpatterns = [
    path("", views.definition_list, name="definitions"),
    path("leerling/<id:pupil_pk>/nieuw/<str:code>/", views.start, name="start"),
    path("leerling/<id:pupil_pk>/veiligheid/", views.safety_list, name="safety_list"),
    path("<id:pk>/", views.detail, name="detail"),
    path("<id:pk>/invullen/", views.fill, name="fill"),
    path("<id:pk>/afronden/", views.complete, name="complete"),
    path("<id:pk>/bespreken/", views.review, name="review"),
]
