"""Routes of the service statistics' pages (hemma/registries/statistics_views.py), in the
registries' namespace. A statistic is addressed by its UUID code, never by its sequential id.
"""

from django.urls import path

from hemma.registries import statistics_views as views

urlpatterns = [
    path("statistics/", views.statistic_list, name="statistics"),
    path("statistics/record/", views.statistics_record, name="statistics_record"),
    path("statistics/upload/", views.statistics_upload, name="statistics_upload"),
    path("statistics/export.<str:format>", views.statistic_export, name="statistics_export"),
    path("statistics/<uuid:code>/delete/", views.statistic_delete, name="statistic_delete"),
]
