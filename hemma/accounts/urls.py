from django.urls import path

from hemma.accounts import views

app_name = "accounts"
urlpatterns = [
    path("", views.me, name="me"),
]
