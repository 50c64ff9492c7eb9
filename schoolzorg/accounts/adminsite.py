"""The admin (`/beheer/`) in the product's words, open to administrators only.

Django's admin names itself "Django-websitebeheer" and answers anyone without admin rights with
its own sign-in form ("niet bevoegd ... ander account?"): a second password form without the
second step, and a page that says the admin exists. Here a signed-in professional without admin
rights gets the product's 404, as for every other page they may not see, and someone not signed
in goes to the product's own sign-in (password and second step) and back.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import update_wrapper
from typing import Any, TypeVar, cast

from django.conf import settings
from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect
from django.urls import reverse

_View = TypeVar("_View", bound=Callable[..., HttpResponseBase])


class SchoolzorgAdminSite(admin.AdminSite):
    site_header = "Schoolzorg – beheer"
    site_title = "Schoolzorg – beheer"
    index_title = "Wat wilt u beheren?"

    def admin_view(self, view: _View, cacheable: bool = False) -> _View:
        guarded = super().admin_view(view, cacheable)

        def inner(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if request.user.is_authenticated and not self.has_permission(request):
                raise Http404
            return guarded(request, *args, **kwargs)

        return cast(_View, update_wrapper(inner, guarded))

    def login(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        """Administrators go on to the admin; anyone else signed in gets the 404; the rest sign
        in on the product's own page (password and second step) and come back."""
        if self.has_permission(request):
            return super().login(request, extra_context)
        if request.user.is_authenticated:
            raise Http404
        back = request.GET.get("next") or reverse("admin:index", current_app=self.name)
        return redirect_to_login(back, settings.LOGIN_URL)

    def password_change(  # type: ignore[override]  # a redirect, not Django's page
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        """One place to change one's own password: "Mijn account", where a wrong current
        password counts as a failed sign-in and the other sessions end. Django's own page here
        did neither."""
        return redirect("accounts:account")

    def password_change_done(  # type: ignore[override]
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        return redirect("accounts:account")
