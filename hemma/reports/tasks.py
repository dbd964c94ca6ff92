"""Building a report asked for from the web, in the background (django-tasks).

With the database backend a worker (`hemma db_worker`) runs the task; with the immediate one
it runs in the request that asked for it. Either way the job (hemma.reports.models.ReportJob)
tells the page how far the building has got, and keeps the file or why there is none.
"""

import logging
import time

from django.core.files.base import ContentFile
from django.utils import timezone
from django_tasks import task

from hemma.reports import building
from hemma.reports.models import ReportJob

logger = logging.getLogger(__name__)

# The progress is written at each new step and otherwise at most this often (seconds): the
# page asks every two seconds, and a write per tick would only keep the database busy.
PROGRESS_INTERVAL = 1.0


class _ProgressWriter:
    """The progress callback handed to building.build, throttled."""

    def __init__(self, job_id) -> None:
        self.job_id = job_id
        self.percent = 0
        self.step = ""
        self.written_at = 0.0

    def __call__(self, percent: int, step: str) -> None:
        percent = max(0, min(100, int(percent)))
        now = time.monotonic()
        if step == self.step and (
            percent == self.percent or now - self.written_at < PROGRESS_INTERVAL
        ):
            return
        ReportJob.objects.filter(pk=self.job_id).update(progress=percent, step=step[:40])
        self.percent, self.step, self.written_at = percent, step, now


def file_name(job: ReportJob) -> str:
    """The name the file is downloaded under: what, which period, where, in which language."""
    parts = [job.programme.slug, job.period]
    if job.municipality_id is not None:
        parts.append(job.municipality.code)  # type: ignore[union-attr]
    parts.append(job.language)
    return f"{'-'.join(parts)}.{job.format}"


@task()
def build_report(job_id: str) -> None:
    # Only a queued job starts, and only once: a task enqueued twice builds one file.
    started = ReportJob.objects.filter(pk=job_id, state=ReportJob.State.QUEUED).update(
        state=ReportJob.State.RUNNING, started_at=timezone.now()
    )
    if not started:
        return
    job = ReportJob.objects.select_related("programme", "municipality", "requested_by").get(
        pk=job_id
    )
    try:
        if job.requested_by is None:
            raise RuntimeError("the user who asked for the report no longer exists")
        spec = building.ReportSpec(
            programme=job.programme,
            period=job.period,
            format=job.format,
            language=job.language,
            municipality=job.municipality,
        )
        content = building.build(spec, reader=job.requested_by, progress=_ProgressWriter(job.pk))
        job.file.save(file_name(job), ContentFile(content), save=False)
    except Exception as error:
        # The person sees a general message (hemma/reports/views.py); the details are here
        # and in the job, for whoever looks into it.
        logger.exception("Report %s could not be built", job.pk)
        ReportJob.objects.filter(pk=job.pk).update(
            state=ReportJob.State.FAILED,
            error=f"{type(error).__name__}: {error}",
            finished_at=timezone.now(),
        )
        return
    job.state = ReportJob.State.DONE
    job.progress = 100
    job.finished_at = timezone.now()
    job.save(update_fields=["file", "state", "progress", "finished_at"])
