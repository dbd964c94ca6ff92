"""Addresses of the surveys (being written)."""

urlpatterns: list = []
