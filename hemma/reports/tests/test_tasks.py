"""The background task that builds a report asked for from the web (hemma/reports/tasks.py)."""

import io
import logging

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from hemma.reports import building, tasks
from hemma.reports.models import ReportJob
from hemma.tests import factories as f

pytestmark = pytest.mark.django_db

STEP_CODES = list(dict(building.STEPS))


@pytest.fixture(autouse=True)
def immediate_tasks(settings, tmp_path):
    """Tasks run at once, in the test; files go to a folder of the test's own."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def job_for(programme_a):
    def make(user, **fields) -> ReportJob:
        fields = {"period": "2024", "language": "sv", "format": "pdf", **fields}
        return ReportJob.objects.create(programme=programme_a, requested_by=user, **fields)

    return make


@pytest.fixture
def fake_build(monkeypatch):
    """building.build replaced by one that goes through every step and remembers its call."""
    calls = []

    def build(spec, *, reader, progress=None):
        calls.append((spec, reader))
        for number, step in enumerate(STEP_CODES):
            progress(int(100 * number / len(STEP_CODES)), step)
        return b"%PDF-1.7 the report"

    monkeypatch.setattr(building, "build", build)
    return calls


def test_the_task_builds_the_file_as_the_requester_reads(
    job_for, coordinator_a, municipality_a1, fake_build
):
    job = job_for(coordinator_a, municipality=municipality_a1, language="fi")

    tasks.build_report.enqueue(str(job.pk))

    job.refresh_from_db()
    assert job.state == ReportJob.State.DONE
    assert job.progress == 100
    assert job.started_at is not None and job.finished_at is not None
    assert job.file.read() == b"%PDF-1.7 the report"
    assert job.file.name.endswith("programme-a-2024-101-fi.pdf")
    [(spec, reader)] = fake_build
    assert reader == coordinator_a
    assert (spec.programme, spec.period, spec.format, spec.language, spec.municipality) == (
        job.programme,
        "2024",
        "pdf",
        "fi",
        municipality_a1,
    )


def test_the_file_name_says_what_the_report_is(job_for, coordinator_region, municipality_a1):
    assert tasks.file_name(job_for(coordinator_region, format="xlsx")) == "programme-a-2024-sv.xlsx"
    assert (
        tasks.file_name(job_for(coordinator_region, municipality=municipality_a1, language="en"))
        == "programme-a-2024-101-en.pdf"
    )


def test_progress_is_recorded_while_the_report_is_built(job_for, coordinator_region, monkeypatch):
    job = job_for(coordinator_region)
    seen = []

    def build(spec, *, reader, progress=None):
        progress(40, STEP_CODES[-1])
        seen.append(ReportJob.objects.values_list("state", "progress", "step").get(pk=job.pk))
        return b"report"

    monkeypatch.setattr(building, "build", build)

    tasks.build_report.call(str(job.pk))

    assert seen == [(ReportJob.State.RUNNING, 40, STEP_CODES[-1])]


def test_progress_is_not_written_at_every_tick(job_for, coordinator_region, monkeypatch):
    job = job_for(coordinator_region)
    writes = []

    def build(spec, *, reader, progress=None):
        with CaptureQueriesContext(connection) as queries:
            for percent in range(100):
                progress(percent, STEP_CODES[0])
        writes.append(len(queries))
        return b"report"

    monkeypatch.setattr(building, "build", build)

    tasks.build_report.call(str(job.pk))

    # The first tick of a step is written; the rest fall within the interval.
    assert writes == [1]


def test_a_failing_build_ends_failed_with_its_reason_kept_and_logged(
    job_for, coordinator_region, monkeypatch, caplog
):
    job = job_for(coordinator_region)

    def build(spec, *, reader, progress=None):
        raise ValueError("no values for 2024")

    monkeypatch.setattr(building, "build", build)

    with caplog.at_level(logging.ERROR, logger="hemma.reports.tasks"):
        tasks.build_report.enqueue(str(job.pk))

    job.refresh_from_db()
    assert job.state == ReportJob.State.FAILED
    assert job.error == "ValueError: no values for 2024"
    assert not job.file
    assert job.finished_at is not None
    assert str(job.pk) in caplog.text and "no values for 2024" in caplog.text


def test_a_job_whose_requester_is_gone_fails(job_for, coordinator_region, fake_build):
    job = job_for(coordinator_region)
    coordinator_region.delete()

    tasks.build_report.call(str(job.pk))

    job.refresh_from_db()
    assert job.state == ReportJob.State.FAILED
    assert fake_build == []


def test_a_job_is_built_once_however_often_its_task_runs(job_for, coordinator_region, fake_build):
    job = job_for(coordinator_region)

    tasks.build_report.call(str(job.pk))
    tasks.build_report.call(str(job.pk))

    assert len(fake_build) == 1
    job.refresh_from_db()
    assert job.state == ReportJob.State.DONE


def test_the_real_build_makes_a_workbook(seed_programme):
    """No stand-in: the report of the seed programme, as the web builds it."""
    user = f.UserFactory(username="admin", is_superuser=True)
    job = ReportJob.objects.create(
        programme=seed_programme, period="2024", language="sv", format="xlsx", requested_by=user
    )

    tasks.build_report.enqueue(str(job.pk))

    job.refresh_from_db()
    assert job.state == ReportJob.State.DONE, job.error
    book = openpyxl.load_workbook(io.BytesIO(job.file.read()))
    assert len(book.sheetnames) >= 2
