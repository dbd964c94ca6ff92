"""Routes of the follow-up's values files: download a sheet, upload it back (upload_views)."""

from django.urls import path, re_path

from hemma.followup import upload_views

urlpatterns = [
    path(
        "programmes/<slug:slug>/values/upload/",
        upload_views.values_upload,
        name="values_upload",
    ),
    # programmes/<slug>/values/<period>/<place>.xlsx or .csv; reverse with the keyword
    # arguments slug, period, place (a municipality's code, "region" or "all") and fmt.
    re_path(
        r"^programmes/(?P<slug>[-a-zA-Z0-9_]+)/values/(?P<period>[0-9HQ-]+)/"
        r"(?P<place>[a-z0-9]+)\.(?P<fmt>xlsx|csv)$",
        upload_views.values_download,
        name="values_download",
    ),
]
