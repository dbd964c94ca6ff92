"""The surveys' staff pages, under each programme's address: building a survey
(builder_urls.py) and its results (results_urls.py)."""

from django.urls import include, path

app_name = "surveys"
urlpatterns = [
    path("", include("hemma.surveys.builder_urls")),
    path("", include("hemma.surveys.results_urls")),
]
