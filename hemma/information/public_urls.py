"""The public information site of each municipality, at /info/<site>/ (hemma/urls.py): no
login, no cookie, the language in the address (public_views.py)."""

from django.urls import path

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
]
