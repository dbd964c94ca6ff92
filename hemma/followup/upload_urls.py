"""Routes of the follow-up's upload pages (filled in by hemma/followup/upload_views.py)."""

urlpatterns: list = []
