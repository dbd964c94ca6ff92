"""Formatted text that is safe to show: the HTML a text block may hold, and nothing else.

A text block's HTML comes from the page editor (hemma/static/hemma/editor.js) or is typed or
pasted by hand, so it is cleaned on the server every time it is saved, with nh3 (the Rust
library ammonia): only the tags and attributes below are kept; scripts, styles, event
handlers and every other attribute are dropped; a link keeps only an http(s), mailto or tel
address and gets rel="noopener noreferrer", and a link left without an address (its
`javascript:` one removed) is no link: its words stay, as text. A paragraph around a list or
heading is not HTML: the parser closes it, and the empty paragraphs that leaves are dropped.
What is stored is what is shown.
"""

import html
import re
from html.parser import HTMLParser

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
    cleaned = nh3.clean(
        value,
        tags=set(TAGS),
        attributes={tag: set(names) for tag, names in ATTRIBUTES.items()},
        url_schemes=set(URL_SCHEMES),
        link_rel="noopener noreferrer",
        strip_comments=True,
    )
    return _tidy(cleaned).strip()


class _Tidy(HTMLParser):
    """Rewrites nh3's output (well formed: every tag closed, every attribute quoted, the text
    escaped) without its links that have no address and its empty paragraphs. Each open
    element collects its own output, so that on its end tag it can be kept, unwrapped or
    dropped."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        # (tag, its start tag as written or "" to unwrap it, its output so far)
        self.open: list[tuple[str, str, list[str]]] = [("", "", [])]

    def _out(self, text: str) -> None:
        self.open[-1][2].append(text)

    def handle_starttag(self, tag, attrs):
        start = self.get_starttag_text() or ""
        if tag == "br":
            self._out(start)
        elif tag == "a" and not dict(attrs).get("href"):
            self.open.append((tag, "", []))
        else:
            self.open.append((tag, start, []))

    def handle_endtag(self, tag):
        if len(self.open) == 1 or self.open[-1][0] != tag:
            return  # nh3 closes what it opens: nothing stray reaches here
        _tag, start, parts = self.open.pop()
        inner = "".join(parts)
        if not start:
            self._out(inner)
        elif tag == "p" and _empty(inner):
            return
        else:
            self._out(f"{start}{inner}</{tag}>")

    def handle_data(self, data):
        self._out(data)

    def handle_entityref(self, name):
        self._out(f"&{name};")

    def handle_charref(self, name):
        self._out(f"&#{name};")

    def result(self) -> str:
        while len(self.open) > 1:
            self.handle_endtag(self.open[-1][0])
        return "".join(self.open[0][2])


def _empty(inner: str) -> bool:
    """Whether a paragraph has no words: only spaces, line breaks or empty emphasis."""
    return not html.unescape(re.sub(r"<[^>]*>", "", inner)).strip()


def _tidy(cleaned: str) -> str:
    parser = _Tidy()
    parser.feed(cleaned)
    parser.close()
    return parser.result()


def plain(value: str) -> str:
    """The words of cleaned HTML without its tags, for searching."""
    if not value:
        return ""
    text = nh3.clean(value.replace("<", " <"), tags=set())
    return " ".join(html.unescape(text).split())
