"""Routes of the placements' pages (hemma/registries/placements_views.py), in the registries'
namespace. A placement is addressed by its UUID code, never by its sequential id."""

from django.urls import path

from hemma.registries import placements_views as views

urlpatterns = [
    path("placements/", views.placement_list, name="placements"),
    path("placements/add/", views.placement_add, name="placement_add"),
    path("placements/upload/", views.placements_upload, name="placements_upload"),
    path("placements/export.<str:format>", views.placement_export, name="placements_export"),
    path("placements/<uuid:code>/edit/", views.placement_edit, name="placement_edit"),
    path("placements/<uuid:code>/delete/", views.placement_delete, name="placement_delete"),
]
