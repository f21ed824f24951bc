from django import template

register = template.Library()


@register.filter
def get_item(mapping, key):
    """dict lookup in templates: {{ labels|get_item:code }}."""
    try:
        return mapping.get(key, "")
    except AttributeError:
        return ""
