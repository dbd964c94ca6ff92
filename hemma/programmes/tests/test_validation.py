"""Bad documents: every problem is reported with its place, translated, and nothing changes."""

import copy
import io

import pytest
from django.utils import translation

from hemma.lib.problems import ProblemsFound
from hemma.programmes.interchange.files import document_from_file
from hemma.programmes.interchange.importing import programme_import
from hemma.programmes.interchange.validation import document_problems
from hemma.programmes.models import Programme

pytestmark = pytest.mark.django_db


def problems_of(document):
    return [(p.path, p.message) for p in document_problems(document)]


def test_the_seed_document_is_valid(seed_document):
    assert document_problems(seed_document) == []


def test_unknown_keys_are_errors_with_their_path(seed_document):
    document = copy.deepcopy(seed_document)
    document["programme"]["themes"][1]["goals"][0]["colour"] = "red"
    assert problems_of(document) == [("programme.themes[1].goals[0].colour", "unknown field")]


def test_each_missing_field_is_a_problem_of_its_own(seed_document):
    document = copy.deepcopy(seed_document)
    del document["programme"]["kind"]
    del document["programme"]["themes"][0]["key"]
    assert problems_of(document) == [
        ("programme.kind", "required field is missing"),
        ("programme.themes[0].key", "required field is missing"),
    ]


def test_wrong_types_name_the_field(seed_document):
    document = copy.deepcopy(seed_document)
    document["programme"]["period"]["start"] = "2023"
    ((path, message),) = problems_of(document)
    assert path == "programme.period.start"
    assert message == "must be a whole number"


def test_a_missing_own_language_text_is_an_error(seed_document):
    document = copy.deepcopy(seed_document)
    del document["programme"]["themes"][0]["goals"][0]["actions"][0]["title"]["sv"]
    ((path, message),) = problems_of(document)
    assert path == "programme.themes[0].goals[0].actions[0].title"
    assert "(sv)" in message


def test_duplicate_action_keys_are_errors(seed_document):
    document = copy.deepcopy(seed_document)
    first = document["programme"]["themes"][0]["goals"][0]["actions"][0]
    document["programme"]["themes"][1]["goals"][0]["actions"][0]["key"] = first["key"]
    assert (
        "programme.themes[1].goals[0].actions[0].key",
        f"“{first['key']}” is listed twice",
    ) in problems_of(document)


def test_unknown_organisation_references_are_errors(seed_document):
    document = copy.deepcopy(seed_document)
    document["programme"]["themes"][0]["goals"][0]["actions"][0]["partners"] = ["nobody"]
    ((path, message),) = problems_of(document)
    assert path == "programme.themes[0].goals[0].actions[0].partners[0]"
    assert "nobody" in message


def test_band_with_min_above_max_is_an_error(seed_document):
    document = copy.deepcopy(seed_document)
    action = document["programme"]["themes"][0]["goals"][2]["actions"][0]
    action["indicators"][0]["target"] = {"type": "band", "min": 5, "max": 2}
    assert any("min is above its max" in m for _p, m in problems_of(document))


def test_a_target_with_fields_of_another_type_is_an_error(seed_document):
    document = copy.deepcopy(seed_document)
    action = document["programme"]["themes"][0]["goals"][2]["actions"][0]
    action["indicators"][0]["target"] = {"type": "direction", "direction": "increase", "min": 1}
    assert problems_of(document) != []


def test_unknown_language_codes_are_errors(seed_document):
    document = copy.deepcopy(seed_document)
    document["programme"]["title"]["xx"] = "?"
    ((path, message),) = problems_of(document)
    assert path == "programme.title"
    assert "xx" in message


def test_messages_are_translated_to_swedish(seed_document):
    document = copy.deepcopy(seed_document)
    document["programme"]["themes"][1]["goals"][0]["colour"] = "red"
    with translation.override("sv"):
        (problem,) = document_problems(document)
    assert problem.message == "okänt fält"


def test_bad_yaml_says_where(tmp_path):
    bad = b"format: hemma-programme/1\nprogramme:\n  slug: [unclosed\n"
    with pytest.raises(ProblemsFound) as raised:
        document_from_file(io.BytesIO(bad), name="bad.yaml")
    (problem,) = raised.value.problems
    assert problem.file == "bad.yaml"
    # Where the bracket was opened, not the end of the file where the parser noticed.
    assert (problem.row, problem.column) == (3, "9")
    assert problem.message == (
        "This is not valid YAML: the file ends inside a quote or a bracket that is not closed"
    )


@pytest.mark.parametrize(
    ("text", "row", "explained"),
    [
        (b"a: 1\nb: c: d\n", 2, "a colon where it is not allowed"),
        (b"a:\n  b: 1\n c: 2\n", 3, "the indentation does not match"),
        (b"a: 1\n\tb: 2\n", 2, "a character that cannot start a value here"),
    ],
)
def test_common_yaml_mistakes_are_explained(text, row, explained):
    with pytest.raises(ProblemsFound) as raised:
        document_from_file(io.BytesIO(text), name="bad.yaml")
    (problem,) = raised.value.problems
    assert problem.row == row
    assert explained in problem.message


def test_yaml_errors_are_in_swedish_on_a_swedish_page():
    with translation.override("sv"), pytest.raises(ProblemsFound) as raised:
        document_from_file(io.BytesIO(b"a: [1, 2\n"), name="bad.yaml")
    assert "YAML" in raised.value.problems[0].message
    assert "file ends" not in raised.value.problems[0].message


def test_bad_json_says_where():
    with pytest.raises(ProblemsFound) as raised:
        document_from_file(
            io.BytesIO(b'{"format": "hemma-programme/1",\n "programme": }'), name="bad.json"
        )
    (problem,) = raised.value.problems
    assert (problem.file, problem.row) == ("bad.json", 2)


def test_yaml_aliases_are_refused():
    # A "billion laughs" document: aliases multiply a few bytes into gigabytes.
    bomb = b"a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
    with pytest.raises(ProblemsFound) as raised:
        document_from_file(io.BytesIO(bomb), name="bomb.yaml")
    assert "aliases" in raised.value.problems[0].message


def test_a_document_that_is_not_a_mapping_is_refused():
    with pytest.raises(ProblemsFound):
        document_from_file(io.BytesIO(b"- just\n- a list\n"), name="list.yaml")


def test_an_oversized_file_is_refused_before_it_is_read(settings):
    settings.HEMMA_MAX_IMPORT_BYTES = 1024

    class Endless(io.RawIOBase):
        read_sizes: list[int] = []

        def read(self, size=-1):
            self.read_sizes.append(size)
            return b"#" * (size if size > 0 else 10**9)

    stream = Endless()
    with pytest.raises(ProblemsFound) as raised:
        document_from_file(stream, name="huge.yaml")
    assert "larger than" in raised.value.problems[0].message
    assert stream.read_sizes == [1025]


def test_an_unknown_file_type_is_refused():
    with pytest.raises(ProblemsFound) as raised:
        document_from_file(io.BytesIO(b"x"), name="programme.docx")
    assert ".docx" in raised.value.problems[0].message


def test_an_invalid_document_changes_nothing(seed_document):
    document = copy.deepcopy(seed_document)
    document["programme"]["status"] = "finished"
    with pytest.raises(ProblemsFound):
        programme_import(actor=None, document=document)
    assert Programme.objects.count() == 0


@pytest.mark.parametrize("slug", ["import", "all"])
def test_a_slug_that_is_an_address_of_its_own_is_refused(seed_document, slug):
    # /api/v1/programmes/import, and /data/all/<year>/values.csv (the national file)
    document = copy.deepcopy(seed_document)
    document["programme"]["slug"] = slug
    assert problems_of(document) == [
        ("programme.slug", f"“{slug}” is reserved; choose another slug")
    ]
