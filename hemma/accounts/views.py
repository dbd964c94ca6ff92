from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from hemma.accounts import selectors, services
from hemma.accounts.forms import TokenCreateForm

# The session key that carries a new token's secret from the POST to the one page showing it.
_JUST_CREATED = "hemma.accounts.just_created"


def _me_page(request, *, form: TokenCreateForm, new_token=None, status=200):
    return render(
        request,
        "accounts/me.html",
        {
            "memberships": selectors.membership_list(user=request.user),
            "mfa_enabled": selectors.mfa_enabled(user=request.user),
            "tokens": selectors.token_list(user=request.user),
            "form": form,
            "new_token_name": new_token["name"] if new_token else "",
            "new_secret": new_token["secret"] if new_token else "",
        },
        status=status,
    )


@never_cache  # the page may show a new secret: neither the browser nor a proxy may keep it
@login_required
def me(request):
    # Popped, so the secret is shown exactly once: reloading the page shows it no more.
    new_token = request.session.pop(_JUST_CREATED, None)
    return _me_page(request, form=TokenCreateForm(), new_token=new_token)


@never_cache
@login_required
@require_POST
def token_create(request):
    form = TokenCreateForm(request.POST)
    if not form.is_valid():
        return _me_page(request, form=form, status=400)
    token, secret = services.token_create(user=request.user, name=form.cleaned_data["name"])
    # Post/redirect/get, so that reloading the page makes no second token. The secret waits in
    # the (server-side) session until the next page view shows it, and no longer.
    request.session[_JUST_CREATED] = {"name": token.name, "secret": secret}
    return redirect("accounts:me")


@login_required
def token_revoke(request, lookup: str):
    token = selectors.token_get(user=request.user, lookup=lookup)
    if request.method == "POST":
        services.token_revoke(token=token, actor=request.user)
        messages.success(request, _("The token “%(name)s” was revoked.") % {"name": token.name})
        return redirect("accounts:me")
    return render(request, "accounts/token_revoke.html", {"token": token})
