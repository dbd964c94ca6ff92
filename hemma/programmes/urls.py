from django.urls import include, path

from hemma.programmes import views

app_name = "programmes"
urlpatterns = [
    path("", views.programme_list, name="list"),
    # Editing, history and import from the web (hemma/programmes/edit_urls.py); before the
    # programme's page, so that /programmes/import/ is not taken for a programme's slug.
    path("", include("hemma.programmes.edit_urls")),
    path("programmes/<slug:slug>/", views.programme_detail, name="detail"),
    path("programmes/<slug:slug>/export.<str:fmt>", views.programme_export, name="export"),
]
