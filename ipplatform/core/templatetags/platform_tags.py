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


@register.filter
def model_label(object_type: str) -> str:
    """'core.organization' -> '机构' (the model's verbose name), unchanged when unknown."""
    from django.apps import apps

    try:
        return apps.get_model(object_type)._meta.verbose_name
    except (LookupError, ValueError):
        return object_type
