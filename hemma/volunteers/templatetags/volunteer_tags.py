"""`{% load volunteer_tags %}`: what a template may ask about friend persons."""

from django import template

from hemma.volunteers import policies

register = template.Library()


@register.filter
def sees_volunteers(user) -> bool:
    """`{% if user|sees_volunteers %}`: may the user open the friend persons' list (the
    coordinators; viewers and reporters see the counts in the follow-up only)."""
    return policies.may_list_volunteers(user)
