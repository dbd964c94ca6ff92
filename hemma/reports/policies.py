"""Who may build a report to the council from the web, and who sees the reports built.

- Whoever may see a programme (hemma.programmes.policies.programmes_visible) may build its
  report, for the whole programme or for any municipality it covers, viewers included: the
  report holds nothing they cannot already read on the dashboard, and once the period is
  approved it is a public document anyway. It is built as its requester reads
  (hemma.reports.tasks), so it never shows them more than the pages do.
- A report built is seen (its progress and its file) by the user who asked for it and by the
  coordinators of the programme's region, who answer for what goes to the council; a
  superuser sees every one. Nobody else sees it: it does not exist for them (404).
- Nobody sees a report of a programme they may no longer see, even one they asked for.
"""

from django.db.models import Q, QuerySet

from hemma.accounts.roles import roles_of
from hemma.programmes.models import Programme
from hemma.programmes.policies import can_view_programme, programmes_visible
from hemma.reports.models import ReportJob


def can_request_report(user, programme: Programme) -> bool:
    return user.is_authenticated and can_view_programme(user, programme)


def report_jobs_visible(user) -> QuerySet[ReportJob]:
    if not user.is_authenticated:
        return ReportJob.objects.none()
    jobs = ReportJob.objects.filter(programme__in=programmes_visible(user))
    if user.is_superuser:
        return jobs
    return jobs.filter(
        Q(requested_by=user) | Q(programme__region_id__in=roles_of(user).coordinated_regions)
    )
