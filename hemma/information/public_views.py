"""The public information sites, at /info/<site>/ (public_urls.py): no login, no cookie.

    /info/<site>/                                the languages the site has pages in
    /info/<site>/<language>/                     its pages in one language, by topic; ?q= ?topic=
    /info/<site>/<language>/<page>/              a page
    /info/<site>/<language>/<page>/files/<key>/<name>   a file of the page, to download
    /info/<site>/images/<key>/                   a picture's image

Every page is in the language of its address: `<html lang dir>` are the content's, whatever
the browser or a staff member's cookie says. The pages' own words (navigation, search, topic
names, the notice, dates) are in the page's language where its catalogue has them
(hemma.lib.languages.RESIDENT_LANGUAGES), else in English, each element of them marked
lang="en" dir="ltr" (hemma/information/interface_words.py, `{% ui %}` in the templates).

No response sets a cookie: the layout (information/public/base.html) has no form that posts,
so no CSRF token; nothing reads the session or messages; a 404 under /info/ is this app's,
in the same layout (Hemma's own 404 page has a language form with a CSRF cookie). Every
response sends no referrer. The site's languages and a language's index are cached for five
minutes; a page and a file are counted on each view (hemma/information/uses.py explains how
counting and caching go together).
"""

import hashlib
from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    HttpResponsePermanentRedirect,
)
from django.shortcuts import render
from django.urls import Resolver404, resolve
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.translation.trans_real import parse_accept_lang_header
from django.views.decorators.http import require_safe

from hemma.information import interface_words, uses
from hemma.information import public_selectors as selectors
from hemma.information.models import Site
from hemma.lib.languages import CONTENT_LANGUAGES, RESIDENT_LANGUAGES, direction

# How long a page that counts nothing may be kept by a browser or a shared cache.
MAX_AGE = 300
# An image's address names one upload, which never changes: it may be kept longer.
IMAGE_MAX_AGE = 3600


def _public(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """The headers of every public response, and the public 404."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponseBase:
        try:
            response = view(request, *args, **kwargs)
        except Http404:
            response = _not_found(request, kwargs.get("language") or "", kwargs.get("site") or "")
        response["Referrer-Policy"] = "no-referrer"
        response["X-Content-Type-Options"] = "nosniff"
        return response

    # The views only read (GET and HEAD), so a CSRF check has nothing to protect; without it a
    # POST gets this app's 405, not the CSRF failure page, whose layout sets a cookie.
    wrapped.csrf_exempt = True  # type: ignore[attr-defined]
    return wrapped


def _render(
    request: HttpRequest, template: str, context: dict, *, language: str, status: int = 200
) -> HttpResponse:
    # A word the page's language lacks is English, not Swedish (Django's fallback).
    with interface_words.page_words(language):
        response = render(
            request,
            template,
            {**context, "language": language, "direction": direction(language)},
            status=status,
        )
    # LocaleMiddleware would name the interface's language, not the page's.
    response["Content-Language"] = language
    return response


def _not_found(request: HttpRequest, language: str, site_slug: str) -> HttpResponse:
    """The public 404: in the address's language if it is one, else the browser's."""
    if language not in CONTENT_LANGUAGES:
        language = _browser_language(request, list(RESIDENT_LANGUAGES)) or settings.LANGUAGE_CODE
    site = Site.objects.select_related("municipality", "region").filter(slug=site_slug).first()
    response = _render(
        request,
        "information/public/not_found.html",
        {"site": site, "name": selectors.site_name(site, language) if site else None},
        language=language,
        status=404,
    )
    patch_cache_control(response, public=True, max_age=MAX_AGE)
    return response


def _browser_language(request: HttpRequest, offered: list[str]) -> str | None:
    """The first of the browser's languages (Accept-Language) that is offered."""
    for code, _quality in parse_accept_lang_header(request.headers.get("Accept-Language", "")):
        base = code.split("-")[0].lower()
        if base in offered:
            return base
    return None


def _cached(response: HttpResponse) -> HttpResponse:
    patch_cache_control(response, public=True, max_age=MAX_AGE)
    return response


def _counted(request: HttpRequest, response: HttpResponse, etag: str) -> HttpResponseBase:
    """A response that is counted on every view: a cache keeps it, but asks each time (and
    gets "304 Not Modified" while it is unchanged). See hemma/information/uses.py."""
    response["ETag"] = etag
    patch_cache_control(response, public=True, no_cache=True)
    conditional = get_conditional_response(request, etag=etag, response=response)
    return response if conditional is None else conditional


@_public
@require_safe
def languages(request: HttpRequest, site: str) -> HttpResponseBase:
    """The site's languages, each named in itself; the browser's first, if it is one."""
    found = selectors.site_get(slug=site)
    codes = selectors.site_languages(site=found)
    if not codes:
        raise Http404
    preferred = _browser_language(request, codes)
    if preferred:
        codes = [preferred, *(code for code in codes if code != preferred)]
    language = (
        codes[0]
        if preferred
        else (found.source_language if found.source_language in codes else codes[0])
    )
    response = _render(
        request,
        "information/public/languages.html",
        {
            "site": found,
            "name": selectors.site_name(found, language),
            "links": [selectors.language_link(code) for code in codes],
        },
        language=language,
    )
    patch_vary_headers(response, ("Accept-Language",))
    return _cached(response)


@_public
@require_safe
def index(request: HttpRequest, site: str, language: str) -> HttpResponseBase:
    """The site's pages in one language by topic, one topic (?topic=), or a search (?q=)."""
    found = selectors.site_get(slug=site)
    shown = selectors.site_index(
        site=found,
        language=language,
        topic=request.GET.get("topic", ""),
        query=request.GET.get("q", ""),
    )
    return _cached(
        _render(
            request,
            "information/public/index.html",
            {
                "site": found,
                "name": selectors.site_name(found, language),
                "index": shown,
                "query": shown.query,
                "searchable": True,
            },
            language=language,
        )
    )


@_public
@require_safe
def page(request: HttpRequest, site: str, language: str, page: str) -> HttpResponseBase:
    """A page in one language; each view is counted."""
    read = selectors.page_read(site_slug=site, language=language, page_slug=page)
    uses.use_record(page=read.page, language=language, kind=uses.VIEW, request=request)
    response = _render(
        request,
        "information/public/page.html",
        {
            "site": read.site,
            "name": selectors.site_name(read.site, language),
            "shown": read,
            "page": read.page,
            "version": read.version,
            "searchable": True,
        },
        language=language,
    )
    etag = f'"{hashlib.sha256(response.content).hexdigest()[:32]}"'
    return _counted(request, response, etag)


@_public
@require_safe
def image(request: HttpRequest, site: str, key: str) -> HttpResponseBase:
    """A picture's image, if its page is published in a language."""
    upload = selectors.image_get(site_slug=site, key=key)
    response = FileResponse(upload.file.open("rb"), content_type=upload.content_type)
    response["Content-Disposition"] = f'inline; filename="{upload.name}"'
    patch_cache_control(response, public=True, max_age=IMAGE_MAX_AGE)
    return response


@_public
@require_safe
def file(
    request: HttpRequest, site: str, language: str, page: str, key: str, name: str
) -> HttpResponseBase:
    """A file of the page's version in the language, to download; each download is
    counted."""
    found, upload = selectors.file_get(
        site_slug=site, language=language, page_slug=page, key=key, name=name
    )
    uses.use_record(page=found, language=language, kind=uses.DOWNLOAD, request=request)
    # An upload never changes: its key is its version.
    etag = f'"{upload.key}"'
    not_modified = get_conditional_response(request, etag=etag)
    if not_modified is not None:
        patch_cache_control(not_modified, public=True, no_cache=True)
        return not_modified
    response = FileResponse(
        upload.file.open("rb"),
        as_attachment=True,
        filename=upload.name,
        content_type=upload.content_type,
    )
    response["ETag"] = etag
    patch_cache_control(response, public=True, no_cache=True)
    return response


@_public
@require_safe
def not_found(request: HttpRequest, *args, **kwargs) -> HttpResponseBase:
    """Any other address under /info/: this 404 sets no cookie either. An address that lacks
    only its last slash is sent to the one with it (as CommonMiddleware would, were this
    catch-all not an address of its own)."""
    path = request.path_info
    if not path.endswith("/"):
        try:
            match = resolve(f"{path}/")
        except Resolver404:
            match = None
        if match is not None and match.url_name:
            query = request.META.get("QUERY_STRING", "")
            return HttpResponsePermanentRedirect(f"{request.path}/{'?' if query else ''}{query}")
    raise Http404
