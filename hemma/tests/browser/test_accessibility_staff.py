"""axe-core on the staff pages, as the demo's region coordinator sees them.

The demo gives every page something to show (values with every status, activities,
statistics, placements, friend persons, rounds). One test opens them all, so that the demo
is loaded once and a failure lists every page's violations together.
"""

import pytest
from django.contrib.auth import get_user_model

from hemma.information.models import Page
from hemma.registries.models import Activity
from hemma.reports.models import ReportJob
from hemma.tests.browser.axe import scan
from hemma.tests.browser.conftest import DEMO_COORDINATOR, log_in

User = get_user_model()

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_staff_pages_have_no_serious_accessibility_violations(page, live_server, demo):
    indicator = demo.actions.filter(indicators__isnull=False).first().indicators.first()
    action = indicator.action.key
    activity = Activity.objects.order_by("pk").first()
    programme = f"/sv/programmes/{demo.slug}"
    # A report being built: its page shows the progress.
    job = ReportJob.objects.create(
        programme=demo,
        period="2024",
        language="sv",
        format=ReportJob.Format.PDF,
        requested_by=User.objects.get(username=DEMO_COORDINATOR),
        state=ReportJob.State.RUNNING,
        progress=40,
        step="charts",
    )
    # The resident guide, and a page whose Arabic is outdated (hemma/information/demo.py).
    guide = Page.objects.select_related("site").get(
        site__municipality__isnull=True, slug="invanarguiden"
    )
    outdated = Page.objects.select_related("site").get(
        site__slug="jakobstad", actions__key="medborgaraktivitet-och-valdeltagande"
    )
    pages = [
        "/sv/",
        f"{programme}/",
        f"{programme}/actions/{action}/",
        f"{programme}/history/",
        f"{programme}/values/2025/598/",
        f"{programme}/values/2025/region/",
        f"{programme}/values/2025/598/{action}/{indicator.key}/history/",
        f"{programme}/follow-up/2024/",
        f"{programme}/indicators/{action}/{indicator.key}/",
        f"{programme}/rounds/",
        f"{programme}/rounds/2025/",
        f"{programme}/reports/",
        f"{programme}/reports/{job.pk}/",
        "/sv/activities/",
        f"/sv/activities/{activity.code}/",
        "/sv/activities/new/",
        "/sv/statistics/",
        "/sv/placements/",
        "/sv/volunteers/",
        "/sv/me/",
        # The information hub: sites, a site with the follow-up's figures, the resident
        # guide's overview, its Swedish and (a translation beside its source) Arabic, the
        # translations waiting, and a new picture block.
        "/sv/information/",
        "/sv/information/jakobstad/?period=2025",
        f"/sv/information/{guide.site.slug}/{guide.slug}/",
        f"/sv/information/{guide.site.slug}/{guide.slug}/sv/",
        f"/sv/information/{outdated.site.slug}/{outdated.slug}/ar/",
        "/sv/information/translations/",
        f"/sv/information/{guide.site.slug}/{guide.slug}/blocks/new/picture/",
    ]
    found = [scan(page, f"{live_server.url}/sv/accounts/login/")]
    log_in(page, live_server, DEMO_COORDINATOR)
    found += [scan(page, live_server.url + path) for path in pages]

    report = "\n".join(text for text in found if text)
    assert not report, f"Serious or critical WCAG 2.1 AA violations:\n{report}"
    assert page.errors == []  # type: ignore[attr-defined]
