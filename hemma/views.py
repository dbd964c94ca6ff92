"""Site-wide views: switching language, and the error pages that need a request to render."""

import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from django.conf import settings
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import translate_url
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.csrf import requires_csrf_token
from django.views.decorators.http import require_POST


def _language_codes() -> set[str]:
    return {code for code, _name in settings.LANGUAGES}


def _swap_prefix(path: str, language: str) -> str | None:
    """`path` with its leading /<code>/ replaced by /<language>/; None if it has no such prefix."""
    match = re.match(r"^/([^/]+)(/|$)", path)
    if match is None or match.group(1) not in _language_codes():
        return None
    return f"/{language}/{path[match.end() :]}"


def _in_language(url: str, language: str) -> str:
    """The same page in the chosen language.

    Django's set_language calls translate_url, which resolves the address under the language
    LocaleMiddleware took from the browser (for /i18n/setlang/ has no prefix): a /sv/ address
    does not resolve under English and comes back unchanged. Hemma's addresses all start with
    their language, so swapping that prefix is enough and does not depend on the browser.
    """
    if not url:
        return f"/{language}/"
    parts = urlsplit(url)
    path = _swap_prefix(parts.path, language)
    if path is None:
        with translation.override(language):
            translated = translate_url(url, language)
        return translated if translated != url else f"/{language}/"
    # The sign-in page carries where to go after signing in: that is in the chosen language too.
    query = [
        (key, (_swap_prefix(value, language) or value) if key == "next" else value)
        for key, value in parse_qsl(parts.query, keep_blank_values=True)
    ]
    return urlunsplit(parts._replace(path=path, query=urlencode(query, safe="/")))


@require_POST
def language_set(request):
    """Remember the chosen language and go to the same page in it (the header's switcher)."""
    language = request.POST.get("language", "")
    next_url = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = ""
    if language not in _language_codes():
        return HttpResponseRedirect(next_url or f"/{settings.LANGUAGE_CODE}/")
    response = HttpResponseRedirect(_in_language(next_url, language))
    # The cookie as Django's set_language sets it: it chooses the language of addresses
    # without one (the bare site address).
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
    return response


def _on_public_site(path: str) -> bool:
    """Whether `path` is the public site's (/<language>/public/…) or its open data's (/data/…),
    as hemma/urls.py places them."""
    parts = path.lstrip("/").split("/")
    if parts[0] == "data":
        return True
    return len(parts) > 1 and parts[0] in _language_codes() and parts[1] == "public"


@requires_csrf_token
def page_not_found(request, exception):
    """Django's page_not_found, but the public site's 404 keeps its layout (`public`).

    The staff layout would lead a reader of the public site to the sign-in page, speak of
    access rights, and set a CSRF cookie with its language form.
    """
    public = _on_public_site(request.path_info)
    return render(request, "404.html", {"public": public}, status=404)


def bad_request(request, exception):
    # Django's own handler renders 400.html without the request, so the page could not show
    # Hemma's header, the signed-in user or the language switcher.
    return render(request, "400.html", status=400)


def csrf_failure(request, reason: str = ""):
    """settings.CSRF_FAILURE_VIEW: a form that expired (or was posted from elsewhere)."""
    return render(request, "403_csrf.html", status=403)
