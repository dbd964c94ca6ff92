"""Addresses of a survey's results (hemma/surveys/results_views.py)."""

from django.urls import path

from hemma.surveys import results_views as views

_SURVEY = "programmes/<slug:slug>/surveys/<slug:key>/<str:period>/results/"

urlpatterns = [
    path(_SURVEY, views.results, name="results"),
    path(f"{_SURVEY}chart/<slug:question>.svg", views.results_chart, name="results_chart"),
    path(f"{_SURVEY}answers.<str:format>", views.results_export, name="results_export"),
]
