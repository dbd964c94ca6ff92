from django.urls import path

from hemma.accounts import views

app_name = "accounts"
urlpatterns = [
    path("", views.me, name="me"),
    path("tokens/", views.token_create, name="token_create"),
    # Tokens are addressed by their visible lookup part, never by the sequential id.
    path("tokens/<str:lookup>/revoke/", views.token_revoke, name="token_revoke"),
]
