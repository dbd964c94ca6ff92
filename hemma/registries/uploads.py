"""One upload page for the registries' files: upload → preview → confirm or cancel.

The activities, the service statistics and the placements are each uploaded the same way; what
differs (how a file is read, planned and recorded, the pages, the message once saved) is an
`Upload`. The preview plans the file (every change old → new, every problem by row and column),
records it and undoes it (so that every check of the recording services is made), and keeps
the file on the server under a token (programmes.services.pending_import_save), remembered in
the session with the region it is for. The confirmation records the kept file again, all or
nothing. Nothing can be confirmed while the file has problems.

Who may upload, and into which region, is the calling view's to decide (its policy differs
by registry): it passes the region in.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from hemma.lib.problems import Problem, ProblemsFound, grouped_by_rows
from hemma.organisations.models import Region
from hemma.programmes.services import (
    pending_import_delete,
    pending_import_load,
    pending_import_save,
)

# A session keeps the tokens of this many previews of a kind at most (the newest).
_KEPT = 5


@dataclass(frozen=True)
class Upload:
    """What one registry's upload page does with its file."""

    session_key: str  # where the session keeps token → the region's key
    url_name: str  # the upload page
    done_url_name: str  # where a saved file leads (the registry's list)
    upload_template: str
    preview_template: str
    form_class: type[forms.Form]  # a form with a `file` field
    read_upload: Callable[..., bytes]  # (stream, *, name) → the file's bytes
    plan: Callable[..., Any]  # (data, *, name, region, user) → a plan with items, changes, problems
    record: Callable[..., tuple[Any, Any]]  # (*, actor, region, name, data, dry_run) → (plan, _)
    saved: Callable[[Any], str]  # the message once a plan is recorded
    max_problems: int
    preview_context: Callable[[Any], dict] = lambda plan: {}  # more for the preview page


def sorted_problems(problems: list[Problem], *, limit: int) -> list[Problem]:
    """Problems as the pages list them: by row and column, a row's together, at most `limit`."""
    ordered = sorted(problems, key=lambda p: (p.row or 0, p.column))
    return grouped_by_rows(ordered)[:limit]


def upload_page(request, upload: Upload, *, region: Region, columns) -> HttpResponse:
    """The upload page of `upload` for `region`, with the file format's `columns`."""
    uploading = request.method == "POST" and "token" not in request.POST
    form = upload.form_class(
        request.POST if uploading else None, request.FILES if uploading else None
    )
    context = {"form": form, "region": region, "columns": columns}

    def problems_shown(problems: list[Problem]) -> list[Problem]:
        return sorted_problems(problems, limit=upload.max_problems)

    token = request.POST.get("token", "")
    try:
        if token:
            if _pending(request, upload).get(token) != region.key:
                token = ""
            if "cancel" in request.POST:
                pending_import_delete(token=token)
                _forget(request, upload, token)
                messages.info(request, _("The upload was cancelled. Nothing was saved."))
                return redirect(reverse(upload.url_name))
            pending = pending_import_load(user=request.user, token=token)
            if pending is None:
                expired = _("This preview has expired. Upload the file again.")
                raise ProblemsFound([Problem(expired)])
            plan, _table = upload.record(
                actor=request.user,
                region=region,
                name=pending.name,
                data=pending.data,
                dry_run=False,
            )
            pending_import_delete(token=token)
            _forget(request, upload, token)
            messages.success(request, upload.saved(plan))
            return redirect(reverse(upload.done_url_name))
        if uploading and form.is_valid():
            upload_file = form.cleaned_data["file"]
            name = (upload_file.name or "").rsplit("/", 1)[-1][:200]
            data = upload.read_upload(upload_file, name=name)
            plan = upload.plan(data, name=name, region=region, user=request.user)
            problems = list(plan.problems)
            if plan.items and not problems:
                # Every check of the recording services too, recorded and undone.
                try:
                    upload.record(
                        actor=request.user, region=region, name=name, data=data, dry_run=True
                    )
                except ProblemsFound as found:
                    problems = found.problems
            token = ""
            if plan.changes and not problems:
                token = pending_import_save(user=request.user, name=name, data=data, programme=None)
                _remember(request, upload, token, region)
            return render(
                request,
                upload.preview_template,
                {
                    **context,
                    **upload.preview_context(plan),
                    "plan": plan,
                    "file_name": name,
                    "problems": problems_shown(problems),
                    "token": token,
                },
                status=400 if problems else 200,
            )
    except ProblemsFound as found:
        return render(
            request,
            upload.upload_template,
            {**context, "problems": problems_shown(found.problems)},
            status=400,
        )
    # A form sent without a file is bad input.
    return render(request, upload.upload_template, context, status=400 if form.is_bound else 200)


def _pending(request, upload: Upload) -> dict[str, str]:
    return dict(request.session.get(upload.session_key, {}))


def _remember(request, upload: Upload, token: str, region: Region) -> None:
    pending = _pending(request, upload)
    pending.pop(token, None)
    kept = list(pending.items())[-(_KEPT - 1) :]
    request.session[upload.session_key] = {**dict(kept), token: region.key}


def _forget(request, upload: Upload, token: str) -> None:
    pending = _pending(request, upload)
    pending.pop(token, None)
    request.session[upload.session_key] = pending
