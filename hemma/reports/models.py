"""A report built in the background from the web (hemma/reports/tasks.py), kept for download.

The report itself is made by hemma.reports.building, the same for the command line
(`hemma report`) and the web; a job records who asked for what, how far the building has got
and, when it is done, the file.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from hemma.organisations.models import Municipality
from hemma.programmes.models import Programme


class ReportJob(models.Model):
    class Format(models.TextChoices):
        PDF = "pdf", _("PDF (to read and print)")
        DOCX = "docx", _("Word (to edit)")
        XLSX = "xlsx", _("Excel (the figures)")

    class State(models.TextChoices):
        QUEUED = "queued", _("Waiting to start")
        RUNNING = "running", _("Being built")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="report_jobs", verbose_name=_("programme")
    )
    period = models.CharField(_("period"), max_length=9)
    # None: the whole programme, every municipality it covers.
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("municipality"),
    )
    language = models.CharField(_("language"), max_length=8)
    format = models.CharField(_("format"), max_length=8, choices=Format.choices)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("requested by"),
    )
    state = models.CharField(_("state"), max_length=16, choices=State.choices, default="queued")
    # How far the building has got (0–100), and the step it is at (hemma.reports.building).
    progress = models.PositiveSmallIntegerField(_("progress"), default=0)
    step = models.CharField(_("step"), max_length=40, blank=True)
    file = models.FileField(_("file"), upload_to="reports/%Y/%m/", blank=True)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.programme_id} {self.period} {self.format} ({self.state})"
