"""The reports to the council, built from the web: ask for one, watch it being built, download it.

Asking makes a job that a background task builds (hemma/reports/tasks.py). The job's page
shows its progress; with htmx it asks again every two seconds while the report is being
built, and without JavaScript a link does the same. Who may ask and who sees a job is
hemma/reports/policies.py; a job someone may not see does not exist for them (404). Every
response is private to the user (Cache-Control): a report is not public until its period is.
A job whose period is not approved is marked preliminary, as its file is.
"""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from hemma.programmes.models import Programme
from hemma.programmes.selectors import programme_get
from hemma.reports import building, policies, services
from hemma.reports.forms import ReportRequestForm
from hemma.reports.models import ReportJob
from hemma.reports.tasks import file_name

# The jobs listed on a programme's reports page, latest first.
JOBS_SHOWN = 50

# What a person is told when a report could not be built; the reason is logged and kept in
# the job for whoever looks into it (the admin).
FAILED_MESSAGE = gettext_lazy(
    "The report could not be built. Try again; if it fails again, tell the person who "
    "looks after Hemma."
)

CONTENT_TYPES = {
    ReportJob.Format.PDF: "application/pdf",
    ReportJob.Format.DOCX: (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    ),
    ReportJob.Format.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}

_UNDER_WAY = (ReportJob.State.QUEUED, ReportJob.State.RUNNING)


def _private(response: HttpResponseBase) -> HttpResponseBase:
    patch_cache_control(response, private=True, no_cache=True)
    return response


def _job_get(user, programme: Programme, job_id) -> ReportJob:
    job = (
        policies.report_jobs_visible(user)
        .filter(programme=programme, pk=job_id)
        .select_related("programme", "municipality", "requested_by")
        .first()
    )
    if job is None:
        raise Http404
    return job


@login_required
@require_http_methods(["GET", "POST"])
def report_list(request, slug: str):
    programme = programme_get(user=request.user, slug=slug)
    form = ReportRequestForm(
        request.POST or None,
        programme=programme,
        period_choices=building.report_periods(reader=request.user, programme=programme),
    )
    if request.method == "POST" and form.is_valid():
        job = services.report_request(user=request.user, programme=programme, **form.cleaned_data)
        return redirect("reports:detail", slug=programme.slug, job=job.pk)
    jobs = list(
        policies.report_jobs_visible(request.user)
        .filter(programme=programme)
        .select_related("municipality", "requested_by")[:JOBS_SHOWN]
    )
    return _private(
        render(
            request,
            "reports/list.html",
            {
                "programme": programme,
                "form": form,
                "jobs": jobs,
                "under_way": _UNDER_WAY,
                "preliminary": building.preliminary_periods(programme, {j.period for j in jobs}),
            },
        )
    )


@login_required
@require_GET
def report_detail(request, slug: str, job):
    programme = programme_get(user=request.user, slug=slug)
    report = _job_get(request.user, programme, job)
    context = {
        "programme": programme,
        "job": report,
        "under_way": report.state in _UNDER_WAY,
        "step_label": dict(building.STEPS).get(report.step, ""),
        "failed_message": FAILED_MESSAGE,
    }
    # htmx asks for the status alone while it polls.
    if request.htmx:
        template = "reports/_job_status.html"
    else:
        template = "reports/job.html"
        context["preliminary"] = bool(building.preliminary_periods(programme, [report.period]))
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return _private(response)


@login_required
@require_GET
def report_download(request, slug: str, job):
    programme = programme_get(user=request.user, slug=slug)
    report = _job_get(request.user, programme, job)
    if report.state != ReportJob.State.DONE or not report.file:
        raise Http404
    try:
        stream = report.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        stream,
        as_attachment=True,
        filename=file_name(report),
        content_type=CONTENT_TYPES[ReportJob.Format(report.format)],
    )
    return _private(response)
