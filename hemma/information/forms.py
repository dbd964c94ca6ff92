"""Forms of the information hub's staff pages: they check input; hemma/information/services.py
changes things (and refuses, naming the field, what the form cannot know: a taken address,
an owner of another region).

Languages are offered as checkboxes named in their own language (marked with its `lang` and
`dir`) and in the page's language, the source language first.
"""

from django import forms
from django.forms.models import ModelChoiceIterator
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from hemma.information import selectors, services
from hemma.information.models import Block, Distribution, Page, Site
from hemma.lib.languages import CONTENT_LANGUAGES, direction, language_name, local_name
from hemma.lib.templatetags import text as marked
from hemma.lib.texts import pick
from hemma.organisations.models import Organisation


def language_choice_label(code: str):
    """ "العربية – Arabic": the language's own name, marked as in it, and its name in the
    page's language."""
    return format_html(
        '<span lang="{}" dir="{}">{}</span> – {}',
        code,
        direction(code),
        local_name(code),
        language_name(code),
    )


def language_choices(codes, source: str = "") -> list[tuple[str, str]]:
    ordered = list(dict.fromkeys([*([source] if source else []), *codes]))
    return [(code, language_choice_label(code)) for code in ordered]


class LanguagesField(forms.MultipleChoiceField):
    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Languages"))
        kwargs.setdefault("widget", forms.CheckboxSelectMultiple(attrs={"class": "choices"}))
        super().__init__(**kwargs)


_SLUG_HELP = _("Small letters, digits and dashes, as it is to show in the address.")


class AddressField(forms.CharField):
    """A site's or page's address: small letters a–z, digits and hyphens, one message for
    anything else (services.validate_address; Django's SlugField would take capitals)."""

    default_validators = [services.validate_address]

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Address"))
        kwargs.setdefault("max_length", 80)
        kwargs.setdefault("help_text", _SLUG_HELP)
        super().__init__(**kwargs)


class _ByName(ModelChoiceIterator):
    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        choices = (self.choice(obj) for obj in self.queryset)
        yield from sorted(choices, key=lambda choice: str(choice[1]).casefold())


class OrganisationChoiceField(forms.ModelChoiceField):
    """The region's organisations by their name in the page's language (else the site's
    source language), in alphabetical order, not by their keys."""

    iterator = _ByName

    def __init__(self, *, language: str = "", **kwargs):
        super().__init__(queryset=Organisation.objects.none(), **kwargs)
        self.language = language

    def label_from_instance(self, obj):
        return pick(obj.name, fallback=self.language) or obj.key


# -- sites -------------------------------------------------------------------------------------


class SiteCreateForm(forms.Form):
    place = forms.ChoiceField(
        label=_("For"),
        help_text=_("A municipality of your region that has no site yet, or the region itself."),
    )
    slug = AddressField()
    source_language = forms.ChoiceField(
        label=_("Source language"),
        initial="sv",
        help_text=_("The language pages are written in first; the others translate it."),
    )
    languages = LanguagesField(
        required=False,
        help_text=_("The languages relevant to the residents; the source language is always one."),
    )

    def __init__(self, *args, places: list[selectors.SitePlace], **kwargs):
        super().__init__(*args, **kwargs)
        self.places = {place.value: place for place in places}
        self.fields["place"].choices = [  # type: ignore[attr-defined]
            (
                place.value,
                pick(place.municipality.name) if place.municipality else pick(place.region.name),
            )
            for place in places
        ]
        self.fields["source_language"].choices = [  # type: ignore[attr-defined]
            (code, f"{language_name(code)} – {local_name(code)}") for code in CONTENT_LANGUAGES
        ]
        self.fields["languages"].choices = language_choices(CONTENT_LANGUAGES, "sv")  # type: ignore[attr-defined]
        self.initial.setdefault("languages", ["sv", "fi", "en"])

    def clean_place(self) -> selectors.SitePlace:
        return self.places[self.cleaned_data["place"]]


class SiteEditForm(forms.Form):
    languages = LanguagesField(
        required=False,
        help_text=_("The languages relevant to the residents; the source language is always one."),
    )

    def __init__(self, *args, site: Site, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["languages"].choices = language_choices(  # type: ignore[attr-defined]
            CONTENT_LANGUAGES, site.source_language
        )
        self.initial.setdefault("languages", site.languages)


# -- pages -------------------------------------------------------------------------------------


class PageForm(forms.Form):
    """A page's attributes; on create, also its source-language title and summary."""

    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        help_text=_("In the source language; translators write the other languages."),
    )
    summary = forms.CharField(
        label=_("Summary"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One or two sentences that say what the page is about."),
    )
    slug = AddressField()
    kind = forms.ChoiceField(label=_("Kind"), choices=Page.Kind.choices)
    topic = forms.ChoiceField(label=_("Topic"), choices=Page.Topic.choices)
    owner = OrganisationChoiceField(
        label=_("Owner"),
        help_text=_("The organisation that answers for the material."),
    )
    actions = forms.MultipleChoiceField(
        label=_("Actions served"),
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "choices"}),
        help_text=_("The actions of the programme the material serves."),
    )
    languages = LanguagesField(
        required=False,
        help_text=_("The languages the page is to be in; the source language is always one."),
    )

    # The page's attributes, as page_create and page_update take them.
    ATTRIBUTES = ("slug", "kind", "topic", "owner", "actions", "languages")

    def __init__(self, *args, site: Site, page: Page | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.site = site
        if page is not None:
            # The words are edited on each language's page.
            del self.fields["title"], self.fields["summary"]
            self.initial.update(
                slug=page.slug,
                kind=page.kind,
                topic=page.topic,
                owner=page.owner_id,
                actions=[str(pk) for pk in page.actions.values_list("pk", flat=True)],
                languages=page.languages,
            )
        else:
            self.initial.setdefault("languages", site.languages)
        source = site.source_language
        owner = self.fields["owner"]
        owner.queryset = selectors.owner_choices(site)  # type: ignore[attr-defined]
        owner.language = source  # type: ignore[attr-defined]
        self._actions = {}
        grouped = []
        for programme, actions in selectors.action_choices(site):
            choices = []
            for action in actions:
                self._actions[str(action.pk)] = action
                label = marked(action.title, programme.language) or action.key
                choices.append((str(action.pk), label))
            grouped.append((marked(programme.title, programme.language), choices))
        actions_field = self.fields["actions"]
        actions_field.choices = grouped  # type: ignore[attr-defined]
        # programmes/_form_fields.html folds a long list of checkboxes into a <details>.
        actions_field.collapsed = sum(len(c) for _p, c in grouped) > 8  # type: ignore[attr-defined]
        self.fields["languages"].choices = language_choices(  # type: ignore[attr-defined]
            CONTENT_LANGUAGES, source
        )

    def attributes(self) -> dict:
        """The page's attributes as cleaned (ATTRIBUTES)."""
        return {name: self.cleaned_data[name] for name in self.ATTRIBUTES}

    def clean_actions(self):
        return [self._actions[pk] for pk in self.cleaned_data["actions"]]


# -- blocks ------------------------------------------------------------------------------------

IMAGE_ACCEPT = "image/jpeg,image/png,image/webp,image/gif"


class BlockForm(forms.Form):
    """A block's fields by kind: its language-free parts (an address, a phone number, an image
    or a file) and, when it is added, its words in the source language. `texts()` and
    `parts()` give them to the service."""

    # The fields that are words (in the source language), by kind; the rest are the block's.
    WORDS: dict[str, tuple[str, ...]] = {
        Block.Kind.TEXT: ("html",),
        Block.Kind.PICTURE: ("caption", "alt"),
        Block.Kind.CONTACT: ("name", "details"),
        Block.Kind.LINK: ("label",),
        Block.Kind.FILE: ("label",),
    }

    def __init__(self, *args, kind: str, source_language: str, new: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        self.new = new
        text = {"lang": source_language, "dir": direction(source_language)}
        fields: dict[str, forms.Field] = {}
        if kind == Block.Kind.TEXT:
            fields["html"] = forms.CharField(
                label=_("Text"),
                widget=forms.Textarea(attrs={**text, "rows": 12, "data-editor": ""}),
                help_text=_(
                    "Paragraphs, headings, lists, bold, italics and links are kept; anything "
                    "else is removed when it is saved."
                ),
            )
        elif kind == Block.Kind.PICTURE:
            fields["file"] = forms.FileField(
                label=_("Image") if new else _("A new image"),
                required=new,
                widget=forms.ClearableFileInput(attrs={"accept": IMAGE_ACCEPT}),
                help_text=_(
                    "A JPEG, PNG, WebP or GIF image. It is made smaller and its hidden data "
                    "(camera, place, time) is removed."
                )
                if new
                else _("Leave empty to keep the image. The caption and alt text stay."),
            )
            fields["caption"] = forms.CharField(
                label=_("Caption"),
                required=False,
                max_length=500,
                widget=forms.TextInput(attrs=text),
                help_text=_("Shown under the picture: what to do, in a sentence."),
            )
            fields["alt"] = forms.CharField(
                label=_("Alt text"),
                max_length=500,
                widget=forms.TextInput(attrs=text),
                help_text=_(
                    "What the picture shows, for someone who cannot see it: the instruction "
                    "it gives (“The bin for food waste has a brown lid”), not "
                    "“image” or the file's name."
                ),
            )
        elif kind == Block.Kind.CONTACT:
            fields["name"] = forms.CharField(
                label=_("Name"),
                max_length=200,
                widget=forms.TextInput(attrs=text),
                help_text=_("Who to contact: a person, a service or an office."),
            )
            fields["details"] = forms.CharField(
                label=_("Details"),
                required=False,
                widget=forms.Textarea(attrs={**text, "rows": 3}),
                help_text=_("Opening hours, address, what to ask about."),
            )
            fields["phone"] = forms.CharField(
                label=_("Phone"),
                required=False,
                max_length=40,
                widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
            )
            fields["email"] = forms.EmailField(label=_("E-mail"), required=False)
        elif kind == Block.Kind.LINK:
            fields["url"] = forms.URLField(
                label=_("Address"), max_length=500, assume_scheme="https"
            )
            fields["label"] = forms.CharField(
                label=_("Link text"),
                max_length=200,
                widget=forms.TextInput(attrs=text),
                help_text=_("Says where the link leads, so it makes sense on its own."),
            )
        elif kind == Block.Kind.FILE:
            fields["file"] = forms.FileField(
                label=_("PDF file") if new else _("A new PDF file"),
                required=new,
                widget=forms.ClearableFileInput(attrs={"accept": "application/pdf"}),
                help_text=_("A PDF document. Each language may later have its own.")
                if new
                else _(
                    "Leave empty to keep the file. A new file changes the source language's "
                    "page, so its translations are marked outdated."
                ),
            )
            fields["label"] = forms.CharField(
                label=_("Link text"),
                max_length=200,
                widget=forms.TextInput(attrs=text),
                help_text=_("What the document is, as the link to it says."),
            )
        if not new:
            # The words are edited on the language's page; here only what has no language.
            for name in self.WORDS.get(kind, ()):
                fields.pop(name, None)
        self.fields.update(fields)

    def texts(self) -> dict[str, str]:
        return {
            name: self.cleaned_data.get(name, "") or ""
            for name in self.WORDS.get(self.kind, ())
            if name in self.fields
        }

    def parts(self) -> dict[str, str]:
        return {
            name: self.cleaned_data.get(name, "") or ""
            for name in ("url", "phone", "email")
            if name in self.fields
        }

    @property
    def multipart(self) -> bool:
        return "file" in self.fields


# -- distribution ------------------------------------------------------------------------------


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class DistributionForm(forms.Form):
    channel = forms.ChoiceField(label=_("Channel"), choices=Distribution.Channel.choices)
    languages = LanguagesField(
        required=False, help_text=_("None chosen: every language of the page.")
    )
    starts_on = forms.DateField(label=_("From"), widget=DateInput())
    ends_on = forms.DateField(label=_("Until"), required=False, widget=DateInput())
    place = forms.CharField(
        label=pgettext_lazy("distribution place", "Where"),
        required=False,
        max_length=200,
        help_text=_("Where the copies were put, which account or which channel."),
    )
    copies = forms.IntegerField(
        label=_("Copies printed"),
        required=False,
        min_value=1,
        help_text=_("Required for a print run, and only for one."),
    )
    partner = OrganisationChoiceField(label=_("Partner"), required=False)
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, page: Page, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["languages"].choices = language_choices(  # type: ignore[attr-defined]
            page.languages, page.site.source_language
        )
        partner = self.fields["partner"]
        partner.queryset = selectors.owner_choices(page.site)  # type: ignore[attr-defined]
        partner.language = page.site.source_language  # type: ignore[attr-defined]

    def clean(self):
        data = super().clean()
        # services.distribution_record says so too; here the form says it with the others.
        if (
            data.get("channel") == Distribution.Channel.PRINT
            and data.get("copies") is None
            and "copies" not in self.errors
        ):
            self.add_error("copies", _("Write the number of copies printed."))
        return data
