"""The yearly survey of immigrants: its questions in every language, and its answers,
anonymous by construction.

A survey belongs to a programme and a follow-up period (its answers count for that period's
indicators: hemma/surveys/counting.py). Its texts are maps of language code to text, in each
of the survey's `languages`; `translated_from` keeps, per language, a fingerprint of the
source-language text the translation was made from, so that a translation is flagged as
outdated when the source changes (hemma/surveys/texts.py).

What an answer keeps (`Response`, `Answer`): the survey, the municipality of the link it came
through, the language it was answered in, the week it was sent (the Monday), and the answers.
Nothing else: no IP address, user agent, cookie, session, account or exact time, and its key is
random so that no order of arrival can be read from it. An invitation code, where the survey
asks for one, is spent in its own table (`InvitationCode.spent`), never linked to the answer.
"""

import secrets
import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from hemma.organisations.models import Municipality
from hemma.programmes.models import Programme


def _public_token() -> str:
    return secrets.token_urlsafe(12)


class Survey(models.Model):
    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        OPEN = "open", _("Open for answers")
        CLOSED = "closed", _("Closed")

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="surveys", verbose_name=_("programme")
    )
    # The same key every year ("invandrarenkat"): an indicator names it (Indicator.query_survey).
    key = models.SlugField(_("key"), max_length=80)
    period = models.CharField(_("period"), max_length=9)
    title = models.JSONField(_("title"), default=dict)
    intro = models.JSONField(_("introduction"), default=dict, blank=True)
    # The language the texts are written in first; the others are translations of it.
    source_language = models.CharField(_("source language"), max_length=8, default="sv")
    languages = models.JSONField(_("languages"), default=list)
    translated_from = models.JSONField(default=dict, blank=True)
    state = models.CharField(_("state"), max_length=16, choices=State.choices, default="draft")
    # With codes, each code gives one answer (hemma/surveys/models.py InvitationCode).
    invitation_only = models.BooleanField(_("answers only with an invitation code"), default=False)
    # The public link: /s/<token>/ (and /s/<token>/<municipality code>/ per municipality).
    public_token = models.CharField(max_length=32, unique=True, default=_public_token)
    previous = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("started from"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")
        ordering = ["-period", "key"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "key", "period"], name="survey_unique_per_period"
            )
        ]

    def __str__(self) -> str:
        return f"{self.key} {self.period}"


class Question(models.Model):
    class Kind(models.TextChoices):
        SINGLE = "single", _("Single choice")
        MULTIPLE = "multiple", _("Multiple choice")
        RATING = "rating", _("Rating scale")
        NUMBER = "number", _("Number")
        SHORT_TEXT = "short_text", _("Short text")
        LONG_TEXT = "long_text", _("Long text")

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions")
    key = models.SlugField(_("key"), max_length=80)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    text = models.JSONField(_("question"), default=dict)
    help = models.JSONField(_("help text"), default=dict, blank=True)
    required = models.BooleanField(_("an answer is required"), default=False)
    position = models.PositiveIntegerField(_("position"), default=0)
    # Skip logic: shown only to those who answered `show_if_question` (an earlier question of
    # the survey, by key) with one of `show_if_choices` (its choices' keys).
    show_if_question = models.SlugField(_("show if the answer to"), max_length=80, blank=True)
    show_if_choices = models.JSONField(_("is one of"), default=list, blank=True)
    # A rating scale's ends (1–5 unless given) and their words, per language.
    scale_min = models.SmallIntegerField(_("lowest rating"), default=1)
    scale_max = models.SmallIntegerField(_("highest rating"), default=5)
    scale_min_label = models.JSONField(_("word for the lowest"), default=dict, blank=True)
    scale_max_label = models.JSONField(_("word for the highest"), default=dict, blank=True)
    number_min = models.DecimalField(
        _("smallest number"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    number_max = models.DecimalField(
        _("largest number"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    # The longest text answer taken (characters); a longer one is refused, never cut.
    max_length = models.PositiveIntegerField(_("longest answer"), default=1000)
    translated_from = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["survey", "key"], name="question_unique_key")
        ]

    def __str__(self) -> str:
        return self.key


class Choice(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="choices")
    key = models.SlugField(_("key"), max_length=80)
    label = models.JSONField(_("label"), default=dict)
    position = models.PositiveIntegerField(_("position"), default=0)
    translated_from = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("choice")
        verbose_name_plural = _("choices")
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["question", "key"], name="choice_unique_key")
        ]

    def __str__(self) -> str:
        return self.key


class Response(models.Model):
    """One person's answers. Deliberately without time, address, agent, session or code."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    # The municipality of the link answered through (None: the survey's common link).
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    language = models.CharField(_("language"), max_length=8)
    # The Monday of the week it was sent: never the day or the time.
    week = models.DateField(_("week"))

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        indexes = [models.Index(fields=["survey", "municipality"], name="response_survey_idx")]

    def __str__(self) -> str:
        return f"{self.survey_id} {self.week}"


class Answer(models.Model):
    """The answer to one question: a choice (one row per choice of a multiple choice), a
    number (a rating or a number), or a text."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    choice = models.ForeignKey(
        Choice, on_delete=models.CASCADE, null=True, blank=True, related_name="answers"
    )
    number = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    text = models.TextField(blank=True)

    class Meta:
        verbose_name = _("answer to a question")
        verbose_name_plural = _("answers to questions")

    def __str__(self) -> str:
        return f"{self.response_id} {self.question_id}"


class InvitationCode(models.Model):
    """A one-time code: its hash, and whether it has been used. Never linked to the answer it
    gave; spending it and storing the answer happen in one transaction."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="codes")
    code_hash = models.CharField(max_length=64, unique=True)
    spent = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("invitation code")
        verbose_name_plural = _("invitation codes")

    def __str__(self) -> str:
        return f"{self.survey_id} {'spent' if self.spent else 'unused'}"
