"""Activities from a file: upload → preview → confirm or cancel, as the statistics upload
(hemma/registries/statistics_views.py) and the values upload do.

The preview plans the file (hemma/registries/activities_file.py: each new or changed activity
with its fields old → new, every problem by row and column), records it through the services
and undoes it (so that every check they make is made), and keeps the file on the server under
a token (programmes.services.pending_import_save). The confirmation plans the kept file again
and records it through services.activity_create / activity_update, all or nothing. Nothing can
be confirmed while the file has problems.

Who may upload: whoever may add activities in the region (a region coordinator; a municipal
coordinator, whose rows are limited to their own municipality's activities). A viewer is
refused (403), another region does not exist (404).
"""

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from hemma.organisations.models import Region
from hemma.registries import activities_file, policies, uploads
from hemma.registries.models import Activity


class ActivitiesUploadForm(forms.Form):
    # Here rather than in forms.py: it is this page's only form, and checks only that a file
    # came (activities_file reads and checks the file itself).
    file = forms.FileField(
        label=gettext_lazy("File"),
        help_text=gettext_lazy(
            "A sheet of activities (.xlsx or .csv) in the format described below, or the list "
            "exported from Hemma and corrected."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )


def _language() -> str:
    return (get_language() or "sv").split("-")[0]


def _upload_region(request) -> Region:
    """The region the file is for: the one chosen, else the first the user adds in."""
    regions = [
        r
        for r in policies.regions_visible(request.user).order_by("key")
        if policies.can_add_activity(request.user, r)
    ]
    key = request.POST.get("region") or request.GET.get("region")
    if key:
        for region in regions:
            if region.key == key:
                return region
        # A region the user knows (as a viewer, or a reporter of one of its organisations)
        # but may not upload into is forbidden; another region does not exist for them.
        known = Region.objects.filter(key=key).first()
        if known is not None and policies.can_view_region(request.user, known):
            raise PermissionDenied
        raise Http404
    if not regions:
        raise PermissionDenied
    return regions[0]


def format_columns() -> list[tuple[str, str]]:
    """The file's columns, headed in the user's language, and what each holds."""
    headings = activities_file.HEADINGS[activities_file.vocabulary(_language())]
    kinds = ", ".join(str(label) for label in Activity.Kind.labels)
    recurrences = ", ".join(str(label) for label in Activity.Recurrence.labels)
    what = {
        "title": _("The activity's title. Required."),
        "kind": _("One of: %(kinds)s (or its code). Required.") % {"kinds": kinds},
        "starts_on": _("The (first) date: 2025-03-14 or 14.3.2025. Required."),
        "ends_on": _("The last date of one that runs over time; empty for a single day."),
        "recurrence": _("One of: %(choices)s; empty is once.") % {"choices": recurrences},
        "sessions": _("How many times it was held: a whole number."),
        "municipalities": _(
            "The municipalities it took place in, by official code or name, separated by "
            "commas; empty (or “The region as a whole”) for the region as a whole."
        ),
        "organiser": _("The organisation that organised it, by its key or its name."),
        "partners": _("Partner organisations, by key or name, separated by commas."),
        "actions": _(
            "The programme actions it serves, as “programme/action” (as the export writes "
            "them), separated by commas."
        ),
        "languages": _("The languages used, as codes (sv, fi, ar…), separated by commas."),
        "participants": _("How many took part, in all: a whole number. Never names."),
        "note": _("A note."),
        "code": _(
            "The activity's code, as the export writes it: the row changes that activity. "
            "Empty: a new activity."
        ),
    }
    for column in activities_file.AGE_COLUMNS + activities_file.GENDER_COLUMNS:
        what[column] = _("Participants of the group: a whole number (optional).")
    return [(headings[column], what[column]) for column in activities_file.COLUMNS]


_UPLOAD = uploads.Upload(
    session_key="pending_activity_uploads",
    url_name="registries:upload",
    done_url_name="registries:list",
    upload_template="registries/activities_upload.html",
    preview_template="registries/activities_preview.html",
    form_class=ActivitiesUploadForm,
    read_upload=activities_file.read_upload,
    plan=activities_file.activities_plan,
    record=activities_file.activities_import,
    saved=lambda plan: (
        _("Saved: %(added)s new activities, %(changed)s activities changed.")
        % {"added": plan.added, "changed": plan.changed}
    ),
    max_problems=activities_file.MAX_PROBLEMS,
    preview_context=lambda plan: {"changes": plan.changes},
)


@login_required
@require_http_methods(["GET", "POST"])
def activity_upload(request):
    """Upload → preview (problems by row and column, changes old → new) → confirm or cancel."""
    return uploads.upload_page(
        request, _UPLOAD, region=_upload_region(request), columns=format_columns()
    )
