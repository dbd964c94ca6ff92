from django.urls import include, path

from hemma.programmes import views

app_name = "programmes"
urlpatterns = [
    path("", views.programme_list, name="list"),
    path("programmes/<slug:slug>/", views.programme_detail, name="detail"),
    path("programmes/<slug:slug>/export.<str:fmt>", views.programme_export, name="export"),
    # Editing, history and import from the web (hemma/programmes/edit_urls.py).
    path("", include("hemma.programmes.edit_urls")),
]
