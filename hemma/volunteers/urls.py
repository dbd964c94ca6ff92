"""Routes of the friend persons' pages (hemma/volunteers/views.py), under /<lang>/volunteers/.

A friend person is addressed by their UUID code, never by the sequential id; their periods and
matches by their id within the friend person's address.
"""

from django.urls import path

from hemma.volunteers import views

app_name = "volunteers"

urlpatterns = [
    path("", views.volunteer_list, name="list"),
    path("new/", views.volunteer_add, name="add"),
    path("export.<str:format>", views.volunteer_list_export, name="export"),
    path("<uuid:code>/", views.volunteer_detail, name="detail"),
    path("<uuid:code>/edit/", views.volunteer_edit, name="edit"),
    path("<uuid:code>/everything.<str:format>", views.volunteer_download, name="download"),
    path("<uuid:code>/erase/", views.volunteer_erase, name="erase"),
    path("<uuid:code>/periods/", views.period_add, name="period_add"),
    path("<uuid:code>/periods/<int:pk>/", views.period_change, name="period_change"),
    path("<uuid:code>/periods/<int:pk>/remove/", views.period_remove, name="period_remove"),
    path("<uuid:code>/matches/", views.match_add, name="match_add"),
    path("<uuid:code>/matches/<int:pk>/", views.match_change, name="match_change"),
    path("<uuid:code>/matches/<int:pk>/remove/", views.match_remove, name="match_remove"),
]
