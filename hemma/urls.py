from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.http import Http404
from django.urls import include, path, re_path
from django.views.generic import RedirectView

from hemma.api import api

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", api.urls),
    # The bare address goes to the Swedish site; LocaleMiddleware picks the browser's language.
    path("", RedirectView.as_view(url="/sv/", permanent=False)),
]


def _closed(request, *args, **kwargs):
    raise Http404


urlpatterns += i18n_patterns(
    path("admin/", admin.site.urls),
    # Passwords are reset by a coordinator or an administrator, not by e-mail (Hemma sends
    # no mail yet), so allauth's reset pages are closed.
    re_path(r"^accounts/password/reset/", _closed),
    path("accounts/", include("allauth.urls")),
    path("me/", include("hemma.accounts.urls")),
    path("", include("hemma.programmes.urls")),
    prefix_default_language=True,
)
