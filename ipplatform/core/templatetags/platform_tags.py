from django import template

register = template.Library()


@register.filter
def audit_changes(event):
    """(field, before, after) rows of an audit event, for compact display."""
    before, after = event.before or {}, event.after or {}
    keys = list(dict.fromkeys(list(before) + list(after)))
    return [(k, before.get(k, ""), after.get(k, "")) for k in keys]


@register.filter
def dict_get(mapping, key):
    return (mapping or {}).get(key)
