"""`{% load nav %}{% if 'finance:fund'|opens:user %}…{% endif %}`: a sub-tab is shown only when its view would let the
user in (the same gate the view enforces, core.navigation.view_allows). `{{ nav_menu|sidebar }}`: the side menu."""

from django import template

from ipplatform.core.navigation import sidebar_html, view_allows

register = template.Library()


@register.filter
def opens(url_name: str, user) -> bool:
    return view_allows(user, url_name)


@register.filter
def sidebar(menu) -> str:
    return sidebar_html(menu or [])
