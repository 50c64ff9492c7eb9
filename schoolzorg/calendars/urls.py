from django.urls import path

from schoolzorg.calendars import views

app_name = "calendars"
urlpatterns = [
    path("", views.index, name="index"),
    path("controle/", views.review_list, name="review_list"),
    path("controle/inlezen/", views.upload, name="upload"),
    path("controle/<id:pk>/", views.review_detail, name="review_detail"),
    path("school/<id:school_id>/", views.closures, name="closures"),
    path(
        "school/<id:school_id>/dag/<id:pk>/verwijderen/",
        views.closure_delete,
        name="closure_delete",
    ),
]
