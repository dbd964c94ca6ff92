"""The form renderer: Django's own, with its commonest widget templates written in Python.

A form field on a page is rendered through the template engine: `{{ field }}` renders the
widget's template (django/forms/widgets/*.html), which includes its attributes' template and,
for a select or a list of checkboxes, one template per option. On the grid of values, with a
form in each of its 50-odd rows, that was a third of the page's time (docs/performance.md).

`Renderer` draws the inputs, text areas, selects, checkbox and radio lists here instead, as
strings, giving exactly what Django's templates give (hemma/lib/tests/test_form_renderer.py
compares the two for every widget drawn here, attribute and value kinds included). Any other
template (a form's or a field's layout, another widget, a project's own override of one of
these) goes to the template engine as before; so does everything if the project overrides any
of the templates drawn here or included by them. Set as FORM_RENDERER in hemma/settings.py.
"""

from collections.abc import Callable, Mapping
from functools import cached_property
from pathlib import Path
from typing import Any

import django.forms
from django.forms.renderers import DjangoTemplates
from django.utils.formats import localize
from django.utils.html import conditional_escape, escape
from django.utils.safestring import SafeData
from django.utils.timezone import template_localtime  # type: ignore[attr-defined]  # not in the stubs

_WIDGETS = "django/forms/widgets/"


def _shown(value: Any) -> str:
    """`{{ value }}` in a template: local time and format, then escaped unless safe."""
    if not isinstance(value, str):  # a string is shown as it is
        value = localize(template_localtime(value))
    return conditional_escape(value if isinstance(value, str) else str(value))


def _formatted(value: Any) -> str:
    """`{{ value|stringformat:'s' }}`: as a string, escaped unless it was safe."""
    return conditional_escape(value) if isinstance(value, SafeData) else escape(str(value))


def _attrs(attrs: Mapping[str, Any]) -> str:
    """django/forms/widgets/attrs.html: False leaves an attribute out, True writes its name."""
    return "".join(
        f" {_shown(name)}" if value is True else f' {_shown(name)}="{_formatted(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


def _input(widget: Mapping[str, Any]) -> str:
    """input.html, without its closing newline (an including template adds it)."""
    value = widget["value"]
    given = "" if value is None else f' value="{_formatted(value)}"'
    return (
        f'<input type="{_shown(widget["type"])}" name="{_shown(widget["name"])}"{given}'
        f"{_attrs(widget['attrs'])}>"
    )


def _input_option(option: Mapping[str, Any]) -> str:
    """checkbox_option.html and radio_option.html (each includes input_option.html)."""
    if not option["wrap_label"]:
        return f"{_input(option)}\n\n"
    target = option["attrs"].get("id")
    label_for = f' for="{_shown(target)}"' if target else ""
    return f"<label{label_for}>{_input(option)}\n {_shown(option['label'])}</label>\n\n"


def _select_option(option: Mapping[str, Any]) -> str:
    return (
        f'<option value="{_formatted(option["value"])}"{_attrs(option["attrs"])}>'
        f"{_shown(option['label'])}</option>\n"
    )


_OPTIONS: dict[str, Callable[[Mapping[str, Any]], str]] = {
    f"{_WIDGETS}select_option.html": _select_option,
    f"{_WIDGETS}checkbox_option.html": _input_option,
    f"{_WIDGETS}radio_option.html": _input_option,
}


def _select(widget: Mapping[str, Any]) -> str:
    parts = [f'<select name="{_shown(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group, options, _index in widget["optgroups"]:
        if group:
            parts.append(f'\n  <optgroup label="{_shown(group)}">')
        parts.extend(f"\n  {_OPTIONS[option['template_name']](option)}" for option in options)
        if group:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


def _multiple_input(widget: Mapping[str, Any]) -> str:
    """checkbox_select.html and radio.html (each includes multiple_input.html)."""
    target, css = widget["attrs"].get("id"), widget["attrs"].get("class")
    parts = [
        "<div",
        f' id="{_shown(target)}"' if target else "",
        f' class="{_shown(css)}"' if css else "",
        ">",
    ]
    for group, options, _index in widget["optgroups"]:
        if group:
            parts.append(f"\n  <div><label>{_shown(group)}</label>")
        parts.extend(
            f"<div>\n    {_OPTIONS[option['template_name']](option)}</div>" for option in options
        )
        if group:
            parts.append("\n  </div>")
    parts.append("\n</div>")
    return "".join(parts)


def _textarea(widget: Mapping[str, Any]) -> str:
    value = widget["value"]
    return (
        f'<textarea name="{_shown(widget["name"])}"{_attrs(widget["attrs"])}>\n'
        f"{_shown(value) if value else ''}</textarea>"
    )


# Django's widget templates drawn here. The input kinds' templates each include input.html.
_DRAWN: dict[str, Callable[[Mapping[str, Any]], str]] = {
    **{
        f"{_WIDGETS}{kind}.html": _input
        for kind in (
            "input",
            "text",
            "number",
            "email",
            "url",
            "tel",
            "search",
            "password",
            "hidden",
            "date",
            "datetime",
            "time",
            "checkbox",
        )
    },
    f"{_WIDGETS}textarea.html": _textarea,
    f"{_WIDGETS}select.html": _select,
    f"{_WIDGETS}checkbox_select.html": _multiple_input,
    f"{_WIDGETS}radio.html": _multiple_input,
}


# The templates those include: drawn here as part of the ones that include them.
_INCLUDED = ("input.html", "attrs.html", "input_option.html", "multiple_input.html")
_DJANGOS_OWN = Path(django.forms.__file__).parent / "templates"


def _options_drawn(widget: Mapping[str, Any]) -> bool:
    """Whether every option of the widget has a template drawn here (a project's own option
    template goes to the engine with its widget)."""
    return all(
        option["template_name"] in _OPTIONS
        for _group, options, _index in widget.get("optgroups", ())
        for option in options
    )


class Renderer(DjangoTemplates):
    """Django's renderer (the project's templates and Django's own), with the widgets above
    drawn without the template engine."""

    @cached_property
    def _drawn(self) -> Mapping[str, Callable[[Mapping[str, Any]], str]]:
        """_DRAWN, unless the project overrides any of those templates: then nothing."""
        names = [*_DRAWN, *_OPTIONS, *(f"{_WIDGETS}{name}" for name in _INCLUDED)]
        own = all(
            Path(self.get_template(name).origin.name).is_relative_to(_DJANGOS_OWN) for name in names
        )
        return _DRAWN if own else {}

    def render(self, template_name, context, request=None):
        draw = self._drawn.get(template_name)
        widget = context.get("widget") if draw is not None else None
        if draw is None or widget is None or not _options_drawn(widget):
            return super().render(template_name, context, request)
        return draw(widget)
