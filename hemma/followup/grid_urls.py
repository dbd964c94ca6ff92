"""Routes of the follow-up's grid pages (hemma/followup/grid_views.py).

`place` is a municipality's official code, or "region" for the region as a whole.
"""

from django.urls import path

from hemma.followup import grid_views

_AT = "programmes/<slug:slug>/values/<str:period>/<str:place>/"

urlpatterns = [
    path("programmes/<slug:slug>/values/", grid_views.grid_start, name="grid_start"),
    path(_AT, grid_views.grid_view, name="grid"),
    # Before the value's address: "assessment" is not taken for an indicator's key there.
    path(f"{_AT}<slug:action>/assessment/", grid_views.assessment, name="assessment"),
    path(f"{_AT}<slug:action>/<slug:indicator>/", grid_views.grid_value, name="grid_value"),
    path(
        f"{_AT}<slug:action>/<slug:indicator>/override/",
        grid_views.grid_override,
        name="grid_override",
    ),
    path(
        f"{_AT}<slug:action>/<slug:indicator>/history/",
        grid_views.value_history,
        name="value_history",
    ),
]
