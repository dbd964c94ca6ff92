from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from hemma.api import api

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", api.urls),
    # The bare address goes to the Swedish site; LocaleMiddleware picks the browser's language.
    path("", RedirectView.as_view(url="/sv/", permanent=False)),
]

urlpatterns += i18n_patterns(
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
    path("me/", include("hemma.accounts.urls")),
    path("", include("hemma.programmes.urls")),
    prefix_default_language=True,
)
