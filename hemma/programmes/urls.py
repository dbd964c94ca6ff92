from django.urls import path

from hemma.programmes import views

app_name = "programmes"
urlpatterns = [
    path("", views.programme_list, name="list"),
    path("programmes/<slug:slug>/", views.programme_detail, name="detail"),
]
