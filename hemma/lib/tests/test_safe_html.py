"""Formatted text keeps only safe HTML: what the text block stores is what is shown."""

import pytest

from hemma.lib import safe_html


@pytest.mark.parametrize(
    "given",
    [
        "<p>Hej</p><script>alert(1)</script>",
        "<p>Hej<SCRIPT src=//evil.example/x.js></SCRIPT></p>",
        "<scr<script>ipt>alert(1)</scr</script>ipt>",
        "<p>Hej</p><style>body{display:none}</style>",
        "<svg><script>alert(1)</script></svg>",
        "<iframe src=javascript:alert(1)></iframe>",
        "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    ],
)
def test_scripts_styles_and_foreign_elements_are_removed(given):
    cleaned = safe_html.clean(given)
    for bad in ("<script", "</script", "<style", "<svg", "<iframe", "<img", "onerror", "<math"):
        assert bad not in cleaned.lower()


def test_the_nested_script_trick_leaves_only_harmless_text():
    cleaned = safe_html.clean("<scr<script>ipt>alert(1)</scr</script>ipt>")
    assert "<script" not in cleaned.lower()
    # Whatever text is left is escaped, not markup.
    assert "<" not in cleaned.replace("&lt;", "")


@pytest.mark.parametrize(
    "given",
    [
        '<p onclick="alert(1)">Hej</p>',
        "<p onmouseover=alert(1)>Hej</p>",
        '<a href="https://example.org" onfocus="alert(1)">Hej</a>',
        '<strong ONLOAD="alert(1)">Hej</strong>',
    ],
)
def test_event_handlers_are_removed(given):
    cleaned = safe_html.clean(given)
    assert "alert" not in cleaned
    assert "Hej" in cleaned


@pytest.mark.parametrize(
    "href",
    [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        " javascript:alert(1)",
        "java&#x09;script:alert(1)",
        "&#106;avascript:alert(1)",
        "vbscript:msgbox(1)",
        "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    ],
)
def test_links_keep_no_script_or_data_address(href):
    cleaned = safe_html.clean(f'<a href="{href}">Klicka</a>')
    assert "href" not in cleaned
    assert "Klicka" in cleaned


def test_style_attributes_and_unknown_attributes_are_removed():
    cleaned = safe_html.clean(
        '<p style="position:fixed;top:0" class="x" id="y" lang="ar" dir="rtl">مرحبا</p>'
    )
    assert cleaned == '<p lang="ar" dir="rtl">مرحبا</p>'


def test_safe_formatting_and_links_are_kept_with_a_safe_rel():
    given = (
        "<h2>Sopor</h2><p><strong>Bio</strong> och <em>papper</em></p>"
        "<ul><li>Ett</li></ul><ol><li>Två</li></ol>"
        '<p><a href="https://kommun.example/sopor">Mer</a> '
        '<a href="mailto:info@kommun.example">E-post</a> <a href="tel:+358401234">Ring</a></p>'
    )
    cleaned = safe_html.clean(given)
    for kept in ("<h2>", "<strong>", "<em>", "<ul>", "<ol>", "<li>"):
        assert kept in cleaned
    assert 'href="https://kommun.example/sopor"' in cleaned
    assert 'href="mailto:info@kommun.example"' in cleaned
    assert 'href="tel:+358401234"' in cleaned
    assert 'rel="noopener noreferrer"' in cleaned


def test_an_image_with_a_data_address_is_removed():
    cleaned = safe_html.clean('<p>Se<img src="data:image/png;base64,AAAA" alt="x"></p>')
    assert "<img" not in cleaned and "data:" not in cleaned


def test_empty_text_stays_empty_and_plain_text_has_no_tags():
    assert safe_html.clean("   ") == ""
    assert safe_html.plain("<h2>Sopor</h2><p>Bio&amp;papper</p>") == "Sopor Bio&papper"


@pytest.mark.parametrize(
    "href", ["javascript:alert(1)", "vbscript:msgbox(1)", "data:text/html,x", "", None]
)
def test_a_link_left_without_an_address_becomes_its_text(href):
    attribute = "" if href is None else f' href="{href}"'
    cleaned = safe_html.clean(f"<p>Se <a{attribute} title='x'><em>här</em></a>.</p>")
    assert cleaned == "<p>Se <em>här</em>.</p>"


def test_a_safe_link_stays_beside_a_stripped_one():
    cleaned = safe_html.clean(
        '<p><a href="javascript:alert(1)">Ond</a> <a href="https://kommun.example">God</a></p>'
    )
    assert cleaned == (
        '<p>Ond <a href="https://kommun.example" rel="noopener noreferrer">God</a></p>'
    )


@pytest.mark.parametrize(
    "given, expected",
    [
        (
            "<p>First line.</p><p><ul><li>Typed</li></ul></p>",
            "<p>First line.</p><ul><li>Typed</li></ul>",
        ),
        ("<p><ol><li>Ett</li></ol></p>", "<ol><li>Ett</li></ol>"),
        ("<p>Före<h2>Rubrik</h2></p>", "<p>Före</p><h2>Rubrik</h2>"),
        ("<p><br></p><p>Text</p><p> &nbsp;</p><p><strong></strong></p>", "<p>Text</p>"),
    ],
)
def test_a_paragraph_around_a_list_or_heading_is_unwrapped_leaving_no_empty_paragraph(
    given, expected
):
    assert safe_html.clean(given) == expected


def test_cleaning_twice_changes_nothing_more_and_keeps_escaped_text():
    given = '<p>1 &lt; 2 &amp; "citat"<br>rad två</p><ul><li><a href="tel:+358">Ring</a></li></ul>'
    once = safe_html.clean(given)
    assert "1 &lt; 2 &amp;" in once and "<br>" in once
    assert safe_html.clean(once) == once
