"""The REST API under /api/v1/programmes: the same policies as the web, import and export."""

import copy
import io
import json

import pytest
import yaml
from django.test import Client
from openapi_spec_validator import validate

from hemma.accounts.models import Membership
from hemma.accounts.services import token_create, token_revoke
from hemma.audit.models import AuditEvent
from hemma.organisations.models import Region
from hemma.programmes.interchange.exporting import programme_document
from hemma.programmes.interchange.files import EXPORT_FORMATS
from hemma.programmes.models import Action, Indicator, Programme
from hemma.tests import factories as f

pytestmark = pytest.mark.django_db

URL = "/api/v1/programmes"


@pytest.fixture
def api_for():
    """api_for(user): a client that sends that user's new token (in English); None: no token."""

    def make(user=None, **client_options) -> Client:
        headers = {"Accept-Language": "en"}
        if user is not None:
            _token, secret = token_create(user=user, name="test")
            headers["Authorization"] = f"Bearer {secret}"
        return Client(headers=headers, **client_options)

    return make


def post_json(client: Client, url: str, document):
    return client.post(url, data=json.dumps(document), content_type="application/json")


def upload(client: Client, url: str, content: bytes, name: str):
    stream = io.BytesIO(content)
    stream.name = name
    return client.post(url, data={"file": stream})


def as_json(document: dict) -> dict:
    """The document as it travels: dates as text."""
    return json.loads(json.dumps(document, default=str))


@pytest.fixture
def seed_region_coordinator(seed_document):
    """A coordinator of the region the seed document names (made empty if not there yet)."""
    data = seed_document["programme"]["region"]
    region, _new = Region.objects.get_or_create(key=data["key"], defaults={"name": data["name"]})
    user = f.UserFactory(username="seed_coordinator")
    return f.member(user, Membership.Role.REGION_COORDINATOR, region=region)


# -- GET /programmes ---------------------------------------------------------------------------


def test_list_gives_the_users_programmes_with_their_summary(
    api_for, coordinator_region, programme_a, programme_b
):
    response = api_for(coordinator_region).get(URL)

    assert response.status_code == 200
    assert response.json() == {
        "count": 1,
        "items": [
            {
                "slug": "programme-a",
                "title": {"sv": "Program programme-a", "en": "Programme programme-a"},
                "kind": "integration_programme",
                "legal_basis": "",
                "period": {"start": 2023, "end": 2025},
                "status": "approved",
                "region": "region-a",
                "municipalities": ["101", "102"],
                "action_count": 1,
            }
        ],
    }


def test_list_of_another_regions_coordinator_leaves_programme_a_out(
    api_for, coordinator_b, programme_a, programme_b
):
    response = api_for(coordinator_b).get(URL)

    assert [p["slug"] for p in response.json()["items"]] == ["programme-b"]


@pytest.mark.parametrize("user", ["viewer", "coordinator_a"])
def test_list_shows_programme_a_to_those_who_only_read_it(api_for, request, user, programme_a):
    response = api_for(request.getfixturevalue(user)).get(URL)

    assert [p["slug"] for p in response.json()["items"]] == ["programme-a"]


def test_list_is_paginated_with_limit_and_offset(api_for, coordinator_region, region_a):
    for year in (2019, 2020, 2021):
        f.ProgrammeFactory(slug=f"old-{year}", region=region_a, period_start=year, period_end=year)
    client = api_for(coordinator_region)

    first = client.get(URL, {"limit": 2}).json()
    rest = client.get(URL, {"limit": 2, "offset": 2}).json()

    assert first["count"] == rest["count"] == 3
    assert [p["slug"] for p in first["items"]] == ["old-2021", "old-2020"]
    assert [p["slug"] for p in rest["items"]] == ["old-2019"]


def test_list_reads_in_the_same_number_of_queries_for_many_programmes(
    api_for, coordinator_region, region_a, municipality_a1, municipality_a2,
    django_assert_max_num_queries,
):  # fmt: skip
    client = api_for(coordinator_region)
    for n in range(8):
        programme = f.ProgrammeFactory(slug=f"p-{n}", region=region_a)
        programme.municipalities.set([municipality_a1, municipality_a2])
        f.ActionFactory(goal__theme__programme=programme)

    with django_assert_max_num_queries(6):
        response = client.get(URL)

    assert response.json()["count"] == 8


# -- GET /programmes/{slug} --------------------------------------------------------------------


def test_detail_gives_the_whole_tree_as_the_interchange_document(
    api_for, coordinator_region, programme_a
):
    response = api_for(coordinator_region).get(f"{URL}/programme-a")

    assert response.status_code == 200
    tree = response.json()
    assert tree == as_json(programme_document(programme_a)["programme"])
    indicator = tree["themes"][0]["goals"][0]["actions"][0]["indicators"][0]
    assert indicator["target"] == {"type": "band", "min": 2, "max": 4}
    assert "legal_basis" not in tree  # absent, as in the document: not null


def test_detail_of_programme_a_is_not_found_for_another_regions_coordinator(
    api_for, coordinator_b, programme_a
):
    response = api_for(coordinator_b).get(f"{URL}/programme-a")

    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


@pytest.mark.parametrize("user", ["viewer", "coordinator_a"])
def test_detail_is_readable_by_those_who_only_read(api_for, request, user, programme_a):
    response = api_for(request.getfixturevalue(user)).get(f"{URL}/programme-a")

    assert response.status_code == 200
    assert response.json()["slug"] == "programme-a"


def test_detail_reads_the_seed_in_as_many_queries_as_a_one_action_programme(
    api_for, seed_programme, seed_region_coordinator, django_assert_max_num_queries
):
    # The seed has 24 actions; programme-a's test in the same bound has one. The tree is
    # prefetched, so the count does not grow with the programme.
    seed_client = api_for(seed_region_coordinator)
    with django_assert_max_num_queries(14):
        response = seed_client.get(f"{URL}/{seed_programme.slug}")

    actions = [a for t in response.json()["themes"] for g in t["goals"] for a in g["actions"]]
    assert len(actions) == 24


def test_detail_of_a_small_programme_stays_in_the_same_bound(
    api_for, coordinator_region, programme_a, django_assert_max_num_queries
):
    client = api_for(coordinator_region)
    with django_assert_max_num_queries(14):
        response = client.get(f"{URL}/programme-a")
    assert response.status_code == 200


# -- GET /programmes/{slug}/export -------------------------------------------------------------


def test_export_json_is_the_document_as_a_download(api_for, coordinator_region, programme_a):
    response = api_for(coordinator_region).get(f"{URL}/programme-a/export", {"format": "json"})

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"] == 'attachment; filename="programme-a.json"'
    assert json.loads(response.content) == as_json(programme_document(programme_a))


def test_export_yaml_is_the_document_as_a_download(api_for, coordinator_region, programme_a):
    response = api_for(coordinator_region).get(f"{URL}/programme-a/export", {"format": "yaml"})

    assert response.status_code == 200
    assert response["Content-Type"] == "application/yaml"
    assert response["Content-Disposition"] == 'attachment; filename="programme-a.yaml"'
    assert as_json(yaml.safe_load(response.content)) == as_json(programme_document(programme_a))


def test_export_defaults_to_json(api_for, viewer, programme_a):
    response = api_for(viewer).get(f"{URL}/programme-a/export")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"


def test_export_of_programme_a_is_not_found_for_another_regions_coordinator(
    api_for, coordinator_b, programme_a
):
    response = api_for(coordinator_b).get(f"{URL}/programme-a/export", {"format": "json"})

    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


def test_export_in_an_unknown_format_is_refused(api_for, coordinator_region, programme_a):
    response = api_for(coordinator_region).get(f"{URL}/programme-a/export", {"format": "pdf"})

    assert response.status_code == 422


# -- POST /programmes/import -------------------------------------------------------------------


def test_importing_the_seed_as_a_json_body_creates_its_24_actions(
    api_for, seed_region_coordinator, seed_document
):
    response = post_json(
        api_for(seed_region_coordinator), f"{URL}/import?dry_run=false", seed_document
    )

    assert response.status_code == 200
    result = response.json()
    assert result["dry_run"] is False
    assert result["programme"] == seed_document["programme"]["slug"]
    assert result["removed"] == 0
    assert Programme.objects.get(slug=result["programme"]).actions.count() == 24
    assert AuditEvent.objects.filter(verb="import", actor=seed_region_coordinator).count() == 1


def test_a_dry_run_changes_nothing_and_counts_what_the_import_then_does(
    api_for, seed_region_coordinator, seed_document
):
    client = api_for(seed_region_coordinator)

    dry = post_json(client, f"{URL}/import?dry_run=true", seed_document).json()
    assert Programme.objects.count() == 0
    assert Action.objects.count() == 0
    assert AuditEvent.objects.filter(target_type="programmes.action").count() == 0

    real = post_json(client, f"{URL}/import?dry_run=false", seed_document).json()
    assert dry["dry_run"] is True
    assert real["dry_run"] is False
    assert dry["added"] > 24
    assert (dry["added"], dry["changed"], dry["removed"]) == (
        real["added"],
        real["changed"],
        real["removed"],
    )
    assert dry["changes"] == real["changes"]


def test_importing_the_same_document_again_changes_nothing(
    api_for, seed_region_coordinator, seed_document
):
    client = api_for(seed_region_coordinator)
    post_json(client, f"{URL}/import?dry_run=false", seed_document)

    again = post_json(client, f"{URL}/import?dry_run=false", seed_document).json()

    assert (again["added"], again["changed"], again["removed"], again["changes"]) == (0, 0, 0, [])
    assert Action.objects.count() == 24


def test_json_export_imports_back_with_no_changes(api_for, coordinator_region, programme_a):
    client = api_for(coordinator_region)
    exported = client.get(f"{URL}/programme-a/export", {"format": "json"})

    response = client.post(
        f"{URL}/import?dry_run=false", data=exported.content, content_type="application/json"
    )

    assert response.status_code == 200
    assert response.json()["changes"] == []


def test_a_yaml_file_upload_is_imported(api_for, coordinator_region, programme_a):
    client = api_for(coordinator_region)
    exported = client.get(f"{URL}/programme-a/export", {"format": "yaml"}).content
    changed = exported.replace(b"Program programme-a", b"Program A, andra upplagan")

    response = upload(client, f"{URL}/import?dry_run=false", changed, "programme-a.yaml")

    assert response.status_code == 200
    result = response.json()
    assert (result["added"], result["changed"], result["removed"]) == (0, 1, 0)
    assert result["changes"][0]["fields"]["title"] == [
        {"sv": "Program programme-a", "en": "Programme programme-a"},
        {"sv": "Program A, andra upplagan", "en": "Programme programme-a"},
    ]
    programme_a.refresh_from_db()
    assert programme_a.title["sv"] == "Program A, andra upplagan"


def test_changed_dates_and_numbers_are_reported_as_text(api_for, coordinator_region, programme_a):
    document = as_json(programme_document(programme_a))
    document["programme"]["next_review"] = "2027-06-30"
    indicator = document["programme"]["themes"][0]["goals"][0]["actions"][0]["indicators"][0]
    indicator["target"] = {"type": "band", "min": 2.5, "max": 4}

    response = post_json(api_for(coordinator_region), f"{URL}/import?dry_run=true", document)

    assert response.status_code == 200
    fields = {c["node"]: c["fields"] for c in response.json()["changes"]}
    assert fields["programme"]["next_review"] == [None, "2027-06-30"]
    assert fields["indicator"]["target_min"] == ["2.00", "2.5"]
    assert Indicator.objects.get().target_min == 2  # a dry run


def test_a_bad_document_gets_its_problems_with_paths_and_changes_nothing(
    api_for, coordinator_region, programme_a
):
    document = as_json(programme_document(programme_a))
    bad = copy.deepcopy(document)
    bad["programme"]["title"] = {"sv": "Nytt namn"}
    bad["programme"]["themes"][0]["goals"][0]["actions"][0]["colour"] = "red"
    del bad["programme"]["themes"][0]["title"]

    response = post_json(api_for(coordinator_region), f"{URL}/import?dry_run=false", bad)

    assert response.status_code == 400
    problems = response.json()["problems"]
    assert {(p["path"], p["field"]) for p in problems} == {
        ("programme.themes[0].title", "title"),
        ("programme.themes[0].goals[0].actions[0].colour", "colour"),
    }
    assert all(set(p) == {"file", "path", "row", "column", "field", "message"} for p in problems)
    assert all(p["message"] for p in problems)
    programme_a.refresh_from_db()
    assert programme_a.title["sv"] == "Program programme-a"


def test_a_body_that_is_not_json_gets_a_problem_with_its_line(api_for, coordinator_region):
    response = api_for(coordinator_region).post(
        f"{URL}/import?dry_run=true", data='{"format":\n  nope}', content_type="application/json"
    )

    assert response.status_code == 400
    [problem] = response.json()["problems"]
    assert problem["row"] == 2
    assert problem["file"] == ""
    assert problem["message"].startswith("This is not valid JSON")


def test_a_body_over_the_size_limit_is_refused_unread(
    api_for, seed_region_coordinator, seed_document, settings
):
    settings.HEMMA_MAX_IMPORT_BYTES = 1000

    response = post_json(
        api_for(seed_region_coordinator), f"{URL}/import?dry_run=false", seed_document
    )

    assert response.status_code == 400
    assert response.json()["problems"][0]["message"].startswith("The file is larger than")
    assert not Programme.objects.exists()


def test_an_upload_without_the_file_field_is_a_problem(api_for, coordinator_region):
    response = api_for(coordinator_region).post(
        f"{URL}/import?dry_run=true", data={"document": "x"}
    )

    assert response.status_code == 400
    assert response.json()["problems"][0]["field"] == "file"


def test_an_action_table_needs_the_programmes_own_import(api_for, coordinator_region):
    response = upload(
        api_for(coordinator_region),
        f"{URL}/import?dry_run=true",
        "Tema;Mål\n".encode(),
        "table.csv",
    )

    assert response.status_code == 400
    assert "/api/v1/programmes/<slug>/import" in response.json()["problems"][0]["message"]


def test_a_body_of_another_type_is_unsupported(api_for, coordinator_region):
    response = api_for(coordinator_region).post(
        f"{URL}/import?dry_run=true", data="format: x", content_type="text/plain"
    )

    assert response.status_code == 415
    assert "application/json" in response.json()["detail"]


def test_import_needs_an_explicit_dry_run(api_for, coordinator_region, programme_a):
    document = as_json(programme_document(programme_a))

    response = post_json(api_for(coordinator_region), f"{URL}/import", document)

    assert response.status_code == 422


@pytest.mark.parametrize("user", ["viewer", "coordinator_a"])
def test_import_is_forbidden_to_those_who_coordinate_no_region(api_for, request, user, programme_a):
    document = as_json(programme_document(programme_a))
    document["programme"]["title"]["sv"] = "Nytt namn"

    response = post_json(
        api_for(request.getfixturevalue(user)), f"{URL}/import?dry_run=false", document
    )

    assert response.status_code == 403
    assert response.json() == {"detail": "You do not have permission to do this."}
    programme_a.refresh_from_db()
    assert programme_a.title["sv"] == "Program programme-a"


def test_import_into_another_region_is_refused_with_a_problem(
    api_for, coordinator_b, programme_a, programme_b
):
    document = as_json(programme_document(programme_a))
    document["programme"]["title"]["sv"] = "Nytt namn"

    response = post_json(api_for(coordinator_b), f"{URL}/import?dry_run=false", document)

    assert response.status_code == 400
    [problem] = response.json()["problems"]
    assert problem["path"] == "programme.region"
    assert problem["message"] == "You may not import into the region “region-a”."
    programme_a.refresh_from_db()
    assert programme_a.title["sv"] == "Program programme-a"


def test_a_bearer_client_needs_no_csrf_token(api_for, coordinator_region, programme_a):
    client = api_for(coordinator_region, enforce_csrf_checks=True)

    response = post_json(
        client, f"{URL}/import?dry_run=true", as_json(programme_document(programme_a))
    )

    assert response.status_code == 200


# -- POST /programmes/{slug}/import ------------------------------------------------------------


def test_import_into_a_programme_takes_its_yaml_export(api_for, coordinator_region, programme_a):
    client = api_for(coordinator_region)
    exported = client.get(f"{URL}/programme-a/export", {"format": "yaml"}).content

    response = upload(client, f"{URL}/programme-a/import?dry_run=false", exported, "a.yaml")

    assert response.status_code == 200
    assert response.json()["programme"] == "programme-a"
    assert response.json()["changes"] == []


def test_import_into_a_programme_takes_a_json_body(api_for, coordinator_region, programme_a):
    document = as_json(programme_document(programme_a))
    document["programme"]["themes"][0]["goals"][0]["actions"] = []

    response = post_json(
        api_for(coordinator_region), f"{URL}/programme-a/import?dry_run=false", document
    )

    assert response.status_code == 200
    assert response.json()["removed"] == 1
    assert programme_a.actions.count() == 0


def test_import_into_a_programme_refuses_another_programmes_document(
    api_for, coordinator_region, programme_a, region_a
):
    document = as_json(programme_document(programme_a))
    document["programme"]["slug"] = "programme-c"

    response = post_json(
        api_for(coordinator_region), f"{URL}/programme-a/import?dry_run=false", document
    )

    assert response.status_code == 400
    [problem] = response.json()["problems"]
    assert problem["path"] == "programme.slug"
    assert not Programme.objects.filter(slug="programme-c").exists()


def test_import_into_programme_a_is_not_found_for_another_regions_coordinator(
    api_for, coordinator_b, programme_a
):
    document = as_json(programme_document(programme_a))

    response = post_json(api_for(coordinator_b), f"{URL}/programme-a/import?dry_run=true", document)

    assert response.status_code == 404


@pytest.mark.parametrize("user", ["viewer", "coordinator_a"])
def test_import_into_a_programme_is_forbidden_to_those_who_only_read_it(
    api_for, request, user, programme_a
):
    document = as_json(programme_document(programme_a))
    document["programme"]["themes"] = []

    response = post_json(
        api_for(request.getfixturevalue(user)), f"{URL}/programme-a/import?dry_run=false", document
    )

    assert response.status_code == 403
    assert programme_a.actions.count() == 1


# -- every operation needs a token -------------------------------------------------------------

OPERATIONS = [
    ("get", URL),
    ("get", f"{URL}/programme-a"),
    ("get", f"{URL}/programme-a/export?format=json"),
    ("post", f"{URL}/import?dry_run=true"),
    ("post", f"{URL}/programme-a/import?dry_run=true"),
]


@pytest.mark.parametrize(("method", "url"), OPERATIONS)
@pytest.mark.parametrize(
    "authorization",
    [None, "Bearer hemma_0123456789ab_unknown", "Bearer ", "Token hemma_x_y", "revoked"],
)
def test_every_operation_answers_401_without_a_valid_token(
    api_for, coordinator_region, programme_a, method, url, authorization
):
    if authorization == "revoked":
        token, secret = token_create(user=coordinator_region, name="old")
        token_revoke(token=token, actor=coordinator_region)
        authorization = f"Bearer {secret}"
    headers = {"Authorization": authorization} if authorization else {}
    document = as_json(programme_document(programme_a))

    response = getattr(api_for(), method)(
        url,
        **(
            {"data": json.dumps(document), "content_type": "application/json"}
            if method == "post"
            else {}
        ),
        headers=headers,
    )

    assert response.status_code == 401
    assert response.json() == {
        "detail": "Send a valid personal access token as “Authorization: Bearer …”."
    }


# -- the OpenAPI document ----------------------------------------------------------------------


def test_openapi_document_lists_every_operation_with_its_security():
    response = Client().get("/api/v1/openapi.json")

    assert response.status_code == 200
    spec = response.json()
    operations = {
        (method, path): operation
        for path, item in spec["paths"].items()
        for method, operation in item.items()
    }
    assert set(operations) == {
        ("get", "/api/v1/programmes"),
        ("get", "/api/v1/programmes/{slug}"),
        ("get", "/api/v1/programmes/{slug}/export"),
        ("post", "/api/v1/programmes/import"),
        ("post", "/api/v1/programmes/{slug}/import"),
        ("get", "/api/v1/values"),
        ("post", "/api/v1/values"),
        ("post", "/api/v1/values/bulk"),
        ("get", "/api/v1/activities"),
        ("post", "/api/v1/activities"),
        ("get", "/api/v1/activities/{code}"),
        ("put", "/api/v1/activities/{code}"),
        ("patch", "/api/v1/activities/{code}"),
        ("delete", "/api/v1/activities/{code}"),
        ("get", "/api/v1/statistics"),
        ("post", "/api/v1/statistics"),
        ("post", "/api/v1/statistics/bulk"),
        ("get", "/api/v1/statistics/{code}"),
        ("delete", "/api/v1/statistics/{code}"),
        ("get", "/api/v1/placements"),
        ("post", "/api/v1/placements"),
        ("post", "/api/v1/placements/bulk"),
        ("get", "/api/v1/placements/{code}"),
        ("delete", "/api/v1/placements/{code}"),
        ("get", "/api/v1/volunteers"),
        ("post", "/api/v1/volunteers"),
        ("get", "/api/v1/volunteers/{code}"),
        ("put", "/api/v1/volunteers/{code}"),
        ("patch", "/api/v1/volunteers/{code}"),
        ("get", "/api/v1/volunteers/{code}/export"),
        ("post", "/api/v1/volunteers/{code}/erase"),
        ("post", "/api/v1/volunteers/{code}/periods"),
        ("patch", "/api/v1/volunteers/{code}/periods/{period_id}"),
        ("delete", "/api/v1/volunteers/{code}/periods/{period_id}"),
        ("post", "/api/v1/volunteers/{code}/matches"),
        ("patch", "/api/v1/volunteers/{code}/matches/{match_id}"),
        ("delete", "/api/v1/volunteers/{code}/matches/{match_id}"),
        ("get", "/api/v1/public/programmes"),
        ("get", "/api/v1/public/programmes/{slug}/values"),
    }
    assert spec["components"]["securitySchemes"] == {
        "BearerToken": {"type": "http", "scheme": "bearer"}
    }
    public = {key: op for key, op in operations.items() if key[1].startswith("/api/v1/public/")}
    assert all("security" not in op for op in public.values())
    assert all(
        op["security"] == [{"BearerToken": []}]
        for key, op in operations.items()
        if key not in public
    )
    [export_format] = [
        p for p in operations[("get", "/api/v1/programmes/{slug}/export")]["parameters"]
        if p["name"] == "format"
    ]  # fmt: skip
    assert export_format["schema"]["enum"] == list(EXPORT_FORMATS)
    import_body = operations[("post", "/api/v1/programmes/import")]["requestBody"]["content"]
    assert set(import_body) == {"application/json", "multipart/form-data"}


def test_openapi_document_is_valid():
    validate(Client().get("/api/v1/openapi.json").json())


def test_docs_page_loads_nothing_from_the_internet():
    response = Client().get("/api/v1/docs")

    assert response.status_code == 200
    page = response.content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in page
    assert "https://" not in page
    assert "http://" not in page
