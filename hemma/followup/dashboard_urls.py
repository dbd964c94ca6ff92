"""Routes of the follow-up's dashboard pages (filled in by hemma/followup/dashboard_views.py)."""

urlpatterns: list = []
