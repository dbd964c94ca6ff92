"""The reports to the council, built from the web (hemma/reports/views.py)."""

from django.urls import path

from hemma.reports import views

app_name = "reports"
urlpatterns = [
    path("programmes/<slug:slug>/reports/", views.report_list, name="list"),
    path("programmes/<slug:slug>/reports/<uuid:job>/", views.report_detail, name="detail"),
    path(
        "programmes/<slug:slug>/reports/<uuid:job>/download/",
        views.report_download,
        name="download",
    ),
]
