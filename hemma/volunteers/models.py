"""Friend persons (volunteers): the one registry of Hemma that holds personal data.

Only what the programme needs is stored: a name and a way to reach the person, the languages
they speak, their consent and its date, when they were recruited and trained, when they were
active, and their matches with newcomer households, a household being a reference and a size,
never a name or an identity number. Everything about one volunteer can be exported (GDPR art.
15) and erased (art. 17); a volunteer inactive for longer than
`settings.HEMMA_VOLUNTEER_RETENTION_MONTHS` is made anonymous by `hemma volunteers-anonymise`.
Erasing and anonymising keep the anonymous facts the follow-up counts (the municipality, the
active periods, the households' sizes) and nothing that names or reaches the person.
Every read of a volunteer's record by a user is written to `VolunteerRead`.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from hemma.organisations.models import Municipality, Region


class Volunteer(models.Model):
    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="volunteers", verbose_name=_("region")
    )
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        related_name="volunteers",
        verbose_name=_("municipality"),
        help_text=_("Where the friend person is active."),
    )
    # Personal data: emptied when the volunteer is erased or made anonymous.
    name = models.CharField(_("name"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    languages = models.JSONField(_("languages spoken"), default=list, blank=True)
    note = models.TextField(
        _("note"),
        blank=True,
        help_text=_(
            "Only what the programme needs; never health, religion or other sensitive data."
        ),
    )
    # The consent to keep these data, and its date: required to record a volunteer.
    consent_on = models.DateField(_("consent given on"))
    recruited_on = models.DateField(_("recruited on"))
    training_completed_on = models.DateField(_("training completed on"), null=True, blank=True)
    anonymised_at = models.DateTimeField(_("made anonymous at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("friend person")
        verbose_name_plural = _("friend persons")
        ordering = ["municipality__code", "name", "id"]
        indexes = [
            models.Index(fields=["region", "municipality"], name="volunteer_place_idx"),
        ]

    def __str__(self) -> str:
        return str(self.code)

    @property
    def is_anonymous(self) -> bool:
        return self.anonymised_at is not None


class ActivePeriod(models.Model):
    """A time the friend person was active (the last date empty: still active)."""

    volunteer = models.ForeignKey(
        Volunteer, on_delete=models.CASCADE, related_name="periods", verbose_name=_("friend person")
    )
    starts_on = models.DateField(_("active from"))
    ends_on = models.DateField(_("active until"), null=True, blank=True)

    class Meta:
        verbose_name = _("active period")
        verbose_name_plural = _("active periods")
        ordering = ["starts_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                name="active_period_ends_after_it_starts",
            ),
        ]
        indexes = [models.Index(fields=["starts_on", "ends_on"], name="active_period_dates_idx")]

    def __str__(self) -> str:
        return f"{self.starts_on}–{self.ends_on or ''}"


class Match(models.Model):
    """A friend person matched with a newcomer household: a reference (the coordinator's own,
    such as "H-2025-014") and a size, never a name or an identity number."""

    volunteer = models.ForeignKey(
        Volunteer, on_delete=models.CASCADE, related_name="matches", verbose_name=_("friend person")
    )
    household_reference = models.CharField(_("household reference"), max_length=40, blank=True)
    household_size = models.PositiveSmallIntegerField(_("household size"))
    starts_on = models.DateField(_("matched on"))
    ends_on = models.DateField(_("ended on"), null=True, blank=True)

    class Meta:
        verbose_name = _("match")
        verbose_name_plural = _("matches")
        ordering = ["starts_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                name="match_ends_after_it_starts",
            ),
            models.CheckConstraint(condition=Q(household_size__gte=1), name="match_household"),
        ]

    def __str__(self) -> str:
        # The reference is the coordinator's own, never a name; the size says enough here.
        return f"{self.household_size} ({self.starts_on})"


class VolunteerRead(models.Model):
    """One read of a volunteer's record by a user: who, when, how. The log holds the
    volunteer's code, never their data."""

    class Way(models.TextChoices):
        LIST = "list", _("list")
        DETAIL = "detail", _("record")
        EXPORT = "export", _("export of everything (GDPR art. 15)")
        API = "api", _("API")

    volunteer = models.ForeignKey(Volunteer, on_delete=models.CASCADE, related_name="reads")
    reader = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    reader_name = models.CharField(max_length=150, blank=True)
    way = models.CharField(max_length=16, choices=Way.choices)
    read_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("read of a friend person's record")
        verbose_name_plural = _("reads of friend persons' records")
        ordering = ["-read_at", "-id"]

    def __str__(self) -> str:
        return f"{self.reader_name} {self.way} {self.read_at:%Y-%m-%d %H:%M}"
