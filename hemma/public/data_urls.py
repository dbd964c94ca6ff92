"""Open data: each approved period of a published programme as files, per programme and per
municipality, at stable addresses without a language (hemma/public/data_views.py).

/data/<programme>/<period>/values.csv, values.json, datapackage.json (a Frictionless Data
Package whose resource is values.csv beside it) and datapackage.zip (both in one file); the
same under /data/<programme>/<period>/<municipality code>/; and /data/all/<year>/values.csv, the
approved values of every published programme for one year, streamed.
"""

from django.urls import path

from hemma.public import data_views

app_name = "opendata"
urlpatterns = [
    # Before the programmes' files: "all" is not read as a programme's slug here.
    path("all/<int:year>/values.csv", data_views.national_file, name="national_file"),
    path("<slug:slug>/<str:period>/<str:name>", data_views.programme_file, name="programme_file"),
    path(
        "<slug:slug>/<str:period>/<str:code>/<str:name>",
        data_views.municipality_file,
        name="municipality_file",
    ),
]
