"""The registries of the work done: what the follow-up's computed indicators count.

An activity is recorded once, where it happens, and the indicators that count activities
(Indicator.source "registry") take their values from here (hemma/registries/computing.py),
so the yearly figures come out of the daily records instead of being typed in twice.
No person is named in an activity: participants are numbers only.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from hemma.organisations.models import Municipality, Organisation, Region
from hemma.programmes.models import Action


class Activity(models.Model):
    """Something done: a meeting place, an event, a course, a joint meeting.

    A meeting place that runs all year is one activity with a recurrence and a date range,
    not 52 events. An activity counts in every period its dates overlap, once for each of
    its municipalities (none: the region as a whole).
    """

    class Kind(models.TextChoices):
        MEETING_PLACE = "meeting_place", _("Meeting place")
        EVENT = "event", _("Event")
        COURSE = "course", _("Course")
        CHILDREN_YOUTH = (
            "children_youth",
            _("Leisure or language activity for children and young people"),
        )
        LECTURE = "lecture", _("Lecture or training")
        INFORMATION = "information", _("Information session")
        JOINT_MEETING = "joint_meeting", _("Joint meeting between municipalities")
        COUNTY_MEETING = "county_meeting", _("Meeting with the wellbeing services county")
        NETWORK_MEETING = "network_meeting", _("Network meeting")
        OTHER = "other", _("Other")

    class Recurrence(models.TextChoices):
        ONCE = "once", _("Once")
        WEEKLY = "weekly", _("Weekly")
        MONTHLY = "monthly", _("Monthly")
        IRREGULAR = "irregular", _("Now and then")

    # Addressed by this code in URLs and the API, never by the sequential id.
    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="activities", verbose_name=_("region")
    )
    municipalities = models.ManyToManyField(
        Municipality,
        blank=True,
        related_name="activities",
        verbose_name=_("municipalities"),
        help_text=_("None for the region as a whole."),
    )
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    organiser = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organised_activities",
        verbose_name=_("organiser"),
    )
    partners = models.ManyToManyField(
        Organisation, blank=True, related_name="+", verbose_name=_("partners")
    )
    actions = models.ManyToManyField(
        Action,
        blank=True,
        related_name="activities",
        verbose_name=_("programme actions"),
        help_text=_("The actions of the programme this activity serves."),
    )
    starts_on = models.DateField(_("date"))
    ends_on = models.DateField(
        _("last date"), null=True, blank=True, help_text=_("Empty for a single day.")
    )
    recurrence = models.CharField(
        _("recurrence"), max_length=16, choices=Recurrence.choices, default=Recurrence.ONCE
    )
    sessions = models.PositiveIntegerField(_("times held"), null=True, blank=True)
    languages = models.JSONField(_("languages used"), default=list, blank=True)
    participants = models.PositiveIntegerField(_("participants"), null=True, blank=True)
    # Aggregates only, never names: {"0-17": 12, "18-29": 5, ...} and {"women": 9, ...}.
    participants_by_age = models.JSONField(_("participants by age"), default=dict, blank=True)
    participants_by_gender = models.JSONField(_("participants by gender"), default=dict, blank=True)
    note = models.TextField(_("note"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["-starts_on", "title", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                name="activity_ends_after_it_starts",
            ),
        ]
        indexes = [
            # The list of a region, newest first, and the periods a computed value counts.
            models.Index(fields=["region", "starts_on"], name="activity_region_date_idx"),
            models.Index(fields=["kind", "starts_on"], name="activity_kind_date_idx"),
        ]

    def __str__(self) -> str:
        return self.title


class ServiceStatistic(models.Model):
    """An aggregate count from the national client systems (which Hemma does not replace),
    per municipality, period and measure: how many initial assessments were made, how many
    integration plans... Numbers only; small counts are suppressed wherever they leave the
    coordinators' screens (hemma/lib/suppression.py)."""

    class Measure(models.TextChoices):
        INITIAL_ASSESSMENTS = "initial_assessments", _("Initial assessments made")
        INTEGRATION_PLANS = "integration_plans", _("Integration plans made")
        PLANS_REVIEWED = "plans_reviewed", _("Integration plans reviewed")
        DIRECTED_IN_SIX_MONTHS = (
            "directed_in_six_months",
            _("People directed to a service within six months"),
        )
        MEDIAN_DAYS_TO_ASSESSMENT = (
            "median_days_to_assessment",
            _("Median days from the start of the client relationship to the assessment"),
        )
        INTERPRETED_MEETINGS = "interpreted_meetings", _("Interpreter-assisted meetings")

    # Measures that count people or events (and so are summed for the region, and suppressed
    # when small); the median is neither.
    COUNTS = frozenset(
        {
            Measure.INITIAL_ASSESSMENTS,
            Measure.INTEGRATION_PLANS,
            Measure.PLANS_REVIEWED,
            Measure.DIRECTED_IN_SIX_MONTHS,
            Measure.INTERPRETED_MEETINGS,
        }
    )

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="statistics", verbose_name=_("region")
    )
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        related_name="statistics",
        verbose_name=_("municipality"),
    )
    period = models.CharField(_("period"), max_length=9)
    measure = models.CharField(_("measure"), max_length=40, choices=Measure.choices)
    value = models.DecimalField(_("value"), max_digits=12, decimal_places=2)
    source = models.CharField(
        _("source"), max_length=120, blank=True, help_text=_("The system or report it is from.")
    )
    note = models.TextField(_("note"), blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("service statistic")
        verbose_name_plural = _("service statistics")
        ordering = ["-period", "municipality__code", "measure"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "period", "measure"], name="statistic_unique"
            ),
            models.CheckConstraint(condition=Q(value__gte=0), name="statistic_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.municipality_id} {self.period} {self.measure}"


class Placement(models.Model):
    """Places offered by a municipality's unit to people moving into working life (the seed:
    "Antalet sysselsatta inom enheterna"): how many people a unit had in a kind of place in a
    period. Numbers only, never names."""

    class Kind(models.TextChoices):
        WORK_TRYOUT = "work_tryout", _("Work try-out")
        APPRENTICESHIP = "apprenticeship", _("Apprenticeship place")
        WAGE_SUBSIDY = "wage_subsidy", _("Wage-subsidy place")
        JOB = "job", _("Job")

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="placements", verbose_name=_("region")
    )
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        related_name="placements",
        verbose_name=_("municipality"),
    )
    unit = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="placements",
        verbose_name=_("unit"),
        help_text=_("The municipal unit that offered the places."),
    )
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    # A period code (hemma/lib/periods.py): a year, half-year or quarter.
    period = models.CharField(_("period"), max_length=9)
    people = models.PositiveIntegerField(_("number of people"))
    note = models.TextField(_("note"), blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("placement")
        verbose_name_plural = _("placements")
        ordering = ["-period", "municipality__code", "unit__key", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "unit", "kind", "period"], name="placement_unique"
            ),
        ]
        indexes = [
            models.Index(fields=["region", "period"], name="placement_region_period_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.kind} {self.period}: {self.people}"
