"""The public site's addresses, under /<language>/public/ (no login).

The pages of the follow-up (hemma/public/views.py) and the page listing a programme's open
data (hemma/public/data_views.py); the files themselves are at /data/ (data_urls.py).
"""

from django.urls import path

from hemma.public import data_views, views

app_name = "public"
urlpatterns = [
    path("", views.index, name="index"),
    path("<slug:slug>/", views.programme, name="programme"),
    path("<slug:slug>/data/", data_views.data_page, name="data"),
    path(
        "<slug:slug>/indicators/<slug:action>/<slug:indicator>/",
        views.indicator,
        name="indicator",
    ),
    path(
        "<slug:slug>/indicators/<slug:action>/<slug:indicator>/chart.svg",
        views.indicator_chart,
        name="indicator_chart",
    ),
    path("<slug:slug>/municipalities/<str:code>/", views.municipality, name="municipality"),
    path("<slug:slug>/<str:period>/", views.period, name="period"),
    path("<slug:slug>/<str:period>/matrix/", views.matrix, name="matrix"),
]
