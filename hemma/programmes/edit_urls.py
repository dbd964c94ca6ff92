"""Routes for editing a programme, its history and importing from the web."""

urlpatterns: list = []
