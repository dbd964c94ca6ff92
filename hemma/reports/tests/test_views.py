"""The reports pages: ask for a report, watch it being built, download it."""

import datetime
import io

import docx
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hemma.audit.models import AuditEvent
from hemma.followup.models import Round
from hemma.programmes.models import Programme
from hemma.reports import building
from hemma.reports.models import ReportJob
from hemma.tests import factories as f

pytestmark = pytest.mark.django_db

STEP_CODES = list(dict(building.STEPS))
FILE = b"%PDF-1.7 the report"
REAL_BUILD = building.build


@pytest.fixture(autouse=True)
def immediate_tasks(settings, tmp_path):
    """Tasks run at once, in the request; files go to a folder of the test's own."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def fake_build(monkeypatch):
    """building.build replaced by a quick one that goes through every step."""

    def build(spec, *, reader, progress=None):
        for number, step in enumerate(STEP_CODES):
            progress(int(100 * number / len(STEP_CODES)), step)
        return FILE

    monkeypatch.setattr(building, "build", build)


@pytest.fixture
def job_for(programme_a):
    def make(user, **fields) -> ReportJob:
        fields = {"period": "2024", "language": "sv", "format": "pdf", **fields}
        return ReportJob.objects.create(programme=programme_a, requested_by=user, **fields)

    return make


@pytest.fixture
def ask(client_for, django_capture_on_commit_callbacks, programme_a):
    """ask(user, **form): POST the form as that user, running what waits for the commit."""

    def post(user, **form):
        data = {"period": "2024", "municipality": "", "language": "sv", "format": "pdf", **form}
        with django_capture_on_commit_callbacks(execute=True):
            return client_for(user).post(list_url(), data)

    return post


def approve(programme, period: str) -> Round:
    return Round.objects.create(
        programme=programme,
        period=period,
        deadline=datetime.date(2025, 3, 1),
        state=Round.State.APPROVED,
    )


def list_url(slug="programme-a"):
    return reverse("reports:list", args=[slug])


def detail_url(job):
    return reverse("reports:detail", args=[job.programme.slug, job.pk])


def download_url(job):
    return reverse("reports:download", args=[job.programme.slug, job.pk])


# -- asking for a report ---------------------------------------------------------------------


def test_the_region_coordinator_asks_for_a_report_and_downloads_it(
    ask, client_for, coordinator_region, municipality_a1
):
    response = ask(coordinator_region, municipality="101", language="fi", format="pdf")

    job = ReportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == detail_url(job)
    assert (job.period, job.municipality, job.language, job.format, job.requested_by) == (
        "2024",
        municipality_a1,
        "fi",
        "pdf",
        coordinator_region,
    )
    assert job.state == ReportJob.State.DONE
    page = client_for(coordinator_region).get(detail_url(job))
    assert download_url(job) in page.content.decode()

    download = client_for(coordinator_region).get(download_url(job))

    assert download.status_code == 200
    assert b"".join(download.streaming_content) == FILE
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"] == ('attachment; filename="programme-a-2024-101-fi.pdf"')
    assert "private" in download["Cache-Control"]


def test_a_real_report_is_built_and_downloaded_from_the_web(ask, client_for, viewer, monkeypatch):
    monkeypatch.setattr(building, "build", REAL_BUILD)
    ask(viewer, format="docx", language="en")
    job = ReportJob.objects.get()

    download = client_for(viewer).get(download_url(job))

    assert job.state == ReportJob.State.DONE, job.error
    document = docx.Document(io.BytesIO(b"".join(download.streaming_content)))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Programme programme-a" in text
    assert any(p.style.name.startswith("Heading") for p in document.paragraphs)


@pytest.mark.parametrize(
    ("format", "content_type"),
    [
        ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ],
)
def test_each_format_downloads_with_its_content_type(
    ask, client_for, coordinator_region, format, content_type
):
    ask(coordinator_region, format=format)
    job = ReportJob.objects.get()

    download = client_for(coordinator_region).get(download_url(job))

    assert download["Content-Type"] == content_type
    assert f'filename="programme-a-2024-sv.{format}"' in download["Content-Disposition"]


def test_asking_is_audited(ask, coordinator_region):
    ask(coordinator_region, format="xlsx")

    job = ReportJob.objects.get()
    event = AuditEvent.objects.get(target_type="reports.reportjob")
    assert event.actor == coordinator_region
    assert event.verb == "create"
    assert event.target_id == str(job.pk)
    assert event.programme_id == job.programme_id
    assert event.changes["format"] == [None, "xlsx"]


def test_the_task_is_enqueued_only_when_the_job_is_committed(
    client_for, coordinator_region, programme_a, django_capture_on_commit_callbacks
):
    data = {"period": "2024", "municipality": "", "language": "sv", "format": "pdf"}
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        client_for(coordinator_region).post(list_url(), data)

    assert ReportJob.objects.get().state == ReportJob.State.QUEUED
    for callback in callbacks:
        callback()
    assert ReportJob.objects.get().state == ReportJob.State.DONE


def test_a_viewer_may_build_a_report(ask, viewer):
    """The policy: whoever sees the programme may build its report."""
    response = ask(viewer)

    assert response.status_code == 302
    assert ReportJob.objects.get().requested_by == viewer


def test_a_municipal_coordinator_may_build_the_report_of_another_municipality(ask, coordinator_a):
    ask(coordinator_a, municipality="102")

    assert ReportJob.objects.get().municipality.code == "102"


def test_a_period_or_municipality_not_offered_is_refused(ask, coordinator_region, municipality_b1):
    first = ask(coordinator_region, period="1999")
    second = ask(coordinator_region, municipality=municipality_b1.code)
    third = ask(coordinator_region, language="de", format="odt")

    for response in (first, second, third):
        assert response.status_code == 200
        assert response.context["form"].errors
    assert not ReportJob.objects.exists()


def test_another_region_cannot_ask(ask, coordinator_b, programme_a):
    assert ask(coordinator_b).status_code == 404
    assert not ReportJob.objects.exists()


def test_anonymous_is_sent_to_log_in(client, programme_a):
    response = client.post(list_url(), {"period": "2024", "format": "pdf", "language": "sv"})

    assert response.status_code == 302
    assert "/login/" in response["Location"]
    assert not ReportJob.objects.exists()


# -- the list --------------------------------------------------------------------------------


def test_the_list_offers_the_form_and_the_jobs_the_user_may_see(
    client_for, coordinator_region, coordinator_a, viewer, job_for
):
    own = job_for(coordinator_a, format="xlsx")
    others = job_for(viewer, format="docx")

    mine = client_for(coordinator_a).get(list_url())
    region = client_for(coordinator_region).get(list_url())

    assert mine.status_code == 200
    assert list(mine.context["jobs"]) == [own]
    assert set(region.context["jobs"]) == {own, others}
    assert 'name="period"' in mine.content.decode()
    assert "private" in mine["Cache-Control"]


def test_the_list_is_not_found_for_another_region(client_for, coordinator_b, programme_a):
    assert client_for(coordinator_b).get(list_url()).status_code == 404


def test_the_list_sends_anonymous_to_log_in(client, programme_a):
    response = client.get(list_url())

    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_the_list_shows_state_progress_and_download(client_for, coordinator_region, job_for):
    done = job_for(coordinator_region, state=ReportJob.State.DONE, file="reports/x.pdf")
    running = job_for(coordinator_region, state=ReportJob.State.RUNNING, progress=35)

    page = client_for(coordinator_region).get(list_url()).content.decode()

    assert download_url(done) in page
    assert download_url(running) not in page
    assert "35 %" in page


def test_the_list_reads_a_fixed_number_of_queries(
    client_for, coordinator_region, municipality_a1, job_for, django_assert_num_queries
):
    client = client_for(coordinator_region)
    job_for(coordinator_region, municipality=municipality_a1)
    client.get(list_url())  # the session and the user's roles, read once
    with CaptureQueriesContext(connection) as small:
        client.get(list_url())
    for _ in range(6):
        job_for(f.UserFactory(), municipality=municipality_a1, state=ReportJob.State.DONE)
        job_for(coordinator_region)

    with django_assert_num_queries(len(small.captured_queries)):
        response = client.get(list_url())

    assert len(response.context["jobs"]) == 13


def test_a_period_not_approved_is_marked_where_it_is_chosen(
    client_for, coordinator_region, programme_a
):
    approve(programme_a, "2023")

    page = client_for(coordinator_region).get(list_url())

    labels = dict(page.context["form"].fields["period"].choices)
    assert labels == {
        "2023": "2023",
        "2024": "2024 (not approved: the report is preliminary)",
        "2025": "2025 (not approved: the report is preliminary)",
    }
    assert "2024 (not approved: the report is preliminary)" in page.content.decode()


def test_the_jobs_of_a_period_not_approved_are_marked_preliminary(
    client_for, coordinator_region, programme_a, job_for
):
    # A draft programme has no published periods, but its report is judged by its rounds.
    programme_a.status = Programme.Status.DRAFT
    programme_a.save()
    approve(programme_a, "2023")
    approved = job_for(coordinator_region, period="2023")
    within = job_for(coordinator_region, period="2023Q2")
    preliminary = job_for(coordinator_region, period="2024")
    client = client_for(coordinator_region)

    listed = client.get(list_url()).content.decode()

    assert "<td>2023</td>" in listed
    assert "<td>2023Q2</td>" in listed
    assert "<td>2024 <strong>(Preliminary: not approved)</strong></td>" in listed
    for job in (approved, within):
        assert "Preliminary" not in client.get(detail_url(job)).content.decode()
    assert "Preliminary: not approved" in client.get(detail_url(preliminary)).content.decode()


# -- a job's page ----------------------------------------------------------------------------


def test_a_job_under_way_polls_and_can_be_refreshed_without_javascript(
    client_for, coordinator_region, job_for
):
    job = job_for(
        coordinator_region, state=ReportJob.State.RUNNING, progress=60, step=STEP_CODES[-1]
    )

    page = client_for(coordinator_region).get(detail_url(job)).content.decode()
    fragment = client_for(coordinator_region).get(detail_url(job), headers={"HX-Request": "true"})

    assert 'aria-live="polite"' in page
    assert '<progress id="report-progress" max="100" value="60">' in page
    assert str(dict(building.STEPS)[STEP_CODES[-1]]) in page
    assert f'<a href="{detail_url(job)}">' in page  # the refresh link
    html = fragment.content.decode()
    assert 'hx-trigger="every 2s"' in html
    assert "<html" not in html
    assert "HX-Request" in fragment["Vary"]


def test_a_finished_job_stops_polling_and_offers_the_file(client_for, coordinator_region, job_for):
    job = job_for(coordinator_region, state=ReportJob.State.DONE, file="reports/x.pdf")

    fragment = client_for(coordinator_region).get(detail_url(job), headers={"HX-Request": "true"})

    html = fragment.content.decode()
    assert "hx-trigger" not in html
    assert "<progress" not in html
    assert download_url(job) in html


def test_a_failed_job_says_so_without_its_details(ask, client_for, coordinator_region, monkeypatch):
    def build(spec, *, reader, progress=None):
        raise RuntimeError("the database said no")

    monkeypatch.setattr(building, "build", build)
    ask(coordinator_region)
    job = ReportJob.objects.get()

    page = client_for(coordinator_region).get(detail_url(job)).content.decode()

    assert job.state == ReportJob.State.FAILED
    assert "The report could not be built" in page
    assert "the database said no" not in page
    assert "hx-trigger" not in page
    assert client_for(coordinator_region).get(download_url(job)).status_code == 404


def test_the_requester_and_the_region_coordinators_see_a_job(
    client_for, coordinator_region, viewer, job_for
):
    job = job_for(viewer)

    assert client_for(viewer).get(detail_url(job)).status_code == 200
    assert client_for(coordinator_region).get(detail_url(job)).status_code == 200


def test_others_of_the_region_do_not_see_someone_elses_job(
    client_for, coordinator_a, viewer, job_for
):
    job = job_for(viewer, state=ReportJob.State.DONE, file="reports/x.pdf")

    assert client_for(coordinator_a).get(detail_url(job)).status_code == 404
    assert client_for(coordinator_a).get(download_url(job)).status_code == 404


def test_another_region_does_not_see_a_job(client_for, coordinator_region, coordinator_b, job_for):
    job = job_for(coordinator_region, state=ReportJob.State.DONE, file="reports/x.pdf")

    assert client_for(coordinator_b).get(detail_url(job)).status_code == 404
    assert client_for(coordinator_b).get(download_url(job)).status_code == 404


def test_a_job_is_not_found_under_another_programme(
    client_for, coordinator_region, job_for, region_a
):
    other = f.ProgrammeFactory(slug="programme-a2", region=region_a)
    job = job_for(coordinator_region)

    url = reverse("reports:detail", args=[other.slug, job.pk])

    assert client_for(coordinator_region).get(url).status_code == 404


def test_a_requester_who_no_longer_sees_the_programme_does_not_see_the_job(
    client_for, coordinator_a, job_for
):
    job = job_for(coordinator_a)
    coordinator_a.memberships.all().delete()

    assert client_for(coordinator_a).get(detail_url(job)).status_code == 404


def test_a_job_sends_anonymous_to_log_in(client, coordinator_region, job_for):
    job = job_for(coordinator_region, state=ReportJob.State.DONE, file="reports/x.pdf")

    for url in (detail_url(job), download_url(job)):
        response = client.get(url)
        assert response.status_code == 302
        assert "/login/" in response["Location"]


def test_a_file_not_yet_built_is_not_found(client_for, coordinator_region, job_for):
    job = job_for(coordinator_region, state=ReportJob.State.RUNNING)

    assert client_for(coordinator_region).get(download_url(job)).status_code == 404


def test_the_dashboard_links_to_the_reports(client_for, coordinator_region, programme_a):
    page = client_for(coordinator_region).get(
        reverse("followup:dashboard", args=[programme_a.slug, "2024"])
    )

    assert list_url() in page.content.decode()
