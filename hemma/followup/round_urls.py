"""Routes of the follow-up's round pages (hemma/followup/round_views.py).

The reporter's page (`link`) is outside /programmes/: its address names only a signed token.
"""

from django.urls import path

from hemma.followup import round_views as views

_ROUND = "programmes/<slug:slug>/rounds/<str:period>/"

urlpatterns = [
    path("programmes/<slug:slug>/rounds/", views.round_list, name="rounds"),
    path(_ROUND, views.round_detail, name="round"),
    path(f"{_ROUND}deadline/", views.round_deadline, name="round_deadline"),
    path(f"{_ROUND}approve/", views.round_approve, name="round_approve"),
    path(f"{_ROUND}unlock/", views.round_unlock, name="round_unlock"),
    path(f"{_ROUND}reporters/<int:pk>/", views.assignment_edit, name="assignment_edit"),
    path(f"{_ROUND}reporters/<int:pk>/ready/", views.assignment_ready, name="assignment_ready"),
    path(f"{_ROUND}reporters/<int:pk>/links/", views.link_create, name="link_create"),
    path(f"{_ROUND}links/<int:pk>/", views.link_created, name="link_created"),
    path(f"{_ROUND}links/<int:pk>/revoke/", views.link_revoke, name="link_revoke"),
    path("report/<str:token>/", views.link_page, name="link"),
    path("report/<str:token>/ready/", views.link_ready, name="link_ready"),
]
