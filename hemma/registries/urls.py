"""Routes of the activity registry's pages (hemma/registries/views.py).

An activity is addressed by its UUID code, never by its sequential id.
"""

from django.urls import include, path

from hemma.registries import activity_upload_views, views

app_name = "registries"

urlpatterns = [
    path("activities/", views.activity_list, name="list"),
    path("activities/new/", views.activity_add, name="add"),
    path("activities/export.<str:format>", views.activity_export, name="export"),
    path("activities/upload/", activity_upload_views.activity_upload, name="upload"),
    path("activities/<uuid:code>/", views.activity_detail, name="detail"),
    path("activities/<uuid:code>/edit/", views.activity_edit, name="edit"),
    path("activities/<uuid:code>/delete/", views.activity_delete, name="delete"),
    path("", include("hemma.registries.statistics_urls")),
    path("", include("hemma.registries.placements_urls")),
]
