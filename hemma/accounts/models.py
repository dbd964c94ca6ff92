import hashlib
import secrets

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from hemma.organisations.models import Municipality, Organisation, Region


class User(AbstractUser):
    """Hemma's user; its own model from the start so that it can grow without a swap."""


class Membership(models.Model):
    """A user's role in a region (the whole programme) or in one municipality."""

    class Role(models.TextChoices):
        REGION_COORDINATOR = "region_coordinator", _("Region coordinator")
        MUNICIPAL_COORDINATOR = "municipal_coordinator", _("Municipal coordinator")
        VIEWER = "viewer", _("Viewer")
        # Someone of an organisation (an NGO, a parish, a unit) who records the activities
        # their organisation organises, and sees only those (hemma/registries/policies.py).
        ORGANISATION_REPORTER = "organisation_reporter", _("Reporter for an organisation")
        # Someone who translates the region's information pages into one language, and sees
        # nothing else (hemma/information/policies.py).
        TRANSLATOR = "translator", _("Translator")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    region = models.ForeignKey(
        Region, on_delete=models.CASCADE, null=True, blank=True, related_name="memberships"
    )
    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, null=True, blank=True, related_name="memberships"
    )
    # The organisation an organisation reporter reports for (in the membership's region).
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="memberships",
        verbose_name=_("organisation"),
    )
    # The one language a translator translates into (a content language code).
    language = models.CharField(_("language"), max_length=8, blank=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            # A membership is in a region or in a municipality, never both or neither.
            models.CheckConstraint(
                condition=Q(region__isnull=True) ^ Q(municipality__isnull=True),
                name="membership_region_xor_municipality",
            ),
            models.CheckConstraint(
                condition=~Q(role="region_coordinator") | Q(region__isnull=False),
                name="membership_region_coordinator_has_region",
            ),
            models.CheckConstraint(
                condition=~Q(role="municipal_coordinator") | Q(municipality__isnull=False),
                name="membership_municipal_coordinator_has_municipality",
            ),
            # An organisation reporter reports for one organisation of the region; no other
            # role is tied to an organisation.
            models.CheckConstraint(
                condition=(
                    Q(role="organisation_reporter")
                    & Q(organisation__isnull=False)
                    & Q(region__isnull=False)
                )
                | (~Q(role="organisation_reporter") & Q(organisation__isnull=True)),
                name="membership_reporter_has_organisation",
            ),
            # A translator translates the region's pages into one language; no other role
            # has a language.
            models.CheckConstraint(
                condition=(Q(role="translator") & ~Q(language="") & Q(region__isnull=False))
                | (~Q(role="translator") & Q(language="")),
                name="membership_translator_has_language",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} – {self.region or self.municipality}"


class ApiToken(models.Model):
    """A personal access token for the API, sent as `Authorization: Bearer <token>`.

    Only a hash is stored; the token is shown once, when it is made.
    """

    PREFIX = "hemma_"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("name"), max_length=100)
    # The first characters, to tell tokens apart in a list without storing the secret.
    lookup = models.CharField(max_length=16, unique=True)
    digest = models.CharField(max_length=64)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.PREFIX}{self.lookup}…)"

    @staticmethod
    def hash(secret: str) -> str:
        # The secret is 256 random bits: a fast hash is enough, no key stretching needed.
        return hashlib.sha256(secret.encode()).hexdigest()

    @classmethod
    def new_secret(cls) -> tuple[str, str, str]:
        """(token as the user sends it, lookup part, digest of the whole)."""
        lookup = secrets.token_hex(6)
        token = f"{cls.PREFIX}{lookup}_{secrets.token_urlsafe(32)}"
        return token, lookup, cls.hash(token)
