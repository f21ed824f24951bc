from django import template

register = template.Library()


@register.filter
def audit_changes(event):
    """(field, before, after) rows of an audit event in Chinese (field names and state labels), for compact display."""
    from ipplatform.core.labels import audit_changes as changes

    return changes(event)


@register.filter
def audit_reason(event):
    """The note of an audit event with workflow steps named in Chinese."""
    from ipplatform.core.labels import audit_reason as reason

    return reason(event)


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


@register.filter
def notice_kind(kind):
    """The category of a notification in Chinese."""
    from ipplatform.core.labels import notification_kind

    return notification_kind(kind)


@register.filter
def region_name(code) -> str:
    """'370100' -> '济南市' (GB/T 2260 as of 2015), the code itself when the division is unknown."""
    from ipplatform.core.regions import display_name

    return display_name(code)


@register.filter
def calendar_check(day) -> str:
    """After a deadline date: a 待核对 mark whose title says that year's holidays are not loaded (nothing when they
    are). The mark is visible text, so that printing or copying the page keeps it."""
    from django.utils.html import format_html

    from ipplatform.lib.workdays import uncovered_note

    note = uncovered_note(day) if day else ""
    if not note:
        return ""
    return format_html(
        ' <span class="status status-warn calendar-gap" title="{}">{}年假日未载入，待核对</span>', note, day.year
    )
