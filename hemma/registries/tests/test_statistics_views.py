"""Service statistics' pages: the table of a period, the figures form, removal, export, the
upload with its preview; and the demo's statistics."""

import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from hemma.accounts.models import Membership
from hemma.audit.models import AuditEvent
from hemma.registries import services
from hemma.registries.demo import demo_statistics_load
from hemma.registries.models import ServiceStatistic
from hemma.tests import factories as f

pytestmark = pytest.mark.django_db

Measure = ServiceStatistic.Measure
LIST = "/en/statistics/"
RECORD = "/en/statistics/record/"
UPLOAD = "/en/statistics/upload/"
EXPORT = "/en/statistics/export."


def _delete_url(statistic) -> str:
    return f"/en/statistics/{statistic.code}/delete/"


@pytest.fixture
def record(region_a):
    """record(municipality, measure, value, period="2024", source="Kelmu"): a statistic."""

    def make(municipality, measure, value, period="2024", source="Kelmu", region=None):
        return services.statistic_record(
            actor=None,
            region=region or municipality.region,
            municipality=municipality,
            period=period,
            measure=measure,
            value=value,
            source=source,
        )

    return make


@pytest.fixture
def plans_a1(record, municipality_a1):
    return record(municipality_a1, Measure.INTEGRATION_PLANS, 14)


@pytest.fixture
def figures(record, municipality_a1, municipality_a2, plans_a1):
    """2024: A1 has 14 plans, 22 assessments, a median of 31.5 days; A2 has 3 plans."""
    record(municipality_a1, Measure.INITIAL_ASSESSMENTS, 22)
    record(municipality_a1, Measure.MEDIAN_DAYS_TO_ASSESSMENT, Decimal("31.5"))
    record(municipality_a2, Measure.INTEGRATION_PLANS, 3)
    return plans_a1


def _csv_file(text: str, name: str = "statistics.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


HEAD = "Municipality code;Municipality;Period;Integration plans;Median days to assessment;Source\n"


# -- the table -------------------------------------------------------------------------------


def test_the_table_of_the_latest_period_shows_each_municipalitys_figures(
    client_for, coordinator_region, record, municipality_a1, figures
):
    # Given figures of 2024 and one older one of 2023
    record(municipality_a1, Measure.INTEGRATION_PLANS, 99, period="2023")
    # When the region coordinator opens the list
    response = client_for(coordinator_region).get(LIST)
    # Then they see the table of 2024, the latest period, with every figure in full
    assert response.status_code == 200
    assert "Service statistics of 2024, by municipality" in response.text
    assert "A-stad" in response.text and "A-by" in response.text
    assert ">14<" in response.text and ">22<" in response.text and "31.5" in response.text
    assert ">99<" not in response.text
    assert "4 figures" in response.text
    assert "Record figures" in response.text


def test_a_small_count_is_shown_in_full_and_marked_as_never_published(
    client_for, coordinator_region, figures
):
    response = client_for(coordinator_region).get(LIST)
    # A-by's 3 plans: below the threshold of 5
    assert ">3<abbr" in response.text
    assert "Below 5: shown here in full, never published" in response.text


def test_the_filters_narrow_the_table(
    client_for, coordinator_region, record, municipality_a1, figures
):
    record(municipality_a1, Measure.INTEGRATION_PLANS, 99, period="2023")
    client = client_for(coordinator_region)
    only_plans = client.get(LIST, {"measure": Measure.INTEGRATION_PLANS})
    assert 'class="number">Integration plans made</th>' in only_plans.text
    assert 'class="number">Initial assessments made</th>' not in only_plans.text
    assert "2 figures" in only_plans.text
    only_a2 = client.get(LIST, {"municipality": "102"})
    assert ">A-by</span></th>" in only_a2.text
    assert ">A-stad</span></th>" not in only_a2.text
    older = client.get(LIST, {"period": "2023"})
    assert ">99<" in older.text and ">14<" not in older.text
    every = client.get(LIST, {"period": "all"})
    assert ">99<" in every.text and ">14<" in every.text and "5 figures" in every.text


def test_a_municipal_coordinator_sees_only_their_own_municipality(
    client_for, coordinator_a, figures
):
    response = client_for(coordinator_a).get(LIST)
    assert response.status_code == 200
    assert "A-stad" in response.text
    assert "A-by" not in response.text
    assert "3 figures" in response.text


def test_another_regions_coordinator_sees_none_of_the_figures(client_for, coordinator_b, figures):
    response = client_for(coordinator_b).get(LIST)
    assert response.status_code == 200
    assert "A-stad" not in response.text
    assert "0 figures" in response.text
    assert "Record figures" not in response.text


def test_a_viewer_reads_the_table_but_is_offered_no_recording(client_for, viewer, figures):
    response = client_for(viewer).get(LIST)
    assert ">14<" in response.text
    assert "Record figures" not in response.text
    assert "Upload a file" not in response.text
    assert f"{RECORD}?municipality=" not in response.text


def test_anonymous_is_sent_to_log_in_from_every_page(client, plans_a1):
    pages = [
        LIST,
        RECORD,
        UPLOAD,
        EXPORT + "csv",
        EXPORT + "xlsx",
        _delete_url(plans_a1),
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 302, url
        assert "/accounts/login/" in response["Location"]
    for url in (RECORD, UPLOAD, _delete_url(plans_a1)):
        response = client.post(url, {"municipality": "101", "period": "2024"})
        assert response.status_code == 302, url
        assert "/accounts/login/" in response["Location"]
    assert ServiceStatistic.objects.filter(pk=plans_a1.pk).exists()


@pytest.mark.parametrize("size", [1, 8])
def test_the_table_reads_a_fixed_number_of_queries(
    client_for, coordinator_region, region_a, record, django_assert_max_num_queries, size
):
    # Given `size` municipalities with every measure in two periods
    for n in range(size):
        municipality = f.MunicipalityFactory(code=f"{300 + n}", region=region_a)
        for period in ("2023", "2024"):
            for measure in Measure.values:
                record(municipality, measure, 10 + n, period=period)
    client = client_for(coordinator_region)
    # Then the table of a period, and of all periods, takes the same number of queries
    with django_assert_max_num_queries(14):
        response = client.get(LIST)
    assert response.status_code == 200
    with django_assert_max_num_queries(14):
        response = client.get(LIST, {"period": "all"})
    assert f"{size * 12} figures" in response.text


# -- export ----------------------------------------------------------------------------------


def test_the_export_holds_the_filtered_figures_in_the_upload_format(
    client_for, coordinator_region, record, municipality_a1, figures
):
    record(municipality_a1, Measure.INTEGRATION_PLANS, 99, period="2023")
    client = client_for(coordinator_region)
    response = client.get(EXPORT + "csv", {"period": "2024"})
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    text = response.content.decode("utf-8-sig")
    assert text.splitlines()[0].startswith("Municipality code;Municipality;Period;")
    assert "101;" in text and ";14;" in text and "31,5" in text
    assert ";3;" in text  # a small count in full: the coordinators' own export
    assert "99" not in text
    workbook = openpyxl.load_workbook(io.BytesIO(client.get(EXPORT + "xlsx").content))
    cells = [c for row in workbook.active.iter_rows(values_only=True) for c in row]
    assert 14 in cells and "Integration plans" in cells


def test_the_export_of_another_region_holds_nothing_of_region_a(client_for, coordinator_b, figures):
    text = client_for(coordinator_b).get(EXPORT + "csv", {"period": "all"}).content.decode()
    assert "101" not in text


def test_an_unknown_export_format_is_not_found(client_for, coordinator_region):
    assert client_for(coordinator_region).get(EXPORT + "pdf").status_code == 404


# -- the figures form ------------------------------------------------------------------------


def test_a_coordinator_records_a_municipalitys_figures_of_a_period_in_one_form(
    client_for, coordinator_region, municipality_a2
):
    client = client_for(coordinator_region)
    # Given the form for A-by, 2024
    page = client.get(RECORD, {"municipality": "102", "period": "2024"})
    assert page.status_code == 200
    assert "Integration plans made" in page.text and "Interpreter-assisted meetings" in page.text
    # When they fill in three of the figures, with the source
    response = client.post(
        RECORD,
        {
            "municipality": "102",
            "period": "2024",
            f"value_{Measure.INITIAL_ASSESSMENTS}": "12",
            f"value_{Measure.INTEGRATION_PLANS}": "7",
            f"value_{Measure.MEDIAN_DAYS_TO_ASSESSMENT}": "28.5",
            "source": "Kelmu 2024",
        },
    )
    # Then they are recorded, and the table of 2024 shows them
    assert response.status_code == 302
    assert response["Location"] == f"{LIST}?period=2024"
    stored = {
        s.measure: (s.value, s.source)
        for s in ServiceStatistic.objects.filter(municipality=municipality_a2, period="2024")
    }
    assert stored == {
        Measure.INITIAL_ASSESSMENTS: (Decimal("12"), "Kelmu 2024"),
        Measure.INTEGRATION_PLANS: (Decimal("7"), "Kelmu 2024"),
        Measure.MEDIAN_DAYS_TO_ASSESSMENT: (Decimal("28.5"), "Kelmu 2024"),
    }


def test_correcting_a_figure_changes_only_it_and_emptying_one_removes_it(
    client_for, coordinator_region, municipality_a1, figures
):
    client = client_for(coordinator_region)
    page = client.get(RECORD, {"municipality": "101", "period": "2024"})
    assert 'value="14"' in page.text  # the stored figures are filled in
    version = page.context["form"][f"version_{Measure.INTEGRATION_PLANS}"].value()
    response = client.post(
        RECORD,
        {
            "municipality": "101",
            "period": "2024",
            f"value_{Measure.INTEGRATION_PLANS}": "15",
            f"version_{Measure.INTEGRATION_PLANS}": version,
            f"value_{Measure.INITIAL_ASSESSMENTS}": "",
            f"value_{Measure.MEDIAN_DAYS_TO_ASSESSMENT}": "31.5",
            "source": "Kelmu",
        },
    )
    assert response.status_code == 302
    stored = dict(
        ServiceStatistic.objects.filter(municipality=municipality_a1, period="2024").values_list(
            "measure", "value"
        )
    )
    assert stored == {
        Measure.INTEGRATION_PLANS: Decimal("15"),
        Measure.MEDIAN_DAYS_TO_ASSESSMENT: Decimal("31.5"),
    }
    # Each change is in the audit trail, old → new
    assert AuditEvent.objects.filter(
        verb="update", target_id=str(figures.pk), changes__has_key="value"
    ).exists()
    assert AuditEvent.objects.filter(verb="delete", changes__has_key="value").exists()


def test_a_count_with_decimals_is_refused_at_its_field_and_nothing_is_saved(
    client_for, coordinator_region, municipality_a2
):
    response = client_for(coordinator_region).post(
        RECORD,
        {
            "municipality": "102",
            "period": "2024",
            f"value_{Measure.INTEGRATION_PLANS}": "7.5",
            f"value_{Measure.INITIAL_ASSESSMENTS}": "12",
        },
    )
    assert response.status_code == 400
    assert "Please correct the fields marked below" in response.text
    assert response.context["form"].errors[f"value_{Measure.INTEGRATION_PLANS}"]
    assert not ServiceStatistic.objects.exists()


def test_a_figure_changed_meanwhile_is_not_overwritten(
    client_for, coordinator_region, record, municipality_a1, plans_a1
):
    client = client_for(coordinator_region)
    page = client.get(RECORD, {"municipality": "101", "period": "2024"})
    version = page.context["form"][f"version_{Measure.INTEGRATION_PLANS}"].value()
    # Someone else corrects the figure meanwhile
    record(municipality_a1, Measure.INTEGRATION_PLANS, 16)
    response = client.post(
        RECORD,
        {
            "municipality": "101",
            "period": "2024",
            f"value_{Measure.INTEGRATION_PLANS}": "15",
            f"version_{Measure.INTEGRATION_PLANS}": version,
            "source": "Kelmu",
        },
    )
    assert response.status_code == 400
    assert "Someone else saved this statistic meanwhile" in response.text
    assert ServiceStatistic.objects.get(pk=plans_a1.pk).value == Decimal("16")


def test_a_bad_period_is_refused(client_for, coordinator_region, municipality_a1):
    response = client_for(coordinator_region).post(
        RECORD, {"municipality": "101", "period": "last year"}
    )
    assert response.status_code == 400
    assert "Not a period" in response.text
    assert not ServiceStatistic.objects.exists()


def test_a_municipal_coordinator_records_for_their_own_municipality_only(
    client_for, coordinator_a, municipality_a1, municipality_a2
):
    client = client_for(coordinator_a)
    own = client.post(
        RECORD,
        {"municipality": "101", "period": "2024", f"value_{Measure.INTEGRATION_PLANS}": "4"},
    )
    assert own.status_code == 302
    # A neighbour's figures are not theirs to see: not found
    other = client.post(
        RECORD,
        {"municipality": "102", "period": "2024", f"value_{Measure.INTEGRATION_PLANS}": "4"},
    )
    assert other.status_code == 404
    assert client.get(RECORD, {"municipality": "102"}).status_code == 404
    assert list(ServiceStatistic.objects.values_list("municipality__code", flat=True)) == ["101"]


def test_a_viewer_may_not_record(client_for, viewer, municipality_a1):
    client = client_for(viewer)
    assert client.get(RECORD).status_code == 403
    response = client.post(
        RECORD,
        {"municipality": "101", "period": "2024", f"value_{Measure.INTEGRATION_PLANS}": "4"},
    )
    assert response.status_code == 403
    assert not ServiceStatistic.objects.exists()


def test_another_regions_municipality_is_not_found(
    client_for, coordinator_b, municipality_a1, municipality_b1
):
    client = client_for(coordinator_b)
    response = client.post(
        RECORD,
        {"municipality": "101", "period": "2024", f"value_{Measure.INTEGRATION_PLANS}": "4"},
    )
    assert response.status_code == 404
    assert not ServiceStatistic.objects.exists()


# -- removal ---------------------------------------------------------------------------------


def test_a_coordinator_removes_a_figure_after_confirming(client_for, coordinator_region, plans_a1):
    client = client_for(coordinator_region)
    page = client.get(_delete_url(plans_a1))
    assert page.status_code == 200
    assert "Remove the figure?" in page.text and "14" in page.text
    response = client.post(_delete_url(plans_a1))
    assert response.status_code == 302
    assert not ServiceStatistic.objects.filter(pk=plans_a1.pk).exists()
    assert AuditEvent.objects.filter(verb="delete", target_id=str(plans_a1.pk)).exists()


def test_a_viewer_may_not_remove_a_figure(client_for, viewer, plans_a1):
    client = client_for(viewer)
    assert client.get(_delete_url(plans_a1)).status_code == 403
    assert client.post(_delete_url(plans_a1)).status_code == 403
    assert ServiceStatistic.objects.filter(pk=plans_a1.pk).exists()


def test_another_regions_coordinator_cannot_find_the_figure(client_for, coordinator_b, plans_a1):
    client = client_for(coordinator_b)
    assert client.get(_delete_url(plans_a1)).status_code == 404
    assert client.post(_delete_url(plans_a1)).status_code == 404
    assert ServiceStatistic.objects.filter(pk=plans_a1.pk).exists()


def test_a_neighbours_figure_is_not_found_for_a_municipal_coordinator(
    client_for, coordinator_a, record, municipality_a2
):
    theirs = record(municipality_a2, Measure.INTEGRATION_PLANS, 3)
    assert client_for(coordinator_a).post(_delete_url(theirs)).status_code == 404
    assert ServiceStatistic.objects.filter(pk=theirs.pk).exists()


# -- the upload ------------------------------------------------------------------------------


def test_an_upload_is_previewed_old_to_new_then_saved_when_confirmed(
    client_for, coordinator_region, municipality_a1, municipality_a2, plans_a1
):
    client = client_for(coordinator_region)
    assert client.get(UPLOAD).status_code == 200
    # When a file corrects A-stad's plans and gives A-by's for the first time
    upload = _csv_file(HEAD + "101;A-stad;2024;16;;Kelmu\n102;A-by;2024;4;27,5;Kelmu\n")
    preview = client.post(UPLOAD, {"file": upload})
    # Then the preview shows each change, and nothing is saved yet
    assert preview.status_code == 200
    assert "<del>14</del> → <ins>16</ins>" in preview.text
    assert "<ins>27.5</ins>" in preview.text
    assert "Save the figures" in preview.text
    assert ServiceStatistic.objects.count() == 1
    token = preview.context["token"]
    # When they confirm, everything is saved
    saved = client.post(UPLOAD, {"token": token, "region": "region-a", "confirm": "1"})
    assert saved.status_code == 302
    stored = dict(
        ServiceStatistic.objects.filter(municipality=municipality_a2).values_list(
            "measure", "value"
        )
    )
    assert stored == {
        Measure.INTEGRATION_PLANS: Decimal("4"),
        Measure.MEDIAN_DAYS_TO_ASSESSMENT: Decimal("27.5"),
    }
    assert ServiceStatistic.objects.get(pk=plans_a1.pk).value == Decimal("16")
    # And the token cannot be used twice
    again = client.post(UPLOAD, {"token": token, "region": "region-a", "confirm": "1"})
    assert again.status_code == 400
    assert "This preview has expired" in again.text


def test_a_changed_source_is_previewed_as_the_source_old_to_new(
    client_for, coordinator_region, municipality_a1, plans_a1
):
    # Given A-stad's 14 plans of 2024 from Kelmu; when a file gives 14 from another source
    client = client_for(coordinator_region)
    upload = _csv_file(HEAD + "101;A-stad;2024;14;;Kotoutumisrekisteri\n")
    preview = client.post(UPLOAD, {"file": upload})
    # Then the preview shows the source old → new, not the figure
    assert preview.status_code == 200
    assert "<del>Kelmu</del> → <ins>Kotoutumisrekisteri</ins>" in preview.text
    assert "<del>14</del>" not in preview.text
    assert "Figures changed: 0" in preview.text
    assert "Sources or notes changed: 1" in preview.text
    # And saving says so
    token = preview.context["token"]
    saved = client.post(UPLOAD, {"token": token, "region": "region-a", "confirm": "1"}, follow=True)
    assert "0 figures changed, 1 source or note changed" in saved.text
    assert ServiceStatistic.objects.get(pk=plans_a1.pk).source == "Kotoutumisrekisteri"


def test_a_cancelled_upload_saves_nothing(client_for, coordinator_region, municipality_a1):
    client = client_for(coordinator_region)
    preview = client.post(UPLOAD, {"file": _csv_file(HEAD + "101;A-stad;2024;16;;Kelmu\n")})
    token = preview.context["token"]
    response = client.post(UPLOAD, {"token": token, "region": "region-a", "cancel": "1"})
    assert response.status_code == 302
    assert not ServiceStatistic.objects.exists()
    confirm = client.post(UPLOAD, {"token": token, "region": "region-a", "confirm": "1"})
    assert confirm.status_code == 400
    assert not ServiceStatistic.objects.exists()


def test_a_file_with_problems_shows_them_by_row_and_column_and_cannot_be_saved(
    client_for, coordinator_region, municipality_a1, municipality_a2
):
    client = client_for(coordinator_region)
    upload = _csv_file(
        HEAD + "101;A-stad;2024;16;;Kelmu\n102;A-by;2024;4,5;;Kelmu\n999;X;2024;3;;Kelmu\n"
    )
    response = client.post(UPLOAD, {"file": upload})
    assert response.status_code == 400
    assert "The file cannot be imported" in response.text
    problems = {(p.row, p.column) for p in response.context["problems"]}
    assert (3, "D") in problems  # 4,5 integration plans: not a whole number
    assert (4, "A") in problems  # no municipality 999 in the region
    assert "A count is a whole number" in response.text
    assert "Save the figures" not in response.text
    assert response.context["token"] == ""
    assert not ServiceStatistic.objects.exists()


def test_a_token_of_another_session_is_refused(
    client_for, coordinator_region, region_a, municipality_a1
):
    preview = client_for(coordinator_region).post(
        UPLOAD, {"file": _csv_file(HEAD + "101;A-stad;2024;16;;Kelmu\n")}
    )
    other = f.member(
        f.UserFactory(username="other"), Membership.Role.REGION_COORDINATOR, region=region_a
    )
    response = client_for(other).post(
        UPLOAD, {"token": preview.context["token"], "region": "region-a", "confirm": "1"}
    )
    assert response.status_code == 400
    assert not ServiceStatistic.objects.exists()


def test_a_municipal_coordinators_file_may_not_touch_a_neighbour(
    client_for, coordinator_a, municipality_a1, municipality_a2
):
    upload = _csv_file(HEAD + "102;A-by;2024;4;;Kelmu\n")
    response = client_for(coordinator_a).post(UPLOAD, {"file": upload})
    assert response.status_code == 400
    assert "You may not record statistics for" in response.text
    assert not ServiceStatistic.objects.exists()


def test_a_viewer_may_not_upload(client_for, viewer, municipality_a1):
    client = client_for(viewer)
    assert client.get(UPLOAD).status_code == 403
    response = client.post(UPLOAD, {"file": _csv_file(HEAD + "101;A-stad;2024;16;;Kelmu\n")})
    assert response.status_code == 403
    assert not ServiceStatistic.objects.exists()


def test_another_regions_coordinator_may_not_upload_into_region_a(
    client_for, coordinator_b, municipality_a1, municipality_b1
):
    client = client_for(coordinator_b)
    assert client.get(UPLOAD, {"region": "region-a"}).status_code == 404
    response = client.post(
        UPLOAD,
        {"region": "region-a", "file": _csv_file(HEAD + "101;A-stad;2024;16;;Kelmu\n")},
    )
    assert response.status_code == 404
    # Their own region's upload does not know A's municipality either
    own = client.post(UPLOAD, {"file": _csv_file(HEAD + "101;A-stad;2024;16;;Kelmu\n")})
    assert own.status_code == 400
    assert not ServiceStatistic.objects.exists()


# -- the demo --------------------------------------------------------------------------------


def test_the_demo_records_three_years_of_statistics_once(seed_programme):
    recorded = demo_statistics_load(programme=seed_programme)
    statistics = ServiceStatistic.objects.filter(region=seed_programme.region)
    assert recorded == statistics.count() == 5 * 3 * len(Measure.values)
    assert set(statistics.values_list("period", flat=True)) == {"2023", "2024", "2025"}

    def plans(code: str) -> Decimal:
        return statistics.get(
            municipality__code=code, period="2024", measure=Measure.INTEGRATION_PLANS
        ).value

    # Jakobstad (about 19,000 inhabitants) makes more plans than Larsmo (about 5,500)
    assert plans("598") > plans("440")
    # Some counts of the small municipalities are below the suppression threshold
    small = statistics.filter(
        measure__in=ServiceStatistic.COUNTS, value__gt=0, value__lt=5
    ).values_list("municipality__code", flat=True)
    assert "440" in set(small) and "598" not in set(small)
    # The same figures every time, and loaded once
    first = list(statistics.order_by("pk").values_list("value", flat=True))
    assert demo_statistics_load(programme=seed_programme) == 0
    assert list(statistics.order_by("pk").values_list("value", flat=True)) == first
