"""Values recorded against indicators, their computed status, and manual assessments.

A value is for one indicator, one municipality (or the region as a whole: `municipality`
empty, for joint actions such as the joint meetings) and one period (hemma.lib.periods code).
Its history is the audit trail: every change is written by hemma.followup.services with
old → new, in the same transaction.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from hemma.lib.choices import choice_label
from hemma.organisations.models import Municipality
from hemma.programmes.models import Action, Indicator


class Status(models.TextChoices):
    """An indicator's, action's, goal's, theme's or municipality's status for a period.

    The rules that give it are in hemma/followup/status.py, documented in docs/status.md.
    """

    MET = "met", _("Met")
    EXCEEDED = "exceeded", _("Exceeded")
    PARTLY_MET = "partly_met", _("Partly met")
    NOT_MET = "not_met", _("Not met")
    NO_DATA = "no_data", _("No data")
    NOT_DUE = "not_due", _("Not due")


class Measurement(models.Model):
    class Source(models.TextChoices):
        WEB = "web", _("Entered on the web")
        API = "api", _("Sent through the API")
        FILE = "file", _("Imported from a file")
        LINK = "link", _("Entered through a reporting link")
        DEMO = "demo", _("Demo data")
        COMPUTED = "computed", _("Counted from the registries")

    indicator = models.ForeignKey(
        Indicator,
        on_delete=models.CASCADE,
        related_name="measurements",
        verbose_name=_("indicator"),
    )
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="measurements",
        verbose_name=_("municipality"),
        help_text=_("Empty for the region as a whole."),
    )
    period = models.CharField(_("period"), max_length=9)
    # What is recorded depends on the indicator's kind (see services.measurement_record).
    number = models.DecimalField(_("value"), max_digits=14, decimal_places=2, null=True, blank=True)
    participants = models.PositiveIntegerField(_("participants"), null=True, blank=True)
    done = models.BooleanField(_("done"), null=True, blank=True)
    done_on = models.DateField(_("done on"), null=True, blank=True)
    languages = models.JSONField(_("languages"), default=list, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    # A computed indicator's value as counted from the registries, kept current by
    # hemma/registries/computing.py. While `override` is empty the value is this count; a
    # coordinator's override (with its justification) keeps its own number beside it.
    computed_number = models.DecimalField(
        _("counted"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    computed_participants = models.PositiveIntegerField(
        _("participants counted"), null=True, blank=True
    )
    override = models.TextField(_("why the count is overridden"), blank=True)
    source = models.CharField(
        _("source"), max_length=16, choices=Source.choices, default=Source.WEB
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.NO_DATA
    )
    # Optimistic locking: a save names the version it was based on; a stale one is refused.
    version = models.PositiveIntegerField(default=1)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    entered_by_name = models.CharField(max_length=150, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("value")
        verbose_name_plural = _("values")
        ordering = ["indicator_id", "municipality_id", "period"]
        constraints = [
            # One value per indicator, municipality and period; and one for the region as a
            # whole (two constraints: SQLite has no NULLS NOT DISTINCT).
            models.UniqueConstraint(
                fields=["indicator", "municipality", "period"],
                condition=Q(municipality__isnull=False),
                name="measurement_unique_per_municipality",
            ),
            models.UniqueConstraint(
                fields=["indicator", "period"],
                condition=Q(municipality__isnull=True),
                name="measurement_unique_for_region",
            ),
        ]
        indexes = [
            # A programme's values for one period (the grid, the status matrix).
            models.Index(fields=["period", "indicator"], name="measurement_period_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.municipality_id or '-'} {self.period}"

    @property
    def source_label(self) -> str:
        """get_source_display(), for a page that shows it in every row (hemma/lib/choices.py)."""
        return choice_label(self.Source, self.source)


class Assessment(models.Model):
    """A coordinator's own judgement of an action for a period, beside the computed status."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="assessments")
    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    period = models.CharField(_("period"), max_length=9)
    status = models.CharField(_("assessment"), max_length=16, choices=Status.choices)
    justification = models.TextField(_("justification"))
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    assessed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("manual assessment")
        verbose_name_plural = _("manual assessments")
        constraints = [
            models.UniqueConstraint(
                fields=["action", "municipality", "period"],
                condition=Q(municipality__isnull=False),
                name="assessment_unique_per_municipality",
            ),
            models.UniqueConstraint(
                fields=["action", "period"],
                condition=Q(municipality__isnull=True),
                name="assessment_unique_for_region",
            ),
            models.CheckConstraint(
                condition=~Q(justification=""), name="assessment_has_justification"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.action_id} {self.period} {self.status}"


class Round(models.Model):
    """A reporting round: the follow-up of one programme for one period, open to approval.

    While a round is approved its period is locked: no value or assessment within the period
    may change (hemma.followup.rounds.period_locked, checked by every recording service).
    Only a region coordinator may unlock it again, with a reason kept in the audit trail.
    """

    class State(models.TextChoices):
        OPEN = "open", _("Open")
        APPROVED = "approved", _("Approved and locked")

    programme = models.ForeignKey(
        "programmes.Programme",
        on_delete=models.CASCADE,
        related_name="rounds",
        verbose_name=_("programme"),
    )
    period = models.CharField(_("period"), max_length=9)
    deadline = models.DateField(_("deadline"))
    # Days before the deadline on which reporters who are not ready get a reminder.
    reminder_days = models.JSONField(_("reminders, days before the deadline"), default=list)
    state = models.CharField(_("state"), max_length=16, choices=State.choices, default=State.OPEN)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    opened_at = models.DateTimeField(auto_now_add=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("reporting round")
        verbose_name_plural = _("reporting rounds")
        ordering = ["programme_id", "-period"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "period"], name="round_unique_period"),
        ]

    def __str__(self) -> str:
        return f"{self.programme_id} {self.period}"

    @property
    def locked(self) -> bool:
        return self.state == self.State.APPROVED


class Assignment(models.Model):
    """Who reports what in a round: one responsible party's actions for one municipality.

    `municipality` empty is the region as a whole (joint actions). `organisation` is the
    responsible party when the programme names one; `name` is how the reporter is shown.
    """

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="assignments")
    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    name = models.CharField(_("reporter"), max_length=200)
    email = models.EmailField(_("e-mail"), blank=True)
    actions = models.ManyToManyField(Action, related_name="+", verbose_name=_("actions"))
    ready_at = models.DateTimeField(_("marked ready"), null=True, blank=True)
    ready_by_name = models.CharField(max_length=150, blank=True)
    # The reminder stages (days before the deadline) already sent, so a stage is sent once.
    reminders_sent = models.JSONField(default=list, blank=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("reporter")
        verbose_name_plural = _("reporters")
        ordering = ["round_id", "position", "id"]

    def __str__(self) -> str:
        return self.name


class ReportingLink(models.Model):
    """A link for a reporter without an account: their assignment's actions and period only.

    The address carries a signed token naming the link and its nonce; the link works until
    it expires or is revoked, and while its round is open. What is entered through it is
    attributed to `recipient_name`.
    """

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="links")
    recipient_name = models.CharField(_("recipient"), max_length=150)
    recipient_email = models.EmailField(_("recipient's e-mail"), blank=True)
    nonce = models.CharField(max_length=32, unique=True)
    expires_at = models.DateTimeField(_("expires"))
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("reporting link")
        verbose_name_plural = _("reporting links")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.recipient_name
