"""{% cached_fragment "namespace" "name" var1 var2 ... %} … {% endcached_fragment %}: the rendered block from
core.cache (the namespace's generation invalidates it), keyed by the name, the values of the listed variables and
today's date. List every variable the block depends on that can differ between requests (scope, filters, the
user's rights): a fragment is shared by every user whose listed values are equal. Never put a CSRF token or other
per-user text inside one."""

from __future__ import annotations

from django import template
from django.utils import timezone
from django.utils.safestring import mark_safe

from ipplatform.core import cache

register = template.Library()


class CachedFragmentNode(template.Node):
    def __init__(self, nodelist, namespace, name, variables):
        self.nodelist = nodelist
        self.namespace = namespace
        self.name = name
        self.variables = variables

    def render(self, context):
        parts = {
            "fragment": self.name,
            "today": timezone.localdate(),
            "vars": [v.resolve(context) for v in self.variables],
        }
        return mark_safe(cache.cached(self.namespace, parts, lambda: str(self.nodelist.render(context))))


@register.tag
def cached_fragment(parser, token):
    bits = token.split_contents()
    if len(bits) < 3:
        raise template.TemplateSyntaxError(
            '{% cached_fragment "namespace" "name" var ... %} needs a namespace and a name'
        )
    nodelist = parser.parse(("endcached_fragment",))
    parser.delete_first_token()
    namespace, name = (b[1:-1] if b[:1] == b[-1:] and b[:1] in "'\"" else None for b in bits[1:3])
    if not namespace or not name:
        raise template.TemplateSyntaxError("cached_fragment: the namespace and the name are quoted strings")
    return CachedFragmentNode(nodelist, namespace, name, [parser.compile_filter(b) for b in bits[3:]])
