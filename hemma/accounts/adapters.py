from allauth.account.adapter import DefaultAccountAdapter
from django.urls import reverse

from hemma.accounts.roles import is_reporter_only, is_translator_only


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request) -> bool:
        # Accounts are made by administrators (and `hemma demo`); nobody signs up alone.
        return False

    def get_login_redirect_url(self, request) -> str:
        # An organisation reporter sees no programme: they start where they record.
        if is_reporter_only(request.user):
            return reverse("registries:list")
        # A translator sees only the pages waiting for their language.
        if is_translator_only(request.user):
            return reverse("information:translations")
        return super().get_login_redirect_url(request)
