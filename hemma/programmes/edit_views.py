"""Editing a programme in its table (htmx), an action's page, the history, import from the web.

Every edit URL works without JavaScript too: a plain GET renders a whole page with the form,
a plain POST redirects back to the table. An htmx request (`request.htmx`) gets the partial
that replaces the edited node. An invalid form comes back with its errors and status 200 in
both cases: htmx 2 does not swap an error response (4xx) into the page without a global
setting, and a user needs to see what to fix.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods
from django_htmx.http import HttpResponseClientRefresh

from hemma.lib.forms import form_saved as _saved
from hemma.lib.languages import language_name
from hemma.lib.problems import ProblemsFound
from hemma.organisations.models import Municipality
from hemma.programmes import forms, policies, selectors, services

HISTORY_PAGE_SIZE = 50
_PENDING_SESSION_KEY = "pending_imports"


def _table_url(programme, anchor: str = "") -> str:
    url = reverse("programmes:detail", args=[programme.slug])
    return f"{url}#{anchor}" if anchor else url


def _back_to_table(request, programme, anchor: str, text: str, level=messages.SUCCESS):
    """Redirect to the node's place in the table, with `text` shown there.

    The table scrolls to `anchor`, far from the messages at the top of the page, so the
    message is tagged with the anchor and the node shows it beside itself
    (programmes/_message_here.html); the keyboard's place stays where the change was.
    """
    messages.add_message(request, level, text, extra_tags=f"in-table {anchor}")
    return redirect(_table_url(programme, anchor))


def _action_url(action, anchor: str = "") -> str:
    url = reverse("programmes:action", args=[action.programme.slug, action.key])
    return f"{url}#{anchor}" if anchor else url


def _render(request, template: str, context: dict, status: int = 200) -> HttpResponse:
    response = render(request, template, context, status=status)
    # The same URL answers htmx with a fragment and a browser with a page: caches must know.
    patch_vary_headers(response, ["HX-Request"])
    return response


def _row_context(request, action) -> dict:
    programme = action.programme
    return {
        "programme": programme,
        "action": action,
        "goal": action.goal,
        "theme": action.goal.theme,
        "first": action.first_in_goal,
        "last": action.last_in_goal,
        "rowspan": action.goal_size,
        "can_edit": policies.can_edit_programme(request.user, programme),
        "units_municipalities": list(
            policies.municipalities_user_names_units_for(request.user, programme)
        ),
    }


# -- the action's row: show, edit, move ------------------------------------------------------


@login_required
@require_GET
def action_row(request, slug: str, key: str):
    """The action's row as the table shows it (what "Cancel" swaps back)."""
    action = selectors.action_page(user=request.user, slug=slug, key=key)
    if not request.htmx:
        return redirect(_table_url(action.programme, f"action-{action.key}"))
    # The focus goes back to the row's "Edit" (hemma.js), where the keyboard user was.
    context = {**_row_context(request, action), "focus": "action"}
    return _render(request, "programmes/_action_row.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def action_edit(request, slug: str, key: str):
    action = selectors.action_page(user=request.user, slug=slug, key=key, write=True)
    programme = action.programme
    form = forms.ActionForm(
        request.POST or None,
        programme=programme,
        autofocus=bool(request.htmx),
        organisations=selectors.region_organisations(programme=programme),
        initial_texts={
            "title": action.title,
            "responsible_text": action.responsible_text,
            "partners_text": action.partners_text,
            "followup": action.followup,
        },
        initial={
            # Set by selectors.action_page, like an annotation.
            "responsible": action.responsible_organisations,  # type: ignore[attr-defined]
            "partners": action.partner_organisations,  # type: ignore[attr-defined]
            "responsible_per_municipality": action.responsible_per_municipality,
        },
    )
    if request.method == "POST" and _saved(
        form,
        lambda: services.action_update(
            actor=request.user,
            action=action,
            **form.text_values(),
            responsible_per_municipality=form.cleaned_data["responsible_per_municipality"],
            responsible=list(form.cleaned_data["responsible"]),
            partners=list(form.cleaned_data["partners"]),
        ),
    ):
        if not request.htmx:
            return _back_to_table(
                request, programme, f"action-{action.key}", _("The action was saved.")
            )
        action = selectors.action_page(user=request.user, slug=slug, key=key)
        context = {**_row_context(request, action), "focus": "action"}
        return _render(request, "programmes/_action_row.html", context)
    context = {**_row_context(request, action), "form": form}
    if request.htmx:
        return _render(request, "programmes/_action_form_row.html", context)
    return _render(request, "programmes/action_edit.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def action_move(request, slug: str, key: str):
    """Up or down in its goal (the table's buttons), or to another goal (this page's form)."""
    action = selectors.action_get(user=request.user, slug=slug, key=key, write=True)
    programme = action.programme
    goals = selectors.programme_goals(programme=programme)
    form = forms.ActionMoveForm(
        request.POST if "goal" in request.POST else None,
        goals=goals,
        language=programme.language,
        initial={"goal": action.goal},
    )
    if request.method == "POST":
        direction = request.POST.get("direction")
        anchor = f"action-{action.key}"
        try:
            if direction in ("up", "down"):
                services.action_move(actor=request.user, action=action, direction=direction)
            elif form.is_valid():
                goal = form.cleaned_data["goal"]
                services.action_move(actor=request.user, action=action, goal=goal)
                return _back_to_table(request, programme, anchor, _("The action was moved."))
            else:
                context = {"action": action, "form": form}
                return _render(request, "programmes/action_move.html", context)
        except ValidationError as error:
            # Someone moved it at the same moment: the table shows where it is now.
            text = " ".join(error.messages)
            if request.htmx:
                messages.error(request, text, extra_tags=f"in-table {anchor}")
                return HttpResponseClientRefresh()
            return _back_to_table(request, programme, anchor, text, level=messages.ERROR)
        if request.htmx and direction:
            goal = selectors.goal_get(
                user=request.user,
                slug=slug,
                theme_key=action.goal.theme.key,
                goal_key=action.goal.key,
            )
            # The focus follows the moved action's button (hemma.js), not the page's top.
            context = {**_goal_context(request, goal), "moved": action.key, "moved_to": direction}
            return _render(request, "programmes/_goal_body.html", context)
        return redirect(_table_url(programme, anchor))
    return _render(request, "programmes/action_move.html", {"action": action, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def action_delete(request, slug: str, key: str):
    action = selectors.action_get(user=request.user, slug=slug, key=key, write=True)
    programme = action.programme
    if request.method == "POST":
        theme_key = action.goal.theme.key
        services.action_delete(actor=request.user, action=action)
        return _back_to_table(
            request, programme, f"theme-{theme_key}", _("The action was removed.")
        )
    return _render(request, "programmes/action_delete.html", {"action": action})


# -- themes and goals ------------------------------------------------------------------------


def _goal_context(request, goal) -> dict:
    programme = goal.theme.programme
    return {
        "programme": programme,
        "theme": goal.theme,
        "goal": goal,
        "can_edit": policies.can_edit_programme(request.user, programme),
        "units_municipalities": list(
            policies.municipalities_user_names_units_for(request.user, programme)
        ),
        "rowspan": len(goal.actions.all()) or 1,
    }


@login_required
@require_GET
def theme_heading(request, slug: str, theme_key: str):
    theme = selectors.theme_get(user=request.user, slug=slug, theme_key=theme_key)
    if not request.htmx:
        return redirect(_table_url(theme.programme, f"theme-{theme.key}"))
    context = {
        "programme": theme.programme,
        "theme": theme,
        "can_edit": policies.can_edit_programme(request.user, theme.programme),
        "focus": "theme",
    }
    return _render(request, "programmes/_theme_heading.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def theme_edit(request, slug: str, theme_key: str):
    theme = selectors.theme_get(user=request.user, slug=slug, theme_key=theme_key, write=True)
    programme = theme.programme
    form = forms.TitleForm(
        request.POST or None,
        programme=programme,
        initial_texts={"title": theme.title},
        autofocus=bool(request.htmx),
    )
    if request.method == "POST" and _saved(
        form,
        lambda: services.theme_update(actor=request.user, theme=theme, **form.text_values()),
    ):
        if not request.htmx:
            return _back_to_table(
                request, programme, f"theme-{theme.key}", _("The theme was saved.")
            )
        context = {"programme": programme, "theme": theme, "can_edit": True, "focus": "theme"}
        return _render(request, "programmes/_theme_heading.html", context)
    context = {"programme": programme, "theme": theme, "form": form}
    if request.htmx:
        return _render(request, "programmes/_theme_form.html", context)
    return _render(request, "programmes/theme_edit.html", context)


@login_required
@require_GET
def goal_cell(request, slug: str, theme_key: str, goal_key: str):
    goal = selectors.goal_get(user=request.user, slug=slug, theme_key=theme_key, goal_key=goal_key)
    if not request.htmx:
        return redirect(_table_url(goal.theme.programme, f"goal-{goal.pk}"))
    context = {**_goal_context(request, goal), "focus": "goal"}
    return _render(request, "programmes/_goal_cell.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def goal_edit(request, slug: str, theme_key: str, goal_key: str):
    goal = selectors.goal_get(
        user=request.user, slug=slug, theme_key=theme_key, goal_key=goal_key, write=True
    )
    programme = goal.theme.programme
    form = forms.TitleForm(
        request.POST or None,
        programme=programme,
        initial_texts={"title": goal.title},
        autofocus=bool(request.htmx),
    )
    if request.method == "POST" and _saved(
        form, lambda: services.goal_update(actor=request.user, goal=goal, **form.text_values())
    ):
        if not request.htmx:
            return _back_to_table(request, programme, f"goal-{goal.pk}", _("The goal was saved."))
        context = {**_goal_context(request, goal), "focus": "goal"}
        return _render(request, "programmes/_goal_cell.html", context)
    context = {**_goal_context(request, goal), "form": form}
    if request.htmx:
        return _render(request, "programmes/_goal_form.html", context)
    return _render(request, "programmes/goal_edit.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def action_add(request, slug: str, theme_key: str, goal_key: str):
    goal = selectors.goal_get(
        user=request.user, slug=slug, theme_key=theme_key, goal_key=goal_key, write=True
    )
    programme = goal.theme.programme
    form = forms.ActionCreateForm(
        request.POST or None,
        programme=programme,
        organisations=selectors.region_organisations(programme=programme),
        taken_keys=set(programme.actions.values_list("key", flat=True)),
    )
    created = []
    if request.method == "POST" and _saved(
        form,
        lambda: created.append(
            services.action_create(
                actor=request.user,
                goal=goal,
                key=form.cleaned_data["key"],
                **form.text_values(),
                responsible_per_municipality=form.cleaned_data["responsible_per_municipality"],
                responsible=list(form.cleaned_data["responsible"]),
                partners=list(form.cleaned_data["partners"]),
            )
        ),
    ):
        return _back_to_table(
            request, programme, f"action-{created[0].key}", _("The action was added.")
        )
    return _render(
        request, "programmes/action_add.html", {"programme": programme, "goal": goal, "form": form}
    )


# -- the action's own page and its indicators ------------------------------------------------


@login_required
@require_GET
def action_detail(request, slug: str, key: str):
    action = selectors.action_page(user=request.user, slug=slug, key=key)
    programme = action.programme
    texts = [
        (_("Action"), action.title),
        (_("Responsible, as written"), action.responsible_text),
        (_("Partners, as written"), action.partners_text),
        (_("Follow-up"), action.followup),
    ]
    # The staff languages always, and any other language a text is written in.
    codes = forms.edit_languages(programme)
    codes += sorted({code for _label, text in texts for code in text} - set(codes))
    translated = [code for code in codes if code in programme.translation_notes]
    return _render(
        request,
        "programmes/action.html",
        {
            "programme": programme,
            "action": action,
            "can_edit": policies.can_edit_programme(request.user, programme),
            "units_municipalities": list(
                policies.municipalities_user_names_units_for(request.user, programme)
            ),
            "history": selectors.action_history(action=action),
            "text_languages": [(code, language_name(code)) for code in codes],
            "text_rows": [
                (label, [(code, text.get(code, "")) for code in codes]) for label, text in texts
            ],
            "translation_notes": [
                (language_name(code), programme.translation_notes[code]) for code in translated
            ],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def indicator_add(request, slug: str, key: str):
    action = selectors.action_get(user=request.user, slug=slug, key=key, write=True)
    form = forms.IndicatorCreateForm(
        request.POST or None,
        programme=action.programme,
        taken_keys=set(action.indicators.values_list("key", flat=True)),
    )
    if request.method == "POST" and _saved(
        form,
        lambda: services.indicator_create(
            actor=request.user, action=action, key=form.cleaned_data["key"], **form.values()
        ),
    ):
        messages.success(request, _("The indicator was added."))
        return redirect(_action_url(action, "indicators"))
    return _render(request, "programmes/indicator_edit.html", {"action": action, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def indicator_edit(request, slug: str, key: str, indicator_key: str):
    indicator = selectors.indicator_get(
        user=request.user, slug=slug, key=key, indicator_key=indicator_key, write=True
    )
    action = indicator.action
    form = forms.IndicatorForm(
        request.POST or None,
        programme=action.programme,
        initial_texts={"name": indicator.name, "unit": indicator.unit},
        initial={
            "kind": indicator.kind,
            "counts_people": indicator.counts_people,
            "period": indicator.period,
            "scope": indicator.scope,
            "target_type": indicator.target_type,
            "target_min": indicator.target_min,
            "target_max": indicator.target_max,
            "target_direction": indicator.target_direction,
            "target_years": indicator.target_years,
            **forms.IndicatorForm.initial_counting(indicator),
        },
    )
    if request.method == "POST" and _saved(
        form,
        lambda: services.indicator_update(actor=request.user, indicator=indicator, **form.values()),
    ):
        messages.success(request, _("The indicator was saved."))
        return redirect(_action_url(action, "indicators"))
    return _render(
        request,
        "programmes/indicator_edit.html",
        {"action": action, "indicator": indicator, "form": form},
    )


@login_required
@require_http_methods(["GET", "POST"])
def indicator_delete(request, slug: str, key: str, indicator_key: str):
    indicator = selectors.indicator_get(
        user=request.user, slug=slug, key=key, indicator_key=indicator_key, write=True
    )
    action = indicator.action
    if request.method == "POST":
        services.indicator_delete(actor=request.user, indicator=indicator)
        messages.success(request, _("The indicator was removed."))
        return redirect(_action_url(action, "indicators"))
    return _render(
        request, "programmes/indicator_delete.html", {"action": action, "indicator": indicator}
    )


# -- the units a municipality names ----------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def municipal_units(request, slug: str, key: str, code: str):
    action = selectors.action_page(user=request.user, slug=slug, key=key)
    programme = action.programme
    municipality = Municipality.objects.filter(programmes=programme, code=code).first()
    if municipality is None or not action.responsible_per_municipality:
        raise Http404
    allowed = policies.municipalities_user_names_units_for(request.user, programme)
    if not allowed.filter(pk=municipality.pk).exists():
        raise PermissionDenied
    named = dict(action.municipal_units).get(municipality, [])  # type: ignore[attr-defined]
    form = forms.MunicipalUnitsForm(
        request.POST or None,
        organisations=selectors.region_organisations(
            programme=programme, municipality=municipality
        ),
        language=programme.language,
        chosen=named,
        initial={"organisations": named},
    )
    if request.method == "POST" and _saved(
        form,
        lambda: services.municipal_units_set(
            actor=request.user,
            action=action,
            municipality=municipality,
            organisations=list(form.cleaned_data["organisations"]),
            new_unit=form.cleaned_data["new_unit"],
        ),
    ):
        return _back_to_table(
            request, programme, f"action-{action.key}", _("The responsible units were saved.")
        )
    return _render(
        request,
        "programmes/municipal_units.html",
        {"programme": programme, "action": action, "municipality": municipality, "form": form},
    )


# -- the programme's history -----------------------------------------------------------------


@login_required
@require_GET
def programme_history(request, slug: str):
    programme = selectors.programme_get(user=request.user, slug=slug)
    page = Paginator(selectors.programme_history(programme=programme), HISTORY_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return _render(
        request,
        "programmes/history.html",
        {
            "programme": programme,
            "page": page,
            "entries": selectors.history_entries(page.object_list, programme=programme),
        },
    )


# -- import from the web ---------------------------------------------------------------------


def _remember_pending(request, token: str) -> None:
    # The session holds the tokens of this login's previews (the last few); the file itself
    # waits on the server (see services.pending_import_save).
    tokens = [t for t in request.session.get(_PENDING_SESSION_KEY, []) if t != token]
    request.session[_PENDING_SESSION_KEY] = [*tokens[-4:], token]


def _forget_pending(request, token: str) -> None:
    tokens = request.session.get(_PENDING_SESSION_KEY, [])
    request.session[_PENDING_SESSION_KEY] = [t for t in tokens if t != token]


@login_required
@require_http_methods(["GET", "POST"])
def programme_import(request, slug: str | None = None):
    """Upload → preview (a dry run) → confirm. Only a region coordinator imports."""
    programme = None
    if slug is not None:
        programme = selectors.programme_get(user=request.user, slug=slug, write=True)
    elif not policies.regions_user_imports_into(request.user).exists():
        raise PermissionDenied
    # Bound only to an upload: an empty form on GET must not say "This field is required."
    uploading = request.method == "POST" and "token" not in request.POST
    form = forms.ImportForm(
        request.POST if uploading else None,
        request.FILES if uploading else None,
        tabular=programme is not None,
    )
    context = {"programme": programme, "form": form}
    token = request.POST.get("token", "")
    try:
        if token:
            if token not in request.session.get(_PENDING_SESSION_KEY, []):
                token = ""
            result = services.programme_import_confirm(
                actor=request.user, token=token, programme=programme
            )
            _forget_pending(request, token)
            messages.success(
                request,
                _("Imported: %(added)s added, %(changed)s changed, %(removed)s removed.")
                % {"added": result.added, "changed": result.changed, "removed": result.removed},
            )
            return redirect(_table_url(result.programme))
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            result, token = services.programme_import_try(
                actor=request.user, stream=upload, name=upload.name, programme=programme
            )
            _remember_pending(request, token)
            language = result.programme.language
            changes = [
                (
                    change,
                    selectors.node_label(change.node),
                    selectors.change_lines(change.node, change.fields, language=language),
                )
                for change in result.changes
            ]
            return _render(
                request,
                "programmes/import_preview.html",
                {**context, "result": result, "changes": changes, "token": token},
            )
    except ProblemsFound as found:
        return _render(
            request, "programmes/import.html", {**context, "problems": found.problems}, status=400
        )
    return _render(request, "programmes/import.html", context)
