"""The follow-up's pages, under each programme's address."""

from django.urls import include, path

app_name = "followup"
urlpatterns = [
    path("", include("hemma.followup.grid_urls")),
    path("", include("hemma.followup.upload_urls")),
    path("", include("hemma.followup.round_urls")),
    path("", include("hemma.followup.dashboard_urls")),
]
