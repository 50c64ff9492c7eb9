from django.contrib import admin
from django.urls import include, path

from schoolzorg.organisations import views as organisation_views

urlpatterns = [
    path("", organisation_views.home, name="home"),
    path("gezond/", organisation_views.health, name="health"),
    path("bronnen/", organisation_views.sources, name="sources"),
    path("privacy/", organisation_views.privacy, name="privacy"),
    path("", include("schoolzorg.accounts.urls")),
    path("passkey/", include("schoolzorg.accounts.passkey_urls")),
    path("scholen/", include("schoolzorg.organisations.urls")),
    path("leerlingen/", include("schoolzorg.pupils.urls")),
    path("toestemming/", include("schoolzorg.consent.urls")),
    path("logboek/", include("schoolzorg.audit.urls")),
    path("kalender/", include("schoolzorg.calendars.urls")),
    path("zorgteams/", include("schoolzorg.careteams.urls")),
    path("casussen/", include("schoolzorg.cases.urls")),
    path("overleggen/", include("schoolzorg.meetings.urls")),
    path("plannen/", include("schoolzorg.plans.urls")),
    path("instrumenten/", include("schoolzorg.assessments.urls")),
    path("toeleidingen/", include("schoolzorg.referrals.urls")),
    path("cijfers/", include("schoolzorg.reports.urls")),
    path("bewaartermijnen/", include("schoolzorg.retention.urls")),
    path("api/v1/", include("config.api_urls")),
    path("beheer/", admin.site.urls),
]

handler400 = "schoolzorg.lib.errors.bad_request"
handler403 = "schoolzorg.lib.errors.permission_denied"
handler404 = "schoolzorg.lib.errors.page_not_found"
handler500 = "schoolzorg.lib.errors.server_error"
