"""Asking for a report to the council from the web: a job, built in the background."""

from django.core.exceptions import PermissionDenied
from django.db import transaction

from hemma.audit.services import audit_record
from hemma.organisations.models import Municipality
from hemma.programmes.models import Programme
from hemma.reports import policies
from hemma.reports.models import ReportJob
from hemma.reports.tasks import build_report


def report_request(
    *,
    user,
    programme: Programme,
    period: str,
    municipality: Municipality | None,
    language: str,
    format: str,
) -> ReportJob:
    """A new job, queued; the task is enqueued once the job is committed, so that a worker
    never looks for a job that is not yet in the database (or was rolled back)."""
    if not policies.can_request_report(user, programme):
        raise PermissionDenied
    with transaction.atomic():
        job = ReportJob.objects.create(
            programme=programme,
            period=period,
            municipality=municipality,
            language=language,
            format=format,
            requested_by=user,
        )
        audit_record(
            actor=user,
            verb="create",
            target=job,
            programme_id=programme.pk,
            changes={
                "period": (None, period),
                "municipality": (None, municipality.code if municipality else None),
                "language": (None, language),
                "format": (None, format),
            },
        )
        job_id = str(job.pk)
        transaction.on_commit(lambda: build_report.enqueue(job_id))
    return job
