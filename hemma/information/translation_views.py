"""A page's language versions: writing the source, translating it, publishing and withdrawing a
language, previewing it, and the list of what waits to be translated.

Whoever sees the page reads its version page and preview (translation_selectors.version_get:
any other page is a 404); who may write the language (policies.can_translate: the site's
coordinators every language, a translator only theirs and never the source) saves, publishes
and withdraws it; a write by anyone else is 403. A translator's landing page is the list
(hemma/accounts/adapters.py).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from hemma.information import public_selectors, services, uploads
from hemma.information import translation_selectors as selectors
from hemma.information.translation_forms import VersionForm
from hemma.lib.forms import refusal_show


def _version_url(found: selectors.VersionPage) -> str:
    return reverse("information:version", args=[found.site.slug, found.page.slug, found.language])


def _back(request, found: selectors.VersionPage) -> str:
    """Where a publish or withdraw button came from (`next`, on this host only), else the
    version page."""
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    if wanted and url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return wanted
    return _version_url(found)


@login_required
@require_GET
def translations(request):
    """What waits to be translated, for a translator their language; for a coordinator every
    language of the sites they change (`?language=` narrows it to one)."""
    found = selectors.translation_list(user=request.user, language=request.GET.get("language", ""))
    return render(
        request,
        "information/translations.html",
        {
            "found": found,
        },
    )


def _version_page(request, found, form, status=200):
    return render(
        request,
        "information/version_form.html",
        {
            "found": found,
            "form": form,
            "language_name": selectors.language_name(found.language),
            "source_name": selectors.language_name(found.site.source_language),
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def version(request, site: str, page: str, language: str):
    found = selectors.version_get(user=request.user, site=site, page=page, language=language)
    if request.method == "GET":
        return _version_page(
            request, found, VersionForm(found=found, initial=selectors.texts_initial(found))
        )
    if not found.can_write:
        raise PermissionDenied
    form = VersionForm(request.POST, request.FILES, found=found)
    if form.is_valid():
        try:
            _save(request, found, form)
        except ValidationError as error:
            refusal_show(form, error)
        else:
            messages.success(
                request,
                _("The %(language)s words of the page were saved.")
                % {"language": selectors.language_name(found.language)},
            )
            return redirect(_version_url(found))
    return _version_page(request, found, form, status=400)


def _save(request, found: selectors.VersionPage, form: VersionForm) -> None:
    """A new PDF of this language is kept only if the words are saved with it."""
    with transaction.atomic():
        texts = form.texts()
        for key, file in form.new_files().items():
            upload = uploads.document_store(actor=request.user, page=found.page, file=file)
            texts[key]["upload"] = upload.key
        services.version_save(
            actor=request.user,
            page=found.page,
            language=found.language,
            title=form.cleaned_data["title"],
            summary=form.cleaned_data.get("summary", ""),
            texts=texts,
            source_revision=form.cleaned_data.get("source_revision"),
        )


@login_required
@require_POST
def version_publish(request, site: str, page: str, language: str):
    found = selectors.version_get(user=request.user, site=site, page=page, language=language)
    if not found.can_write:
        raise PermissionDenied
    name = selectors.language_name(found.language)
    if found.version is None:
        messages.error(
            request, _("The page has no words in %(language)s yet.") % {"language": name}
        )
        return redirect(_back(request, found))
    try:
        services.version_publish(
            actor=request.user,
            version=found.version,
            outdated_ok=bool(request.POST.get("outdated_ok")),
        )
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
    else:
        messages.success(request, _("The page was published in %(language)s.") % {"language": name})
    return redirect(_back(request, found))


@login_required
@require_POST
def version_withdraw(request, site: str, page: str, language: str):
    found = selectors.version_get(user=request.user, site=site, page=page, language=language)
    if not found.can_write:
        raise PermissionDenied
    if found.version is not None:
        services.version_withdraw(actor=request.user, version=found.version)
        messages.success(
            request,
            _("The page was taken off the public site in %(language)s.")
            % {"language": selectors.language_name(found.language)},
        )
    return redirect(_back(request, found))


@login_required
@require_GET
def preview(request, site: str, page: str, language: str):
    """The language's saved words as the public will read them; nothing is counted (this is
    not the public view, hemma/information/uses.py)."""
    found = selectors.version_get(user=request.user, site=site, page=page, language=language)
    if found.version is None or found.version.revision == 0:
        raise Http404
    return render(
        request,
        "information/preview.html",
        {
            "found": found,
            "site": found.site,
            "page": found.page,
            "version": found.version,
            "language": found.language,
            "rtl": found.rtl,
            "language_name": selectors.language_name(found.language),
            # The public page's blocks (information/public/_blocks.html), with the staff's
            # addresses of the images and files: the page may not be public yet.
            "blocks": public_selectors.blocks_for_display(
                page=found.page, blocks=found.blocks, version=found.version, preview=True
            ),
            # Their own words ("Phone", a file's size) are the public page's: in the language
            # where its catalogue has them, else English, marked so (`{% ui %}`).
        },
    )
