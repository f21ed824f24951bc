"""SHA-256 or SM3 (GB/T 32905) digests, chosen by name."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable


def digest_hex(data: bytes, algorithm: str = "sha256") -> str:
    if algorithm == "sm3":
        from gmssl import func, sm3

        return sm3.sm3_hash(func.bytes_to_list(data))
    return hashlib.sha256(data).hexdigest()


def file_digest(chunks: Iterable[bytes], algorithm: str = "sha256") -> str:
    """Digest of a file read in chunks (SM3 reads it whole: gmssl has no streaming API)."""
    if algorithm == "sm3":
        return digest_hex(b"".join(chunks), "sm3")
    h = hashlib.sha256()
    for chunk in chunks:
        h.update(chunk)
    return h.hexdigest()
