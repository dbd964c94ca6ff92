"""The public information site of each municipality, at /info/<site>/ (hemma/urls.py): no
login, no cookie, the language in the address (public_views.py)."""

from django.urls import path, re_path

from hemma.information import public_views

app_name = "info"

urlpatterns = [
    path("<slug:site>/", public_views.languages, name="languages"),
    path("<slug:site>/images/<str:key>/", public_views.image, name="image"),
    path("<slug:site>/<str:language>/", public_views.index, name="index"),
    path("<slug:site>/<str:language>/<slug:page>/", public_views.page, name="page"),
    path(
        "<slug:site>/<str:language>/<slug:page>/files/<str:key>/<str:name>",
        public_views.file,
        name="file",
    ),
    # Any other address under /info/ is this app's 404, which sets no cookie (Hemma's own
    # 404 page has a language form, and so a CSRF cookie).
    re_path(r"^(?:(?P<site>[-\w]+)/(?:(?P<language>[a-z]{2,3})/)?)?", public_views.not_found),
]
