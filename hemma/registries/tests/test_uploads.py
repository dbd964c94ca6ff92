"""The upload page the registries' files share (hemma/registries/uploads.py)."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url_name",
    ["registries:upload", "registries:statistics_upload", "registries:placements_upload"],
)
def test_a_form_sent_without_a_file_is_refused_and_saves_nothing(
    client_for, coordinator_region, programme_a, url_name
):
    client = client_for(coordinator_region)
    assert client.get(reverse(url_name)).status_code == 200

    response = client.post(reverse(url_name), {})

    assert response.status_code == 400
    assert "This field is required." in response.text


@pytest.mark.parametrize(
    "url_name",
    ["registries:upload", "registries:statistics_upload", "registries:placements_upload"],
)
def test_a_token_of_no_preview_has_expired(client_for, coordinator_region, programme_a, url_name):
    response = client_for(coordinator_region).post(reverse(url_name), {"token": "made-up"})

    assert response.status_code == 400
    assert "This preview has expired. Upload the file again." in response.text
