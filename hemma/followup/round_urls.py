"""Routes of the follow-up's round pages (filled in by hemma/followup/round_views.py)."""

urlpatterns: list = []
