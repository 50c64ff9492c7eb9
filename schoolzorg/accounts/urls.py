from django.urls import path

from schoolzorg.accounts import views

app_name = "accounts"
urlpatterns = [
    path("inloggen/", views.login_view, name="login"),
    path("inloggen/code/", views.verify_view, name="verify"),
    path("inloggen/instellen/", views.setup_view, name="setup"),
    path("inloggen/bevestigen/", views.reauth_view, name="reauth"),
    path("inloggen/verlengen/", views.keep_signed_in, name="keep_signed_in"),
    path("uitloggen/", views.logout_view, name="logout"),
    path("account/", views.account_view, name="account"),
    path("meldingen/", views.notifications_view, name="notifications"),
    path("meldingen/gelezen/", views.notifications_read_all, name="notifications_read_all"),
    path("meldingen/<id:pk>/", views.notification_open, name="notification_open"),
]
