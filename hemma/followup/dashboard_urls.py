"""Routes of the follow-up's dashboard pages (hemma/followup/dashboard_views.py)."""

from django.urls import path

from hemma.followup import dashboard_views as views

urlpatterns = [
    path("programmes/<slug:slug>/follow-up/", views.dashboard_start, name="dashboard_start"),
    path("programmes/<slug:slug>/follow-up/<str:period>/", views.dashboard, name="dashboard"),
    path(
        "programmes/<slug:slug>/indicators/<slug:action>/<slug:indicator>/",
        views.indicator,
        name="indicator",
    ),
    path(
        "programmes/<slug:slug>/indicators/<slug:action>/<slug:indicator>/chart.svg",
        views.indicator_chart,
        name="indicator_chart",
    ),
]
