"""The public portal: open to everyone (format: ipplatform/core/access.py, docs/ACCESS.md)."""

from __future__ import annotations

from ipplatform.core.access import EVERYONE, Obj, Rule

RULES = [
    Rule("portal:index", allow=EVERYONE),
    Rule("portal:city", allow=EVERYONE, kwargs={"code": "370200"}),
    Rule("portal:topic", allow=EVERYONE, obj=Obj("navigation.ThematicDatabase", is_shared=True)),
]
