"""Open data: each approved period of a published programme as files, per programme and per
municipality, at stable addresses without a language (hemma/public/data_views.py).

/data/<programme>/<period>/values.csv, values.json, datapackage.json (a Frictionless Data
Package whose resource is values.csv beside it) and datapackage.zip (both in one file); the
same under /data/<programme>/<period>/<municipality code>/.
"""

from django.urls import path

from hemma.public import data_views

app_name = "opendata"
urlpatterns = [
    path("<slug:slug>/<str:period>/<str:name>", data_views.programme_file, name="programme_file"),
    path(
        "<slug:slug>/<str:period>/<str:code>/<str:name>",
        data_views.municipality_file,
        name="municipality_file",
    ),
]
