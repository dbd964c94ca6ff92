"""Values by file: download a filled-in sheet, upload it back, see every change, then save.

Upload → preview → confirm, as the programme import does (hemma/programmes/edit_views.py):
the preview records the file's changes and undoes them (a dry run, so that every check of the
recording service is made), and keeps the file on the server under a token
(programmes.services.pending_import_save); the confirmation reads the kept file again and
records it for real, all or nothing. The browser only holds the token, which must also be in
its session.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from hemma.followup import policies, values_file
from hemma.lib import periods
from hemma.lib.problems import Problem, ProblemsFound
from hemma.organisations.models import Municipality
from hemma.programmes import selectors as programme_selectors
from hemma.programmes.interchange.files import EXPORT_FORMATS
from hemma.programmes.models import Programme
from hemma.programmes.services import (
    pending_import_delete,
    pending_import_load,
    pending_import_save,
)

_PENDING_SESSION_KEY = "pending_value_uploads"
ALL = "all"


class ValuesUploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("File"),
        help_text=gettext_lazy(
            "A values sheet (.xlsx or .csv) downloaded from Hemma and filled in, or one with "
            "the same columns."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )


def _places_recorded(user, programme: Programme) -> list[Municipality | None]:
    """Where the user may record values of the programme: the region (None), municipalities."""
    places: list[Municipality | None] = []
    if policies.can_record_value(user, programme, None):
        places.append(None)
    places += [
        m
        for m in programme.municipalities.order_by("code")
        if policies.can_record_value(user, programme, m)
    ]
    return places


def _programme_for_upload(user, slug: str) -> tuple[Programme, list[Municipality | None]]:
    """The programme (else 404) and the places the user records for (none: 403)."""
    programme = programme_selectors.programme_get(user=user, slug=slug)
    places = _places_recorded(user, programme)
    if not places:
        raise PermissionDenied
    return programme, places


# -- download --------------------------------------------------------------------------------


@login_required
@require_GET
def values_download(request, slug: str, period: str, place: str, fmt: str):
    """The values of a period for a place (a municipality's code, "region" or "all")."""
    programme = programme_selectors.programme_get(user=request.user, slug=slug)
    try:
        wanted = periods.parse(period)
    except periods.InvalidPeriod:
        raise Http404 from None
    if wanted.start.year < programme.period_start or wanted.end.year > programme.period_end:
        raise Http404
    municipalities = list(programme.municipalities.order_by("code"))
    places: list[Municipality | None]
    if place == ALL:
        places = [None, *municipalities]
    elif place == values_file.REGION:
        places = [None]
    else:
        places = [m for m in municipalities if m.code == place]
        if not places:
            raise Http404
    language = get_language() or "en"
    book = values_file.values_book(
        programme=programme,
        period_codes=values_file.period_codes_within(programme, wanted),
        municipalities=municipalities,
    )
    rows = values_file.sheet_rows(book, period=wanted, places=places, language=language)
    if fmt == "xlsx":
        content = values_file.values_xlsx(rows, language=language)
    else:
        content = values_file.values_csv(rows, language=language)
    response = HttpResponse(content, content_type=EXPORT_FORMATS[fmt][0])
    name = f"{programme.slug}-{wanted.code}-{place}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


# -- upload ----------------------------------------------------------------------------------


def _remember_pending(request, token: str) -> None:
    tokens = [t for t in request.session.get(_PENDING_SESSION_KEY, []) if t != token]
    request.session[_PENDING_SESSION_KEY] = [*tokens[-4:], token]


def _forget_pending(request, token: str) -> None:
    tokens = request.session.get(_PENDING_SESSION_KEY, [])
    request.session[_PENDING_SESSION_KEY] = [t for t in tokens if t != token]


def _download_rows(programme: Programme, places: list[Municipality | None]) -> list[dict]:
    """The sheets offered on the upload page: everything, then each place the user records."""
    rows = [{"place": ALL, "label": _("All municipalities and the region")}]
    for place in places:
        if place is None:
            rows.append({"place": values_file.REGION, "label": _("The region as a whole")})
        else:
            rows.append({"place": place.code, "label": f"{place} ({place.code})"})
    return rows


def _upload_context(programme: Programme, places: list[Municipality | None], **extra) -> dict:
    return {
        "programme": programme,
        "years": [str(y) for y in range(programme.period_start, programme.period_end + 1)],
        "downloads": _download_rows(programme, places),
        **extra,
    }


def _preview_changes(plan: values_file.Plan, language: str) -> list[dict]:
    headings = values_file.HEADINGS[values_file.vocabulary(language)]
    return [
        {
            "change": change,
            "lines": [
                {"label": headings[line.column], "old": line.old, "new": line.new}
                for line in change.fields
            ],
        }
        for change in plan.changes
    ]


@login_required
@require_http_methods(["GET", "POST"])
def values_upload(request, slug: str):
    """Upload → preview (a dry run) → confirm or cancel."""
    programme, places = _programme_for_upload(request.user, slug)
    here = reverse("followup:values_upload", args=[programme.slug])
    uploading = request.method == "POST" and "token" not in request.POST
    form = ValuesUploadForm(
        request.POST if uploading else None, request.FILES if uploading else None
    )
    context = _upload_context(programme, places, form=form)
    language = get_language() or "en"
    token = request.POST.get("token", "")
    try:
        if token:
            if token not in request.session.get(_PENDING_SESSION_KEY, []):
                token = ""
            if "cancel" in request.POST:
                pending_import_delete(token=token)
                _forget_pending(request, token)
                messages.info(request, _("The upload was cancelled. Nothing was saved."))
                return redirect(here)
            pending = pending_import_load(user=request.user, token=token)
            if pending is None or pending.programme_slug != programme.slug:
                expired = _("This preview has expired. Upload the file again.")
                raise ProblemsFound([Problem(expired)])
            plan, _table = values_file.values_import(
                actor=request.user,
                programme=programme,
                name=pending.name,
                data=pending.data,
                dry_run=False,
                language=language,
            )
            pending_import_delete(token=token)
            _forget_pending(request, token)
            added = sum(1 for change in plan.changes if change.new)
            messages.success(
                request,
                _("Saved: %(added)s new values, %(changed)s changed.")
                % {"added": added, "changed": len(plan.changes) - added},
            )
            return redirect(here)
        if uploading and form.is_valid():
            upload = form.cleaned_data["file"]
            name = (upload.name or "").rsplit("/", 1)[-1][:200]
            data = values_file.read_upload(upload, name=name)
            plan, _table = values_file.values_import(
                actor=request.user,
                programme=programme,
                name=name,
                data=data,
                dry_run=True,
                language=language,
            )
            token = ""
            if plan.changes:
                token = pending_import_save(
                    user=request.user, name=name, data=data, programme=programme
                )
                _remember_pending(request, token)
            return render(
                request,
                "followup/upload_preview.html",
                {
                    **context,
                    "plan": plan,
                    "file_name": name,
                    "changes": _preview_changes(plan, language),
                    "added": sum(1 for change in plan.changes if change.new),
                    "token": token,
                },
            )
    except ProblemsFound as found:
        return render(
            request, "followup/upload.html", {**context, "problems": found.problems}, status=400
        )
    return render(request, "followup/upload.html", context)
