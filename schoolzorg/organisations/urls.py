from django.urls import path

from schoolzorg.organisations import views

app_name = "organisations"
urlpatterns = [
    path("", views.school_list, name="school_list"),
    path("<id:pk>/", views.school_detail, name="school_detail"),
]
