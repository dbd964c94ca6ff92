"""Editing the programme in its table (htmx and plain pages), every change audited."""

import re
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from django.utils.datastructures import MultiValueDict

from hemma.audit.models import AuditEvent
from hemma.organisations.models import Organisation
from hemma.programmes import services
from hemma.programmes.models import Action, ActionParty, Goal, Indicator
from hemma.tests import factories as f

pytestmark = pytest.mark.django_db

HX = {"HTTP_HX_REQUEST": "true"}
BASE = "/en/programmes/programme-a"
ACTION = f"{BASE}/actions/joint-meetings"
GOAL = f"{BASE}/themes/foundation/goals/cooperation"


def action_data(action, **changes) -> dict:
    """The action form as it comes filled in, with `changes`."""
    data = {}
    for field in ("title", "responsible_text", "partners_text", "followup"):
        for code in ("sv", "fi", "en"):
            data[f"{field}_{code}"] = getattr(action, field).get(code, "")
    data.update(changes)
    return data


@pytest.fixture
def three_actions(action_a):
    """The goal of action_a with three actions, in the order first, second (action_a), third."""
    goal = action_a.goal
    first = f.ActionFactory(key="first", goal=goal, position=0)
    action_a.position = 1
    action_a.save()
    third = f.ActionFactory(key="third", goal=goal, position=2)
    return goal, [first, action_a, third]


@pytest.fixture
def other_goal(programme_a):
    return f.GoalFactory(
        key="housing-goal",
        theme=f.ThemeFactory(programme=programme_a, key="housing", position=1),
        title={"sv": "Boende för alla"},
    )


def keys_in_order(goal) -> list[tuple[str, int]]:
    return list(goal.actions.order_by("position").values_list("key", "position"))


class _FormFields(HTMLParser):
    """The (name, value) pairs a browser would send for the page's edit form."""

    def __init__(self) -> None:
        super().__init__()
        self.pairs: list[list[str]] = []
        self._textarea: list[str] | None = None
        self._in_form = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self._in_form = "edit-form" in (attrs.get("class") or "").split()
        if not self._in_form or "name" not in attrs:
            return
        if tag == "input" and attrs.get("type") not in ("checkbox", "radio", "file", "submit"):
            self.pairs.append([attrs["name"], attrs.get("value") or ""])
        elif tag == "input" and "checked" in attrs:
            self.pairs.append([attrs["name"], attrs.get("value") or "on"])
        elif tag == "textarea":
            self._textarea = [attrs["name"], ""]
            self.pairs.append(self._textarea)

    def handle_data(self, data):
        if self._textarea is not None:
            # A textarea's first newline is not part of its value.
            self._textarea[1] += data.removeprefix("\n") if not self._textarea[1] else data

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._textarea = None
        elif tag == "form":
            self._in_form = False


def as_a_browser_sends(html: str, **typed) -> MultiValueDict:
    """The form of `html` as a browser submits it after the user typed `typed` into the
    first field of each name (the one they see first)."""
    parser = _FormFields()
    parser.feed(html)
    data: MultiValueDict = MultiValueDict()
    for name, value in parser.pairs:
        if name in typed:
            value = typed.pop(name)
        data.appendlist(name, value)
    return data


# -- editing an action in place ----------------------------------------------------------------


def test_edit_swaps_in_a_form_with_a_field_per_language(client_for, coordinator_region, action_a):
    # When the coordinator clicks "Edit" on the row (htmx)
    response = client_for(coordinator_region).get(f"{ACTION}/edit/", **HX)
    html = response.content.decode()
    # Then only the row comes back, as a form with the texts in Swedish, Finnish and English
    assert response.status_code == 200
    assert "<html" not in html
    assert '<tr id="action-joint-meetings" class="editing">' in html
    for code, language in (("sv", "Swedish"), ("fi", "Finnish"), ("en", "English")):
        assert f'<label for="id_title_{code}">{language}:</label>' in html
    # And the programme's own language is required, the others are not
    assert re.search(r'<textarea name="title_sv"[^>]* required[ >]', html)
    assert not re.search(r'<textarea name="title_fi"[^>]* required[ >]', html)
    assert 'hx-post="/en/programmes/programme-a/actions/joint-meetings/edit/"' in html


def test_without_javascript_the_edit_url_is_a_whole_page(client_for, coordinator_region, action_a):
    response = client_for(coordinator_region).get(f"{ACTION}/edit/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" in html and "<h1>Edit the action</h1>" in html
    assert "hx-post" not in html  # a plain form: it posts and comes back to the table


def test_save_swaps_back_the_updated_row_and_audits_each_field(
    client_for, coordinator_region, programme_a, action_a
):
    # Given an action with an Arabic title the form does not show
    action_a.title = {"sv": "Gamla titeln", "ar": "عنوان"}
    action_a.save()
    # When the coordinator saves a new Swedish title and an English one
    data = action_data(action_a, title_sv="Nya titeln", title_en="The new title")
    response = client_for(coordinator_region).post(f"{ACTION}/edit/", data, **HX)
    # Then the row comes back with the new title (the English page shows the English one)
    html = response.content.decode()
    assert response.status_code == 200
    assert '<tr id="action-joint-meetings">' in html and "The new title" in html
    assert "<html" not in html
    # And the texts are saved, the Arabic one kept
    action_a.refresh_from_db()
    assert action_a.title == {"sv": "Nya titeln", "en": "The new title", "ar": "عنوان"}
    # And the trail says who changed what, old → new, in this programme
    event = AuditEvent.objects.get(verb="update", target_type="programmes.action")
    assert event.actor_name == "coordinator_region"
    assert event.programme_id == programme_a.pk
    assert event.changes == {
        "title": [
            {"sv": "Gamla titeln", "ar": "عنوان"},
            {"sv": "Nya titeln", "en": "The new title", "ar": "عنوان"},
        ]
    }


def test_without_javascript_save_goes_back_to_the_row_in_the_table(
    client_for, coordinator_region, action_a
):
    data = action_data(action_a, followup_sv="Möten varje månad")
    response = client_for(coordinator_region).post(f"{ACTION}/edit/", data)
    assert response.status_code == 302
    assert response["Location"] == "/en/programmes/programme-a/#action-joint-meetings"
    action_a.refresh_from_db()
    assert action_a.followup == {"sv": "Möten varje månad"}


def test_an_invalid_save_shows_the_errors_and_changes_nothing(
    client_for, coordinator_region, action_a
):
    # When the Swedish title (the programme's language) is emptied
    data = action_data(action_a, title_sv="", title_en="Only English")
    response = client_for(coordinator_region).post(f"{ACTION}/edit/", data, **HX)
    # Then the form comes back with the error, and nothing is saved or audited
    html = response.content.decode()
    assert response.status_code == 200
    assert 'class="editing"' in html and "This field is required." in html
    action_a.refresh_from_db()
    assert action_a.title == {"sv": "Åtgärd joint-meetings"}
    assert not AuditEvent.objects.exists()


def test_cancel_swaps_back_the_unchanged_row(client_for, coordinator_region, action_a):
    response = client_for(coordinator_region).get(f"{ACTION}/row/", **HX)
    html = response.content.decode()
    assert '<tr id="action-joint-meetings">' in html and "Åtgärd joint-meetings" in html
    assert "editing" not in html


def test_parties_and_set_per_municipality_are_saved(
    client_for, coordinator_region, programme_a, action_a
):
    # Given two organisations of the region (and one of another region that is not offered)
    kommunen = Organisation.objects.get(key="kommunen")
    ngo = f.OrganisationFactory(region=programme_a.region, key="ngo", name={"sv": "Föreningen"})
    f.OrganisationFactory(key="elsewhere")
    client = client_for(coordinator_region)
    assert "elsewhere" not in client.get(f"{ACTION}/edit/").content.decode()
    # When the coordinator makes the municipality responsible and the NGO a partner
    data = action_data(
        action_a, responsible=[kommunen.pk], partners=[ngo.pk], responsible_per_municipality="on"
    )
    client.post(f"{ACTION}/edit/", data, **HX)
    # Then the parties are saved and the trail names them
    action_a.refresh_from_db()
    assert action_a.responsible_per_municipality is True
    parties = {(p.organisation.key, p.role) for p in action_a.party_links.all()}
    assert parties == {("kommunen", "responsible"), ("ngo", "partner")}
    event = AuditEvent.objects.get(verb="update")
    assert event.changes["responsible"] == [[], ["Kommunen"]]
    assert event.changes["partners"] == [[], ["Föreningen"]]
    assert event.changes["responsible_per_municipality"] == [False, True]


def test_organisations_are_folded_away_with_how_many_are_chosen(
    client_for, coordinator_region, programme_a, action_a
):
    # Given an action with one responsible organisation and none as partner
    kommunen = Organisation.objects.get(key="kommunen")
    ActionParty.objects.create(action=action_a, organisation=kommunen, role="responsible")
    # When its form opens in place
    html = client_for(coordinator_region).get(f"{ACTION}/edit/", **HX).content.decode()
    # Then each group of checkboxes is a closed <details> that says what is chosen, so the
    # Tab key goes past it to "Save"
    assert '<details class="choices-group">' in html
    assert "<summary>Responsible organisations (1 chosen)</summary>" in html
    assert "<summary>Partners (0 chosen)</summary>" in html
    assert html.index("<summary>Partners") < html.index('<button type="submit">Save')


def test_a_group_with_an_error_is_open(client_for, coordinator_region, action_a):
    data = action_data(action_a, partners=["999999"])
    html = client_for(coordinator_region).post(f"{ACTION}/edit/", data, **HX).content.decode()
    assert '<details class="choices-group" open>' in html
    assert "Select a valid choice." in html


def test_after_save_or_cancel_the_rows_edit_button_takes_the_focus(
    client_for, coordinator_region, action_a
):
    client = client_for(coordinator_region)
    edit = re.compile(r'<a [^>]*href="[^"]*/actions/joint-meetings/edit/"[^>]*>')
    saved = client.post(f"{ACTION}/edit/", action_data(action_a), **HX).content.decode()
    cancelled = client.get(f"{ACTION}/row/", **HX).content.decode()
    for html in (saved, cancelled):
        assert "data-focus-after-swap" in edit.search(html).group(0)
        assert html.count("data-focus-after-swap") == 1
    # And the whole table marks nothing (the mark is for a swap only)
    assert "data-focus-after-swap" not in client.get(f"{BASE}/").content.decode()


@pytest.mark.parametrize(
    ("url", "data", "edit_url"),
    [
        (f"{GOAL}/edit/", {"title_sv": "Samarbete"}, f"{GOAL}/edit/"),
        (f"{GOAL}/cell/", None, f"{GOAL}/edit/"),
        (f"{BASE}/themes/foundation/edit/", {"title_sv": "Grunden"}, "/themes/foundation/edit/"),
        (f"{BASE}/themes/foundation/heading/", None, "/themes/foundation/edit/"),
    ],
)
def test_after_save_or_cancel_the_goals_and_themes_edit_button_takes_the_focus(
    client_for, coordinator_region, action_a, url, data, edit_url
):
    client = client_for(coordinator_region)
    response = client.post(url, data, **HX) if data else client.get(url, **HX)
    html = response.content.decode()
    marked = re.search(r"<a [^>]*data-focus-after-swap[^>]*>", html).group(0)
    assert f'{edit_url}"' in marked
    assert html.count("data-focus-after-swap") == 1


@pytest.mark.parametrize(
    ("key", "direction", "focused"),
    [
        ("third", "up", "up"),
        ("first", "down", "down"),
        ("joint-meetings", "up", "down"),  # now first: its "Up" is disabled
        ("joint-meetings", "down", "up"),  # now last: its "Down" is disabled
    ],
)
def test_after_up_or_down_the_moved_actions_button_takes_the_focus(
    client_for, coordinator_region, three_actions, key, direction, focused
):
    # When the coordinator presses Up or Down on an action (htmx swaps the goal's rows)
    html = (
        client_for(coordinator_region)
        .post(f"{BASE}/actions/{key}/move/", {"direction": direction}, **HX)
        .content.decode()
    )
    # Then that action's button is marked for the focus, the other one where it is disabled
    assert html.count("data-focus-after-swap") == 1
    row = html[html.index(f'<tr id="action-{key}">') :]
    row = row[: row.index("</tr>")]
    button = re.search(r"<button [^>]*data-focus-after-swap[^>]*>", row).group(0)
    assert f'value="{focused}"' in button and "disabled" not in button


def test_the_in_place_form_has_a_cancel_link_for_escape(client_for, coordinator_region, action_a):
    html = client_for(coordinator_region).get(f"{ACTION}/edit/", **HX).content.decode()
    cancel = re.search(r"<a [^>]*data-cancel[^>]*>", html).group(0)
    assert 'hx-get="/en/programmes/programme-a/actions/joint-meetings/row/"' in cancel


def test_the_pages_load_the_script_that_moves_the_focus(client_for, coordinator_region, action_a):
    html = client_for(coordinator_region).get(f"{BASE}/").content.decode()
    assert re.search(r'<script src="[^"]*hemma/hemma\.js" defer></script>', html)


# -- themes and goals ----------------------------------------------------------------------------


def test_a_theme_title_is_edited_in_place(client_for, coordinator_region, programme_a):
    client = client_for(coordinator_region)
    form = client.get(f"{BASE}/themes/foundation/edit/", **HX).content.decode()
    assert 'id="theme-heading-foundation"' in form and 'name="title_sv"' in form
    response = client.post(
        f"{BASE}/themes/foundation/edit/", {"title_sv": "Grunden", "title_fi": "Perusta"}, **HX
    )
    assert '<h2 id="theme-foundation"><span lang="sv" dir="ltr">Grunden</span></h2>' in (
        response.content.decode()
    )
    theme = programme_a.themes.get(key="foundation")
    assert theme.title == {"sv": "Grunden", "fi": "Perusta"}
    event = AuditEvent.objects.get(target_type="programmes.theme")
    assert event.changes["title"][1] == {"sv": "Grunden", "fi": "Perusta"}


def test_a_goal_title_is_edited_in_place(client_for, coordinator_region, action_a):
    response = client_for(coordinator_region).post(
        f"{GOAL}/edit/", {"title_sv": "Samarbete", "title_en": "Cooperation"}, **HX
    )
    html = response.content.decode()
    assert html.startswith('<th scope="rowgroup"') and "Cooperation" in html
    assert Goal.objects.get(key="cooperation").title == {"sv": "Samarbete", "en": "Cooperation"}
    assert AuditEvent.objects.filter(target_type="programmes.goal", verb="update").exists()


@pytest.mark.parametrize("url", [f"{GOAL}/edit/", f"{BASE}/themes/foundation/edit/"])
@pytest.mark.parametrize("htmx", [True, False])
def test_goal_and_theme_forms_have_one_field_per_language(
    client_for, coordinator_region, action_a, url, htmx
):
    # When the coordinator opens the goal's or the theme's form, in place or as a page
    html = client_for(coordinator_region).get(url, **(HX if htmx else {})).content.decode()
    # Then each language's title field is there once
    for code in ("sv", "fi", "en"):
        assert html.count(f'name="title_{code}"') == 1, code


@pytest.mark.parametrize(
    ("url", "target_type"),
    [(f"{GOAL}/edit/", "programmes.goal"), (f"{BASE}/themes/foundation/edit/", "programmes.theme")],
)
@pytest.mark.parametrize("htmx", [True, False])
def test_a_title_typed_into_the_form_is_saved_and_audited(
    client_for, coordinator_region, action_a, url, target_type, htmx
):
    # Given the goal's or the theme's form as the browser shows it
    client = client_for(coordinator_region)
    headers = HX if htmx else {}
    form = client.get(url, **headers).content.decode()
    # When the coordinator types a new Swedish title and saves, the browser sending every field
    client.post(url, as_a_browser_sends(form, title_sv="Ny rubrik"), **headers)
    # Then the new title is saved and the history has it
    event = AuditEvent.objects.get(target_type=target_type, verb="update")
    assert event.changes["title"][1]["sv"] == "Ny rubrik"


def test_a_goal_without_its_own_language_is_refused(client_for, coordinator_region, action_a):
    response = client_for(coordinator_region).post(f"{GOAL}/edit/", {"title_en": "Cooperation"})
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert Goal.objects.get(key="cooperation").title == {"sv": "Mål cooperation"}


# -- adding, removing and moving actions ---------------------------------------------------------


def test_an_action_is_added_at_the_end_of_its_goal(client_for, coordinator_region, three_actions):
    goal, _actions = three_actions
    response = client_for(coordinator_region).post(
        f"{GOAL}/add-action/",
        {"key": "new-row", "title_sv": "Ny åtgärd", "followup_sv": "Antal per år"},
    )
    assert response.status_code == 302
    assert response["Location"] == "/en/programmes/programme-a/#action-new-row"
    assert keys_in_order(goal)[-1] == ("new-row", 3)
    event = AuditEvent.objects.get(verb="create", target_type="programmes.action")
    assert event.changes["title"] == [None, {"sv": "Ny åtgärd"}]


def row_of(html: str, key: str) -> str:
    start = html.index(f'<tr id="action-{key}">')
    return html[start : html.index("</tr>", start)]


@pytest.mark.parametrize("how", ["add", "move", "edit", "units"])
def test_the_message_of_a_change_shows_beside_its_row(
    client_for, coordinator_region, three_actions, other_goal, how
):
    # Given the table jumps to the changed row (#action-…), far below the page's top
    client = client_for(coordinator_region)
    key, message = (
        "joint-meetings",
        {
            "move": "The action was moved.",
            "edit": "The action was saved.",
            "units": "The responsible units were saved.",
        }.get(how, "The action was added."),
    )
    if how == "add":
        key = "new-row"
        response = client.post(f"{GOAL}/add-action/", {"key": key, "title_sv": "Ny"}, follow=True)
    elif how == "move":
        response = client.post(f"{ACTION}/move/", {"goal": other_goal.pk}, follow=True)
    elif how == "edit":
        data = action_data(three_actions[1][1], title_sv="Nytt")
        response = client.post(f"{ACTION}/edit/", data, follow=True)
    else:
        Action.objects.filter(key=key).update(responsible_per_municipality=True)
        response = client.post(f"{ACTION}/units/101/", {"new_unit": "Skolan"}, follow=True)
    # When the change is made without JavaScript (a redirect to the table)
    assert response.redirect_chain[-1][0].endswith(f"#action-{key}")
    # Then the message is in the row, where the page scrolls to
    html = response.content.decode()
    assert f'<p class="message-here message success" role="status">{message}</p>' in (
        row_of(html, key)
    )
    # And it is not repeated at the top of the page, out of view
    assert html.count(message) == 1
    # And it is shown once only: the next page has no message
    assert message not in client.get(f"{BASE}/").content.decode()


def test_an_empty_key_is_made_from_the_title(client_for, coordinator_region, action_a):
    client = client_for(coordinator_region)
    for _ in range(2):
        client.post(f"{GOAL}/add-action/", {"key": "", "title_sv": "Språkcafé för föräldrar"})
    keys = set(action_a.programme.actions.values_list("key", flat=True))
    assert {"sprakcafe-for-foraldrar", "sprakcafe-for-foraldrar-2"} <= keys


@pytest.mark.parametrize(
    ("key", "message"),
    [
        ("joint-meetings", "Another action of this programme has this key."),
        ("Not A Key", "Use lower-case letters a–z, digits"),
        ("-dash-first", "Use lower-case letters a–z, digits"),
    ],
)
def test_a_bad_or_taken_key_is_refused(client_for, coordinator_region, action_a, key, message):
    response = client_for(coordinator_region).post(
        f"{GOAL}/add-action/", {"key": key, "title_sv": "Ny åtgärd"}
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert action_a.programme.actions.count() == 1


def test_removing_asks_first_then_closes_up_the_goal(client_for, coordinator_region, three_actions):
    goal, (_first, second, _third) = three_actions
    client = client_for(coordinator_region)
    confirm = client.get(f"{ACTION}/delete/")
    assert "Remove the action?" in confirm.content.decode()
    assert Action.objects.filter(pk=second.pk).exists()  # a GET removes nothing
    response = client.post(f"{ACTION}/delete/")
    assert response.status_code == 302
    assert keys_in_order(goal) == [("first", 0), ("third", 1)]
    removed = AuditEvent.objects.filter(verb="delete").values_list("target_type", flat=True)
    assert sorted(removed) == ["programmes.action", "programmes.indicator"]


@pytest.mark.parametrize(
    ("url", "data", "node", "message"),
    [
        (f"{ACTION}/delete/", {}, 'id="theme-heading-foundation"', "The action was removed."),
        (
            f"{BASE}/themes/foundation/edit/",
            {"title_sv": "Grunden"},
            'id="theme-heading-foundation"',
            "The theme was saved.",
        ),
        (f"{GOAL}/edit/", {"title_sv": "Samarbete"}, 'class="goal-cell"', "The goal was saved."),
    ],
)
def test_the_message_of_a_theme_or_goal_change_shows_beside_it(
    client_for, coordinator_region, action_a, url, data, node, message
):
    html = client_for(coordinator_region).post(url, data, follow=True).content.decode()
    start = html.index(node)
    assert html.index(f'role="status">{message}</p>', start) < html.index("</t", start)


@pytest.mark.parametrize(
    ("indicators", "says"),
    [
        (0, "The action will be removed from the programme. It has no indicators."),
        (1, "The action and its indicator will be removed from the programme."),
        (2, "The action and its 2 indicators will be removed from the programme."),
    ],
)
def test_the_removal_asks_in_words_that_fit_the_count(
    client_for, coordinator_region, action_a, indicators, says
):
    action_a.indicators.all().delete()
    for _ in range(indicators):
        f.IndicatorFactory(action=action_a)
    html = client_for(coordinator_region).get(f"{ACTION}/delete/").content.decode()
    assert says in html
    assert "0 indicators" not in html


def test_up_and_down_with_htmx_swap_back_the_goal(client_for, coordinator_region, three_actions):
    goal, _actions = three_actions
    client = client_for(coordinator_region)
    response = client.post(f"{ACTION}/move/", {"direction": "up"}, **HX)
    html = response.content.decode()
    assert html.startswith(f'<tbody id="goal-{goal.pk}">')
    assert html.index("action-joint-meetings") < html.index("action-first")
    assert keys_in_order(goal) == [("joint-meetings", 0), ("first", 1), ("third", 2)]
    client.post(f"{ACTION}/move/", {"direction": "down"})
    client.post(f"{ACTION}/move/", {"direction": "down"})
    assert keys_in_order(goal) == [("first", 0), ("third", 1), ("joint-meetings", 2)]
    event = AuditEvent.objects.filter(verb="move").first()
    assert event.changes == {"position": [2, 3]}


def test_up_at_the_top_changes_nothing(client_for, coordinator_region, three_actions):
    goal, _actions = three_actions
    client_for(coordinator_region).post(f"{BASE}/actions/first/move/", {"direction": "up"})
    assert keys_in_order(goal) == [("first", 0), ("joint-meetings", 1), ("third", 2)]
    assert not AuditEvent.objects.exists()


def test_moving_to_another_goal_keeps_both_goals_dense(
    client_for, coordinator_region, three_actions, other_goal
):
    goal, _actions = three_actions
    f.ActionFactory(key="housing-action", goal=other_goal, position=0)
    client = client_for(coordinator_region)
    assert "Boende för alla" in client.get(f"{ACTION}/move/").content.decode()
    response = client.post(f"{ACTION}/move/", {"goal": other_goal.pk})
    assert response["Location"] == "/en/programmes/programme-a/#action-joint-meetings"
    assert keys_in_order(goal) == [("first", 0), ("third", 1)]
    assert keys_in_order(other_goal) == [("housing-action", 0), ("joint-meetings", 1)]
    event = AuditEvent.objects.get(verb="move")
    assert event.changes == {"goal": ["Mål cooperation", "Boende för alla"], "position": [2, 2]}


def test_a_goal_of_another_programme_is_not_a_choice(
    client_for, coordinator_region, action_a, programme_b
):
    foreign = Goal.objects.get(theme__programme=programme_b)
    response = client_for(coordinator_region).post(f"{ACTION}/move/", {"goal": foreign.pk})
    assert response.status_code == 200
    assert "Select a valid choice." in response.content.decode()
    action_a.refresh_from_db()
    assert action_a.goal.theme.programme_id == action_a.programme_id


def test_two_quick_moves_from_the_same_page_keep_positions_dense(
    coordinator_region, three_actions, other_goal
):
    # Given two requests that read the same, soon stale, action
    goal, (_first, second, _third) = three_actions
    stale_a = Action.objects.select_related("programme").get(pk=second.pk)
    stale_b = Action.objects.select_related("programme").get(pk=second.pk)
    # When both move it up one after the other
    services.action_move(actor=coordinator_region, action=stale_a, direction="up")
    services.action_move(actor=coordinator_region, action=stale_b, direction="up")
    # Then it went up twice at most, and positions are still 0..n-1
    assert keys_in_order(goal) == [("joint-meetings", 0), ("first", 1), ("third", 2)]
    # And a move to another goal from a stale page, after the first, does not corrupt either
    services.action_move(actor=coordinator_region, action=stale_a, goal=other_goal)
    services.action_move(actor=coordinator_region, action=stale_b, direction="down")
    assert keys_in_order(goal) == [("first", 0), ("third", 1)]
    assert keys_in_order(other_goal) == [("joint-meetings", 0)]


# -- indicators --------------------------------------------------------------------------------


def test_an_indicator_is_added_on_the_actions_page(client_for, coordinator_region, action_a):
    response = client_for(coordinator_region).post(
        f"{ACTION}/indicators/add/",
        {
            "name_sv": "Antal kurser",
            "unit_sv": "kurs",
            "kind": "count",
            "period": "year",
            "target_type": "band",
            "target_min": "3",
        },
    )
    assert response["Location"] == "/en/programmes/programme-a/actions/joint-meetings/#indicators"
    indicator = action_a.indicators.get(key="antal-kurser")
    assert (indicator.target_type, indicator.target_min, indicator.target_max) == (
        "band",
        Decimal("3"),
        None,
    )
    assert indicator.position == 1
    event = AuditEvent.objects.get(verb="create", target_type="programmes.indicator")
    assert event.changes["action"] == [None, "joint-meetings"]


def test_changing_the_target_type_clears_the_old_targets_fields(
    client_for, coordinator_region, action_a
):
    indicator = action_a.indicators.get()
    client_for(coordinator_region).post(
        f"{ACTION}/indicators/{indicator.key}/edit/",
        {
            "name_sv": "Uppdatering",
            "kind": "milestone",
            "period": "multi_year",
            "target_type": "every_n_years",
            "target_min": "2",
            "target_years": "4",
        },
    )
    indicator.refresh_from_db()
    assert indicator.target == {"type": "every_n_years", "years": 4}
    assert indicator.target_min is None and indicator.target_max is None
    event = AuditEvent.objects.get(verb="update", target_type="programmes.indicator")
    assert event.changes["target_min"] == [2, None]
    assert event.changes["kind"] == ["frequency_band", "milestone"]


def test_the_indicator_form_shows_whole_numbers_without_decimals(
    client_for, coordinator_region, action_a
):
    # Given a band of 1 to 3.5 meetings a year
    indicator = action_a.indicators.get()
    indicator.target_min, indicator.target_max = Decimal("1.00"), Decimal("3.50")
    indicator.save()
    # When its form opens
    html = client_for(coordinator_region).get(f"{ACTION}/indicators/{indicator.key}/edit/")
    html = html.content.decode()
    # Then the bounds read as written, in number fields that take any decimal
    minimum = re.search(r'<input [^>]*name="target_min"[^>]*>', html).group(0)
    maximum = re.search(r'<input [^>]*name="target_max"[^>]*>', html).group(0)
    assert 'value="1"' in minimum and 'value="3.5"' in maximum
    for field in (minimum, maximum):
        assert 'type="number"' in field and 'step="any"' in field


@pytest.mark.parametrize(
    ("value", "shown"),
    [("3.00", "3"), ("2.50", "2.5"), ("100.00", "100"), ("0.25", "0.25"), ("0", "0")],
)
def test_decimals_read_as_a_person_writes_them(value, shown):
    from hemma.programmes.forms import plain_decimal

    assert str(plain_decimal(Decimal(value))) == shown


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"target_type": "band"}, "A band needs at least one bound."),
        ({"target_type": "band", "target_min": "5", "target_max": "2"}, "upper bound is below"),
        ({"target_type": "direction"}, "Choose a direction."),
        ({"target_type": "every_n_years"}, "Say how many years."),
    ],
)
def test_an_incomplete_target_is_refused(client_for, coordinator_region, action_a, data, message):
    indicator = action_a.indicators.get()
    response = client_for(coordinator_region).post(
        f"{ACTION}/indicators/{indicator.key}/edit/",
        {"name_sv": "Möten", "kind": "count", "period": "year", **data},
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    indicator.refresh_from_db()
    assert indicator.target == {"type": "band", "min": 2, "max": 4}


def test_an_indicator_is_removed_after_asking(client_for, coordinator_region, action_a):
    indicator = action_a.indicators.get()
    client = client_for(coordinator_region)
    assert (
        "Remove the indicator?"
        in client.get(f"{ACTION}/indicators/{indicator.key}/delete/").content.decode()
    )
    client.post(f"{ACTION}/indicators/{indicator.key}/delete/")
    assert not Indicator.objects.exists()
    event = AuditEvent.objects.get(verb="delete")
    assert event.changes["action"] == ["joint-meetings", None]


# -- the units a municipality names ------------------------------------------------------------


@pytest.fixture
def per_municipality(action_a):
    action_a.responsible_per_municipality = True
    action_a.save()
    return action_a


def test_a_municipal_coordinator_names_their_units(
    client_for, coordinator_a, programme_a, per_municipality, municipality_a1
):
    # Given a unit of A1 and one of A2 (A1's coordinator is offered A1's and shared ones only)
    school = f.OrganisationFactory(
        region=programme_a.region, municipality=municipality_a1, key="a1-skola"
    )
    f.OrganisationFactory(
        region=programme_a.region,
        municipality=programme_a.municipalities.get(code="102"),
        key="a2-skola",
    )
    client = client_for(coordinator_a)
    form = client.get(f"{ACTION}/units/101/").content.decode()
    assert "Organisation a1-skola" in form
    assert "a2-skola" not in form
    # When they choose the school and add a new unit
    response = client.post(
        f"{ACTION}/units/101/", {"organisations": [school.pk], "new_unit": "Fritidsgården"}
    )
    # Then both are A1's responsible units for the action, and the trail says so
    assert response["Location"] == "/en/programmes/programme-a/#action-joint-meetings"
    units = ActionParty.objects.filter(action=per_municipality, municipality=municipality_a1)
    assert [p.organisation.name.get("sv", p.organisation.key) for p in units] == [
        "Organisation a1-skola",
        "Fritidsgården",
    ]
    new_unit = Organisation.objects.get(name={"sv": "Fritidsgården"})
    assert new_unit.municipality == municipality_a1 and new_unit.kind == "municipal_unit"
    event = AuditEvent.objects.get(verb="update", target_type="programmes.action")
    assert event.changes == {"units:101": [[], ["Organisation a1-skola", "Fritidsgården"]]}
    # And the table shows them after the municipality's name
    html = client.get(f"{BASE}/").content.decode()
    assert "A-stad</span>: " in html and "Fritidsgården" in html


def test_only_units_and_schools_are_offered_as_a_municipalitys_units(
    client_for, coordinator_a, programme_a, per_municipality, municipality_a1
):
    # Given the region's organisations of every kind, and an NGO A1 named before
    region = programme_a.region

    def organisation(key, kind, municipality=None):
        return f.OrganisationFactory(
            region=region, key=key, kind=kind, municipality=municipality, name={"sv": key}
        )

    organisation("a1-fritid", "municipal_unit", municipality_a1)
    organisation("medborgarinstitutet", "education_provider")
    organisation("invanarna", "other")
    organisation("an-byran", "employment_authority")
    organisation("experterna", "ngo")
    named = organisation("foreningen", "ngo")
    ActionParty.objects.create(
        action=per_municipality,
        organisation=named,
        role="responsible",
        municipality=municipality_a1,
    )
    # When A1's coordinator opens the form
    client = client_for(coordinator_a)
    html = client.get(f"{ACTION}/units/101/").content.decode()
    # Then A1's units and the schools are offered, and what A1 named before, nothing else
    offered = set(
        re.findall(r'<label for="id_organisations_\d+"><input [^>]*>\s*(\S+)</label>', html)
    )
    assert offered == {"a1-fritid", "medborgarinstitutet", "foreningen", "Kommunen"}
    # And a kind that is not offered cannot be sent either
    response = client.post(
        f"{ACTION}/units/101/",
        {"organisations": [Organisation.objects.get(key="an-byran").pk]},
    )
    assert response.status_code == 200 and "Select a valid choice." in response.content.decode()


def test_a_municipal_coordinator_cannot_name_another_municipalitys_units(
    client_for, coordinator_a, per_municipality
):
    response = client_for(coordinator_a).post(f"{ACTION}/units/102/", {"new_unit": "X"})
    assert response.status_code == 403
    assert not ActionParty.objects.exists()


def test_units_are_only_named_for_an_action_set_per_municipality(
    client_for, coordinator_a, action_a
):
    assert client_for(coordinator_a).get(f"{ACTION}/units/101/").status_code == 404


def test_the_region_coordinator_names_any_municipalitys_units(
    client_for, coordinator_region, per_municipality
):
    response = client_for(coordinator_region).post(f"{ACTION}/units/102/", {"new_unit": "Skolan"})
    assert response.status_code == 302
    assert per_municipality.party_links.get().municipality.code == "102"


@pytest.mark.parametrize(("user", "status"), [("viewer", 403), ("coordinator_b", 404)])
def test_units_access_for_readers_and_other_regions(
    client_for, request, per_municipality, user, status
):
    client = client_for(request.getfixturevalue(user))
    assert client.get(f"{ACTION}/units/101/").status_code == status
    assert client.post(f"{ACTION}/units/101/", {"new_unit": "X"}).status_code == status
    assert not Organisation.objects.filter(name={"sv": "X"}).exists()


def test_units_need_logging_in(client, per_municipality):
    assert "/accounts/login/" in client.get(f"{ACTION}/units/101/")["Location"]


# -- access to every edit view -----------------------------------------------------------------


def edit_urls(action) -> list[str]:
    indicator = action.indicators.get()
    return [
        f"{ACTION}/edit/",
        f"{ACTION}/move/",
        f"{ACTION}/delete/",
        f"{GOAL}/add-action/",
        f"{GOAL}/edit/",
        f"{BASE}/themes/foundation/edit/",
        f"{ACTION}/indicators/add/",
        f"{ACTION}/indicators/{indicator.key}/edit/",
        f"{ACTION}/indicators/{indicator.key}/delete/",
    ]


def test_every_edit_view_works_for_the_region_coordinator(client_for, coordinator_region, action_a):
    client = client_for(coordinator_region)
    for url in edit_urls(action_a):
        assert client.get(url).status_code == 200, url
        assert client.get(url, **HX).status_code == 200, url


@pytest.mark.parametrize(("user", "status"), [("coordinator_b", 404), ("viewer", 403)])
@pytest.mark.parametrize("method", ["get", "post"])
def test_every_edit_view_refuses_readers_and_other_regions(
    client_for, request, action_a, user, status, method
):
    client = client_for(request.getfixturevalue(user))
    for url in edit_urls(action_a):
        response = getattr(client, method)(url, {"title_sv": "X", "direction": "up"})
        assert response.status_code == status, url
    assert Action.objects.filter(pk=action_a.pk).exists()
    assert not AuditEvent.objects.exists()


def test_a_municipal_coordinator_may_not_edit_the_programme(client_for, coordinator_a, action_a):
    client = client_for(coordinator_a)
    for url in edit_urls(action_a):
        assert client.post(url, {"title_sv": "X", "direction": "up"}).status_code == 403, url
    assert not AuditEvent.objects.exists()


def test_every_edit_view_needs_logging_in(client, action_a):
    for url in [*edit_urls(action_a), f"{ACTION}/row/", f"{GOAL}/cell/"]:
        response = client.post(url)
        assert response.status_code == 302, url
        assert "/accounts/login/" in response["Location"], url


def test_the_row_and_cell_partials_follow_who_may_see(client_for, coordinator_b, viewer, action_a):
    for url in (f"{ACTION}/row/", f"{GOAL}/cell/", f"{BASE}/themes/foundation/heading/"):
        assert client_for(coordinator_b).get(url, **HX).status_code == 404, url
        response = client_for(viewer).get(url, **HX)
        assert response.status_code == 200, url
        assert "/edit/" not in response.content.decode()
