from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.http import Http404
from django.urls import include, path, re_path
from django.views.generic import RedirectView

from hemma import views
from hemma.api import api

urlpatterns = [
    # Hemma's own view under Django's name, so that {% url 'set_language' %} stays as it was.
    path("i18n/setlang/", views.language_set, name="set_language"),
    path("api/v1/", api.urls),
    # Open data: the approved follow-up as files, at addresses that do not change with the
    # language (hemma/public/data_urls.py).
    path("data/", include("hemma.public.data_urls")),
    # Answering a survey: no account, no cookie, the language in the address
    # (hemma/surveys/answer_urls.py).
    path("s/", include("hemma.surveys.answer_urls")),
    # The information sites for residents: no account, no cookie, the page's language in the
    # address (hemma/information/public_urls.py).
    path("info/", include("hemma.information.public_urls")),
    # The bare address goes to the Swedish site; LocaleMiddleware picks the browser's language.
    path("", RedirectView.as_view(url="/sv/", permanent=False)),
]


def _closed(request, *args, **kwargs):
    raise Http404


urlpatterns += i18n_patterns(
    path("admin/", admin.site.urls),
    # Passwords are reset by an administrator, not by e-mail (Hemma sends no mail yet), so
    # allauth's reset pages are closed. So are its e-mail address pages: an address lets
    # nobody reset a password here, whatever allauth's page says.
    re_path(r"^accounts/password/reset/", _closed),
    re_path(r"^accounts/(email|confirm-email)/", _closed),
    # allauth sends a signed-in user from /accounts/ to its e-mail page; Hemma's is the user's.
    path("accounts/", RedirectView.as_view(pattern_name="accounts:me", permanent=False)),
    path("accounts/", include("allauth.urls")),
    path("me/", include("hemma.accounts.urls")),
    # The follow-up first: its addresses under /programmes/<slug>/ are more specific.
    path("", include("hemma.followup.urls")),
    path("", include("hemma.programmes.urls")),
    path("", include("hemma.registries.urls")),
    path("volunteers/", include("hemma.volunteers.urls")),
    # The public site: no login, approved programmes and periods only (hemma/public/).
    path("public/", include("hemma.public.urls")),
    path("", include("hemma.reports.urls")),
    path("", include("hemma.surveys.urls")),
    path("information/", include("hemma.information.urls")),
    prefix_default_language=True,
)

if settings.HEMMA_BENCH_FLOOR:
    # The benchmark's floor (hemma/bench/load.py), on the benchmark's own server only.
    from hemma.bench.floor import floor

    urlpatterns.insert(0, path("bench/floor/", floor))

# 403 uses Django's handler, which renders 403.html with the request.
handler400 = "hemma.views.bad_request"
handler404 = "hemma.views.page_not_found"
