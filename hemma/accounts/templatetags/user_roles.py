"""What a template may ask of the signed-in user's roles: `{% load user_roles %}`."""

from django import template

from hemma.accounts.roles import is_reporter_only

register = template.Library()


@register.filter
def reporter_only(user) -> bool:
    """`{% if user|reporter_only %}`: an organisation reporter and nothing else, who sees their
    organisation's activities and their account, not the programmes or the other registries."""
    return is_reporter_only(user)
