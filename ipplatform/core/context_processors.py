from .navigation import breadcrumbs, grouped, items_for


def platform(request):
    user = getattr(request, "user", None)
    if user is None:
        return {}
    items = items_for(user)
    groups: dict[str, list] = {}
    for item in items:
        groups.setdefault(item["group"], []).append(item)
    unread = user.notifications.filter(read_at__isnull=True).count() if user.is_authenticated else 0
    return {
        "nav_items": items,
        "nav_groups": groups,
        "nav_menu": grouped(items, request.path),
        "nav_trail": breadcrumbs(items, request.path),
        "unread_notifications": unread,
    }
