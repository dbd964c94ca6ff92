"""The grid of values: a programme's actions for one municipality and period, saved in place.

Each indicator's row is its own form (its inputs sit in the row's cells and belong to the
form through their `form` attribute). With htmx a save answers with the row, and the
action's rolled-up status out of band; without JavaScript the form posts and the page comes
back to the row. An invalid value comes back in place with its errors and status 200, as in
hemma/programmes/edit_views.py: htmx 2 does not swap an error response into the page.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from hemma.followup import grid, services
from hemma.followup.forms import AssessmentForm, ValueForm
from hemma.followup.locks import PeriodLocked
from hemma.followup.models import Measurement
from hemma.registries import computing
from hemma.registries.forms import OverrideForm

# A row's field the keyboard was in, sent by grid.js so the focus comes back to it.
_FOCUS_FIELDS = {"number", "participants", "done", "done_on", "languages", "comment", "save"}


def _render(request, template: str, context: dict, status: int = 200) -> HttpResponse:
    response = render(request, template, context, status=status)
    # The same URL answers htmx with a fragment and a browser with a page: caches must know.
    patch_vary_headers(response, ["HX-Request"])
    return response


def _grid_url(programme, period, place, anchor: str = "") -> str:
    url = reverse("followup:grid", args=[programme.slug, period.code, place.code])
    return f"{url}#{anchor}" if anchor else url


def _where(request, slug: str, period: str, place: str):
    programme = grid.grid_programme(user=request.user, slug=slug)
    return programme, grid.grid_period(programme, period), grid.grid_place(programme, place)


def _form_for(cell: grid.Cell, programme, data=None) -> ValueForm:
    return ValueForm(
        data,
        indicator=cell.indicator,
        value=cell.value,
        form_id=f"form-{cell.anchor}",
        language=programme.language,
    )


def _override_form_for(cell: grid.Cell, data=None) -> OverrideForm:
    return OverrideForm(
        data, indicator=cell.indicator, value=cell.value, form_id=f"override-{cell.anchor}"
    )


def _cell_form(cell: grid.Cell, programme):
    """The form a row shows: a computed value's override, else the value's own."""
    return _override_form_for(cell) if cell.computed else _form_for(cell, programme)


def _give_forms(rows, programme) -> None:
    for row in rows:
        for cell in row.cells:
            if cell.due and cell.form is None:
                cell.form = _cell_form(cell, programme)


def _cell_of(row: grid.Row, indicator_key: str) -> grid.Cell:
    for cell in row.cells:
        if cell.indicator.key == indicator_key:
            return cell
    raise Http404


def _version(data) -> int | None:
    try:
        return int(data.get("version") or 0) or None
    except ValueError:
        return None


# -- the page --------------------------------------------------------------------------------


@login_required
@require_GET
def grid_start(request, slug: str):
    """To the grid at a sensible period and place, or at those the picker chose."""
    programme = grid.grid_programme(user=request.user, slug=slug)
    period, place = grid.grid_default(user=request.user, programme=programme)
    period = grid.grid_period(programme, request.GET.get("period") or period)
    place = grid.grid_place(programme, request.GET.get("place") or place)
    return redirect(_grid_url(programme, period, place))


def _page_context(request, programme, period, place, *, replaced: grid.Cell | None = None):
    page = grid.grid_page(user=request.user, programme=programme, period=period, place=place)
    rows = [row for _theme, goals in page.themes for _goal, rows in goals for row in rows]
    if replaced is not None:
        # The cell whose save failed, with what was typed and its errors, in its place.
        for row in rows:
            for index, cell in enumerate(row.cells):
                if cell.indicator.pk == replaced.indicator.pk:
                    row.cells[index] = replaced
    if page.editable:
        _give_forms(rows, programme)
    return {"programme": programme, "grid": page, "period": period, "place": place}


@login_required
@require_GET
def grid_view(request, slug: str, period: str, place: str):
    programme, period_, place_ = _where(request, slug, period, place)
    context = _page_context(request, programme, period_, place_)
    return _render(request, "followup/grid.html", context)


# -- one value -------------------------------------------------------------------------------


def _row_response(request, context: dict, *, summary: bool) -> HttpResponse:
    return _render(request, "followup/_grid_value.html", {**context, "with_summary": summary})


@login_required
@require_http_methods(["GET", "POST"])
def grid_value(request, slug: str, period: str, place: str, action: str, indicator: str):
    """GET: the value's row (htmx; a browser goes to the row in the grid). POST: save it."""
    programme, period_, place_ = _where(request, slug, period, place)
    row = grid.grid_row(
        user=request.user, programme=programme, period=period_, place=place_, action_key=action
    )
    cell = _cell_of(row, indicator)
    if not cell.due:
        raise Http404
    can_record, locked = grid.grid_can_record(
        user=request.user, programme=programme, period=period_, place=place_
    )
    context = {
        "programme": programme,
        "period": period_,
        "place": place_,
        "row": row,
        "cell": cell,
        "editable": can_record and locked is None,
        "locked": locked,
    }
    if request.method == "GET":
        if not request.htmx:
            return redirect(_grid_url(programme, period_, place_, cell.anchor))
        if context["editable"]:
            cell.form = _cell_form(cell, programme)
            _focus(cell, request.GET.get("focus", ""))
        return _row_response(request, context, summary=False)

    if not can_record:
        raise PermissionDenied
    if cell.computed:
        # Counted from the registries: its number changes only by an override (below).
        raise Http404
    form = _form_for(cell, programme, request.POST)
    cell.form = form
    version = _version(request.POST)
    cell.version = version or 0
    focus = request.POST.get("focus", "")
    cell.focus = focus if focus in _FOCUS_FIELDS else ""
    try:
        if locked is not None:
            raise PeriodLocked(locked.code)
        if not form.is_valid():
            form.mark_invalid()
            raise _Invalid
        services.measurement_record(
            actor=request.user,
            indicator=cell.indicator,
            municipality=place_.municipality,
            period=period_.code,
            values=form.values(),
            comment=form.cleaned_data["comment"],
            version=version,
            source=Measurement.Source.WEB,
        )
    except services.StaleValue as stale:
        # Nothing is lost: the form keeps what was typed, and now carries the version stored,
        # so that saving again (having looked) replaces it on purpose.
        cell.stale = stale.current
        cell.version = stale.current.version if stale.current is not None else 0
        cell.message = services.stale_message(stale.current)
        cell.error = True
    except PeriodLocked as refused:
        if not request.htmx:
            messages.error(request, str(refused), extra_tags=f"in-table {cell.anchor}")
            return redirect(_grid_url(programme, period_, place_, cell.anchor))
        cell.message, cell.error, cell.form = str(refused), True, None
        context["editable"] = False
        return _row_response(request, context, summary=False)
    except ValidationError as error:
        form.add_problems(services.problems_of(error))
        cell.error = True
    except _Invalid:
        cell.error = True
    else:
        if not request.htmx:
            messages.success(
                request, _("The value was saved."), extra_tags=f"in-table {cell.anchor}"
            )
            return redirect(_grid_url(programme, period_, place_, cell.anchor))
        row = grid.grid_row(
            user=request.user,
            programme=programme,
            period=period_,
            place=place_,
            action_key=action,
        )
        saved = _cell_of(row, indicator)
        saved.form = _form_for(saved, programme)
        _focus(saved, cell.focus)
        saved.message = _("Saved (version %(version)s).") % {
            "version": saved.value.version if saved.value else 0
        }
        context.update({"row": row, "cell": saved})
        return _row_response(request, context, summary=True)

    if request.htmx:
        return _row_response(request, context, summary=False)
    page = _page_context(request, programme, period_, place_, replaced=cell)
    return _render(request, "followup/grid.html", page)


def _focus(cell: grid.Cell, name: str) -> None:
    """Mark the row's field the keyboard was in, for hemma.js to focus after the swap."""
    if name not in _FOCUS_FIELDS:
        return
    cell.focus = name
    form = cell.form
    if isinstance(form, ValueForm) and name in form.fields:
        form.fields[name].widget.attrs["data-focus-after-swap"] = ""


@login_required
@require_http_methods(["GET", "POST"])
def grid_override(request, slug: str, period: str, place: str, action: str, indicator: str):
    """A computed value's override: POST sets it (number, participants, justification), or
    with "clear" returns the value to the count. GET goes to the row."""
    programme, period_, place_ = _where(request, slug, period, place)
    row = grid.grid_row(
        user=request.user, programme=programme, period=period_, place=place_, action_key=action
    )
    cell = _cell_of(row, indicator)
    if not cell.due or not cell.computed:
        raise Http404
    if request.method == "GET":
        return redirect(_grid_url(programme, period_, place_, cell.anchor))
    can_record, locked = grid.grid_can_record(
        user=request.user, programme=programme, period=period_, place=place_
    )
    if not can_record:
        raise PermissionDenied
    context = {
        "programme": programme,
        "period": period_,
        "place": place_,
        "row": row,
        "cell": cell,
        "editable": locked is None,
        "locked": locked,
    }
    clearing = "clear" in request.POST
    form = _override_form_for(cell, None if clearing else request.POST)
    cell.form = form
    try:
        if clearing:
            computing.computed_override_clear(
                actor=request.user,
                indicator=cell.indicator,
                municipality=place_.municipality,
                period=period_.code,
            )
            done = _("The value is the count again.")
        elif form.is_valid():
            computing.computed_override_set(
                actor=request.user,
                indicator=cell.indicator,
                municipality=place_.municipality,
                period=period_.code,
                number=form.cleaned_data["number"],
                participants=form.cleaned_data.get("participants"),
                justification=form.cleaned_data["justification"],
            )
            done = _("The override was saved.")
        else:
            raise _Invalid
    except PeriodLocked as refused:
        if not request.htmx:
            messages.error(request, str(refused), extra_tags=f"in-table {cell.anchor}")
            return redirect(_grid_url(programme, period_, place_, cell.anchor))
        cell.message, cell.error, cell.form = str(refused), True, None
        context["editable"] = False
        return _row_response(request, context, summary=False)
    except ValidationError as error:
        form.add_problems(error)
        cell.error = True
    except _Invalid:
        cell.error = True
    else:
        if not request.htmx:
            messages.success(request, done, extra_tags=f"in-table {cell.anchor}")
            return redirect(_grid_url(programme, period_, place_, cell.anchor))
        row = grid.grid_row(
            user=request.user, programme=programme, period=period_, place=place_, action_key=action
        )
        saved = _cell_of(row, indicator)
        saved.form = _override_form_for(saved)
        saved.message = done
        # The row is swapped in place: the keyboard goes back to its button.
        saved.focus = "save"
        context.update({"row": row, "cell": saved})
        return _row_response(request, context, summary=True)
    if request.htmx:
        return _row_response(request, context, summary=False)
    page = _page_context(request, programme, period_, place_, replaced=cell)
    return _render(request, "followup/grid.html", page)


class _Invalid(Exception):
    """The form itself was not valid (a choice that is not offered)."""


@login_required
@require_GET
def value_history(request, slug: str, period: str, place: str, action: str, indicator: str):
    """Who changed the value, from what to what, and when (from the audit trail)."""
    programme, period_, place_ = _where(request, slug, period, place)
    row = grid.grid_row(
        user=request.user, programme=programme, period=period_, place=place_, action_key=action
    )
    cell = _cell_of(row, indicator)
    value, entries = grid.value_history(
        user=request.user,
        programme=programme,
        period=period_,
        place=place_,
        indicator=cell.indicator,
    )
    context = {
        "programme": programme,
        "period": period_,
        "place": place_,
        "row": row,
        "cell": cell,
        "value": value,
        "entries": entries,
    }
    if request.htmx:
        return _render(request, "followup/_value_history.html", context)
    return _render(request, "followup/grid_value_history.html", context)


# -- an action's manual assessment -----------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def assessment(request, slug: str, period: str, place: str, action: str):
    """GET: the form (htmx: in the action's summary; `?summary=1`: the summary without it).
    POST: save the assessment, or remove it ("delete")."""
    programme, period_, place_ = _where(request, slug, period, place)
    row = grid.grid_row(
        user=request.user, programme=programme, period=period_, place=place_, action_key=action
    )
    can_record, locked = grid.grid_can_record(
        user=request.user, programme=programme, period=period_, place=place_
    )
    editable = can_record and locked is None
    context = {
        "programme": programme,
        "period": period_,
        "place": place_,
        "row": row,
        "editable": editable,
        "locked": locked,
    }
    form_id = f"assess-{row.action.key}"
    if request.method == "GET":
        if request.htmx and request.GET.get("summary"):
            return _render(request, "followup/_grid_summary.html", {**context, "focus": True})
        if not editable:
            if request.htmx:
                return _render(request, "followup/_grid_summary.html", context)
            return redirect(_grid_url(programme, period_, place_, row.anchor))
        form = AssessmentForm(assessment=row.assessment, form_id=form_id)
        if request.htmx:
            # Opened in place: the keyboard goes into it (hemma.js focuses [autofocus]).
            form.fields["status"].widget.attrs["autofocus"] = True
    else:
        if not can_record:
            raise PermissionDenied
        form = AssessmentForm(request.POST, assessment=row.assessment, form_id=form_id)
        try:
            if "delete" in request.POST:
                services.assessment_delete(
                    actor=request.user,
                    action=row.action,
                    municipality=place_.municipality,
                    period=period_.code,
                )
                done = _("The assessment was removed.")
            elif form.is_valid():
                services.assessment_record(
                    actor=request.user,
                    action=row.action,
                    municipality=place_.municipality,
                    period=period_.code,
                    status=form.cleaned_data["status"],
                    justification=form.cleaned_data["justification"],
                )
                done = _("The assessment was saved.")
            else:
                form.mark_invalid()
                done = ""
        except ValidationError as error:
            form.add_problems(services.problems_of(error))
            done = ""
        except PeriodLocked as refused:
            if request.htmx:
                context.update({"editable": False, "message": str(refused)})
                return _render(request, "followup/_grid_summary.html", context)
            messages.error(request, str(refused), extra_tags=f"in-table {row.anchor}")
            return redirect(_grid_url(programme, period_, place_, row.anchor))
        if done:
            if not request.htmx:
                messages.success(request, done, extra_tags=f"in-table {row.anchor}")
                return redirect(_grid_url(programme, period_, place_, row.anchor))
            row = grid.grid_row(
                user=request.user,
                programme=programme,
                period=period_,
                place=place_,
                action_key=action,
            )
            context.update({"row": row, "message": done, "focus": True})
            return _render(request, "followup/_grid_summary.html", context)
    context["assessment_form"] = form
    if request.htmx:
        return _render(request, "followup/_grid_summary.html", context)
    return _render(request, "followup/grid_assessment.html", context)
