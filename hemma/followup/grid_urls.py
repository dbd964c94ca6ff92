"""Routes of the follow-up's grid pages (filled in by hemma/followup/grid_views.py)."""

urlpatterns: list = []
