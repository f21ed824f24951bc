"""Where files live. Uploaded files, evidence and generated documents go under shared_dir() — one directory that
several web nodes mount (SHARED_DIR; DATA_DIR on a single machine). The search index, collected static files and
an SQLite database stay per node under DATA_DIR."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings

# Entries of DATA_DIR that belong to one node and are not part of the shared files (nor of a files backup).
NODE_LOCAL = {
    "search",
    "staticfiles",
    "backups",
    "screenshots",
    "secret_key",
    "jobs-queue.sqlite3",
    "jobs-queue.sqlite3-wal",
    "jobs-queue.sqlite3-shm",
}


def shared_dir() -> Path:
    """Root of the files every node shares."""
    return Path(getattr(settings, "SHARED_DIR", None) or settings.DATA_DIR)


def is_node_local(name: str) -> bool:
    return name in NODE_LOCAL or ".sqlite3" in name
