"""Formatted text that is safe to show: the HTML a text block may hold, and nothing else.

A text block's HTML comes from the page editor (hemma/static/hemma/editor.js) or is typed or
pasted by hand, so it is cleaned on the server every time it is saved, with nh3 (the Rust
library ammonia): only the tags and attributes below are kept; scripts, styles, event
handlers and every other attribute are dropped; a link keeps only an http(s), mailto or tel
address and gets rel="noopener noreferrer". What is stored is what is shown.
"""

import html

import nh3

# Paragraphs, line breaks, emphasis, two levels of heading under the page's title, lists,
# quotations and links: what a resident guide needs, and what a screen reader reads well.
TAGS = frozenset(
    {"p", "br", "strong", "em", "b", "i", "h2", "h3", "ul", "ol", "li", "blockquote", "a"}
)
ATTRIBUTES = {"a": {"href", "lang", "hreflang"}, "*": {"lang", "dir"}}
URL_SCHEMES = frozenset({"http", "https", "mailto", "tel"})


def clean(value: str) -> str:
    """`value` with every unsafe or unknown tag and attribute removed (the text inside an
    unknown tag is kept; a script's or style's is not)."""
    if not value or not value.strip():
        return ""
    return nh3.clean(
        value,
        tags=set(TAGS),
        attributes={tag: set(names) for tag, names in ATTRIBUTES.items()},
        url_schemes=set(URL_SCHEMES),
        link_rel="noopener noreferrer",
        strip_comments=True,
    ).strip()


def plain(value: str) -> str:
    """The words of cleaned HTML without its tags, for searching."""
    if not value:
        return ""
    text = nh3.clean(value.replace("<", " <"), tags=set())
    return " ".join(html.unescape(text).split())
