from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _

from hemma.accounts.models import Membership, User
from hemma.lib.languages import CONTENT_LANGUAGES, local_name
from hemma.organisations.models import Organisation


class OrganisationChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Organisation) -> str:
        # Every region has its own "Kommunen": the region tells them apart.
        return f"{obj.region} – {obj} ({obj.get_kind_display()})"


class MembershipForm(forms.ModelForm):
    """A membership as the roles need it: an organisation reporter reports for one
    organisation of the membership's region; no other role names an organisation. A
    translator translates a region's pages into one language; no other role has one."""

    organisation = OrganisationChoice(
        queryset=Organisation.objects.select_related("region").order_by("region__key", "key"),
        required=False,
        label=_("organisation"),
        help_text=_("Only for a reporter for an organisation: one of the region's."),
    )

    # A translator's one language: a content language, named in itself.
    language = forms.ChoiceField(
        choices=[("", "---------")]
        + [(code, f"{local_name(code)} ({code})") for code in CONTENT_LANGUAGES],
        required=False,
        label=_("language"),
        help_text=_("Only for a translator: the language they translate the region's pages into."),
    )

    class Meta:
        model = Membership
        fields = ["role", "region", "municipality", "organisation", "language"]

    def clean(self):
        data = super().clean()
        role = data.get("role")
        region = data.get("region")
        organisation = data.get("organisation")
        if role == Membership.Role.ORGANISATION_REPORTER:
            if region is None:
                self.add_error("region", _("A reporter reports in the organisation's region."))
            if organisation is None:
                self.add_error("organisation", _("Choose the organisation they report for."))
            elif region is not None and organisation.region_id != region.pk:
                self.add_error(
                    "organisation", _("Choose an organisation of the membership's region.")
                )
        elif role and organisation is not None:
            self.add_error("organisation", _("Only a reporter is tied to an organisation."))
        language = data.get("language")
        if role == Membership.Role.TRANSLATOR:
            if region is None:
                self.add_error("region", _("A translator translates a region's pages."))
            if not language:
                self.add_error("language", _("Choose the language they translate into."))
        elif role and language:
            self.add_error("language", _("Only a translator has a language."))
        return data


class MembershipInline(admin.TabularInline):
    model = Membership
    form = MembershipForm
    extra = 0


@admin.register(User)
class HemmaUserAdmin(UserAdmin):
    inlines = [MembershipInline]
