"""The portal has no data of its own: it shows the published content of the other apps. This reports what the
demo portal offers (called by load_demo like every app's demo module)."""

from __future__ import annotations


def load(*, stdout=None, options=None):
    from ipplatform.navigation.models import ThematicDatabase

    from . import services

    write = stdout.write if stdout is not None else (lambda s: None)
    write(
        f"门户：/portal/，{len(services.cities())}个市级子站，{ThematicDatabase.objects.filter(is_shared=True).count()}个专题平台子站"
    )
