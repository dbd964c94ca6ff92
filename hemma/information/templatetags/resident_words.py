"""`{% ui %}…{% endui %}`: an element of interface words on a public information page, in the
page's language if its catalogue has every one of them, else in English with `ui_attrs`
(lang="en" dir="ltr") for the element to carry. See hemma/information/interface_words.py.

The page's language is the context's `language`; without one (or in English) the block is
rendered as it is, with empty `ui_attrs`. A `{% ui %}` inside another is part of the outer one.
"""

from django import template
from django.template.base import Node, NodeList, Parser, Token
from django.template.context import Context

from hemma.information import interface_words

register = template.Library()

# In the context while a {% ui %} block renders.
_INSIDE = "hemma_ui_inside"


class InterfaceWordsNode(Node):
    def __init__(self, nodelist: NodeList) -> None:
        self.nodelist = nodelist

    def render(self, context: Context) -> str:
        language = str(context.get("language") or "")
        if context.get(_INSIDE):
            return self.nodelist.render(context)
        if not language or language == "en":
            with context.push(ui_attrs=""):
                return self.nodelist.render(context)
        if interface_words.speaks(language):
            found, misses = interface_words.strict(language)
            with interface_words.activated(found), context.push(ui_attrs="", **{_INSIDE: True}):
                rendered = self.nodelist.render(context)
            if not misses.count:
                return rendered
        english = interface_words.ENGLISH_ATTRS
        with interface_words.english(), context.push(ui_attrs=english, **{_INSIDE: True}):
            return self.nodelist.render(context)


@register.tag("ui")
def do_ui(parser: Parser, token: Token) -> InterfaceWordsNode:
    nodelist = parser.parse(("endui",))
    parser.delete_first_token()
    return InterfaceWordsNode(nodelist)
