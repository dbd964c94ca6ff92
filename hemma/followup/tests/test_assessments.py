"""A coordinator's manual assessment of an action, beside its computed status."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.urls import reverse

from hemma.audit.models import AuditEvent
from hemma.followup.locks import PeriodLocked
from hemma.followup.models import Assessment, Measurement, Round
from hemma.followup.services import assessment_delete, assessment_record, measurement_record

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def assess_url(place="101", period="2024"):
    return reverse("followup:assessment", args=["programme-a", period, place, "joint-meetings"])


def grid_url(place="101", period="2024"):
    return reverse("followup:grid", args=["programme-a", period, place])


def assess(actor, action, municipality, **fields):
    args = {"period": "2024", "status": "met", "justification": "Held three meetings"}
    args.update(fields)
    return assessment_record(actor=actor, action=action, municipality=municipality, **args)


def approve(programme, period="2024"):
    Round.objects.create(
        programme=programme,
        period=period,
        deadline=datetime.date(2025, 3, 1),
        state=Round.State.APPROVED,
    )


# -- the service ------------------------------------------------------------------------------


def test_recording_an_assessment_keeps_it_with_its_author_and_audits_it(
    coordinator_region, action_a, municipality_a1
):
    assessment = assess(coordinator_region, action_a, municipality_a1)

    assert (assessment.status, assessment.justification) == ("met", "Held three meetings")
    assert assessment.assessed_by == coordinator_region
    event = AuditEvent.objects.get(target_type="followup.assessment")
    assert event.verb == "create"
    assert event.changes["status"] == [None, "met"]
    assert event.changes["municipality"] == [None, "101"]


def test_changing_an_assessment_audits_old_and_new(coordinator_region, action_a, municipality_a1):
    assess(coordinator_region, action_a, municipality_a1)

    assess(
        coordinator_region,
        action_a,
        municipality_a1,
        status="partly_met",
        justification="One meeting was cancelled",
    )

    assert Assessment.objects.get().status == "partly_met"
    event = AuditEvent.objects.filter(verb="update").get()
    assert event.changes == {
        "status": ["met", "partly_met"],
        "justification": ["Held three meetings", "One meeting was cancelled"],
    }


def test_an_assessment_needs_a_justification(coordinator_region, action_a, municipality_a1):
    with pytest.raises(ValidationError) as raised:
        assess(coordinator_region, action_a, municipality_a1, justification="   ")

    assert raised.value.message_dict == {"justification": ["Give the reason for the assessment."]}
    assert not Assessment.objects.exists()


def test_an_assessment_is_a_judgement_not_no_data(coordinator_region, action_a, municipality_a1):
    with pytest.raises(ValidationError) as raised:
        assess(coordinator_region, action_a, municipality_a1, status="no_data")

    assert "status" in raised.value.message_dict


def test_a_locked_period_refuses_an_assessment_and_its_removal(
    coordinator_region, action_a, municipality_a1, programme_a
):
    assess(coordinator_region, action_a, municipality_a1)
    approve(programme_a)

    with pytest.raises(PeriodLocked):
        assess(coordinator_region, action_a, municipality_a1, status="not_met")
    with pytest.raises(PeriodLocked):
        assessment_delete(
            actor=coordinator_region, action=action_a, municipality=municipality_a1, period="2024"
        )

    assert Assessment.objects.get().status == "met"


def test_who_may_assess_follows_who_may_record_values(
    coordinator_a, viewer, coordinator_b, action_a, municipality_a1, municipality_a2
):
    assess(coordinator_a, action_a, municipality_a1)

    with pytest.raises(PermissionDenied):
        assess(coordinator_a, action_a, municipality_a2)
    with pytest.raises(PermissionDenied):
        assess(coordinator_a, action_a, None)
    with pytest.raises(PermissionDenied):
        assess(viewer, action_a, municipality_a1)
    with pytest.raises(Http404):
        assess(coordinator_b, action_a, municipality_a1)
    assert Assessment.objects.count() == 1


def test_removing_an_assessment_is_audited(coordinator_region, action_a, municipality_a1):
    assess(coordinator_region, action_a, municipality_a1)

    assessment_delete(
        actor=coordinator_region, action=action_a, municipality=municipality_a1, period="2024"
    )

    assert not Assessment.objects.exists()
    event = AuditEvent.objects.get(verb="delete")
    assert event.changes["status"] == ["met", None]


# -- the grid ---------------------------------------------------------------------------------


def test_the_assessment_is_shown_beside_the_computed_status(
    client_for, coordinator_region, action_a, municipality_a1, band_indicator
):
    measurement_record(
        actor=None,
        indicator=band_indicator,
        municipality="101",
        period="2024",
        values={"number": 1},
        version=None,
        source=Measurement.Source.WEB,
    )
    assess(coordinator_region, action_a, municipality_a1, justification="Two were joint events")

    html = client_for(coordinator_region).get(grid_url()).content.decode()

    summary = html.split('id="summary-joint-meetings"')[1].split("</div>")[0]
    assert "Computed:" in summary
    assert "Not met</span> (0 of 1 met)" in summary
    assert "Assessment:" in summary
    assert 'Met</span> — <span class="as-written">Two were joint events</span>' in summary


def test_the_form_comes_in_place_and_saving_gives_back_the_summary(
    client_for, coordinator_region, action_a
):
    client = client_for(coordinator_region)

    form = client.get(assess_url(), **HTMX)
    saved = client.post(
        assess_url(), {"status": "partly_met", "justification": "Half of it"}, **HTMX
    )

    assert form.status_code == 200
    assert 'name="justification"' in form.content.decode()
    assert "<html" not in form.content.decode()
    html = saved.content.decode()
    assert "The assessment was saved." in html
    assert 'Partly met</span> — <span class="as-written">Half of it</span>' in html
    assert Assessment.objects.get().status == "partly_met"


def test_without_javascript_the_assessment_has_its_own_page_and_returns_to_the_grid(
    client_for, coordinator_region, action_a
):
    client = client_for(coordinator_region)

    page = client.get(assess_url())
    saved = client.post(assess_url(), {"status": "met", "justification": "Done"})

    assert "Assess the action" in page.content.decode()
    assert saved.status_code == 302
    assert saved["Location"] == grid_url() + "#action-joint-meetings"
    assert "The assessment was saved." in client.get(saved["Location"]).content.decode()


def test_a_missing_justification_is_told_in_place(client_for, coordinator_region, action_a):
    response = client_for(coordinator_region).post(
        assess_url(), {"status": "met", "justification": ""}, **HTMX
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert "Give the reason for the assessment." in html
    assert 'aria-invalid="true"' in html
    assert not Assessment.objects.exists()


def test_removing_the_assessment_from_the_grid(
    client_for, coordinator_region, action_a, municipality_a1
):
    assess(coordinator_region, action_a, municipality_a1)

    response = client_for(coordinator_region).post(assess_url(), {"delete": "1"}, **HTMX)

    assert "The assessment was removed." in response.content.decode()
    assert not Assessment.objects.exists()


def test_viewer_may_not_assess(client_for, viewer, action_a):
    client = client_for(viewer)

    assert client.post(assess_url(), {"status": "met", "justification": "x"}).status_code == 403
    assert not Assessment.objects.exists()


def test_assessing_in_another_regions_programme_is_not_found(client_for, coordinator_b, action_a):
    response = client_for(coordinator_b).post(assess_url(), {"status": "met", "justification": "x"})

    assert response.status_code == 404


def test_assessing_asks_an_anonymous_visitor_to_log_in(client, action_a):
    response = client.post(assess_url(), {"status": "met", "justification": "x"})

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_municipal_coordinator_assesses_only_their_own_municipality(
    client_for, coordinator_a, action_a
):
    client = client_for(coordinator_a)

    own = client.post(assess_url(), {"status": "met", "justification": "x"}, **HTMX)
    neighbour = client.post(assess_url("102"), {"status": "met", "justification": "x"}, **HTMX)

    assert own.status_code == 200
    assert neighbour.status_code == 403
    assert Assessment.objects.get().municipality.code == "101"


def test_a_locked_period_refuses_an_assessment_from_the_grid(
    client_for, coordinator_region, action_a, programme_a
):
    approve(programme_a)

    response = client_for(coordinator_region).post(
        assess_url(), {"status": "met", "justification": "x"}, **HTMX
    )

    assert "approved and locked" in response.content.decode()
    assert not Assessment.objects.exists()
