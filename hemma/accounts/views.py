from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from hemma.accounts import selectors, services
from hemma.accounts.forms import TokenCreateForm


def _me_page(request, *, form: TokenCreateForm, new_token=None, new_secret: str = "", status=200):
    return render(
        request,
        "accounts/me.html",
        {
            "memberships": selectors.membership_list(user=request.user),
            "mfa_enabled": selectors.mfa_enabled(user=request.user),
            "tokens": selectors.token_list(user=request.user),
            "form": form,
            "new_token": new_token,
            "new_secret": new_secret,
        },
        status=status,
    )


@login_required
def me(request):
    return _me_page(request, form=TokenCreateForm())


@never_cache  # the page that shows a new secret must not be kept by the browser or a proxy
@login_required
@require_POST
def token_create(request):
    form = TokenCreateForm(request.POST)
    if not form.is_valid():
        return _me_page(request, form=form, status=400)
    # Rendered, not redirected: the secret is shown this once and stored nowhere.
    token, secret = services.token_create(user=request.user, name=form.cleaned_data["name"])
    return _me_page(request, form=TokenCreateForm(), new_token=token, new_secret=secret)


@login_required
def token_revoke(request, lookup: str):
    token = selectors.token_get(user=request.user, lookup=lookup)
    if request.method == "POST":
        services.token_revoke(token=token, actor=request.user)
        messages.success(request, _("The token “%(name)s” was revoked.") % {"name": token.name})
        return redirect("accounts:me")
    return render(request, "accounts/token_revoke.html", {"token": token})
