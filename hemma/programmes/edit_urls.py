"""Routes for editing a programme, its history and importing from the web."""

from django.urls import path

from hemma.programmes import edit_views as views

_programme = "programmes/<slug:slug>/"
_action = _programme + "actions/<slug:key>/"
_theme = _programme + "themes/<slug:theme_key>/"
_goal = _theme + "goals/<slug:goal_key>/"

urlpatterns = [
    # Before "programmes/<slug>/": "import" is not a programme.
    path("programmes/import/", views.programme_import, name="import"),
    path(_programme + "import/", views.programme_import, name="import_into"),
    path(_programme + "history/", views.programme_history, name="history"),
    path(_theme + "heading/", views.theme_heading, name="theme_heading"),
    path(_theme + "edit/", views.theme_edit, name="theme_edit"),
    path(_goal + "cell/", views.goal_cell, name="goal_cell"),
    path(_goal + "edit/", views.goal_edit, name="goal_edit"),
    path(_goal + "add-action/", views.action_add, name="action_add"),
    path(_action, views.action_detail, name="action"),
    path(_action + "row/", views.action_row, name="action_row"),
    path(_action + "edit/", views.action_edit, name="action_edit"),
    path(_action + "move/", views.action_move, name="action_move"),
    path(_action + "delete/", views.action_delete, name="action_delete"),
    path(_action + "units/<str:code>/", views.municipal_units, name="municipal_units"),
    path(_action + "indicators/add/", views.indicator_add, name="indicator_add"),
    path(
        _action + "indicators/<slug:indicator_key>/edit/",
        views.indicator_edit,
        name="indicator_edit",
    ),
    path(
        _action + "indicators/<slug:indicator_key>/delete/",
        views.indicator_delete,
        name="indicator_delete",
    ),
]
