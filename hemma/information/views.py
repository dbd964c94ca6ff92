"""The information hub's staff pages: the sites, a site's pages, a page's overview, its blocks,
files and distribution (language versions and publishing: translation_views.py).

Plain forms that post and redirect. A selector loads and authorises in one step
(hemma/information/selectors.py): a site or page the user may not see is a 404, a change they
may not make a 403. A translator reads the overview of a page in their language and changes
nothing here. A service's refusal shows as a form error at its field.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from hemma.information import forms, policies, selectors, services, translations
from hemma.information.models import Block, Page, Site, Upload
from hemma.lib import periods
from hemma.lib.forms import form_saved as _saved
from hemma.lib.languages import direction, local_name


def _page_url(page: Page, anchor: str = "") -> str:
    url = reverse("information:page", args=[page.site.slug, page.slug])
    return f"{url}#{anchor}" if anchor else url


def _words_url(page: Page, block: Block) -> str:
    """Where a block's words are edited: its place on the source language's version page."""
    site = page.site
    url = reverse("information:version", args=[site.slug, page.slug, site.source_language])
    return f"{url}#block-{block.key}"


def _language(code: str) -> dict:
    return {"code": code, "name": local_name(code), "dir": direction(code)}


# -- sites -------------------------------------------------------------------------------------


@login_required
@require_GET
def sites(request):
    groups = selectors.site_list(user=request.user)
    for group in groups:
        for each in group.sites:
            each.language_list = [_language(code) for code in each.languages]  # type: ignore[attr-defined]
        # Where a region's value of an information indicator comes from (followup.grid).
        group.figures = _figures(request, group.sites)  # type: ignore[attr-defined]
    return render(
        request,
        "information/sites.html",
        {
            "groups": groups,
            "can_create": bool(selectors.site_places(user=request.user)),
        },
    )


def _period(request) -> periods.Period | None:
    """The follow-up period asked for (`?period=2025`), whose counts a page shows; None."""
    try:
        return periods.parse(request.GET.get("period", ""))
    except periods.InvalidPeriod:
        return None


@login_required
@require_http_methods(["GET", "POST"])
def site_create(request):
    places = selectors.site_places(user=request.user)
    if not places:
        raise PermissionDenied
    form = forms.SiteCreateForm(request.POST or None, places=places)
    created: list[Site] = []
    if request.method == "POST" and _saved(
        form,
        lambda: created.append(
            services.site_create(
                actor=request.user,
                region=form.cleaned_data["place"].region,
                municipality=form.cleaned_data["place"].municipality,
                slug=form.cleaned_data["slug"],
                source_language=form.cleaned_data["source_language"],
                languages=form.cleaned_data["languages"],
            )
        ),
    ):
        messages.success(request, _("The site was made. Add its first page."))
        return redirect("information:site", created[0].slug)
    return render(request, "information/site_form.html", {"form": form, "site": None})


@login_required
@require_GET
def site(request, site: str):
    found = selectors.site_get(user=request.user, slug=site)
    topic = request.GET.get("topic", "")
    state = request.GET.get("state", "")
    language = request.GET.get("language", "")
    query = request.GET.get("q", "")
    rows = selectors.site_pages(
        user=request.user,
        site=found,
        topic=topic if topic in Page.Topic.values else "",
        state=state if state in dict(selectors.STATE_FILTERS) else "",
        language=language if language in found.languages else "",
        query=query[:200],
    )
    return render(
        request,
        "information/site.html",
        {
            "site": found,
            "rows": rows,
            "languages": [_language(code) for code in found.languages],
            "topics": Page.Topic.choices,
            "state_filters": selectors.STATE_FILTERS,
            "chosen": {"topic": topic, "state": state, "language": language, "q": query},
            "filtered": any((topic, state, language, query)),
            "can_edit": policies.can_edit_site(request.user, found),
            "figures": _figures(request, [found]),
        },
    )


def _figures(request, sites: list[Site]) -> selectors.PeriodFigures | None:
    period = _period(request)
    if period is None:
        return None
    return selectors.period_figures(sites=sites, period=period, languages=request.GET.getlist("in"))


@login_required
@require_http_methods(["GET", "POST"])
def site_edit(request, site: str):
    found = selectors.site_get(user=request.user, slug=site, edit=True)
    form = forms.SiteEditForm(request.POST or None, site=found)
    if request.method == "POST" and _saved(
        form,
        lambda: services.site_update(
            actor=request.user, site=found, languages=form.cleaned_data["languages"]
        ),
    ):
        messages.success(request, _("The site's languages were saved."))
        return redirect("information:site", found.slug)
    return render(request, "information/site_form.html", {"form": form, "site": found})


# -- pages -------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def page_create(request, site: str):
    found = selectors.site_get(user=request.user, slug=site, edit=True)
    form = forms.PageForm(request.POST or None, site=found)
    created: list[Page] = []
    if request.method == "POST" and _saved(
        form,
        lambda: created.append(
            services.page_create(
                actor=request.user,
                site=found,
                title=form.cleaned_data["title"],
                summary=form.cleaned_data["summary"],
                **form.attributes(),
            )
        ),
    ):
        messages.success(request, _("The page was made. Add its blocks."))
        return redirect(_page_url(created[0]))
    return render(
        request, "information/page_form.html", {"form": form, "site": found, "page": None}
    )


@login_required
@require_GET
def page(request, site: str, page: str):
    found = selectors.page_get(user=request.user, site=site, page=page)
    overview = selectors.page_overview(page=found)
    can_edit = policies.can_edit_site(request.user, found.site)
    languages = [
        {
            **_language(state.language),
            "state": state,
            "can_write": policies.can_translate(request.user, found, state.language),
            # Already published (outdated or not) it stays so until withdrawn.
            "can_publish": state.version is not None
            and state.state != translations.MISSING
            and not state.published,
        }
        for state in overview.states
    ]
    return render(
        request,
        "information/page.html",
        {
            "site": found.site,
            "page": found,
            "overview": overview,
            "languages": languages,
            "source": _language(found.site.source_language),
            "can_edit": can_edit,
            "block_kinds": Block.Kind.choices,
            "last_position": len(overview.blocks) - 1,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def page_edit(request, site: str, page: str):
    found = selectors.page_get(user=request.user, site=site, page=page, edit=True)
    form = forms.PageForm(request.POST or None, site=found.site, page=found)
    if request.method == "POST" and _saved(
        form,
        lambda: services.page_update(
            actor=request.user,
            page=found,
            **form.attributes(),
        ),
    ):
        messages.success(request, _("The page was saved."))
        return redirect(_page_url(found))
    return render(
        request, "information/page_form.html", {"form": form, "site": found.site, "page": found}
    )


def _confirm(request, page: Page, context: dict):
    """The page that asks before something of `page` is deleted (confirm_delete.html)."""
    return render(
        request, "information/confirm_delete.html", {"site": page.site, "page": page, **context}
    )


@login_required
@require_http_methods(["GET", "POST"])
def page_delete(request, site: str, page: str):
    """Delete a page never published; one that was is refused, with what to do instead."""
    found = selectors.page_get(user=request.user, site=site, page=page, edit=True)
    if request.method == "POST":
        try:
            services.page_delete(actor=request.user, page=found)
        except ValidationError as error:
            for text in error.messages:
                messages.error(request, text)
            return redirect(_page_url(found, "languages"))
        messages.success(request, _("The page was deleted."))
        return redirect("information:site", found.site.slug)
    return _confirm(
        request,
        found,
        {
            "heading": _("Delete the page?"),
            "what": _(
                "The page is deleted with its blocks, its words in every language, its files "
                "and its distribution records. This cannot be undone."
            ),
            "refused": services.page_delete_refusal(found),
            "submit_label": _("Delete the page"),
            "cancel_url": _page_url(found),
            "back_url": _page_url(found, "languages"),
        },
    )


# -- blocks ------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def block_add(request, site: str, page: str, kind: str):
    found = selectors.page_get(user=request.user, site=site, page=page, edit=True)
    if kind not in Block.Kind.values:
        raise Http404
    form = forms.BlockForm(
        request.POST or None,
        request.FILES or None,
        kind=kind,
        source_language=found.site.source_language,
        new=True,
    )
    created: list[Block] = []

    def save() -> None:
        parts = form.parts()
        if form.multipart:
            created.append(
                services.block_add_with_file(
                    actor=request.user,
                    page=found,
                    kind=kind,
                    file=form.cleaned_data["file"],
                    texts=form.texts(),
                )
            )
        else:
            created.append(
                services.block_add(
                    actor=request.user,
                    page=found,
                    kind=kind,
                    texts=form.texts(),
                    url=parts.get("url", ""),
                    phone=parts.get("phone", ""),
                    email=parts.get("email", ""),
                )
            )

    if request.method == "POST" and _saved(form, save):
        messages.success(request, _("The block was added."))
        return redirect(_page_url(found, f"block-{created[0].key}"))
    return render(
        request,
        "information/block_form.html",
        {
            "site": found.site,
            "page": found,
            "form": form,
            "edited": None,
            "kind_label": Block.Kind(kind).label,
            "source": _language(found.site.source_language),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def block_edit(request, site: str, page: str, key: str):
    block = selectors.block_get(user=request.user, site=site, page=page, key=key)
    found = block.page
    if block.kind == Block.Kind.TEXT:
        # A text block is only its words: they are edited in the source language's editor.
        return redirect(_words_url(found, block))
    form = forms.BlockForm(
        request.POST or None,
        request.FILES or None,
        kind=block.kind,
        source_language=found.site.source_language,
        new=False,
        initial={"url": block.url, "phone": block.phone, "email": block.email},
    )

    def save() -> None:
        # The block's parts and its new file, both or neither.
        with transaction.atomic():
            parts = form.parts()
            services.block_update(
                actor=request.user,
                block=block,
                url=parts.get("url"),
                phone=parts.get("phone"),
                email=parts.get("email"),
            )
            if form.cleaned_data.get("file"):
                services.block_replace_file(
                    actor=request.user, block=block, file=form.cleaned_data["file"]
                )

    if request.method == "POST" and form.fields and _saved(form, save):
        messages.success(request, _("The block was saved."))
        return redirect(_page_url(found, f"block-{block.key}"))
    return render(
        request,
        "information/block_form.html",
        {
            "site": found.site,
            "page": found,
            "form": form,
            "edited": block,
            "version_url": _words_url(found, block),
            "kind_label": block.get_kind_display(),
            "source": _language(found.site.source_language),
        },
    )


@login_required
@require_POST
def block_move(request, site: str, page: str, key: str):
    block = selectors.block_get(user=request.user, site=site, page=page, key=key)
    direction = request.POST.get("direction")
    if direction not in ("up", "down"):
        raise Http404
    services.block_move(actor=request.user, block=block, up=direction == "up")
    return redirect(_page_url(block.page, f"block-{block.key}"))


@login_required
@require_http_methods(["GET", "POST"])
def block_delete(request, site: str, page: str, key: str):
    block = selectors.block_get(user=request.user, site=site, page=page, key=key)
    found = block.page
    if request.method == "POST":
        services.block_delete(actor=request.user, block=block)
        messages.success(request, _("The block was removed."))
        return redirect(_page_url(found, "blocks"))
    return _confirm(
        request,
        found,
        {
            "heading": _("Remove the block?"),
            "what": _(
                "The %(kind)s block and its words in every language are removed. Its "
                "translations are then marked outdated."
            )
            % {"kind": block.get_kind_display().lower()},
            "cancel_url": _page_url(found, f"block-{block.key}"),
        },
    )


# -- files -------------------------------------------------------------------------------------


@login_required
@require_GET
def file(request, site: str, page: str, key: str):
    """An image or document of the page, for whoever may see the page (drafts too): never
    guessed at by the browser, never run as a page of its own."""
    upload = selectors.upload_get(user=request.user, site=site, page=page, key=key)
    try:
        stream = upload.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        stream,
        as_attachment=upload.kind == Upload.Kind.DOCUMENT,
        filename=upload.name,
        content_type=upload.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'"
    response["Cache-Control"] = "private, no-store"
    return response


# -- distribution ------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def distribution_add(request, site: str, page: str):
    found = selectors.page_get(user=request.user, site=site, page=page, edit=True)
    form = forms.DistributionForm(request.POST or None, page=found)
    if request.method == "POST" and _saved(
        form,
        lambda: services.distribution_record(
            actor=request.user,
            page=found,
            channel=form.cleaned_data["channel"],
            starts_on=form.cleaned_data["starts_on"],
            ends_on=form.cleaned_data["ends_on"],
            languages=form.cleaned_data["languages"],
            place=form.cleaned_data["place"],
            copies=form.cleaned_data["copies"],
            partner=form.cleaned_data["partner"],
            note=form.cleaned_data["note"],
        ),
    ):
        messages.success(request, _("The distribution was recorded."))
        return redirect(_page_url(found, "distribution"))
    return render(
        request,
        "information/distribution_form.html",
        {"site": found.site, "page": found, "form": form},
    )


@login_required
@require_http_methods(["GET", "POST"])
def distribution_delete(request, site: str, page: str, pk: int):
    distribution = selectors.distribution_get(user=request.user, site=site, page=page, pk=pk)
    found = distribution.page
    if request.method == "POST":
        services.distribution_delete(actor=request.user, distribution=distribution)
        messages.success(request, _("The distribution was removed."))
        return redirect(_page_url(found, "distribution"))
    return _confirm(
        request,
        found,
        {
            "heading": _("Remove the distribution?"),
            "what": _("%(channel)s from %(date)s")
            % {
                "channel": distribution.get_channel_display(),
                "date": distribution.starts_on.isoformat(),
            },
            "cancel_url": _page_url(found, "distribution"),
        },
    )
