"""What a template may ask of the signed-in user's roles: `{% load user_roles %}`."""

from django import template

from hemma.accounts.roles import is_reporter_only, is_translator_only, sees_information

register = template.Library()


@register.filter
def reporter_only(user) -> bool:
    """`{% if user|reporter_only %}`: an organisation reporter and nothing else, who sees their
    organisation's activities and their account, not the programmes or the other registries."""
    return is_reporter_only(user)


@register.filter
def translator_only(user) -> bool:
    """`{% if user|translator_only %}`: a translator and nothing else, who sees the pages to
    translate and their account."""
    return is_translator_only(user)


@register.filter
def information_user(user) -> bool:
    """`{% if user|information_user %}`: the information hub is in the user's navigation."""
    return sees_information(user)
