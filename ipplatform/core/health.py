"""/healthz for load balancers: database (and replica), job queue (storage reachable, when a worker last
reported), search index, free disk. 200 when this node can serve, 503 with the failing checks otherwise.
No paths, versions or record contents: only states and figures."""

from __future__ import annotations

import shutil
import time

from django.conf import settings
from django.db import connections
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

WORKER_KEY = "ipplatform:worker-alive"


def note_worker_alive() -> None:
    """Called by each queue worker's reaper loop."""
    from huey.contrib.djhuey import HUEY

    HUEY.storage.put_data(WORKER_KEY, str(time.time()).encode())


def _database() -> dict:
    out = {}
    for alias in ("default", "replica"):
        if alias not in settings.DATABASES:
            continue
        started = time.perf_counter()
        try:
            with connections[alias].cursor() as cur:
                cur.execute("SELECT 1")
                cur.fetchone()
                if alias == "replica" and connections[alias].vendor == "postgresql":
                    cur.execute("SELECT COALESCE(EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()), 0)")
                    out["replica_lag_s"] = round(float(cur.fetchone()[0]), 1)
            out[alias] = {"ok": True, "ms": round((time.perf_counter() - started) * 1000, 1)}
        except Exception as exc:
            out[alias] = {"ok": False, "error": type(exc).__name__}
    out["ok"] = out["default"]["ok"]  # a lost replica degrades reads to the primary; the node still serves
    return out


def _queue() -> dict:
    from huey.contrib.djhuey import HUEY

    try:
        pending = HUEY.pending_count()
        raw = HUEY.storage.peek_data(WORKER_KEY)
    except Exception as exc:
        return {"ok": False, "error": type(exc).__name__}
    from huey.constants import EmptyData

    seen = None if raw is EmptyData or raw is None else round(time.time() - float(raw), 1)
    worker_ok = seen is not None and seen < max(60.0, settings.JOB_LEASE * 2)
    return {"ok": True, "pending": pending, "worker_seen_s_ago": seen, "worker_ok": worker_ok}


def _search() -> dict:
    from ipplatform.search import services

    backend = services.get_backend()
    try:
        se = backend.searcher()
        return {"ok": True, "documents": se.num_docs, "generation": backend._target()}
    except Exception as exc:
        return {"ok": False, "error": type(exc).__name__}


def _disk() -> dict:
    usage = shutil.disk_usage(settings.DATA_DIR)
    free_pct = usage.free * 100 / usage.total
    min_free = int(getattr(settings, "HEALTH_MIN_FREE_BYTES", 1 << 30))
    return {"ok": usage.free >= min_free, "free_gb": round(usage.free / 1e9, 2), "free_pct": round(free_pct, 1)}


def check() -> dict:
    checks = {"database": _database(), "queue": _queue(), "search": _search(), "disk": _disk()}
    return {"ok": all(c["ok"] for c in checks.values()), "checks": checks}


@never_cache
@require_GET
def healthz(request):
    result = check()
    return JsonResponse(result, status=200 if result["ok"] else 503, json_dumps_params={"ensure_ascii": False})
