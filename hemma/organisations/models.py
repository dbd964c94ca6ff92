from django.db import models
from django.utils.translation import gettext_lazy as _

from hemma.lib.texts import pick


class Region(models.Model):
    """A municipality alone or a group of municipalities that share one programme."""

    key = models.SlugField(_("key"), max_length=80, unique=True)
    name = models.JSONField(_("name"), default=dict)

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["key"]

    def __str__(self) -> str:
        return pick(self.name) or self.key


class Municipality(models.Model):
    code = models.CharField(_("official code"), max_length=3, unique=True)
    name = models.JSONField(_("name"), default=dict, help_text=_("In Swedish and Finnish."))
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="municipalities", verbose_name=_("region")
    )

    class Meta:
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(code__regex=r"^[0-9]{3}$"), name="municipality_code_three_digits"
            )
        ]

    def __str__(self) -> str:
        return pick(self.name, fallback="sv") or self.code


class Organisation(models.Model):
    class Kind(models.TextChoices):
        MUNICIPAL_UNIT = "municipal_unit", _("Municipal unit")
        EMPLOYMENT_AUTHORITY = "employment_authority", _("Employment authority")
        WELLBEING_COUNTY = "wellbeing_county", _("Wellbeing services county")
        NGO = "ngo", _("Non-governmental organisation")
        PARISH = "parish", _("Parish")
        HOUSING_COMPANY = "housing_company", _("Housing company")
        INTERPRETING_PROVIDER = "interpreting_provider", _("Interpreting provider")
        EDUCATION_PROVIDER = "education_provider", _("Education provider")
        OTHER = "other", _("Other")

    region = models.ForeignKey(
        Region, on_delete=models.CASCADE, related_name="organisations", verbose_name=_("region")
    )
    key = models.SlugField(_("key"), max_length=80)
    name = models.JSONField(_("name"), default=dict)
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices, default=Kind.OTHER)
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="organisations",
        verbose_name=_("municipality"),
        help_text=_("Set when the organisation is a unit of one municipality."),
    )

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["key"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "key"], name="organisation_key_unique_in_region"
            )
        ]

    def __str__(self) -> str:
        return pick(self.name) or self.key
