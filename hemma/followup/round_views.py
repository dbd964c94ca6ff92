"""The reporting round's pages: the rounds of a programme, a round's overview and its forms,
and the reporter's page behind a reporting link.

Every form is a plain HTML form that works without JavaScript: a POST that succeeds
redirects back to the overview, at the reporter's row; one with errors renders the overview
again with the errors beside the form. Approving asks to confirm first (`round_approve`). A
new link's address is shown on the page the POST redirects to (`link_created`), made again
from its nonce for those who may manage the link while it can be used; it is never stored in
a message or a session.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from hemma.followup import round_selectors as selectors
from hemma.followup import rounds
from hemma.followup.forms import ValueForm
from hemma.followup.locks import PeriodLocked
from hemma.followup.models import Measurement, Round
from hemma.followup.services import FIELDS_OF_KIND, ValueItem, measurement_record_many
from hemma.lib.languages import CONTENT_LANGUAGES, direction, local_name
from hemma.lib.problems import ProblemsFound

# -- forms -----------------------------------------------------------------------------------


class RoundOpenForm(forms.Form):
    period = forms.CharField(
        label=gettext_lazy("Period"),
        max_length=9,
        help_text=gettext_lazy("A year (2024), a half-year (2024H1), a quarter (2024Q3)."),
    )
    deadline = forms.DateField(
        label=gettext_lazy("Deadline"), widget=forms.DateInput(attrs={"type": "date"})
    )
    reminder_days = forms.CharField(
        label=gettext_lazy("Reminders, days before the deadline"),
        initial="14, 3",
        required=False,
        help_text=gettext_lazy("Separated by commas; empty for no reminders."),
    )

    def clean_reminder_days(self) -> list[int]:
        text = self.cleaned_data["reminder_days"]
        try:
            return [int(part) for part in text.replace(";", ",").split(",") if part.strip()]
        except ValueError:
            raise ValidationError(_("Give whole numbers separated by commas.")) from None


class DeadlineForm(forms.Form):
    deadline = forms.DateField(
        label=gettext_lazy("Deadline"), widget=forms.DateInput(attrs={"type": "date"})
    )


class UnlockForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason for unlocking"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=1000,
    )


class AssignmentForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Reporter"), max_length=200)
    email = forms.EmailField(label=gettext_lazy("E-mail"), required=False)


class LinkForm(forms.Form):
    recipient_name = forms.CharField(label=gettext_lazy("Recipient's name"), max_length=150)
    recipient_email = forms.EmailField(label=gettext_lazy("Recipient's e-mail"), required=False)
    days = forms.IntegerField(
        label=gettext_lazy("Valid for (days)"),
        min_value=1,
        max_value=rounds.MAX_LINK_DAYS,
        initial=30,
    )
    send = forms.BooleanField(
        label=gettext_lazy("Send the link to the recipient by e-mail"), required=False
    )


def _form_error(form: forms.Form, error: ValidationError) -> None:
    """A service's refusal as the form's errors, on its fields where they have one."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


# -- the rounds of a programme ---------------------------------------------------------------


def _round_url(round: Round, anchor: str = "") -> str:
    url = reverse("followup:round", args=[round.programme.slug, round.period])
    return f"{url}#{anchor}" if anchor else url


@login_required
@require_http_methods(["GET", "POST"])
def round_list(request, slug: str):
    programme = selectors.programme_for_rounds(user=request.user, slug=slug)
    can_manage = rounds.policies.can_manage_round(request.user, programme)
    form = RoundOpenForm(request.POST or None)
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied
        if form.is_valid():
            try:
                round = rounds.round_open(
                    actor=request.user,
                    programme=programme,
                    period=form.cleaned_data["period"],
                    deadline=form.cleaned_data["deadline"],
                    reminder_days=form.cleaned_data["reminder_days"],
                )
            except ValidationError as error:
                _form_error(form, error)
            else:
                messages.success(
                    request,
                    _("The round for %(period)s is open with %(count)s reporters.")
                    % {"period": round.period, "count": round.assignments.count()},
                )
                return redirect(_round_url(round))
    context = {
        "programme": programme,
        "rounds": selectors.round_list(user=request.user, programme=programme),
        "can_manage": can_manage,
        "form": form,
    }
    return render(request, "followup/rounds.html", context)


# -- a round's overview and its forms --------------------------------------------------------


def _overview(request, round: Round, *, status: int = 200, **forms_given) -> HttpResponse:
    overview = selectors.round_overview(user=request.user, round=round)
    row_forms = forms_given.pop("row_forms", {})
    for row in overview.rows:
        pk = row.assignment.pk
        row.edit_form = row_forms.get(("edit", pk)) or AssignmentForm(  # type: ignore[attr-defined]
            prefix=f"r{pk}",
            initial={"name": row.assignment.name, "email": row.assignment.email},
        )
        row.link_form = row_forms.get(("link", pk)) or LinkForm(  # type: ignore[attr-defined]
            prefix=f"l{pk}", initial={"recipient_email": row.assignment.email}
        )
    context = {
        "programme": round.programme,
        "round": round,
        "overview": overview,
        "deadline_form": forms_given.get("deadline_form")
        or DeadlineForm(initial={"deadline": round.deadline}),
        "unlock_form": forms_given.get("unlock_form") or UnlockForm(),
        "today": timezone.localdate(),
        "now": timezone.now(),
    }
    return render(request, "followup/round.html", context, status=status)


@login_required
@require_GET
def round_detail(request, slug: str, period: str):
    round = selectors.round_get(user=request.user, slug=slug, period=period)
    return _overview(request, round)


@login_required
@require_POST
def round_deadline(request, slug: str, period: str):
    round = selectors.round_get(user=request.user, slug=slug, period=period, manage=True)
    form = DeadlineForm(request.POST)
    if form.is_valid():
        try:
            rounds.round_deadline_set(
                actor=request.user, round=round, deadline=form.cleaned_data["deadline"]
            )
        except PeriodLocked as locked:
            form.add_error(None, str(locked))
        else:
            messages.success(request, _("The deadline was changed."))
            return redirect(_round_url(round))
    return _overview(request, round, deadline_form=form)


@login_required
@require_http_methods(["GET", "POST"])
def round_approve(request, slug: str, period: str):
    """Approve the round, which locks its period: only a POST that confirms it approves.

    A GET, or a POST without `confirm`, shows what is still outstanding and asks to confirm;
    always, so that locking a period is never a single unexpected click.
    """
    round = selectors.round_get(user=request.user, slug=slug, period=period, manage=True)
    if round.locked:
        messages.error(request, _("This round is already approved."))
        return redirect(_round_url(round))
    if request.method == "POST" and request.POST.get("confirm") == "1":
        try:
            rounds.round_approve(actor=request.user, round=round)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _("The round for %(period)s is approved; its values are locked.")
                % {"period": round.period},
            )
        return redirect(_round_url(round))
    overview = selectors.round_overview(user=request.user, round=round)
    total = len(overview.rows)
    context = {
        "programme": round.programme,
        "round": round,
        "total": total,
        "not_ready": total - overview.ready,
        "missing": overview.missing,
        # Who has not reported everything yet, by name, so that approving is a decision.
        "outstanding": [row for row in overview.rows if row.missing or not row.assignment.ready_at],
    }
    return render(request, "followup/round_approve.html", context)


@login_required
@require_POST
def round_unlock(request, slug: str, period: str):
    round = selectors.round_get(user=request.user, slug=slug, period=period, manage=True)
    form = UnlockForm(request.POST)
    if form.is_valid():
        try:
            rounds.round_unlock(actor=request.user, round=round, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            _form_error(form, error)
        else:
            messages.success(
                request,
                _("The round for %(period)s is open again.") % {"period": round.period},
            )
            return redirect(_round_url(round))
    return _overview(request, round, unlock_form=form)


@login_required
@require_POST
def assignment_edit(request, slug: str, period: str, pk: int):
    assignment = selectors.assignment_get(user=request.user, slug=slug, period=period, pk=pk)
    round = assignment.round
    if not rounds.policies.can_manage_round(request.user, round.programme):
        raise PermissionDenied
    form = AssignmentForm(request.POST, prefix=f"r{pk}")
    if form.is_valid():
        try:
            rounds.assignment_update(
                actor=request.user,
                assignment=assignment,
                name=form.cleaned_data["name"],
                email=form.cleaned_data["email"],
            )
        except ValidationError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("The reporter was saved."))
            return redirect(_round_url(round, f"reporter-{pk}"))
    return _overview(request, round, row_forms={("edit", pk): form})


@login_required
@require_POST
def assignment_ready(request, slug: str, period: str, pk: int):
    assignment = selectors.assignment_get(user=request.user, slug=slug, period=period, pk=pk)
    round = assignment.round
    ready = request.POST.get("ready") == "1"
    try:
        rounds.assignment_ready_set(actor_or_link=request.user, assignment=assignment, ready=ready)
    except PeriodLocked as locked:
        messages.error(request, str(locked))
    return redirect(_round_url(round, f"reporter-{pk}"))


@login_required
@require_POST
def link_create(request, slug: str, period: str, pk: int):
    assignment = selectors.assignment_get(user=request.user, slug=slug, period=period, pk=pk)
    round = assignment.round
    if not rounds.policies.can_manage_links(request.user, assignment):
        raise PermissionDenied
    form = LinkForm(request.POST, prefix=f"l{pk}")
    if form.is_valid():
        try:
            link, path = rounds.link_create(
                actor=request.user,
                assignment=assignment,
                recipient_name=form.cleaned_data["recipient_name"],
                recipient_email=form.cleaned_data["recipient_email"],
                days=form.cleaned_data["days"],
            )
        except PeriodLocked as locked:
            form.add_error(None, str(locked))
        except ValidationError as error:
            _form_error(form, error)
        else:
            if form.cleaned_data["send"] and link.recipient_email:
                url = request.build_absolute_uri(path)
                rounds.link_send(actor=request.user, link=link, url=url)
                messages.success(
                    request,
                    _("The link was sent to %(email)s.") % {"email": link.recipient_email},
                )
            # POST, then redirect: reloading the page that shows the address makes no new link.
            return redirect("followup:link_created", round.programme.slug, round.period, link.pk)
    return _overview(request, round, row_forms={("link", pk): form})


@login_required
@require_GET
def link_created(request, slug: str, period: str, pk: int):
    """A link's address, to copy: for those who may manage the link, while it can be used."""
    link = selectors.link_get(user=request.user, slug=slug, period=period, pk=pk)
    path = rounds.link_address(actor=request.user, link=link)
    assignment = link.assignment
    context = {
        "programme": assignment.round.programme,
        "round": assignment.round,
        "assignment": assignment,
        "link": link,
        "url": request.build_absolute_uri(path) if path else "",
    }
    return _private(render(request, "followup/link_created.html", context))


@login_required
@require_POST
def link_revoke(request, slug: str, period: str, pk: int):
    link = selectors.link_get(user=request.user, slug=slug, period=period, pk=pk)
    rounds.link_revoke(actor=request.user, link=link)
    messages.success(
        request,
        _("The link for %(name)s was revoked.") % {"name": link.recipient_name},
    )
    return redirect(_round_url(link.assignment.round, f"reporter-{link.assignment_id}"))


# -- the reporter's page behind a link --------------------------------------------------------

_GONE = {"expired": 410, "revoked": 410, "closed": 403, "bad": 404}


def _private(response: HttpResponse) -> HttpResponse:
    """A page with a link's address in it: not indexed, not cached, the address never sent to
    another site.

    `same-origin`, not `no-referrer`: under `no-referrer` a browser sends `Origin: null` with
    the page's own POSTs, and Django's CSRF check refuses them (every form "expired").
    """
    response["Referrer-Policy"] = "same-origin"
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Cache-Control"] = "no-store"
    return response


def _link_or_page(request, token: str):
    found = rounds.link_lookup(token)
    if found.state != "valid" or found.link is None:
        context = {"state": found.state, "link": found.link}
        page = render(request, "followup/link_invalid.html", context, status=_GONE[found.state])
        return None, _private(page)
    return found.link, None


def _slot_prefix(slot) -> str:
    return f"i{slot.indicator.pk}-{slot.period}"


def _slot_fields(slot) -> tuple[str, ...]:
    return FIELDS_OF_KIND.get(slot.indicator.kind, ("number",))


def _slot_item(slot, data, municipality) -> ValueItem | None:
    """The value the form gives for `slot`, or None when nothing was given for a new value."""
    prefix = _slot_prefix(slot)
    fields = _slot_fields(slot)

    def text(name: str) -> str:
        return (data.get(f"{prefix}-{name}") or "").strip()

    values: dict = {}
    given = False
    for name in fields:
        if name == "languages":
            chosen = [code for code in data.getlist(f"{prefix}-languages") if code]
            values["languages"] = chosen
            given = given or bool(chosen)
        elif name == "done":
            choice = text("done")
            values["done"] = {"yes": True, "no": False}.get(choice)
            given = given or bool(choice)
        else:
            raw = text(name)
            values[name] = raw or None
            given = given or bool(raw)
    comment = text("comment")
    given = given or bool(comment)
    if not given and slot.value is None:
        return None
    version = text("version")
    return ValueItem(
        indicator=slot.indicator,
        municipality=municipality,
        period=slot.period,
        values=values,
        comment=comment,
        version=int(version) if version.isdigit() else None,
    )


def _link_context(link, page, *, errors=None, data=None, saved=False) -> dict:
    assignment = link.assignment
    round = assignment.round
    rows = []
    for entry in page:
        slots = []
        for slot in entry.slots:
            prefix = _slot_prefix(slot)
            value = slot.value
            shown = _shown_values(slot, data)
            # The grid's form names the fields: the same labels and choices on both pages.
            grid_form = ValueForm(
                indicator=slot.indicator,
                value=None,
                form_id=prefix,
                language=round.programme.language,
            )
            slots.append(
                {
                    "slot": slot,
                    "prefix": prefix,
                    "fields": _slot_fields(slot),
                    "labels": {name: field.label for name, field in grid_form.fields.items()},
                    "done_choices": getattr(grid_form.fields.get("done"), "choices", []),
                    # A count is a whole number: the phone's keyboard without a comma.
                    "number_inputmode": (
                        grid_form.fields["number"].widget.attrs.get("inputmode", "decimal")
                        if "number" in grid_form.fields
                        else ""
                    ),
                    "shown": shown,
                    "errors": (errors or {}).get(prefix, {}),
                    "version": value.version if value else "",
                }
            )
        rows.append({"action": entry.action, "slots": slots})
    return {
        "link": link,
        "assignment": assignment,
        "round": round,
        "programme": round.programme,
        "rows": rows,
        "content_languages": [
            (code, local_name(code), direction(code)) for code in CONTENT_LANGUAGES
        ],
        "saved": saved,
        "errors": errors,
    }


def _shown_values(slot, data) -> dict:
    """What each input shows: what was posted (after an error), else the stored value."""
    prefix = _slot_prefix(slot)
    if data is not None:
        return {
            "number": data.get(f"{prefix}-number", ""),
            "participants": data.get(f"{prefix}-participants", ""),
            "done": data.get(f"{prefix}-done", ""),
            "done_on": data.get(f"{prefix}-done_on", ""),
            "languages": data.getlist(f"{prefix}-languages"),
            "comment": data.get(f"{prefix}-comment", ""),
        }
    value: Measurement | None = slot.value
    if value is None:
        return {"languages": []}
    number = value.number
    return {
        "number": ""
        if number is None
        else (str(int(number)) if number == int(number) else str(number)),
        "participants": "" if value.participants is None else str(value.participants),
        "done": "" if value.done is None else ("yes" if value.done else "no"),
        "done_on": value.done_on.isoformat() if value.done_on else "",
        "languages": list(value.languages or []),
        "comment": value.comment,
    }


@require_http_methods(["GET", "POST"])
def link_page(request, token: str):
    link, refused = _link_or_page(request, token)
    if refused is not None:
        return refused
    assert link is not None
    page = selectors.link_page(link=link)
    municipality = link.assignment.municipality
    if request.method == "POST":
        slots = [slot for entry in page for slot in entry.slots]
        items, prefixes = [], []
        for slot in slots:
            item = _slot_item(slot, request.POST, municipality)
            if item is not None:
                items.append(item)
                prefixes.append(_slot_prefix(slot))
        try:
            measurement_record_many(
                actor=None, link=link, items=items, source=Measurement.Source.LINK
            )
        except ProblemsFound as found:
            errors: dict[str, dict[str, list[str]]] = {}
            for problem in found.problems:
                index = int(problem.path.split("]")[0].removeprefix("items[") or 0)
                name = problem.field or "value"
                if name not in ("number", "participants", "done", "done_on", "languages"):
                    name = "value"
                errors.setdefault(prefixes[index], {}).setdefault(name, []).append(problem.message)
            context = _link_context(link, page, errors=errors, data=request.POST)
            return _private(render(request, "followup/link.html", context))
        rounds.link_used(link)
        return _private(redirect(f"{request.path}?saved=1"))
    context = _link_context(link, page, saved=request.GET.get("saved") == "1")
    return _private(render(request, "followup/link.html", context))


@require_POST
def link_ready(request, token: str):
    link, refused = _link_or_page(request, token)
    if refused is not None:
        return refused
    assert link is not None
    ready = request.POST.get("ready") == "1"
    rounds.assignment_ready_set(actor_or_link=link, assignment=link.assignment, ready=ready)
    rounds.link_used(link)
    return _private(redirect(reverse("followup:link", args=[token])))
