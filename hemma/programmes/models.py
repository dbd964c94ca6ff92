"""A programme for promoting integration: programme → theme → goal → action → indicator.

Every node has a `key`, stable across imports and exports, so that re-importing a document
updates the programme instead of duplicating it. Texts are maps language → text (see
hemma.lib.texts); the programme's own `language` is the one that must be present.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from hemma.lib.choices import choice_label
from hemma.lib.texts import pick
from hemma.organisations.models import Municipality, Organisation, Region


class Programme(models.Model):
    class Kind(models.TextChoices):
        INTEGRATION_PROGRAMME = "integration_programme", _("Programme for promoting integration")
        ACTION_PROGRAMME = "action_programme", _("Action programme")
        PART_OF_OTHER_PLAN = "part_of_other_plan", _("Part of another plan")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        APPROVED = "approved", _("Approved")
        ARCHIVED = "archived", _("Archived")

    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="programmes", verbose_name=_("region")
    )
    language = models.CharField(_("language"), max_length=8, default="sv")
    title = models.JSONField(_("title"), default=dict)
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    legal_basis = models.CharField(_("legal basis"), max_length=200, blank=True)
    period_start = models.PositiveSmallIntegerField(_("first year"))
    period_end = models.PositiveSmallIntegerField(_("last year"))
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DRAFT
    )
    next_review = models.DateField(_("next review"), null=True, blank=True)
    translation_notes = models.JSONField(
        _("translation notes"),
        default=dict,
        blank=True,
        help_text=_("Languages whose texts are translations, with the note shown beside them."),
    )
    municipalities = models.ManyToManyField(
        Municipality, related_name="programmes", verbose_name=_("municipalities")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        ordering = ["-period_start", "slug"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")),
                name="programme_period_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return pick(self.title, fallback=self.language) or self.slug


class CouncilDecision(models.Model):
    """A council's (or board's) decision on the programme in one municipality."""

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="council_decisions"
    )
    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, verbose_name=_("municipality")
    )
    body = models.JSONField(_("body"), default=dict)
    date = models.DateField(_("date"))
    section = models.CharField(_("section"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("council decision")
        verbose_name_plural = _("council decisions")
        ordering = ["date", "municipality__code"]

    def __str__(self) -> str:
        return f"{self.municipality_id} {self.date} {self.section}"


class Theme(models.Model):
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="themes")
    key = models.SlugField(_("key"), max_length=80)
    title = models.JSONField(_("title"), default=dict)
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("theme")
        verbose_name_plural = _("themes")
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "key"], name="theme_key_unique_in_programme"
            )
        ]

    def __str__(self) -> str:
        return pick(self.title) or self.key


class Goal(models.Model):
    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="goals")
    key = models.SlugField(_("key"), max_length=80)
    title = models.JSONField(_("title"), default=dict)
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("goal")
        verbose_name_plural = _("goals")
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["theme", "key"], name="goal_key_unique_in_theme")
        ]

    def __str__(self) -> str:
        return pick(self.title) or self.key


class Action(models.Model):
    # The programme is stored on the action too: action keys are unique in the programme, and
    # an action's URL is /programmes/<slug>/actions/<key>/ whatever goal it moves to.
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="actions")
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="actions")
    key = models.SlugField(_("key"), max_length=80)
    title = models.JSONField(_("action"), default=dict)
    responsible_per_municipality = models.BooleanField(
        _("set per municipality"),
        default=False,
        help_text=_("Each municipality names its own responsible unit."),
    )
    responsible_text = models.JSONField(_("responsible, as written"), default=dict, blank=True)
    partners_text = models.JSONField(_("partners, as written"), default=dict, blank=True)
    followup = models.JSONField(_("follow-up"), default=dict, blank=True)
    position = models.PositiveIntegerField(_("position"), default=0)
    parties: models.ManyToManyField = models.ManyToManyField(
        Organisation, through="ActionParty", related_name="actions"
    )

    class Meta:
        verbose_name = _("action")
        verbose_name_plural = _("actions")
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "key"], name="action_key_unique_in_programme"
            )
        ]

    def __str__(self) -> str:
        return pick(self.title) or self.key


class ActionParty(models.Model):
    """An organisation responsible for an action, or a partner in it.

    With `municipality` set, the row is a unit that municipality named as responsible for an
    action that is "set per municipality".
    """

    class Role(models.TextChoices):
        RESPONSIBLE = "responsible", _("Responsible")
        PARTNER = "partner", _("Partner")

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="party_links")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)
    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["action", "organisation", "role"],
                condition=Q(municipality__isnull=True),
                name="action_party_unique",
            ),
            models.UniqueConstraint(
                fields=["action", "organisation", "municipality"],
                condition=Q(municipality__isnull=False),
                name="action_party_municipal_unique",
            ),
            models.CheckConstraint(
                condition=Q(municipality__isnull=True) | Q(role="responsible"),
                name="action_party_municipal_only_responsible",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.role}: {self.organisation_id}"


class Indicator(models.Model):
    class Kind(models.TextChoices):
        COUNT = "count", _("Count")
        COUNT_WITH_PARTICIPANTS = "count_with_participants", _("Count with participants")
        FREQUENCY_BAND = "frequency_band", _("Frequency band")
        MILESTONE = "milestone", _("Recurring milestone")
        ONGOING = "ongoing", _("Ongoing activity")
        SURVEY = "survey", _("Survey")
        DELIVERABLE_LANGUAGES = "deliverable_languages", _("Deliverable in languages")
        EXTERNAL_INDEX = "external_index", _("External index")
        STATISTICS = "statistics", _("Statistics")

    class Period(models.TextChoices):
        YEAR = "year", _("Year")
        HALF_YEAR = "half_year", _("Half-year")
        QUARTER = "quarter", _("Quarter")
        MULTI_YEAR = "multi_year", _("Several years")

    class TargetType(models.TextChoices):
        NONE = "", _("No target")
        BAND = "band", _("Band")
        DIRECTION = "direction", _("Direction")
        EVERY_N_YEARS = "every_n_years", _("Every N years")

    class Direction(models.TextChoices):
        INCREASE = "increase", _("Increase")
        DECREASE = "decrease", _("Decrease")
        MAINTAIN = "maintain", _("Maintain")

    class Source(models.TextChoices):
        MANUAL = "manual", _("Entered by people")
        REGISTRY = "registry", _("Counted from the registries")

    class Query(models.TextChoices):
        """What a computed indicator (source "registry") counts: chosen from this list,
        never written by a user (hemma/registries/computing.py)."""

        NONE = "", _("Nothing (entered by people)")
        ACTIVITIES = "activities", _("Activities serving the action (and their participants)")
        STATISTIC = "statistic", _("A service statistic from the client systems")
        VOLUNTEERS = "volunteers", _("Friend persons (volunteers) active in the period")
        PLACEMENTS = "placements", _("Places offered by the municipal units")
        SURVEY = "survey", _("Answers to a survey of the programme")
        INFORMATION_CREATED = "information_created", _("Information material published")
        INFORMATION_USED = "information_used", _("Views and downloads of information material")

    class Scope(models.TextChoices):
        """Where the indicator is followed up: in each municipality of the programme, or once
        for the region as a whole (a joint action, such as the municipalities' joint meetings
        or the update of their shared programme)."""

        MUNICIPALITY = "municipality", _("Each municipality")
        REGION = "region", _("The region as a whole")

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="indicators")
    key = models.SlugField(_("key"), max_length=80)
    name = models.JSONField(_("name"), default=dict)
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    unit = models.JSONField(_("unit"), default=dict, blank=True)
    period = models.CharField(_("period"), max_length=16, choices=Period.choices, default="year")
    target_type = models.CharField(
        _("target"), max_length=16, choices=TargetType.choices, default="", blank=True
    )
    target_min = models.DecimalField(
        _("at least"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    target_max = models.DecimalField(
        _("at most"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    target_direction = models.CharField(
        _("direction"), max_length=16, choices=Direction.choices, blank=True
    )
    target_years = models.PositiveSmallIntegerField(_("every N years"), null=True, blank=True)
    source = models.CharField(
        _("data source"), max_length=32, choices=Source.choices, default=Source.MANUAL
    )
    # A computed indicator's query and what it takes: for activities, the kinds counted (none:
    # every kind); for a statistic, the one measure (ServiceStatistic.Measure) it is.
    query = models.CharField(
        _("counted from"), max_length=32, choices=Query.choices, default="", blank=True
    )
    query_kinds = models.JSONField(_("kinds counted"), default=list, blank=True)
    # A survey's indicator (query "survey", hemma/surveys/counting.py): the survey by its key,
    # and the question whose answers with one of `query_kinds` (its choices' keys) are counted
    # as a share of those who answered it; no question: the number of answers.
    query_survey = models.SlugField(_("survey"), max_length=80, blank=True)
    query_question = models.SlugField(_("question"), max_length=80, blank=True)
    scope = models.CharField(
        _("followed up for"),
        max_length=16,
        choices=Scope.choices,
        default=Scope.MUNICIPALITY,
        help_text=_(
            "Each municipality reports its own value, or the region reports one value for all "
            "of its municipalities (for what they do jointly, such as their joint meetings)."
        ),
    )
    # Whether the figure is a number of people (integration plans, friend persons, students):
    # published, a count under the suppression threshold is shown as "< 5"
    # (hemma/followup/publishing.py). Participants always count people.
    counts_people = models.BooleanField(
        _("counts people"),
        default=False,
        help_text=_(
            "The figure is a number of people (such as integration plans or students). Where "
            "it is published, a number under the suppression threshold (5 unless set "
            "otherwise) is shown only as “< 5”, so that nobody can be picked out."
        ),
    )
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["action", "key"], name="indicator_key_unique_in_action"
            ),
            models.CheckConstraint(
                condition=~Q(target_type="band")
                | Q(target_min__isnull=False)
                | Q(target_max__isnull=False),
                name="indicator_band_has_a_bound",
            ),
            models.CheckConstraint(
                condition=Q(target_min__isnull=True)
                | Q(target_max__isnull=True)
                | Q(target_min__lte=models.F("target_max")),
                name="indicator_band_min_not_above_max",
            ),
            models.CheckConstraint(
                condition=~Q(target_type="direction") | ~Q(target_direction=""),
                name="indicator_direction_is_set",
            ),
            models.CheckConstraint(
                condition=~Q(target_type="every_n_years") | Q(target_years__gte=1),
                name="indicator_every_n_years_is_set",
            ),
            # Counted from the registries exactly when a query says what is counted.
            models.CheckConstraint(
                condition=(Q(source="registry") & ~Q(query=""))
                | (Q(source="manual") & Q(query="")),
                name="indicator_registry_has_a_query",
            ),
        ]

    def __str__(self) -> str:
        return pick(self.name) or self.key

    @property
    def kind_label(self) -> str:
        """get_kind_display(), for a page that shows it in every row (hemma/lib/choices.py)."""
        return choice_label(self.Kind, self.kind)

    @property
    def period_label(self) -> str:
        """get_period_display(), as cheaply."""
        return choice_label(self.Period, self.period)

    @property
    def target(self) -> dict | None:
        """The target as the interchange format writes it."""
        if self.target_type == self.TargetType.BAND:
            target: dict = {"type": "band"}
            if self.target_min is not None:
                target["min"] = _number(self.target_min)
            if self.target_max is not None:
                target["max"] = _number(self.target_max)
            return target
        if self.target_type == self.TargetType.DIRECTION:
            return {"type": "direction", "direction": self.target_direction}
        if self.target_type == self.TargetType.EVERY_N_YEARS:
            return {"type": "every_n_years", "years": self.target_years}
        return None

    @property
    def target_display(self) -> str:
        """The target in words, in the active language: "2–4 per year", "every 4 years"."""
        per = {
            self.Period.YEAR: _("per year"),
            self.Period.HALF_YEAR: _("per half-year"),
            self.Period.QUARTER: _("per quarter"),
            self.Period.MULTI_YEAR: _("per period"),
        }[self.Period(self.period)]
        if self.target_type == self.TargetType.BAND:
            low, high = self.target_min, self.target_max
            if low is not None and high is not None:
                return f"{_number(low)}–{_number(high)} {per}"
            if low is not None:
                return _("at least %(n)s %(per)s") % {"n": _number(low), "per": per}
            return _("at most %(n)s %(per)s") % {"n": _number(high), "per": per}
        if self.target_type == self.TargetType.DIRECTION:
            return str(self.Direction(self.target_direction).label)
        if self.target_type == self.TargetType.EVERY_N_YEARS:
            if self.target_years == 1:
                return str(_("every year"))
            return _("every %(n)s years") % {"n": self.target_years}
        return ""


def _number(value):
    """2.00 → 2, 2.50 → 2.5: a target as a person wrote it."""
    return int(value) if value == int(value) else float(value)
