from django.urls import path

from schoolzorg.calendars import views

app_name = "calendars"
urlpatterns = [
    path("", views.index, name="index"),
    path("controle/", views.review_list, name="review_list"),
    path("controle/inlezen/", views.upload, name="upload"),
    path("controle/<int:pk>/", views.review_detail, name="review_detail"),
    path("school/<int:school_id>/", views.closures, name="closures"),
    path(
        "school/<int:school_id>/dag/<int:pk>/verwijderen/",
        views.closure_delete,
        name="closure_delete",
    ),
]
