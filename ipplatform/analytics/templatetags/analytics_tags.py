from django import template

register = template.Library()


@register.filter
def is_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


@register.filter
def cell(value):
    """A table cell: thousands separators for counts (years and codes stay plain), — for missing."""
    if value is None:
        return "—"
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 10000:
        return f"{value:,}"
    return value
