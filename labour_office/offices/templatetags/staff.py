from django import template

from labour_office.offices.models import Role

register = template.Library()


@register.filter
def role_label(name: str) -> str:
    """The translated label of a role group's name."""
    return str(Role(name).label) if name in Role.values else name
