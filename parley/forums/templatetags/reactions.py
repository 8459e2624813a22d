"""`{{ type.name|reaction_icon }}`: the bundled SVG of a reaction type, for templates that
list reaction types themselves (private conversations)."""

from django import template

from parley.forums.reaction_icons import icon_url

register = template.Library()


@register.filter
def reaction_icon(type_name: str) -> str:
    return icon_url(type_name)
