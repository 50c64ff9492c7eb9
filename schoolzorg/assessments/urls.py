from django.urls import path

from schoolzorg.assessments import views

app_name = "assessments"
urlpatterns = [
    path("", views.definition_list, name="definitions"),
    path("leerling/<int:pupil_pk>/nieuw/<str:code>/", views.start, name="start"),
    path("leerling/<int:pupil_pk>/veiligheid/", views.safety_list, name="safety_list"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/invullen/", views.fill, name="fill"),
    path("<int:pk>/afronden/", views.complete, name="complete"),
    path("<int:pk>/bespreken/", views.review, name="review"),
]
